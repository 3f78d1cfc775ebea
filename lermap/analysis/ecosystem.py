"""The ecosystem as a network: organisations, standards, tools and stakeholder types with typed,
sourced relations — layout for the map, and metrics (centrality, communities, standard adoption)."""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx

from lermap.analysis.kg import Graph, text

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
SPACING = 1.0  # distance between neighbouring nodes inside a group
# the order of the groups around the ring: organisations (one group per stakeholder role), then standards, versions, tools
KIND_ORDER = ("organization", "standard", "standard-version", "tool")


def ecosystem_graph(kg: Graph) -> nx.MultiDiGraph:
    """Nodes carry ``label``, ``kind``, ``region``, ``roles``; edges carry ``predicate`` and ``source``."""
    g = nx.MultiDiGraph()
    for r in kg.rows("ecosystem-nodes"):
        roles = (text(r.get("roles")) or "").split()
        g.add_node(str(r["node"]), label=text(r.get("label")) or str(r["node"]).rsplit("/", 1)[-1].replace("-", " ").capitalize(), kind=str(r["kind"]),
                   region=text(r.get("region")), roles=roles)
    for node, data in list(g.nodes(data=True)):
        for role in data.get("roles", []):
            if role in g:
                g.add_edge(node, role, predicate="stakeholderRole", source=None)
    for r in kg.rows("ecosystem-edges"):
        s, o = str(r["s"]), str(r["o"])
        if s in g and o in g:
            p = str(r["p"])
            g.add_edge(s, o, predicate=p.rsplit("#", 1)[-1].rsplit("/", 1)[-1], iri=p, source=text(r.get("source")))
    return g


def group_of(g: nx.MultiDiGraph, node: str) -> str:
    """The group a node is drawn in: its kind, and for an organisation also its first stakeholder role (by label)."""
    data = g.nodes[node]
    if data["kind"] != "organization":
        return str(data["kind"])
    roles = sorted((g.nodes[r]["label"] if r in g else r, r) for r in data.get("roles", []))
    return "organization|" + roles[0][1] if roles else "organization|"


def _disc(members: list[str], cx: float, cy: float) -> dict[str, tuple[float, float]]:
    """``members`` (hubs first) packed in a disc around (cx, cy): a sunflower spiral, so the first are at the centre."""
    return {n: (cx + SPACING * math.sqrt(i + 0.5) * math.cos(i * GOLDEN_ANGLE), cy + SPACING * math.sqrt(i + 0.5) * math.sin(i * GOLDEN_ANGLE))
            for i, n in enumerate(members)}


def layout(g: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Positions for the map, grouped so that people can read it (like the LER Ecosystem Map's clusters): the
    stakeholder types on a small circle at the centre; around them a ring of groups — the organisations of each
    stakeholder role (facing that role), then standards, standard versions and tools — each group a disc with its
    best-connected nodes in the middle. Linear in the number of nodes (no force simulation), deterministic.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("s", label="Standard", kind="standard"); g.add_node("o", label="Org", kind="organization", roles=[])
    >>> sorted(layout(g))
    ['o', 's']
    """
    if g.number_of_nodes() == 0:
        return {}
    degree = dict(g.degree())
    groups: dict[str, list[str]] = defaultdict(list)
    for n in g.nodes:
        groups[group_of(g, n)].append(n)
    for members in groups.values():
        members.sort(key=lambda n: (-degree[n], g.nodes[n]["label"].casefold(), n))
    roles = sorted(groups.pop("stakeholder-type", []), key=lambda n: (g.nodes[n]["label"].casefold(), n))
    role_order = {r: i for i, r in enumerate(roles)}
    org_groups = sorted((k for k in groups if k.startswith("organization|")), key=lambda k: (role_order.get(k.split("|", 1)[1], len(roles)), k))
    order = org_groups + [k for k in KIND_ORDER[1:] if k in groups] + sorted(k for k in groups if k not in org_groups and k not in KIND_ORDER)
    radii = {k: SPACING * math.sqrt(len(groups[k]) + 1) for k in order}
    gap = 1.5 * SPACING
    inner = max(2.0 * SPACING, SPACING * len(roles) / math.pi)
    ring = max(inner + max(radii.values(), default=0.0) + 3 * gap, sum(2 * r + gap for r in radii.values()) / (2 * math.pi))
    inner = max(inner, min(0.3 * ring, ring - max(radii.values(), default=0.0) - 2 * gap))  # room between the roles' names
    pos: dict[str, tuple[float, float]] = {}
    for i, r in enumerate(roles):
        angle = 2 * math.pi * i / max(len(roles), 1)
        pos[r] = (inner * math.cos(angle), inner * math.sin(angle))
    total = sum(2 * r + gap for r in radii.values()) or 1.0
    at = 0.0
    for k in order:
        share = (2 * radii[k] + gap) / total * 2 * math.pi
        angle = at + share / 2
        at += share
        pos.update(_disc(groups[k], ring * math.cos(angle), ring * math.sin(angle)))
    return {n: (round(x, 2), round(y, 2)) for n, (x, y) in pos.items()}


def centrality(g: nx.MultiDiGraph, top: int = 10) -> list[tuple[str, str, float]]:
    """The most central nodes (degree centrality of the undirected graph): (id, label, score)."""
    if g.number_of_nodes() == 0:
        return []
    scores = nx.degree_centrality(nx.Graph(g.to_undirected()))
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return [(n, g.nodes[n]["label"], round(s, 4)) for n, s in ranked]


def communities(g: nx.MultiDiGraph) -> list[list[str]]:
    """Groups of closely related nodes (greedy modularity), largest first."""
    simple = nx.Graph(g.to_undirected())
    simple.remove_nodes_from([n for n, d in simple.degree() if d == 0])
    if simple.number_of_edges() == 0:
        return []
    found = nx.algorithms.community.greedy_modularity_communities(simple)
    return [sorted(c) for c in sorted(found, key=len, reverse=True)]


def standard_adoption(g: nx.MultiDiGraph) -> list[tuple[str, str, int]]:
    """Standards (and versions) by how many organisations or tools implement, support or issue with them."""
    adopting = {"implements", "supports", "certifiedFor", "issuesCredentials", "usesFramework"}
    counts: dict[str, set[str]] = {}
    for s, o, data in g.edges(data=True):
        if data.get("predicate") in adopting and g.nodes[o].get("kind") in {"standard", "standard-version"}:
            target = o
            counts.setdefault(target, set()).add(s)
    ranked = sorted(counts.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [(n, g.nodes[n]["label"], len(users)) for n, users in ranked]
