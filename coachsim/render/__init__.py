"""Rich renderables for the terminal: move chips, reply breakdowns, metrics tables."""
