"""Analysis over the core view: alignments, pathways, ecosystem metrics (networkx style)."""
