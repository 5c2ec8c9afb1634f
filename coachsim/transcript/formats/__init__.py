"""One module per import format; each exposes ``FORMAT`` (a :class:`~.base.Format`). The registry and
the reader are in ``coachsim/transcript/importers.py``."""
