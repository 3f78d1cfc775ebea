"""Entities: resource lists with filters and paging, an entity's facts with their sources, framework trees, labels
and search — what the resource endpoints, the entity pages and the search box read."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from lermap.analysis.dto import EntityFacts, Fact, Framework, Incoming, ListItem, ListPage, Scheme, SearchHit, TreeNode
from lermap.analysis.projection import labels
from lermap.errors import NotFoundError
from lermap.graph.sparql_text import read_query
from lermap.graph.terms import Value, python_value
from lermap.graph.vocab import CEASN, CETERMS, LERMAP, RDF, SCHEMA, SKOS
from lermap.service.core import GraphCore


@dataclass(frozen=True)
class Resource:
    """A kind of entity the API lists (``/v1/<name>``) and the class that marks it."""

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


def _text(value: Value) -> str | None:
    return None if value is None else str(value)


def _entity(iri: str) -> ox.NamedNode:
    """The IRI an id names; a string that is no IRI names nothing in the graph (404, not a server error)."""
    try:
        return ox.NamedNode(iri)
    except ValueError:
        raise NotFoundError(f"no entity {iri} in the graph (not an absolute IRI)") from None


class EntityOps(GraphCore):
    """Lists, details, trees, labels and search over the graph's entities."""

    def resource(self, name: str) -> Resource:
        try:
            return RESOURCES[name]
        except KeyError:
            raise NotFoundError(f"no resource {name!r}; choose one of {', '.join(RESOURCES)}") from None

    def list_entities(self, resource: str, q: str | None = None, scheme: str | None = None, sort: str = "label",
                      limit: int = 50, offset: int = 0) -> ListPage:
        """One page of a resource's entities (``organizations``, ``occupations``...), filtered by label or IRI (``q``)
        and scheme, sorted by ``label`` or ``id`` (``-`` first for descending), and the total after filtering."""
        cls = self.resource(resource).cls
        rows = self.cached(f"list:{cls.value}", lambda: self.rows("entity-list", {"class": cls}))
        items = [ListItem(str(r["entity"]), _text(r["label"]), _text(r["description"]), _text(r["scheme"])) for r in rows]
        if q:
            needle = q.casefold()
            items = [i for i in items if needle in (i.label or "").casefold() or needle in i.id.casefold()]
        if scheme:
            items = [i for i in items if i.scheme == scheme]
        key = sort.lstrip("-")
        items.sort(key=lambda i: ((getattr(i, key, None) or "").casefold(), i.id), reverse=sort.startswith("-"))
        return ListPage(items[offset : offset + limit], len(items), limit, offset)

    def entity(self, iri: str, incoming_limit: int = 200) -> EntityFacts:
        """Every fact about an entity with the graph (source) it comes from, and what points at it."""
        node = _entity(iri)
        facts = self.select(read_query("entity-facts"), {"entity": node}).rows
        if not facts:
            raise NotFoundError(f"no entity {iri} in the graph")
        types: set[str] = set()
        label: str | None = None
        out: list[Fact] = []
        for p, o, olabel, g in facts:
            pv, ov = str(python_value(p)), python_value(o)
            if pv == RDF.type.value:
                types.add(str(ov))
            if pv == SKOS.prefLabel.value and label is None:
                label = str(ov)
            out.append(Fact(pv, ov, isinstance(o, ox.NamedNode), _text(python_value(olabel)), _text(python_value(g))))
        incoming = self.select(read_query("entity-incoming") + f"\nLIMIT {int(incoming_limit)}", {"entity": node}).rows
        pointing = [Incoming(s.value, str(python_value(p)), _text(python_value(slabel)), _text(python_value(g)))
                    for s, p, slabel, g in incoming if isinstance(s, ox.NamedNode)]
        return EntityFacts(iri, label, sorted(types), out, pointing)

    def entity_triples(self, iri: str) -> list[ox.Triple]:
        """The triples whose subject is the entity (for RDF serialisations of it)."""
        res = self.query(read_query("entity-triples"), {"entity": _entity(iri)})
        if not isinstance(res, list) or not res:
            raise NotFoundError(f"no entity {iri} in the graph")
        return res

    def label(self, iri: str) -> str | None:
        """An entity's preferred label (None if it has none, or is not in the graph)."""
        rows = self.rows("entity-label", {"entity": _entity(iri)})
        return _text(rows[0]["label"]) if rows else None

    def labels(self) -> dict[str, str]:
        """Every entity's preferred label (computed once per state of the store)."""
        return self.cached("labels", lambda: labels(self))

    def framework_tree(self, framework: str) -> list[TreeNode]:
        """The framework's competencies as nested nodes (children under their broader competency)."""
        rows = self.rows("framework-tree", {"framework": framework})
        nodes = {str(r["competency"]): TreeNode(str(r["competency"]), _text(r["label"]), _text(r["notation"])) for r in rows}
        roots = []
        for r in rows:
            node = nodes[str(r["competency"])]
            parent = _text(r["broader"])
            if parent and parent in nodes and parent != node.id:
                nodes[parent].children.append(node)
            else:
                roots.append(node)
        return sorted(roots, key=lambda n: (n.notation or "", n.label or ""))

    def framework(self, iri: str) -> Framework:
        """A framework with its label and hierarchy (kept per state of the store); refused (404) when the graph knows neither."""
        known = any(s.id == iri for s in self.schemes())  # only trees of the graph's frameworks are kept, never a request's guess
        tree = self.cached(f"framework-tree:{iri}", lambda: self.framework_tree(iri)) if known else self.framework_tree(iri)
        label = self.label(iri)
        if not tree and label is None:  # never draw a page around text that only the request supplied
            raise NotFoundError(f"no framework {iri} in the graph")
        return Framework(iri, label or iri, tree)

    def schemes(self) -> list[Scheme]:
        """Frameworks and concept schemes, largest first (counted once per state of the store: it reads every concept)."""
        return list(self.cached("schemes", lambda: [Scheme(str(r["scheme"]), _text(r["label"]), int(r["concepts"] or 0))  # type: ignore[arg-type]
                                                    for r in self.rows("schemes")]))

    def occupation_requirements(self, occupation: str) -> list[dict[str, Value]]:
        """The competencies an occupation requires: essential / importance / level."""
        return self.rows("occupation-requirements", {"occupation": occupation})

    def search(self, q: str, limit: int = 20) -> list[SearchHit]:
        """Entities whose label contains every word of ``q``: an exact label first, then labels that start with the
        first word, then the rest; shorter labels first within each."""
        words = q.casefold().split()
        whole = q.casefold()
        hits = []
        for iri, label in self.labels().items():
            text = label.casefold()
            if words and all(w in text for w in words):
                score = (2.0 if text == whole else 1.0 if text.startswith(words[0]) else 0.5) + 1.0 / (1 + len(text))
                hits.append(SearchHit(iri, label, round(score, 4)))
        hits.sort(key=lambda h: (-h.score, h.label))
        return hits[:limit]
