"""Scripted direct reports: scenario models, loading and validation, and the session engine."""
