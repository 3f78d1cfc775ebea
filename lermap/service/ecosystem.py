"""The ecosystem: the map's data (from its derived product: projection and grouped layout computed once per state),
its filters and focus, C-BEN principle scorecards, the principles and the principles matrix."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

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


def _within(adjacent: dict[str, set[str]], starts: set[str], hops: int, keep: set[str]) -> set[str]:
    """The nodes of ``keep`` at most ``hops`` relations away from ``starts`` (either direction), ``starts`` included."""
    seen, frontier = set(starts), set(starts)
    for _ in range(hops):
        frontier = {m for n in frontier for m in adjacent.get(n, ()) if m in keep} - seen
        seen |= frontier
    return seen


@dataclass(frozen=True)
class _MapIndex:
    """The map's product in the shapes a request filters fast: plain dicts and lists, no graph views."""

    nodes: dict[str, dict[str, Any]]
    edges: list[MapEdge]
    adjacent: dict[str, set[str]]
    roles: list[tuple[str, str]]
    standards: list[tuple[str, str]]
    regions: list[str]


class EcosystemOps(DerivedOps):
    """The relational map of organisations, standards, tools and stakeholder types, and the principle scorecards."""

    def _map_index(self) -> _MapIndex:
        def build() -> _MapIndex:
            data = self.derived("ecosystem-map")
            nodes = {n["id"]: {k: v for k, v in n.items() if k != "id"} for n in data["nodes"]}
            edges = [MapEdge(s, o, p, src, iri) for s, o, p, src, iri in data["edges"] if s in nodes and o in nodes]
            adjacent: dict[str, set[str]] = {n: set() for n in nodes}
            for e in edges:
                adjacent[e.source].add(e.target)
                adjacent[e.target].add(e.source)
            by_kind = {k: sorted(((n, d["label"]) for n, d in nodes.items() if d["kind"] == k), key=lambda t: (t[1], t[0]))
                       for k in ("stakeholder-type", "standard")}
            regions = sorted({d["region"] for d in nodes.values() if d.get("region")})
            return _MapIndex(nodes, edges, adjacent, by_kind["stakeholder-type"], by_kind["standard"], regions)

        return self.cached("ecosystem-map-index", build)

    def map_view(self, filters: MapFilters | None = None) -> MapView:
        """The map's nodes and relations that ``filters`` keep, with their stored positions, and the filters' choices.

        A search (``q``) keeps the nodes whose name contains it and their neighbours within ``hops``; a ``focus``
        keeps everything and marks its neighbourhood within ``hops`` (the rest is shown dimmed)."""
        f = filters or MapFilters()
        index = self._map_index()
        nodes_of = index.nodes
        hops = max(1, min(MAX_HOPS, f.hops))
        kinds = {k for k in f.kinds if k in MAP_KINDS}
        keep = {n for n, d in nodes_of.items() if d["kind"] in kinds}
        if f.role:
            keep &= {n for n, d in nodes_of.items() if f.role in d.get("roles", []) or n == f.role}
        if f.region:
            keep &= {n for n, d in nodes_of.items() if d.get("region") == f.region}
        if f.standard:
            keep &= {f.standard, *index.adjacent[f.standard]} if f.standard in nodes_of else set()
        state: dict[str, str] = {}
        if f.q:
            needle = f.q.casefold()
            matches = {n for n in keep if needle in nodes_of[n]["label"].casefold()}
            keep = _within(index.adjacent, matches, hops, keep)
            state = {n: "match" if n in matches else "near" for n in keep}
        focus_label = None
        if f.focus and f.focus in keep:
            focus_label = nodes_of[f.focus]["label"]
            around = _within(index.adjacent, {f.focus}, hops, keep)
            state = {n: "focus" if n == f.focus else "near" if n in around else "dim" for n in keep}
        edges = [e for e in index.edges if e.source in keep and e.target in keep]
        degree = Counter(n for e in edges for n in (e.source, e.target))
        nodes = [MapNode(n, d["label"], d["kind"], d["x"], d["y"], d.get("region"), tuple(d.get("roles", [])), degree[n],
                         d.get("group", d["kind"]), state.get(n, "normal"))
                 for n, d in nodes_of.items() if n in keep]
        return MapView(nodes, edges, f, index.roles, index.standards, index.regions, focus_label)

    def map_kind(self, iri: str) -> str | None:
        """The kind of an entity on the map (``organization``, ``standard``...), None when it is not on the map."""
        node = self._map_index().nodes.get(iri)
        return str(node["kind"]) if node else None

    def scorecard(self, entity: str) -> Scorecard:
        """An entity's assessment against C-BEN's seven interoperability principles, with evidence and what is missing
        (from :meth:`scorecards` when it holds the entity: the same card, computed once for every entity)."""
        cards = self.cached("scorecards-by-entity", lambda: {c.entity: c for c in self.scorecards()})
        return cards.get(entity) or scorecard(self, entity)

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
        nodes = self._map_index().nodes
        wanted = SCORECARD_KINDS.get(kind or "")
        rows = []
        for card in self.scorecards():
            node = nodes.get(card.entity, {})
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
