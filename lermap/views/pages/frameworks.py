"""Frameworks: the catalogue, one framework's hierarchy, and the crosswalk between two of them with its curation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from lermap.analysis.dto import Framework, Scheme
from lermap.analysis.framework_catalogue import FrameworkSummary
from lermap.ingest.sssom.mapping import Mapping
from lermap.views import figures, words
from lermap.views.components import Cell, EntityLink, Field, Form, Link, Table, page_href
from lermap.views.render import Page

BANDS = ["<0.5", "0.5–0.8", "≥0.8", "unknown"]
SHOWN = 500


def framework_href(iri: str) -> str:
    return page_href("/framework", id=iri)


def crosswalk_href(a: str, b: str) -> str:
    return page_href("/crosswalk", a=a, b=b)


def frameworks_page(frameworks: Sequence[FrameworkSummary]) -> Page:
    names = {f.id: f.label for f in frameworks}
    rows: list[Sequence[Cell]] = []
    for f in frameworks:
        partner = f.partners[0] if f.partners else None
        crosswalk: Cell = (Link(crosswalk_href(f.id, partner[0]), f"{names.get(partner[0], 'another')} ({partner[1]:,})")
                           if partner else None)
        rows.append((Link(framework_href(f.id), f.label), f.concepts, f.publisher, f.version, f.alignments, crosswalk, f.source))
    table = Table(f"{len(frameworks)} frameworks and classifications, largest first",
                  ["framework", "concepts", "publisher", "version", "alignments to others", "most aligned with", "read from"], rows,
                  numeric=frozenset({1, 4}), empty="The graph holds no framework or classification.")
    return Page("pages/listing.html", "Frameworks", {
        "intro": "Competency frameworks and classifications of skills and occupations in the graph: how big each is, who publishes it, "
                 "and how many alignments join it to the others. Open one to see its hierarchy, or compare two in the crosswalk.",
        "form": None, "table": table, "pagination": None, "links": [("/crosswalk", "Compare two frameworks (crosswalk)")]},
        breadcrumbs=[("/", "Home"), ("/frameworks", "Frameworks")])


def framework_page(framework: Framework, frameworks: Sequence[FrameworkSummary] = ()) -> Page:
    """The hierarchy as a sunburst and an outline, with the framework's size, publisher and its crosswalks."""
    fig = figures.framework_sunburst(framework.tree, framework.label)
    names = {f.id: f.label for f in frameworks}
    summary = next((f for f in frameworks if f.id == framework.id), None)
    facts = [] if summary is None else [(name, value) for name, value in (
        ("Concepts", f"{summary.concepts:,}"), ("Publisher", summary.publisher), ("Version", summary.version),
        ("Read from", summary.source)) if value]
    crosswalks = [] if summary is None else [(crosswalk_href(framework.id, other), f"{names.get(other, other)} ({n:,} alignments)")
                                             for other, n in summary.partners]
    return Page("pages/framework.html", framework.label, {
        "figure": fig.to_json(), "tree": framework.tree, "iri": framework.id, "facts": facts,
        "description": summary.description if summary else None, "crosswalks": crosswalks},
        breadcrumbs=[("/", "Home"), ("/frameworks", "Frameworks"), (framework_href(framework.id), framework.label)],
        scripts=["plotly.min.js"])


def _band(c: float | None) -> str:
    return "unknown" if c is None else "<0.5" if c < 0.5 else "0.5–0.8" if c < 0.8 else "≥0.8"


def _percent(c: float | None) -> str | None:
    return f"{c:.0%}" if c is not None else None


@dataclass(frozen=True)
class SuggestionRow:
    """A suggested alignment as the page shows it, with what a curator's decision form posts."""

    subject: EntityLink
    claim: str
    object: EntityLink
    confidence: str | None
    how: str
    subject_id: str
    object_id: str
    predicate: str


def suggestion_rows(suggestions: Sequence[Mapping]) -> list[SuggestionRow]:
    return [SuggestionRow(EntityLink(m.subject_id, m.subject_label or m.subject_id), words.match(m.predicate_id),
                          EntityLink(m.object_id, m.object_label or m.object_id), _percent(m.confidence),
                          words.justification(m.mapping_justification) + (f" ({m.comment})" if m.comment else ""),
                          m.subject_id, m.object_id, m.predicate_id) for m in suggestions]


def decisions_table(decisions: Sequence[Mapping]) -> Table:
    rows = [(EntityLink(m.subject_id, m.subject_label or m.subject_id), words.match(m.predicate_id),
             EntityLink(m.object_id, m.object_label or m.object_id), "accepted" if (m.comment or "").startswith("accepted") else "rejected",
             m.author_id, m.mapping_date) for m in decisions]
    return Table(f"{len(rows)} curators' decisions", ["concept", "claim", "concept", "decision", "by", "on"], rows,
                 empty="No curator has decided on an alignment between these two yet.")


@dataclass(frozen=True)
class CrosswalkView:
    """What the crosswalk page shows for a pair of schemes (the service's answers, gathered by the router)."""

    mappings: Sequence[Mapping]
    decisions: Sequence[Mapping]
    suggestions: Sequence[Mapping]
    open_suggestions: int
    suggestion_error: str | None = None


def crosswalk_page(schemes: Sequence[Scheme], a: str | None, b: str | None, view: CrosswalkView | None, notice: str | None = None) -> Page:
    options = [(s.id, f"{s.label or s.id} ({s.concepts:,})") for s in schemes]
    form = Form("/crosswalk", [Field("a", "Framework A", kind="select", value=a, options=options),
                               Field("b", "Framework B", kind="select", value=b, options=options)],
                submit="Compare", label="Choose two frameworks", css_class="filters")
    crumbs = [("/", "Home"), ("/frameworks", "Frameworks"), ("/crosswalk", "Crosswalk")]
    context: dict[str, object] = {"form": form, "figure": None, "table": None, "notice": notice, "view": view}
    if view is None:
        return Page("pages/crosswalk.html", "Crosswalk", context, breadcrumbs=crumbs)
    names = {s.id: s.label or s.id for s in schemes}
    mappings = view.mappings
    counts = Counter((words.match(m.predicate_id), _band(m.confidence)) for m in mappings)
    predicates = sorted({words.match(m.predicate_id) for m in mappings}) or [words.match("skos:exactMatch")]
    fig = figures.crosswalk_heatmap(counts, predicates, BANDS)
    caption = f"{len(mappings):,} alignments between the two" + (f" (the first {SHOWN} shown)" if len(mappings) > SHOWN else "")
    table = Table(caption, ["concept", "claim", "concept", "confidence", "how it was made"],
                  [(EntityLink(m.subject_id, m.subject_label or m.subject_id), words.match(m.predicate_id),
                    EntityLink(m.object_id, m.object_label or m.object_id), _percent(m.confidence), words.justification(m.mapping_justification))
                   for m in mappings[:SHOWN]], numeric=frozenset({3}), empty="No alignment joins these two yet.")
    context.update({"figure": fig.to_json() if mappings else None, "table": table, "decisions": decisions_table(view.decisions),
                    "suggestions": suggestion_rows(view.suggestions), "a": a, "b": b,
                    "a_label": names.get(a or "", a), "b_label": names.get(b or "", b)})
    return Page("pages/crosswalk.html", f"Crosswalk: {names.get(a or '', a)} and {names.get(b or '', b)}", context, breadcrumbs=crumbs,
                scripts=["plotly.min.js"])
