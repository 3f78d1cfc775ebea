"""One entity: its facts with their sources, and what points at it, in plain words (IRIs in the technical fold)."""

from __future__ import annotations

from lermap.analysis.dto import EntityFacts, Fact
from lermap.graph.vocab import RDF
from lermap.views import words
from lermap.views.components import Cell, EntityLink, Link, Table, TechnicalDetails, Term
from lermap.views.render import Page


def _value(fact: Fact) -> Cell:
    if fact.predicate == RDF.type.value:
        return words.kind(str(fact.object))
    if fact.object_is_iri:
        return EntityLink(str(fact.object), fact.object_label or str(fact.object))
    return fact.object_label or (fact.object if not isinstance(fact.object, bool) else "yes" if fact.object else "no")


def entity_page(detail: EntityFacts) -> Page:
    title = detail.label or detail.id
    facts = Table("Facts", ["property", "value", "source graph"], [(words.field(f.predicate), _value(f), f.graph) for f in detail.facts])
    incoming = Table("Pointing here", ["from", "property"],
                     [(EntityLink(i.subject, i.subject_label or i.subject), words.relation(i.predicate)) for i in detail.incoming])
    details = TechnicalDetails([Term("Identifier (IRI)", [detail.id]), Term("Types", [words.kind(t) + f" ({t})" for t in detail.types]),
                                Term("As data", [Link("/v1/entities/" + detail.id, "JSON"), Link("/sparql", "SPARQL endpoint")])])
    kinds = ", ".join(dict.fromkeys(words.kind(t) for t in detail.types)) or None
    return Page("pages/entity.html", title, {"kinds": kinds, "facts": facts, "incoming": incoming, "details": details},
                breadcrumbs=[("/", "Home"), ("/search", "Search"), ("", title)])
