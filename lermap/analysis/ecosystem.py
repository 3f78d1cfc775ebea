"""The ecosystem as a network: organisations, standards, tools and stakeholder types with typed,
sourced relations — layout for the map, and metrics (centrality, communities, standard adoption)."""

from __future__ import annotations

import networkx as nx

from lermap.analysis.kg import Graph, text


def ecosystem_graph(kg: Graph) -> nx.MultiDiGraph:
    """Nodes carry ``label``, ``kind``, ``region``, ``roles``; edges carry ``predicate`` and ``source``."""
    g = nx.MultiDiGraph()
    for r in kg.rows("ecosystem-nodes"):
        roles = (text(r.get("roles")) or "").split()
        g.add_node(str(r["node"]), label=text(r.get("label")) or str(r["node"]).rsplit("/", 1)[-1], kind=str(r["kind"]),
                   region=text(r.get("region")), roles=roles)
    for node, data in list(g.nodes(data=True)):
        for role in data.get("roles", []):
            if role in g:
                g.add_edge(node, role, predicate="stakeholderRole", source=None)
    for r in kg.rows("ecosystem-edges"):
        s, o = str(r["s"]), str(r["o"])
        if s in g and o in g:
            g.add_edge(s, o, predicate=str(r["p"]).rsplit("#", 1)[-1].rsplit("/", 1)[-1], source=text(r.get("source")))
    return g


def layout(g: nx.MultiDiGraph, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Positions for the map: a force layout of the undirected simple graph (deterministic for a seed)."""
    if g.number_of_nodes() == 0:
        return {}
    simple = nx.Graph(g.to_undirected())
    iterations = 50 if simple.number_of_nodes() <= 2000 else 20
    pos = nx.spring_layout(simple, seed=seed, iterations=iterations, k=1.5 / max(simple.number_of_nodes(), 1) ** 0.5)
    return {n: (float(x), float(y)) for n, (x, y) in pos.items()}


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
