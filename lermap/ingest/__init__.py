"""Ingesters: one module per standard, each a ``parse`` step then a ``map`` step."""
