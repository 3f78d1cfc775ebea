"""The ecosystem: the map's data (from its derived product: projection and grouped layout computed once per state),
its filters and focus, C-BEN principle scorecards, the principles and the principles matrix."""

from __future__ import annotations

from typing import Any

import networkx as nx

from lermap.analysis import ecosystem
from lermap.analysis.dto import (
    MAP_KINDS,
    MAX_HOPS,
    MapEdge,
    MapFilters,
    MapNode,
    MapView,
    Principle,
    PrincipleMatrix,
    PrincipleRow,
)
from lermap.analysis.kg import Graph
from lermap.analysis.scorecards import RULES, Scorecard, scorecard, scorecards
from lermap.service.derived import DerivedOps, product

SCORECARD_KINDS = {"organization": "organisation", "tool": "tool", "standard": "standard"}


@product("ecosystem-map", version="2")
def ecosystem_map(kg: Graph) -> dict[str, Any]:
    """The map's nodes (with their grouped layout positions) and typed, sourced relations, as JSON."""
    g = ecosystem.ecosystem_graph(kg)
    pos = ecosystem.layout(g)
    nodes = [{"id": n, "label": d["label"], "kind": d["kind"], "region": d.get("region"), "roles": list(d.get("roles", [])),
              "group": ecosystem.group_of(g, n), "x": pos[n][0], "y": pos[n][1]} for n, d in g.nodes(data=True) if n in pos]
    edges = [[s, o, d["predicate"], d.get("source"), d.get("iri")] for s, o, d in g.edges(data=True)]
    return {"nodes": nodes, "edges": edges}


def _within(g: nx.Graph, starts: set[str], hops: int) -> set[str]:
    """The nodes at most ``hops`` relations away from ``starts`` (either direction), ``starts`` included."""
    seen, frontier = set(starts), set(starts)
    for _ in range(hops):
        frontier = {m for n in frontier for m in g.adj[n]} - seen
        seen |= frontier
    return seen


class EcosystemOps(DerivedOps):
    """The relational map of organisations, standards, tools and stakeholder types, and the principle scorecards."""

    def _map_graph(self) -> nx.MultiDiGraph:
        def build() -> nx.MultiDiGraph:
            data = self.derived("ecosystem-map")
            g = nx.MultiDiGraph()
            for n in data["nodes"]:
                g.add_node(n["id"], **{k: v for k, v in n.items() if k != "id"})
            for s, o, p, src, iri in data["edges"]:
                g.add_edge(s, o, predicate=p, source=src, iri=iri)
            return g

        return self.cached("ecosystem-map-graph", build)

    def _map_undirected(self) -> nx.Graph:
        return self.cached("ecosystem-map-undirected", lambda: nx.Graph(self._map_graph().to_undirected(as_view=True)))

    def map_view(self, filters: MapFilters | None = None) -> MapView:
        """The map's nodes and relations that ``filters`` keep, with their stored positions, and the filters' choices.

        A search (``q``) keeps the nodes whose name contains it and their neighbours within ``hops``; a ``focus``
        keeps everything and marks its neighbourhood within ``hops`` (the rest is shown dimmed)."""
        f = filters or MapFilters()
        g = self._map_graph()
        hops = max(1, min(MAX_HOPS, f.hops))
        kinds = [k for k in f.kinds if k in MAP_KINDS]
        keep = {n for n, d in g.nodes(data=True) if d["kind"] in kinds}
        if f.role:
            keep &= {n for n, d in g.nodes(data=True) if f.role in d.get("roles", []) or n == f.role}
        if f.region:
            keep &= {n for n, d in g.nodes(data=True) if d.get("region") == f.region}
        if f.standard:
            keep &= {f.standard, *g.predecessors(f.standard), *g.successors(f.standard)} if f.standard in g else set()
        state: dict[str, str] = {}
        if f.q:
            needle = f.q.casefold()
            matches = {n for n in keep if needle in g.nodes[n]["label"].casefold()}
            near = _within(self._map_undirected().subgraph(keep), matches, hops)
            keep = near
            state = {n: "match" if n in matches else "near" for n in near}
        focus_label = None
        if f.focus and f.focus in keep:
            focus_label = g.nodes[f.focus]["label"]
            around = _within(self._map_undirected().subgraph(keep), {f.focus}, hops)
            state = {n: "focus" if n == f.focus else "near" if n in around else "dim" for n in keep}
        sub = g.subgraph(keep)
        degree = dict(sub.degree())
        nodes = [MapNode(n, d["label"], d["kind"], d["x"], d["y"], d.get("region"), tuple(d.get("roles", [])), degree.get(n, 0),
                         d.get("group", d["kind"]), state.get(n, "normal"))
                 for n, d in sub.nodes(data=True)]
        edges = [MapEdge(s, o, d["predicate"], d.get("source"), d.get("iri")) for s, o, d in sub.edges(data=True)]
        roles = sorted({(n, d["label"]) for n, d in g.nodes(data=True) if d["kind"] == "stakeholder-type"}, key=lambda t: t[1])
        standards = sorted({(n, d["label"]) for n, d in g.nodes(data=True) if d["kind"] == "standard"}, key=lambda t: t[1])
        regions = sorted({d["region"] for _, d in g.nodes(data=True) if d.get("region")})
        return MapView(nodes, edges, f, roles, standards, regions, focus_label)

    def map_kind(self, iri: str) -> str | None:
        """The kind of an entity on the map (``organization``, ``standard``...), None when it is not on the map."""
        g = self._map_graph()
        return str(g.nodes[iri]["kind"]) if iri in g else None

    def scorecard(self, entity: str) -> Scorecard:
        """An entity's assessment against C-BEN's seven interoperability principles, with evidence and what is missing."""
        return scorecard(self, entity)

    def scorecards(self) -> list[Scorecard]:
        """Every organisation's, tool's and standard's scorecard (one query per principle; once per state)."""
        return self.cached("scorecards", lambda: scorecards(self))

    def principles(self) -> list[Principle]:
        """C-BEN's seven principles with the definitions the graph holds and the evidence each rule counts."""
        found = {str(r["id"]): r for r in self.cached("principles", lambda: self.rows("principles"))}
        return [Principle(pid, rule.label, str(found[pid]["definition"]) if pid in found and found[pid]["definition"] else None,
                          list(rule.kinds.values())) for pid, rule in RULES.items()]

    def principle_matrix(self, kind: str | None = None, role: str | None = None, sort: str = "name") -> PrincipleMatrix:
        """Every scored entity (of one map ``kind`` and stakeholder ``role`` when given) against the principles, sorted
        by ``name``, ``total`` or a principle id (``-`` first: descending; scores sort highest first by default)."""
        g = self._map_graph()
        wanted = SCORECARD_KINDS.get(kind or "")
        rows = []
        for card in self.scorecards():
            node = g.nodes[card.entity] if card.entity in g else {}
            roles = tuple(node.get("roles", ()))
            card_kind = SCORECARD_KINDS.get(node.get("kind", ""), "organisation")
            if (wanted and card_kind != wanted) or (role and role not in roles):
                continue
            rows.append(PrincipleRow(card.entity, card.label or card.entity, card_kind, [a.score for a in card.assessments], card.total, roles))
        ids = list(RULES)
        key = sort.lstrip("-")
        if key in ids:
            i = ids.index(key)
            rows.sort(key=lambda r: (-r.scores[i], r.label.casefold()))
        elif key == "total":
            rows.sort(key=lambda r: (-r.total, r.label.casefold()))
        else:
            key = "name"
            rows.sort(key=lambda r: (r.label.casefold(), r.id))
        if sort.startswith("-"):
            rows.reverse()
        return PrincipleMatrix([(p, r.label) for p, r in RULES.items()], rows, kind if wanted else None, role,
                               ("-" if sort.startswith("-") else "") + key)
