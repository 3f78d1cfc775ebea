"""Frameworks: the list, one framework's hierarchy, and the crosswalk between two of them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from lermap.analysis.dto import Framework, ListPage, Scheme
from lermap.ingest.sssom.mapping import Mapping
from lermap.views import figures
from lermap.views.components import EntityLink, Field, Form, Link, Pagination, Table, page_href
from lermap.views.render import Page

BANDS = ["<0.5", "0.5–0.8", "≥0.8", "unknown"]


def framework_href(iri: str) -> str:
    return page_href("/framework", id=iri)


def frameworks_page(found: ListPage, schemes: Sequence[Scheme]) -> Page:
    sizes = {s.id: s.concepts for s in schemes}
    table = Table(f"{found.total} competency frameworks", ["framework", "competencies", "description"],
                  [(Link(framework_href(i.id), i.label or i.id), sizes.get(i.id, 0), i.description) for i in found.items],
                  numeric=frozenset({1}))
    return Page("pages/listing.html", "Frameworks", {
        "intro": "Competency frameworks and classifications in the graph. Open one to see its hierarchy, or compare two in the crosswalk.",
        "form": None, "table": table, "pagination": Pagination(found.total, found.limit, found.offset, "/frameworks"),
        "links": [("/crosswalk", "Compare two frameworks (crosswalk)")]}, breadcrumbs=[("/", "Home"), ("/frameworks", "Frameworks")])


def framework_page(framework: Framework) -> Page:
    fig = figures.framework_sunburst(framework.tree, framework.label)
    return Page("pages/framework.html", framework.label, {"figure": fig.to_json(), "tree": framework.tree, "iri": framework.id},
                breadcrumbs=[("/", "Home"), ("/frameworks", "Frameworks"), (framework_href(framework.id), framework.label)],
                scripts=["plotly.min.js"])


def _band(c: float | None) -> str:
    return "unknown" if c is None else "<0.5" if c < 0.5 else "0.5–0.8" if c < 0.8 else "≥0.8"


def crosswalk_page(schemes: Sequence[Scheme], a: str | None, b: str | None, mappings: Sequence[Mapping] | None) -> Page:
    options = [(s.id, f"{s.label or s.id} ({s.concepts})") for s in schemes]
    form = Form("/crosswalk", [Field("a", "Framework A", kind="select", value=a, options=options),
                               Field("b", "Framework B", kind="select", value=b, options=options)],
                submit="Compare", label="Choose two frameworks", css_class="filters")
    crumbs = [("/", "Home"), ("/frameworks", "Frameworks"), ("/crosswalk", "Crosswalk")]
    if mappings is None:
        return Page("pages/crosswalk.html", "Crosswalk", {"form": form, "figure": None, "table": None}, breadcrumbs=crumbs)
    counts = Counter((m.predicate_id, _band(m.confidence)) for m in mappings)
    predicates = sorted({m.predicate_id for m in mappings}) or ["skos:exactMatch"]
    fig = figures.crosswalk_heatmap(counts, predicates, BANDS)
    table = Table(f"{len(mappings)} mappings between the two frameworks", ["subject", "predicate", "object", "confidence", "justification"],
                  [(EntityLink(m.subject_id, m.subject_label or m.subject_id), m.predicate_id, m.object_label or m.object_id, m.confidence,
                    m.mapping_justification) for m in mappings[:500]], numeric=frozenset({3}))
    return Page("pages/crosswalk.html", "Crosswalk", {"form": form, "figure": fig.to_json(), "table": table}, breadcrumbs=crumbs,
                scripts=["plotly.min.js"])
