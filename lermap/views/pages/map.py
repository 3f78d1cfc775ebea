"""The relational map of the ecosystem: filters (kept in the URL), the figure, a side panel, and the same as a table."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict

from lermap.analysis.dto import MAP_KINDS, MapView
from lermap.views import figures, words
from lermap.views.components import EntityLink, Field, Form, Table
from lermap.views.render import Page


def map_page(view: MapView) -> Page:
    f = view.filters
    form = Form("/map", [
        Field("kind", "Show", kind="checkboxes", value=list(f.kinds), options=[(k, words.kind(k, plural=True)) for k in MAP_KINDS]),
        Field("role", "Stakeholder role", kind="select", value=f.role, options=view.roles),
        Field("standard", "Around the standard", kind="select", value=f.standard, options=view.standards),
        Field("region", "Region", kind="select", value=f.region, options=[(r, r) for r in view.regions]),
        Field("q", "Name contains", kind="search", value=f.q or ""),
    ], submit="Apply", label="Filter the map", css_class="filters")
    fig = figures.ecosystem_map([asdict(n) for n in view.nodes], [(e.source, e.target, e.predicate) for e in view.edges])
    counts = Counter(n.kind for n in view.nodes)
    summary = (f"{len(view.nodes)} nodes ({', '.join(f'{v} {k}' for k, v in sorted(counts.items()))}), "
               f"{len(view.edges)} relations.")
    rows = sorted(((EntityLink(n.id, n.label), words.kind(n.kind), n.region, n.degree) for n in view.nodes),
                  key=lambda r: (r[0].text.casefold(), r[0].iri))
    table = Table("Nodes on the map", ["entity", "kind", "region", "relations"], rows, numeric=frozenset({3}))
    return Page("pages/map.html", "The LER ecosystem map", {"form": form, "summary": summary, "figure": fig.to_json(), "table": table},
                breadcrumbs=[("/", "Home"), ("/map", "Map")], scripts=["plotly.min.js"])
