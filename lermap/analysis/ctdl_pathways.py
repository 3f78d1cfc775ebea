"""CTDL pathway traversal: a ``ceterms:Pathway``'s destination, components, prerequisites and conditions, in order.

A pathway's components are its destination (``ceterms:hasDestinationComponent`` / ``isDestinationComponentFor``)
and parts (``hasPart`` / ``isPartOf``, CTDL or CTDL-ASN namespace) and everything the pathway structure reaches
from them. "A comes before B" when:

* ``A ceterms:precedes B`` or ``B ceterms:precededBy A``;
* ``B ceterms:prerequisite A`` or ``B ceterms:hasPrerequisite A``;
* ``B hasChild A`` or ``A isChildOf B`` (a component's children are what completing it takes);
* ``B ceterms:hasCondition C`` and ``C ceterms:targetComponent A`` (C also gives ``ceterms:requiredNumber``).

The order is a topological order of these links (ties broken by name, so it is stable); when the links have
cycles, they are reported and each cycle is kept together at the place of its strongly connected component.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from lermap.analysis.kg import Graph, number
from lermap.errors import NotFoundError
from lermap.graph.terms import Value

CETERMS = "https://purl.org/ctdl/terms/"
CEASN = "https://purl.org/ctdlasn/terms/"
# relation -> True when the component the link leaves comes *after* the other one
_AFTER = {
    "precedes": False, "precededBy": True, "prerequisite": True, "hasPrerequisite": True,
    "hasChild": True, "isChildOf": False, "hasCondition": True,
}


@dataclass
class Component:
    iri: str
    name: str | None
    ctid: str | None
    types: list[str]
    destination: bool = False


@dataclass
class Condition:
    """A ``ceterms:ComponentCondition`` of a component: how many of its target components it takes."""

    component: str
    iri: str
    name: str | None
    required_number: int | None
    targets: list[str]


@dataclass
class CtdlPathway:
    iri: str
    name: str | None
    destinations: list[str]
    components: dict[str, Component]
    order: list[str]  # every component, prerequisites first, the destination last
    edges: list[tuple[str, str, str]]  # (before, after, relation)
    prerequisites: dict[str, list[str]]  # component -> components directly before it
    conditions: list[Condition]
    cycles: list[list[str]] = field(default_factory=list)


def _local(iri: str) -> str:
    for base in (CETERMS, CEASN):
        if iri.startswith(base):
            return iri[len(base):]
    return iri


def _stripped(value: Value) -> str | None:
    return value.strip() if isinstance(value, str) else None


def _int(value: Value) -> int | None:
    found = number(value)
    return None if found is None else int(found)


def traverse(kg: Graph, pathway: str) -> CtdlPathway:
    """Read the pathway ``pathway`` (an IRI) from the graph and order its components; raises NotFoundError
    when the graph has no ``ceterms:Pathway`` with that IRI."""
    head = kg.select("SELECT ?name WHERE { ?pathway a <https://purl.org/ctdl/terms/Pathway> "
                     "OPTIONAL { ?pathway <https://purl.org/ctdl/terms/name> ?name } }", {"pathway": pathway}).records()
    if not head:
        raise NotFoundError(f"no ceterms:Pathway {pathway} in the graph")
    name = next((_stripped(r["name"]) for r in head if r["name"] is not None), None)
    components: dict[str, Component] = {}
    for r in kg.rows("ctdl-pathway-components", {"pathway": pathway}):
        types = sorted(_local(t) for t in str(r.get("types") or "").split() if t)
        components[str(r["component"])] = Component(str(r["component"]), _stripped(r.get("name")), _stripped(r.get("ctid")), types,
                                                     _int(r.get("destination")) == 1)
    graph: nx.DiGraph = nx.DiGraph()
    graph.add_nodes_from(components)
    edges: set[tuple[str, str, str]] = set()
    conditions: dict[str, Condition] = {}
    for iri in sorted(components):
        for r in kg.rows("ctdl-pathway-links", {"component": iri}):
            rel = _local(str(r["rel"]))
            other = r.get("other")
            if rel == "hasCondition":
                cid = str(r["condition"])
                cond = conditions.setdefault(cid, Condition(iri, cid, _stripped(r.get("conditionName")), _int(r.get("required")), []))
                if other is not None and str(other) not in cond.targets:
                    cond.targets.append(str(other))
            if other is None or str(other) not in components or str(other) == iri:
                continue
            before, after = (str(other), iri) if _AFTER[rel] else (iri, str(other))
            edges.add((before, after, rel))
            graph.add_edge(before, after)
    for cond in conditions.values():
        cond.targets.sort()
    key = {iri: ((c.name or "").strip().lower(), iri) for iri, c in components.items()}
    cycles = [sorted(c) for c in nx.simple_cycles(graph)] if not nx.is_directed_acyclic_graph(graph) else []
    order = _order(graph, key)
    prereq: dict[str, list[str]] = {iri: sorted(graph.predecessors(iri), key=lambda n: key[n]) for iri in order}
    return CtdlPathway(pathway, name, sorted(i for i, c in components.items() if c.destination), components, order,
                       sorted(edges), prereq, sorted(conditions.values(), key=lambda c: (key.get(c.component, ("", "")), c.iri)),
                       sorted(cycles))


def _order(graph: nx.DiGraph, key: dict[str, tuple[str, str]]) -> list[str]:
    """A stable topological order; strongly connected components (cycles) stay together."""
    if nx.is_directed_acyclic_graph(graph):
        return list(nx.lexicographical_topological_sort(graph, key=lambda n: key[n]))
    cond = nx.condensation(graph)
    members = cond.graph["mapping"]
    groups: dict[int, list[str]] = {}
    for node, scc in members.items():
        groups.setdefault(scc, []).append(node)
    first = {scc: min(key[n] for n in nodes) for scc, nodes in groups.items()}
    out: list[str] = []
    for scc in nx.lexicographical_topological_sort(cond, key=lambda s: first[s]):
        out += sorted(groups[scc], key=lambda n: key[n])
    return out
