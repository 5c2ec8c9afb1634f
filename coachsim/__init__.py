"""coachsim: practise coaching conversations and see which move you made."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("coachsim")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
