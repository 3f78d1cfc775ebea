"""The only bridge from the store to networkx: SPARQL pulls just the subgraph an analysis needs."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx


def mapping_graph(kg: Any) -> nx.Graph:
    """Exact and close mappings as an undirected graph; edge ``confidence`` keeps the best one."""
    g = nx.Graph()
    for r in kg.run_query("mapping-edges").to_dict("records"):
        s, o, conf = str(r["subject"]), str(r["object"]), float(r["confidence"])
        if g.has_edge(s, o) and g[s][o]["confidence"] >= conf:
            continue
        g.add_edge(s, o, confidence=conf, predicate=str(r["predicate"]).rsplit("#", 1)[-1])
    return g


def credential_offers(kg: Any) -> dict[str, dict[str, tuple[str, float]]]:
    """credential → {competency: (how, confidence)} for everything the graph says it gives."""
    out: dict[str, dict[str, tuple[str, float]]] = defaultdict(dict)
    for r in kg.run_query("credential-competencies").to_dict("records"):
        conf = float(r["confidence"]) if r.get("confidence") is not None and r["confidence"] == r["confidence"] else 1.0
        cred, comp = str(r["credential"]), str(r["competency"])
        old = out[cred].get(comp)
        if old is None or old[1] < conf:
            out[cred][comp] = (str(r["how"]), conf)
    return dict(out)


def labels(kg: Any) -> dict[str, str]:
    """Preferred label of every labelled entity."""
    return {str(r["entity"]): str(r["label"]) for r in kg.run_query("labels").to_dict("records")}


def requirement_index(kg: Any) -> dict[str, dict[str, tuple[bool | None, float | None]]]:
    """occupation → {competency: (essential, importance)} for every occupation with requirements."""
    out: dict[str, dict[str, tuple[bool | None, float | None]]] = defaultdict(dict)
    for r in kg.run_query("all-requirements").to_dict("records"):
        ess = r.get("essential")
        imp = r.get("importance")
        out[str(r["occupation"])][str(r["competency"])] = (
            bool(ess) if ess is not None and ess == ess else None,
            float(imp) if imp is not None and imp == imp else None,
        )
    return dict(out)
