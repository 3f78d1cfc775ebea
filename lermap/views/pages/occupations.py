"""Occupations: the list with its job-title search, and one occupation's page — requirements, wage, crosswalks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lermap.analysis.dto import ListPage
from lermap.analysis.occupation_detail import OccupationDetail, OccupationHit
from lermap.analysis.wages import Wage
from lermap.ingest.sssom.mapping import Mapping
from lermap.views import words
from lermap.views.components import Cell, Field, Form, Link, Pagination, Table, TechnicalDetails, Term, page_href
from lermap.views.render import Page

PERCENTILES = (("pct10", "10th percentile"), ("pct25", "25th percentile"), ("median", "Median"), ("pct75", "75th percentile"),
               ("pct90", "90th percentile"))


def occupation_href(iri: str) -> str:
    """The occupation page of an IRI (``/occupation?id=IRI``)."""
    return page_href("/occupation", id=iri)


def money(value: float | None, hourly: bool = False) -> str | None:
    """``$97,550`` a year, ``$46.90`` an hour.

    >>> money(97550.0), money(46.9, hourly=True), money(None)
    ('$97,550', '$46.90', None)
    """
    if value is None:
        return None
    return f"${value:,.2f}" if hourly else f"${value:,.0f}"


def search_form(q: str, error: str | None = None) -> Form:
    return Form("/occupations", [Field("q", "Job title", kind="search", value=q, autocomplete="off",
                                       hint="A job title in your own words, e.g. “nurse”, “software developer”, “welder”.")],
                submit="Find occupations", label="Find occupations by job title", css_class="filters").with_errors({"q": error} if error else {})


def hits_table(q: str, hits: Sequence[OccupationHit]) -> Table:
    return Table(f"Occupations that fit “{q}”, best first", ["occupation", "classification", "fit"],
                 [(Link(occupation_href(h.id), h.label), h.scheme_label or "—", f"{h.score:.0%}" if h.score else None) for h in hits],
                 empty="No occupation in the graph fits these words. Try a shorter or more common job title.")


def occupations_page(q: str, hits: Sequence[OccupationHit] | None, listing: ListPage | None, error: str | None = None) -> Page:
    """The search form, then the best fits for ``q`` (``hits``) or, without a query, one page of every occupation."""
    table = hits_table(q, hits) if hits is not None else None
    pagination = None
    if listing is not None:
        table = Table(f"{listing.total:,} occupations, by name", ["occupation", "description"],
                      [(Link(occupation_href(i.id), i.label or i.id), (i.description or "")[:200] or None) for i in listing.items])
        pagination = Pagination(listing.total, listing.limit, listing.offset, "/occupations")
    return Page("pages/listing.html", "Occupations", {
        "intro": "Occupations from the classifications in the graph (O*NET-SOC, ESCO, SOC). Type a job title to find the ones "
                 "that fit it; open one to see what it requires, what it pays and how it maps to other classifications.",
        "form": search_form(q, error), "table": table, "pagination": pagination, "links": [("/pathways", "Plan a pathway to an occupation")]},
        breadcrumbs=[("/", "Home"), ("/occupations", "Occupations")])


@dataclass(frozen=True)
class Bar:
    """A value from 0 to 1 drawn as a small bar, with its words."""

    value: float
    words: str


@dataclass(frozen=True)
class RequirementRow:
    label: str
    href: str
    importance: Bar | None
    level: Bar | None
    note: str | None


def _bar(value: float | None, text: str | None) -> Bar | None:
    return Bar(max(0.0, min(1.0, value)), text or "") if value is not None else None


def requirement_groups(detail: OccupationDetail) -> list[tuple[str, list[RequirementRow]]]:
    out = []
    for group, lines in detail.grouped():
        rows = []
        for r in lines:
            notes = [n for n, on in (("hot technology", r.hot), ("in demand", r.in_demand)) if on]
            importance = _bar(r.importance, r.importance_words) or (Bar(1.0 if r.essential else 0.5, r.importance_words or "")
                                                                  if r.essential is not None else None)
            rows.append(RequirementRow(r.label, page_href("/entity", id=r.competency), importance, _bar(r.level, r.level_words),
                                       ", ".join(notes) or None))
        out.append((group, rows))
    return out


def wage_terms(wage: Wage) -> list[Term]:
    terms = [Term(name + " (a year)", [money(wage.annual.get(key))]) for key, name in PERCENTILES if key in wage.annual]
    if "mean" in wage.annual:
        terms.append(Term("Mean (a year)", [money(wage.annual["mean"])]))
    if "median" in wage.hourly:
        terms.append(Term("Median (an hour)", [money(wage.hourly["median"], hourly=True)]))
    if wage.employment is not None:
        terms.append(Term("People employed", [f"{wage.employment:,}"]))
    terms.append(Term("Where and when", [f"{wage.area_label or 'United States'}, May {wage.year}" if wage.year else wage.area_label or "United States"]))
    terms.append(Term("Source", [Link("https://www.bls.gov/oes/", "U.S. Bureau of Labor Statistics, Occupational Employment and Wage Statistics (OEWS)")]))
    if wage.top_coded:
        terms.append(Term("Note", ["Some figures are at BLS's top code: the true value is at least this much."]))
    return terms


def mapping_row(m: Mapping, schemes: dict[str, str]) -> tuple[Cell, ...]:
    confidence = f"{m.confidence:.0%}" if m.confidence is not None else None
    scheme = schemes.get(m.object_source or "") or m.object_source_version or None
    return (words.match(m.predicate_id), Link(occupation_href(m.object_id), m.object_label or m.object_id), scheme,
            words.justification(m.mapping_justification), confidence, m.comment)


def crosswalk_table(mappings: Sequence[Mapping], schemes: dict[str, str]) -> Table:
    return Table("Links to other classifications", ["this occupation", "occupation", "classification", "how the link was made", "confidence", "details"],
                 [mapping_row(m, schemes) for m in mappings], numeric=frozenset({4}), empty="The graph links this occupation to no other classification.")


def wage_path(detail: OccupationDetail) -> list[str]:
    """How the wage reached this occupation, step by step in words (empty when it is its own or its SOC group's)."""
    return [f"{m.subject_label or 'this occupation'} {words.match(m.predicate_id)} {m.object_label or m.object_id}"
            + (f" ({m.comment})" if m.comment else "") for m in detail.wage_via]


def occupation_page(detail: OccupationDetail) -> Page:
    facts = [Term("Code", [detail.code]) if detail.code else None,
             Term("Classification", [s.label for s in detail.schemes]) if detail.schemes else None,
             Term("Part of", [Link(occupation_href(b.id), b.label) for b in detail.broader]) if detail.broader else None,
             Term("Job zone", [f"{detail.job_zone} of 5 (how much preparation O*NET says it needs)"]) if detail.job_zone else None]
    details = TechnicalDetails([Term("Identifier (IRI)", [detail.id]),
                                Term("All the facts", [Link(page_href("/entity", id=detail.id), "as an entity page")]),
                                Term("As data", [Link(page_href("/v1/wages", occupation=detail.id), "wage (JSON)"),
                                                 Link("/v1/occupations/" + detail.id + "/requirements", "requirements (JSON)")])])
    related = [Link(occupation_href(r.id), r.label) for r in detail.related]
    narrower = [Link(occupation_href(r.id), r.label) for r in detail.narrower]
    return Page("pages/occupation.html", detail.title, {
        "detail": detail, "facts": [f for f in facts if f is not None], "groups": requirement_groups(detail),
        "wage": wage_terms(detail.wage) if detail.wage else None, "wage_soc": detail.wage.soc_label if detail.wage else None,
        "wage_path": wage_path(detail), "crosswalks": crosswalk_table(detail.crosswalks, detail.scheme_names), "related": related, "narrower": narrower,
        "pathway_href": page_href("/pathways", target=detail.id), "details": details},
        breadcrumbs=[("/", "Home"), ("/occupations", "Occupations"), (occupation_href(detail.id), detail.title)])
