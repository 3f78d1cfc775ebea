"""The relational map of the ecosystem: filters, focus and hops (kept in the URL, so a view can be shared and the
server draws the same), the figure, exports of the same view, a side panel, and the same as tables."""

from __future__ import annotations

from collections import Counter
from typing import Any

from lermap.analysis.dto import MAP_KINDS, MapFilters, MapView
from lermap.views import words
from lermap.views.components import EntityLink, Field, Form, Link, Table, page_href
from lermap.views.map_figure import map_figure, relation_words
from lermap.views.render import Page

TABLE_ROWS = 300  # rows of the tables under the map (the alternative to the figure); the CSV downloads hold the rest


def map_query(f: MapFilters, **changes: Any) -> dict[str, Any]:
    """The URL parameters of a view (only what differs from the default view), with ``changes`` applied."""
    params: dict[str, Any] = {"kind": list(f.kinds) if tuple(f.kinds) != MAP_KINDS else None, "role": f.role, "standard": f.standard,
                              "region": f.region, "q": f.q, "focus": f.focus, "hops": f.hops if f.hops != 1 else None}
    params.update(changes)
    return params


def map_data(view: MapView) -> dict[str, Any]:
    """What the script needs to focus a node without asking the server: the relations between the nodes, each node
    given by its place in the figure (the node traces' points one after the other, in :data:`MAP_KINDS` order)."""
    order = [n.id for kind in MAP_KINDS for n in view.nodes if n.kind == kind]
    index = {iri: i for i, iri in enumerate(order)}
    return {"edges": [[index[e.source], index[e.target]] for e in view.edges], "hops": view.filters.hops}


def map_page(view: MapView) -> Page:
    f = view.filters
    form = Form("/map", [
        Field("kind", "Show", kind="checkboxes", value=list(f.kinds), options=[(k, words.kind(k, plural=True)) for k in MAP_KINDS]),
        Field("role", "Stakeholder role", kind="select", value=f.role, options=view.roles),
        Field("standard", "Around the standard", kind="select", value=f.standard, options=view.standards),
        Field("region", "Region", kind="select", value=f.region, options=[(r, r) for r in view.regions]),
        Field("q", "Name contains", kind="search", value=f.q or "", hint="Shows what matches and its neighbours."),
        Field("hops", "Neighbours shown", kind="select", value=str(f.hops), required=True,
              options=[("1", "direct relations (1 step)"), ("2", "relations of relations (2 steps)")]),
        Field("focus", "", kind="hidden", value=f.focus or ""),
    ], submit="Apply", label="Filter the map", css_class="filters")
    counts = Counter(n.kind for n in view.nodes)
    summary = (f"{len(view.nodes)} nodes ({', '.join(f'{v} {words.kind(k, plural=v != 1).lower()}' for k, v in sorted(counts.items()))}), "
               f"{len(view.edges)} relations.")
    if f.q:
        found = sum(1 for n in view.nodes if n.state == "match")
        summary += f" {found} match “{f.q}”; the others are their neighbours."
    shown = sorted(view.nodes, key=lambda n: (-n.degree, n.label.casefold(), n.id))[:TABLE_ROWS]
    rows = sorted(((EntityLink(n.id, n.label), words.kind(n.kind), n.region, n.degree) for n in shown), key=lambda r: (r[0].text.casefold(), r[0].iri))
    names = {n.id: n.label for n in view.nodes}
    nodes_caption = "Nodes on the map" if len(shown) == len(view.nodes) else \
        f"The {len(shown)} best-connected of the {len(view.nodes):,} nodes on the map (the CSV download has them all)"
    edges_caption = "Relations on the map" if len(view.edges) <= TABLE_ROWS else \
        f"The first {TABLE_ROWS} of the {len(view.edges):,} relations on the map (the CSV download has them all)"
    relations = Table(edges_caption, ["from", "relation", "to", "source"],
                      [(EntityLink(e.source, names[e.source]), relation_words(e), EntityLink(e.target, names[e.target]),
                        Link(e.source_page, "source") if e.source_page else None) for e in view.edges[:TABLE_ROWS]])
    query = map_query(f)
    exports = [(page_href("/map/export.csv", **query, part="nodes"), "Nodes (CSV)"),
               (page_href("/map/export.csv", **query, part="edges"), "Relations (CSV)"),
               (page_href("/map/export.graphml", **query), "Network (GraphML)")]
    focus = None
    if f.focus:
        focus = {"label": view.focus_label, "entity": page_href("/entity", id=f.focus), "unfocus": page_href("/map", **map_query(f, focus=None))}
    return Page("pages/map.html", "The LER ecosystem map", {
        "form": form, "summary": summary, "figure": map_figure(view.nodes, view.edges), "map_data": map_data(view),
        "table": Table(nodes_caption, ["entity", "kind", "region", "relations"], rows, numeric=frozenset({3})),
        "relations": relations, "exports": exports, "focus": focus},
        breadcrumbs=[("/", "Home"), ("/map", "Map")], scripts=["plotly.min.js"])
