"""The read model behind the resource endpoints: lists with filters and paging, details, trees.

Kept apart from the routers so the HTML views and the JSON API read the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from lermap.errors import NotFoundError
from lermap.graph.sparql_text import read_query
from lermap.graph.terms import Value, python_value
from lermap.graph.vocab import CEASN, CETERMS, LERMAP, SCHEMA, SKOS
from lermap.service import KnowledgeGraph


@dataclass(frozen=True)
class Resource:
    name: str
    cls: ox.NamedNode
    title: str


RESOURCES: dict[str, Resource] = {
    r.name: r
    for r in (
        Resource("organizations", SCHEMA.Organization, "Organisations"),
        Resource("standards", LERMAP.Standard, "Standards"),
        Resource("tools", LERMAP.Tool, "Tools"),
        Resource("frameworks", CEASN.CompetencyFramework, "Competency frameworks"),
        Resource("competencies", CEASN.Competency, "Competencies"),
        Resource("credentials", SCHEMA.EducationalOccupationalCredential, "Credentials"),
        Resource("occupations", SCHEMA.Occupation, "Occupations"),
        Resource("pathways", CETERMS.Pathway, "Pathways (CTDL)"),
        Resource("concept-schemes", SKOS.ConceptScheme, "Concept schemes"),
    )
}


def _rows(kg: KnowledgeGraph, name: str, bindings: dict[str, Any]) -> list[dict[str, Value]]:
    return kg.cached(f"list:{name}:{sorted(bindings.items())}", lambda: kg.rows(name, bindings))


def list_entities(kg: KnowledgeGraph, resource: Resource, q: str | None = None, scheme: str | None = None,
                  sort: str = "label", limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """One page of a resource's entities and the total count after filtering."""
    rows = _rows(kg, "entity-list", {"class": resource.cls})
    items: list[dict[str, Any]] = [
        {"id": str(r["entity"]), "label": _text(r["label"]), "description": _text(r["description"]), "scheme": _text(r["scheme"])}
        for r in rows
    ]
    if q:
        needle = q.casefold()
        items = [i for i in items if needle in (i["label"] or "").casefold() or needle in i["id"].casefold()]
    if scheme:
        items = [i for i in items if i["scheme"] == scheme]
    reverse = sort.startswith("-")
    key = sort.lstrip("-")
    items.sort(key=lambda i: ((i.get(key) or "").casefold() if isinstance(i.get(key), str) else "", i["id"]), reverse=reverse)
    return items[offset : offset + limit], len(items)


def _text(value: Value) -> str | None:
    return None if value is None else str(value)


def _entity(iri: str) -> ox.NamedNode:
    """The IRI an id names; a string that is no IRI names nothing in the graph (404, not a server error)."""
    try:
        return ox.NamedNode(iri)
    except ValueError:
        raise NotFoundError(f"no entity {iri} in the graph (not an absolute IRI)") from None


def entity_detail(kg: KnowledgeGraph, iri: str, incoming_limit: int = 200) -> dict[str, Any]:
    """Every fact about an entity with its source graph, and what points at it."""
    facts = kg.select(read_query("entity-facts"), {"entity": _entity(iri)}).rows
    if not facts:
        raise NotFoundError(f"no entity {iri} in the graph")
    out: dict[str, Any] = {"id": iri, "types": [], "label": None, "facts": [], "incoming": []}  # filled below
    for p, o, olabel, g in facts:
        pv, ov = python_value(p), python_value(o)
        if pv == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type":
            out["types"].append(ov)
        if pv == SKOS.prefLabel.value and out["label"] is None:
            out["label"] = ov
        out["facts"].append({
            "predicate": pv, "object": ov, "object_is_iri": isinstance(o, ox.NamedNode),
            "object_label": python_value(olabel), "graph": python_value(g),
        })
    incoming = kg.select(read_query("entity-incoming") + f"\nLIMIT {int(incoming_limit)}", {"entity": _entity(iri)}).rows
    for s, p, slabel, g in incoming:
        if isinstance(s, ox.NamedNode):
            out["incoming"].append({"subject": s.value, "predicate": python_value(p), "subject_label": python_value(slabel), "graph": python_value(g)})
    out["types"] = sorted(set(out["types"]))
    return out


def entity_triples(kg: KnowledgeGraph, iri: str) -> list[ox.Triple]:
    res = kg.query("CONSTRUCT { ?entity ?p ?o } WHERE { ?entity ?p ?o }", {"entity": _entity(iri)})
    assert isinstance(res, list)
    if not res:
        raise NotFoundError(f"no entity {iri} in the graph")
    return res


def framework_tree(kg: KnowledgeGraph, framework: str) -> list[dict[str, Any]]:
    """The framework's competencies as nested nodes (children under their broader competency)."""
    rows = kg.rows("framework-tree", {"framework": framework})
    nodes: dict[str, dict[str, Any]] = {str(r["competency"]): {"id": str(r["competency"]), "label": _text(r["label"]), "notation": _text(r["notation"]), "children": []}
             for r in rows}
    roots = []
    for r in rows:
        node = nodes[str(r["competency"])]
        parent = _text(r["broader"])
        if parent and parent in nodes and parent != node["id"]:
            nodes[parent]["children"].append(node)
        else:
            roots.append(node)
    return sorted(roots, key=lambda n: (n["notation"] or "", n["label"] or ""))
