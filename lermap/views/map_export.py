"""The map's current view as files: CSV of its nodes, CSV of its relations (in words, with their sources) and
GraphML (for Gephi, yEd, Cytoscape, networkx), each from the same :class:`~lermap.analysis.dto.MapView` the page draws.

>>> from lermap.analysis.dto import MapEdge, MapFilters, MapNode, MapView
>>> view = MapView([MapNode("a", "A", "tool", 0, 0, degree=1), MapNode("b", "B", "standard", 1, 0, degree=1)],
...                [MapEdge("a", "b", "implements", "https://example.org/src")], MapFilters(), [], [], [])
>>> print(edges_csv(view).strip())
source,source_name,relation,target,target_name,predicate,source_page
a,A,implements,b,B,implements,https://example.org/src
"""

from __future__ import annotations

import csv
import io

import networkx as nx

from lermap.analysis.dto import MapView
from lermap.views import words
from lermap.views.map_figure import relation_words


def _csv(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        # a cell starting with = + - @ is a formula to a spreadsheet: quote it as text
        writer.writerow(["'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v for v in row])
    return out.getvalue()


def nodes_csv(view: MapView) -> str:
    rows: list[list[object]] = [[n.id, n.label, words.kind(n.kind), n.region or "", " ".join(n.roles), n.degree, n.x, n.y, n.state]
                                for n in sorted(view.nodes, key=lambda n: (n.label.casefold(), n.id))]
    return _csv(["id", "name", "kind", "region", "stakeholder_roles", "relations", "x", "y", "state"], rows)


def edges_csv(view: MapView) -> str:
    names = {n.id: n.label for n in view.nodes}
    rows: list[list[object]] = [[e.source, names.get(e.source, ""), relation_words(e), e.target, names.get(e.target, ""),
                                 e.predicate_iri or e.predicate, e.source_page or ""] for e in view.edges]
    return _csv(["source", "source_name", "relation", "target", "target_name", "predicate", "source_page"], rows)


def graphml(view: MapView) -> str:
    """GraphML of the view: nodes with name, kind, region, position; relations with the words, predicate and source."""
    g = nx.MultiDiGraph()
    for n in view.nodes:
        g.add_node(n.id, name=n.label, kind=words.kind(n.kind), region=n.region or "", relations=n.degree, x=n.x, y=n.y)
    for e in view.edges:
        g.add_edge(e.source, e.target, relation=relation_words(e), predicate=e.predicate_iri or e.predicate, source_page=e.source_page or "")
    return "\n".join(nx.generate_graphml(g, named_key_ids=True)) + "\n"
