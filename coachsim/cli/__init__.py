"""The ``coachsim`` command line: thin Typer commands over the domain functions."""
