"""The ecosystem: the map's data (from its derived product: projection and layout computed once per state), its
filters, C-BEN principle scorecards and the principles matrix."""

from __future__ import annotations

from typing import Any

import networkx as nx

from lermap.analysis import ecosystem
from lermap.analysis.dto import MAP_KINDS, MapEdge, MapFilters, MapNode, MapView, PrincipleMatrix
from lermap.analysis.kg import Graph
from lermap.analysis.scorecards import Scorecard, scorecard
from lermap.service.derived import DerivedOps, product


@product("ecosystem-map", version="1")
def ecosystem_map(kg: Graph) -> dict[str, Any]:
    """The map's nodes (with their layout positions) and typed, sourced relations, as JSON."""
    g = ecosystem.ecosystem_graph(kg)
    pos = ecosystem.layout(g)
    nodes = [{"id": n, "label": d["label"], "kind": d["kind"], "region": d.get("region"), "roles": list(d.get("roles", [])),
              "x": pos[n][0], "y": pos[n][1]} for n, d in g.nodes(data=True) if n in pos]
    edges = [[s, o, d["predicate"], d.get("source")] for s, o, d in g.edges(data=True)]
    return {"nodes": nodes, "edges": edges}


class EcosystemOps(DerivedOps):
    """The relational map of organisations, standards, tools and stakeholder types, and the principle scorecards."""

    def _map_graph(self) -> nx.MultiDiGraph:
        def build() -> nx.MultiDiGraph:
            data = self.derived("ecosystem-map")
            g = nx.MultiDiGraph()
            for n in data["nodes"]:
                g.add_node(n["id"], **{k: v for k, v in n.items() if k != "id"})
            for s, o, p, src in data["edges"]:
                g.add_edge(s, o, predicate=p, source=src)
            return g

        return self.cached("ecosystem-map-graph", build)

    def map_view(self, filters: MapFilters | None = None) -> MapView:
        """The map's nodes and relations that ``filters`` keep, with their stored positions, and the filters' choices."""
        f = filters or MapFilters()
        g = self._map_graph()
        kinds = [k for k in f.kinds if k in MAP_KINDS]
        keep = {n for n, d in g.nodes(data=True) if d["kind"] in kinds}
        if f.role:
            keep &= {n for n, d in g.nodes(data=True) if f.role in d.get("roles", []) or n == f.role}
        if f.region:
            keep &= {n for n, d in g.nodes(data=True) if d.get("region") == f.region}
        if f.standard:
            keep &= {f.standard, *g.predecessors(f.standard), *g.successors(f.standard)} if f.standard in g else set()
        if f.q:
            needle = f.q.casefold()
            keep &= {n for n, d in g.nodes(data=True) if needle in d["label"].casefold()}
        sub = g.subgraph(keep)
        degree = dict(sub.degree())
        nodes = [MapNode(n, d["label"], d["kind"], d["x"], d["y"], d.get("region"), tuple(d.get("roles", [])), degree.get(n, 0))
                 for n, d in sub.nodes(data=True)]
        edges = [MapEdge(s, o, d["predicate"], d.get("source")) for s, o, d in sub.edges(data=True)]
        roles = sorted({(n, d["label"]) for n, d in g.nodes(data=True) if d["kind"] == "stakeholder-type"}, key=lambda t: t[1])
        standards = sorted({(n, d["label"]) for n, d in g.nodes(data=True) if d["kind"] == "standard"}, key=lambda t: t[1])
        regions = sorted({d["region"] for _, d in g.nodes(data=True) if d.get("region")})
        return MapView(nodes, edges, f, roles, standards, regions)

    def scorecard(self, entity: str) -> Scorecard:
        """An entity's assessment against C-BEN's seven interoperability principles, with evidence and what is missing."""
        return scorecard(self, entity)

    def principle_matrix(self, kind: str = "organization", limit: int = 60) -> PrincipleMatrix:
        """The entities of one map kind (alphabetically, at most ``limit``) scored 0–1 against each principle."""
        g = self._map_graph()
        entities = sorted(((n, d["label"]) for n, d in g.nodes(data=True) if d["kind"] == kind), key=lambda t: t[1])[:limit]
        principles: list[str] = []
        scores: list[list[float]] = []
        for iri, _label in entities:
            card = self.scorecard(iri)
            principles = [a.label for a in card.assessments]
            scores.append([a.score / a.max_score if a.max_score else 0.0 for a in card.assessments])
        return PrincipleMatrix(kind, entities, principles, scores)
