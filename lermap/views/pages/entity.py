"""One entity: its facts with their sources, and what points at it, in plain words (IRIs in the technical fold)."""

from __future__ import annotations

from lermap.analysis.dto import EntityFacts
from lermap.views import words
from lermap.views.components import EntityLink, Link, Table, TechnicalDetails, Term
from lermap.views.render import Page


def entity_page(detail: EntityFacts) -> Page:
    title = detail.label or detail.id
    facts = Table("Facts", ["property", "value", "source graph"],
                  [(words.field(f.predicate), EntityLink(str(f.object), f.object_label or str(f.object)) if f.object_is_iri
                    else (f.object_label or f.object), f.graph) for f in detail.facts])
    incoming = Table("Pointing here", ["from", "property"],
                     [(EntityLink(i.subject, i.subject_label or i.subject), words.relation(i.predicate)) for i in detail.incoming])
    details = TechnicalDetails([Term("Identifier (IRI)", [detail.id]), Term("Types", [words.kind(t) + f" ({t})" for t in detail.types]),
                                Term("As data", [Link("/v1/entities/" + detail.id, "JSON"), Link("/sparql", "SPARQL endpoint")])])
    kinds = ", ".join(dict.fromkeys(words.kind(t) for t in detail.types)) or None
    return Page("pages/entity.html", title, {"kinds": kinds, "facts": facts, "incoming": incoming, "details": details},
                breadcrumbs=[("/", "Home"), ("/search", "Search"), ("", title)])
