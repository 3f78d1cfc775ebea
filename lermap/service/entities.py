"""Entities: resource lists with filters and paging, an entity's facts with their sources, framework trees, labels
and search — what the resource endpoints, the entity pages and the search box read."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from lermap.analysis.dto import EntityFacts, Fact, Framework, Incoming, ListItem, ListPage, Scheme, SearchHit, TreeNode
from lermap.analysis.language import LanguagePreference
from lermap.errors import NotFoundError
from lermap.graph.sparql_text import read_query
from lermap.graph.terms import Value, python_value
from lermap.graph.vocab import CEASN, CETERMS, LERMAP, RDF, SCHEMA, SKOS
from lermap.service.labels import NO_PREFERENCE, LabelOps


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


class EntityOps(LabelOps):
    """Lists, details, trees, labels and search over the graph's entities."""

    def resource(self, name: str) -> Resource:
        try:
            return RESOURCES[name]
        except KeyError:
            raise NotFoundError(f"no resource {name!r}; choose one of {', '.join(RESOURCES)}") from None

    def list_entities(self, resource: str, q: str | None = None, scheme: str | None = None, sort: str = "label",
                      limit: int = 50, offset: int = 0, lang: LanguagePreference = NO_PREFERENCE) -> ListPage:
        """One page of a resource's entities (``organizations``, ``occupations``...), filtered by label or IRI (``q``)
        and scheme, sorted by ``label`` or ``id`` (``-`` first for descending; ties by IRI, so pages never overlap),
        labelled in the preferred language, and the total after filtering."""
        cls = self.resource(resource).cls
        rows = self.cached(f"list:{cls.value}", lambda: self.rows("entity-list", {"class": cls}))
        items = []
        for r in rows:
            label = self.label_in(str(r["entity"]), lang)
            items.append(ListItem(str(r["entity"]), label.text if label else None, _text(r["description"]), _text(r["scheme"]),
                                  label.lang if label else None))
        if q:
            needle = q.casefold()
            items = [i for i in items if needle in (i.label or "").casefold() or needle in i.id.casefold()]
        if scheme:
            items = [i for i in items if i.scheme == scheme]
        key = sort.lstrip("-")
        items.sort(key=lambda i: ((getattr(i, key, None) or "").casefold(), i.id), reverse=sort.startswith("-"))
        return ListPage(items[offset : offset + limit], len(items), limit, offset)

    def entity(self, iri: str, incoming_limit: int = 200, lang: LanguagePreference = NO_PREFERENCE) -> EntityFacts:
        """Every fact about an entity with the graph (source) it comes from, and what points at it; the entity and the
        entities its facts name are labelled in the preferred language."""
        node = _entity(iri)
        facts = self.select(read_query("entity-facts"), {"entity": node}).rows
        if not facts:
            raise NotFoundError(f"no entity {iri} in the graph")
        types: set[str] = set()
        out: list[Fact] = []
        for p, o, g in facts:
            pv, ov = str(python_value(p)), python_value(o)
            if pv == RDF.type.value:
                types.add(str(ov))
            olabel = self.label_in(o.value, lang) if isinstance(o, ox.NamedNode) else None
            out.append(Fact(pv, ov, isinstance(o, ox.NamedNode), olabel.text if olabel else None, _text(python_value(g))))
        incoming = self.select(read_query("entity-incoming") + f"\nLIMIT {int(incoming_limit)}", {"entity": node}).rows
        pointing = []
        for s, p, g in incoming:
            if isinstance(s, ox.NamedNode):
                slabel = self.label_in(s.value, lang)
                pointing.append(Incoming(s.value, str(python_value(p)), slabel.text if slabel else None, _text(python_value(g))))
        label = self.label_in(iri, lang)
        return EntityFacts(iri, label.text if label else None, sorted(types), out, pointing, label.lang if label else None)

    def describe(self, iri: str, resource: str | None = None) -> list[ox.Triple]:
        """The entity's RDF description: its statements and those of the blank nodes it points at (for Turtle, JSON-LD,
        N-Triples). With ``resource`` (``competencies``, ...), an entity that is not of that kind is not found."""
        res = self.query(read_query("entity-description"), {"entity": _entity(iri)})
        if not isinstance(res, list) or not res:
            raise NotFoundError(f"no entity {iri} in the graph")
        if resource is not None:
            cls = self.resource(resource).cls
            if not any(t.subject == ox.NamedNode(iri) and t.predicate == RDF.type and t.object == cls for t in res):
                raise NotFoundError(f"{iri} is not one of the {resource}")
        return res

    def label(self, iri: str, lang: LanguagePreference = NO_PREFERENCE) -> str | None:
        """An entity's preferred label (None if it has none, or is not in the graph)."""
        found = self.label_in(iri, lang)
        return found.text if found else None

    def framework_tree(self, framework: str, lang: LanguagePreference = NO_PREFERENCE) -> list[TreeNode]:
        """The framework's competencies as nested nodes (children under their broader competency), labelled in the
        preferred language."""
        rows = self.rows("framework-tree", {"framework": framework})
        nodes = {}
        for r in rows:
            label = self.label_in(str(r["competency"]), lang)
            nodes[str(r["competency"])] = TreeNode(str(r["competency"]), label.text if label else None, _text(r["notation"]),
                                                   label_lang=label.lang if label else None)
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

    def occupation_requirements(self, occupation: str, lang: LanguagePreference = NO_PREFERENCE) -> list[dict[str, Value]]:
        """The competencies an occupation requires: essential / importance / level, each competency labelled in the
        preferred language (``label``, ``label_lang``); ordered by competency IRI."""
        rows = self.rows("occupation-requirements", {"occupation": occupation})
        out = []
        for r in sorted(rows, key=lambda r: str(r["competency"])):
            label = self.label_in(str(r["competency"]), lang)
            out.append({**r, "label": label.text if label else None, "label_lang": label.lang if label else None})
        return out

    def search(self, q: str, limit: int = 20, lang: LanguagePreference = NO_PREFERENCE, offset: int = 0) -> list[SearchHit]:
        """Entities whose label (in the preferred language) contains every word of ``q``: an exact label first, then
        labels that start with the first word, then the rest; shorter labels first within each."""
        words = q.casefold().split()
        whole = q.casefold()
        hits = []
        for iri, label in self.labels(lang).items():
            text = label.casefold()
            if words and all(w in text for w in words):
                score = (2.0 if text == whole else 1.0 if text.startswith(words[0]) else 0.5) + 1.0 / (1 + len(text))
                hits.append(SearchHit(iri, label, round(score, 4)))
        hits.sort(key=lambda h: (-h.score, h.label, h.id))
        out = []
        for h in hits[offset : offset + limit]:
            chosen = self.label_in(h.id, lang)
            out.append(SearchHit(h.id, h.label, h.score, chosen.lang if chosen else None))
        return out
