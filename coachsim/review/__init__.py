"""Coach review of a labelled conversation: relabels and comments in a sidecar, and agreement."""
