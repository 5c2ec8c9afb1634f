"""Hostile input and fault injection (issue 11): every case gives one clear line and loses nothing."""
