"""Simple listings: search results, occupations, and the about page's datasets."""

from __future__ import annotations

from collections.abc import Sequence

from lermap.analysis.datasets import DatasetsOverview
from lermap.analysis.dto import KindHit, ListPage
from lermap.graph.store import GraphInfo
from lermap.views.components import EntityLink, Field, Form, Pagination, Table, entity_href, page_href
from lermap.views.render import Page

KIND_NOUNS = {"organizations": "Organisation", "standards": "Standard", "tools": "Tool", "frameworks": "Framework",
              "occupations": "Occupation", "competencies": "Competency", "credentials": "Credential"}


def search_page(q: str, hits: Sequence[KindHit] | None, counts: Sequence[tuple[str, str, int]], error: str | None = None) -> Page:
    """Search results grouped by kind (organisations, standards, tools, frameworks...), each a link to its page."""
    titles = {name: title for name, title, _ in counts}
    groups: dict[str, list[EntityLink]] = {}
    for h in hits or []:
        groups.setdefault(h.kind, []).append(EntityLink(h.id, h.label))
    grouped = [(titles.get(k, k), links) for k, links in groups.items()]
    return Page("pages/search.html", f"Search: {q}" if q else "Search", {
        "q": q, "error": error, "searched": hits is not None, "groups": grouped, "total": len(hits or []), "counts": counts},
        breadcrumbs=[("/", "Home"), ("/search", "Search")])


def suggestions(hits: Sequence[KindHit]) -> list[dict[str, str]]:
    """The type-ahead's answer: name, kind in words and the page of each hit."""
    return [{"label": h.label, "kind": KIND_NOUNS.get(h.kind, h.kind), "href": entity_href(h.id)} for h in hits]


def occupations_page(found: ListPage, q: str | None) -> Page:
    form = Form("/occupations", [Field("q", "Title contains", kind="search", value=q or "")], submit="Filter",
                label="Filter the occupations", css_class="filters")
    table = Table(f"{found.total} occupations", ["occupation", "description"],
                  [(EntityLink(i.id, i.label or i.id), (i.description or "")[:200] or None) for i in found.items])
    return Page("pages/listing.html", "Occupations", {
        "intro": "Occupations from the classifications in the graph (O*NET-SOC, ESCO, SOC...).", "form": form, "table": table,
        "pagination": Pagination(found.total, found.limit, found.offset, page_href("/occupations", q=q)), "links": []},
        breadcrumbs=[("/", "Home"), ("/occupations", "Occupations")])


def about_page(sources: Sequence[GraphInfo], datasets: DatasetsOverview) -> Page:
    shared = [s for s in sources if not s.personal]
    table = Table(f"{len(shared)} sources in this graph", ["source", "format", "version", "triples", "ingested"],
                  [(s.source, s.format, s.format_version, s.triples, (s.ingested_at or "")[:10] or None) for s in shared],
                  numeric=frozenset({3}))
    return Page("pages/about.html", "About lermap", {"table": table, "datasets": datasets.datasets,
                                                     "built_at": (datasets.built_at or "")[:10] or None},
                breadcrumbs=[("/", "Home"), ("/about", "About")])
