"""The ecosystem map as a Plotly figure, written as plain JSON (no per-point validation: fast at 5,000 nodes).

Readable at first sight: nodes sized by their number of relations and coloured by kind, names on the hubs (on every
node when the view is small; the script adds them when zoomed in), relations coloured by type with a legend in
words, an arrow halfway along each directed relation and the relation in words on hover. A focus or a search dims
what is outside the neighbourhood. The figure's shape is checked against Plotly's schema in the tests.

>>> from lermap.analysis.dto import MapEdge, MapNode
>>> fig = map_figure([MapNode("a", "A", "organization", 0, 0, degree=1), MapNode("b", "B", "standard", 1, 0, degree=1)],
...                  [MapEdge("a", "b", "develops", None, "https://w3id.org/lermap/vocab#develops")])
>>> [t["name"] for t in fig["data"]]
['develops', 'develops', 'Organisations', 'Standards']
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from lermap.analysis.dto import MAP_KINDS, MapEdge, MapNode
from lermap.views import words

KIND_COLOURS = {
    "organization": "#1f5fa8",
    "standard": "#c0392b",
    "standard-version": "#e08e7b",
    "tool": "#2e8540",
    "stakeholder-type": "#7d4fa8",
}
RELATION_COLOURS = {
    "develops": "#c0392b", "maintains": "#e67e22", "implements": "#1f77b4", "supports": "#17becf", "certifiedFor": "#2ca02c",
    "issuesCredentials": "#8c564b", "usesFramework": "#bcbd22", "provider": "#2e8540", "isVersionOf": "#e08e7b",
    "memberOf": "#7f7f7f", "funds": "#d4a017", "convenes": "#9467bd", "partnerWith": "#e377c2", "publishesTo": "#393b79",
    "stakeholderRole": "#c5b0d5",
}
OTHER_COLOURS = ("#637939", "#843c39", "#7b4173", "#3182bd", "#e6550d", "#31a354")
UNDIRECTED = frozenset({"partnerWith", "sameAs", "related", "relatedMatch", "exactMatch", "closeMatch"})
HUB_LABELS = 20  # names shown on the best-connected nodes
HUBS_PER_GROUP = 3
LABEL_ALL_BELOW = 60  # every name is shown when a view (or the zoomed area) holds fewer nodes
WEBGL_FROM = 1000
ARROW_AT = 0.6  # where along a relation its arrow (and its hover text) sits


def relation_words(edge: MapEdge) -> str:
    """A relation type in words, as the legend and the hover say it ("develops", "plays the role of")."""
    return words.relation(edge.predicate_iri or edge.predicate)


def _colour(predicate: str, seen: dict[str, str]) -> str:
    if predicate in RELATION_COLOURS:
        return RELATION_COLOURS[predicate]
    return seen.setdefault(predicate, OTHER_COLOURS[len(seen) % len(OTHER_COLOURS)])


def _size(degree: int) -> float:
    return round(min(44.0, 8.0 + 4.0 * math.sqrt(degree)), 1)


def _edge_traces(nodes: dict[str, MapNode], edges: Sequence[MapEdge], gl: bool) -> list[dict[str, Any]]:
    by_type: dict[str, list[MapEdge]] = defaultdict(list)
    faint: list[MapEdge] = []
    for e in edges:
        if e.source in nodes and e.target in nodes:
            dim = "dim" in (nodes[e.source].state, nodes[e.target].state)
            (faint if dim else by_type[e.predicate]).append(e)
    scatter = "scattergl" if gl else "scatter"
    traces: list[dict[str, Any]] = []
    if faint:
        fx, fy = _segments(nodes, faint)
        traces.append({"type": scatter, "x": fx, "y": fy, "mode": "lines", "line": {"width": 0.5, "color": "#e3e3e3"},
                       "hoverinfo": "skip", "showlegend": False, "name": "relations outside the focus"})
    extra: dict[str, str] = {}
    for predicate in sorted(by_type, key=lambda p: (-len(by_type[p]), p)):
        group = by_type[predicate]
        name = relation_words(group[0])
        colour = _colour(predicate, extra)
        x, y = _segments(nodes, group)
        traces.append({"type": scatter, "x": x, "y": y, "mode": "lines", "name": name, "legendgroup": predicate,
                       "line": {"width": 1.2 if predicate != "stakeholderRole" else 0.6, "color": colour}, "hoverinfo": "skip"})
        mx, my, angles, text = [], [], [], []
        for e in group:
            (x0, y0), (x1, y1) = (nodes[e.source].x, nodes[e.source].y), (nodes[e.target].x, nodes[e.target].y)
            mx.append(round(x0 + (x1 - x0) * ARROW_AT, 3))
            my.append(round(y0 + (y1 - y0) * ARROW_AT, 3))
            angles.append(round(90.0 - math.degrees(math.atan2(y1 - y0, x1 - x0)), 1))
            text.append(f"{nodes[e.source].label} {name} {nodes[e.target].label}")
        directed = predicate not in UNDIRECTED and not gl
        marker: dict[str, Any] = {"color": colour, "size": 9 if directed else 5, "symbol": "arrow" if directed else "circle"}
        if directed:
            marker["angle"] = angles
        traces.append({"type": scatter, "x": mx, "y": my, "mode": "markers", "name": name, "legendgroup": predicate,
                       "showlegend": False, "marker": marker, "hovertext": text, "hoverinfo": "text"})
    return traces


def _segments(nodes: dict[str, MapNode], edges: Sequence[MapEdge]) -> tuple[list[float | None], list[float | None]]:
    xs: list[float | None] = []
    ys: list[float | None] = []
    for e in edges:
        xs += [nodes[e.source].x, nodes[e.target].x, None]
        ys += [nodes[e.source].y, nodes[e.target].y, None]
    return xs, ys


def hubs(nodes: Sequence[MapNode]) -> set[str]:
    """The nodes whose names the map shows at first sight: the best-connected, at most :data:`HUB_LABELS`, and at most
    :data:`HUBS_PER_GROUP` of one group (a group's hubs sit together at its centre: more names there would overlap)."""
    chosen: list[str] = []
    per_group: dict[str, int] = defaultdict(int)
    for n in sorted(nodes, key=lambda n: (-n.degree, n.label, n.id)):
        if len(chosen) == HUB_LABELS or n.degree == 0:
            break
        if per_group[n.group] < HUBS_PER_GROUP:
            per_group[n.group] += 1
            chosen.append(n.id)
    return set(chosen)


def map_figure(nodes: Sequence[MapNode], edges: Sequence[MapEdge], height: int = 760) -> dict[str, Any]:
    """The map as a Plotly figure dict (``{"data": [...], "layout": {...}}``)."""
    by_id = {n.id: n for n in nodes}
    gl = len(nodes) >= WEBGL_FROM
    labelled = hubs(nodes) | {n.id for n in nodes if n.state in ("focus", "match")}
    if len(nodes) <= LABEL_ALL_BELOW:
        labelled = set(by_id)
    if any(n.state == "focus" for n in nodes):
        labelled |= {n.id for n in nodes if n.state == "near"}
    traces = _edge_traces(by_id, edges, gl)
    for kind in MAP_KINDS:
        mine = [n for n in nodes if n.kind == kind]
        if not mine:
            continue
        traces.append({
            "type": "scattergl" if gl else "scatter", "mode": "markers+text", "name": words.kind(kind, plural=True),
            "x": [n.x for n in mine], "y": [n.y for n in mine], "customdata": [n.id for n in mine],
            "text": [n.label if n.id in labelled else "" for n in mine], "textposition": "top center",
            "textfont": {"size": 11, "color": "#1b1b1b"},
            "hovertext": [f"{n.label} — {words.kind(kind)}, {n.degree} relation{'s' if n.degree != 1 else ''}" for n in mine],
            "hoverinfo": "text", "meta": {"labels": [n.label for n in mine]},
            "marker": {"size": [_size(n.degree) for n in mine], "color": KIND_COLOURS[kind],
                       "opacity": [0.15 if n.state == "dim" else 1.0 for n in mine],
                       "line": {"width": [3 if n.state in ("focus", "match") else 1 for n in mine],
                                "color": ["#111" if n.state in ("focus", "match") else "#fff" for n in mine]}},
        })
    layout = {
        "showlegend": True, "hovermode": "closest", "dragmode": "pan", "height": height, "plot_bgcolor": "#fff",
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "legend": {"orientation": "h", "x": 0, "y": -0.02, "yanchor": "top", "font": {"size": 12}},
        "xaxis": {"visible": False}, "yaxis": {"visible": False, "scaleanchor": "x", "scaleratio": 1},
        "meta": {"label_all_below": LABEL_ALL_BELOW},
    }
    return {"data": traces, "layout": layout}
