"""The progress index: one SQLite row per practice session, rebuilt from transcripts when needed."""
