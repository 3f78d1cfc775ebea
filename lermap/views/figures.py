"""Plotly figures from plain data (DTOs). Nothing here queries the graph. The map has its own module, ``map_figure``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from lermap.analysis.dto import TreeNode


def framework_sunburst(tree: Sequence[TreeNode], root_label: str) -> go.Figure:
    """A framework's hierarchy as a sunburst (click to drill down)."""
    ids, parents, labels = ["root"], [""], [root_label]

    def walk(nodes: Sequence[TreeNode], parent: str) -> None:
        for n in nodes:
            ids.append(n.id)
            parents.append(parent)
            labels.append((f"{n.notation} " if n.notation else "") + str(n.label or n.id)[:60])
            walk(n.children, n.id)

    walk(tree, "root")
    fig = go.Figure(go.Sunburst(ids=ids, parents=parents, labels=labels, maxdepth=3, insidetextorientation="radial"))
    fig.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=650)
    return fig


def crosswalk_heatmap(counts: Mapping[tuple[str, str], int], predicates: Sequence[str], bands: Sequence[str]) -> go.Figure:
    """Alignment counts between two frameworks by SKOS predicate and confidence band."""
    z = [[counts.get((p, b), 0) for b in bands] for p in predicates]
    fig = go.Figure(go.Heatmap(z=z, x=list(bands), y=list(predicates), colorscale="Blues", text=z, texttemplate="%{text}",
                               hovertemplate="%{y} · confidence %{x}: %{z}<extra></extra>"))
    fig.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10}, height=360, xaxis={"automargin": True}, yaxis={"automargin": True})
    return fig


def pathway_sankey(held: Sequence[tuple[str, str]], flows: Sequence[tuple[str, str, float]], gaps: Sequence[str],
                   labels: Mapping[str, str]) -> go.Figure:
    """Held credentials → competencies → the occupation's requirements; gaps in red."""
    nodes: list[str] = []
    index: dict[str, int] = {}

    def node(key: str) -> int:
        if key not in index:
            index[key] = len(nodes)
            nodes.append(key)
        return index[key]

    src, dst, val, colour = [], [], [], []
    for a, b, conf in flows:
        src.append(node(a))
        dst.append(node(b))
        val.append(max(conf, 0.05))
        colour.append("rgba(44,160,44,0.5)")
    for g in gaps:
        src.append(node("gap"))
        dst.append(node(g))
        val.append(1.0)
        colour.append("rgba(214,39,40,0.5)")
    labels = {**labels, "gap": "not yet covered"}
    node_colour = ["#d62728" if n in gaps or n == "gap" else "#2ca02c" if n in dict(held) else "#1f77b4" for n in nodes]
    fig = go.Figure(go.Sankey(node={"label": [labels.get(n, n.rsplit("/", 1)[-1])[:50] for n in nodes], "color": node_colour, "pad": 12},
                              link={"source": src, "target": dst, "value": val, "color": colour}))
    fig.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10}, height=600)
    return fig


def principles_matrix(entities: Sequence[str], principles: Sequence[str], scores: Sequence[Sequence[float]]) -> go.Figure:
    """Entities × the seven principles, coloured by score."""
    fig = go.Figure(go.Heatmap(z=scores, x=list(principles), y=list(entities), colorscale="RdYlGn", zmin=0, zmax=1,
                               hovertemplate="%{y}<br>%{x}: %{z:.2f}<extra></extra>"))
    fig.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10}, height=max(400, 18 * len(entities) + 150),
                      xaxis={"automargin": True}, yaxis={"automargin": True})  # labels take the room they need at any width
    return fig
