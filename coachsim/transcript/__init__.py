"""Conversation transcripts: the ``coachsim.transcript/1`` format, atomic saving and loading."""
