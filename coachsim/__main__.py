"""``python -m coachsim`` runs the command line."""

from coachsim.cli.main import run

run()
