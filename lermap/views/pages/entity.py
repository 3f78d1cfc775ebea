"""One entity as people read it: what it is (name, kind, description, roles, region, website), its relations grouped
by type in words with the page each was sourced from, what it is related to by kind, and its C-BEN scorecard with
the evidence and what is missing. IRIs, predicates and the raw facts stay in the "technical details" fold."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lermap.analysis.dto import EntityProfile, Relation
from lermap.analysis.scorecards import Scorecard
from lermap.views import words
from lermap.views.components import EntityLink, Link, Table, TechnicalDetails, Term, page_href
from lermap.views.render import Page, http_url

# the kinds "related, by kind" groups other entities into, most specific first: (class IRI, plural words)
RELATED_KINDS = (
    ("https://w3id.org/lermap/vocab#Tool", "Tools"),
    ("https://schema.org/EducationalOccupationalCredential", "Credentials"),
    ("https://purl.org/ctdlasn/terms/CompetencyFramework", "Frameworks"),
    ("http://www.w3.org/2004/02/skos/core#ConceptScheme", "Frameworks"),
    ("https://w3id.org/lermap/vocab#StandardVersion", "Standard versions"),
    ("https://w3id.org/lermap/vocab#Standard", "Standards"),
    ("https://schema.org/Organization", "Organisations"),
    ("https://schema.org/Occupation", "Occupations"),
    ("https://purl.org/ctdlasn/terms/Competency", "Competencies"),
)
SCORED_KINDS = frozenset({"organization", "tool", "standard", "standard-version"})


@dataclass(frozen=True)
class RelationGroup:
    """The relations of one type and direction, in words: "develops", then each other entity and its source."""

    words: str
    items: list[tuple[EntityLink, Link | None]]


def related_kind(types: Sequence[str]) -> str:
    """The group an entity falls in, by its most specific known type ("Tools", "Credentials"...; "Other")."""
    return next((name for iri, name in RELATED_KINDS if iri in types), "Other")


def relation_groups(relations: Sequence[Relation]) -> list[RelationGroup]:
    groups: dict[str, list[tuple[EntityLink, Link | None]]] = {}
    for r in relations:
        phrase = words.relation(r.predicate, inverse=r.direction == "in")
        source = Link(r.source, "source") if r.source else None
        groups.setdefault(phrase, []).append((EntityLink(r.other, r.other_label or words.kind(related_kind(r.other_types))), source))
    return [RelationGroup(w, items) for w, items in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))]


def _related(relations: Sequence[Relation]) -> list[tuple[str, list[EntityLink]]]:
    found: dict[str, dict[str, EntityLink]] = {}
    for r in relations:
        if r.other_label:
            found.setdefault(related_kind(r.other_types), {})[r.other] = EntityLink(r.other, r.other_label)
    order = list(dict.fromkeys(name for _, name in RELATED_KINDS)) + ["Other"]
    return [(name, sorted(found[name].values(), key=lambda e: e.text.casefold())) for name in order if name in found]


def entity_page(profile: EntityProfile, card: Scorecard | None) -> Page:
    title = profile.label or "Unnamed entity"
    kind = words.kind(profile.map_kind) if profile.map_kind else ", ".join(dict.fromkeys(words.kind(t) for t in profile.types)) or None
    summary = [Term("Kind", [kind])] if kind else []
    if profile.roles:
        summary.append(Term("Stakeholder roles", [Link(page_href("/map", role=iri), label) for iri, label in profile.roles]))
    if profile.region:
        summary.append(Term("Region", [profile.region]))
    summary += [Term(words.field(p), [v]) for p, v in profile.attributes if words.field(p) not in ("Identifier", "CTID")]
    # a relation to something the graph knows nothing about (a licence's page...) is a link, not an entity
    external = [r for r in profile.relations if not r.other_label and not r.other_types]
    summary += [Term(words.field(r.predicate), [Link(url, url)]) for r in external if (url := http_url(r.other)) and r.direction == "out"]
    relations = [r for r in profile.relations if r not in external]
    raw = Table("Every statement about it", ["property", "value"],
                [(p, v) for p, v in profile.attributes] + [(r.predicate, r.other) for r in profile.relations if r.direction == "out"])
    details = TechnicalDetails([Term("Identifier (IRI)", [profile.id]), Term("Types", list(profile.types)),
                                Term("As data", [Link("/v1/entities/" + profile.id, "JSON"), Link("/v1/scorecards/" + profile.id, "Scorecard as JSON")])])
    return Page("pages/entity.html", title, {
        "profile": profile, "kind": kind, "summary": summary, "groups": relation_groups(relations),
        "related": _related(relations), "card": card, "details": details, "raw": raw,
        "map_href": page_href("/map", focus=profile.id) if profile.map_kind else None,
        "scored": profile.map_kind in SCORED_KINDS},
        breadcrumbs=[("/", "Home"), ("/search", "Search"), ("", title)])


def entity_summary(profile: EntityProfile, card: Scorecard | None, most: int = 8) -> dict[str, object]:
    """The side panel's brief: name, kind, description, roles, the first relations in words, the principle scores and
    the page's address (plain JSON; the script writes it as text)."""
    groups = relation_groups(profile.relations)
    return {
        "label": profile.label or "Unnamed entity",
        "kind": words.kind(profile.map_kind) if profile.map_kind else ", ".join(dict.fromkeys(words.kind(t) for t in profile.types)),
        "description": profile.description, "region": profile.region, "roles": [label for _, label in profile.roles],
        "relations": [{"words": g.words, "names": [link.text for link, _ in g.items[:most]], "more": max(0, len(g.items) - most)}
                      for g in groups[:most]],
        "scores": [{"label": a.label, "score": a.score, "max": a.max_score} for a in card.assessments] if card else [],
        "href": page_href("/entity", id=profile.id),
        "map": page_href("/map", focus=profile.id) if profile.map_kind else None,
    }
