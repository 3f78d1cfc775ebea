"""Plotly figures built from plain data (never SPARQL)."""
