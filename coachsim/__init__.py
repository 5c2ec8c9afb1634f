"""coachsim: practise coaching conversations and see which move you made."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    """``coachsim.__version__``, read from the installed metadata only when asked for (importing
    ``importlib.metadata`` costs about 80 ms of every start-up)."""
    if name != "__version__":
        raise AttributeError(f"module 'coachsim' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("coachsim")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0"
