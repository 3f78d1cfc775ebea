"""The only bridge from the store to networkx: SPARQL pulls just the subgraph an analysis needs."""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from lermap.analysis.kg import Graph, number


def mapping_graph(kg: Graph) -> nx.Graph:
    """Exact and close mappings as an undirected graph; edge ``confidence`` keeps the best one."""
    g = nx.Graph()
    for r in kg.rows("mapping-edges"):
        s, o, conf = str(r["subject"]), str(r["object"]), number(r["confidence"]) or 0.0  # the query defaults it to 1
        if g.has_edge(s, o) and g[s][o]["confidence"] >= conf:
            continue
        g.add_edge(s, o, confidence=conf, predicate=str(r["predicate"]).rsplit("#", 1)[-1])
    return g


def credential_offers(kg: Graph) -> dict[str, dict[str, tuple[str, float]]]:
    """credential → {competency: (how, confidence)} for everything the graph says it gives."""
    out: dict[str, dict[str, tuple[str, float]]] = defaultdict(dict)
    for r in kg.rows("credential-competencies"):
        found = number(r.get("confidence"))
        conf = 1.0 if found is None else found
        cred, comp = str(r["credential"]), str(r["competency"])
        old = out[cred].get(comp)
        if old is None or old[1] < conf:
            out[cred][comp] = (str(r["how"]), conf)
    return dict(out)


def labels(kg: Graph) -> dict[str, str]:
    """Preferred label of every labelled entity."""
    return {str(r["entity"]): str(r["label"]) for r in kg.rows("labels")}


def requirement_index(kg: Graph) -> dict[str, dict[str, tuple[bool | None, float | None]]]:
    """occupation → {competency: (essential, importance)} for every occupation with requirements."""
    out: dict[str, dict[str, tuple[bool | None, float | None]]] = defaultdict(dict)
    for r in kg.rows("all-requirements"):
        ess = r.get("essential")
        out[str(r["occupation"])][str(r["competency"])] = (bool(ess) if ess is not None else None, number(r.get("importance")))
    return dict(out)
