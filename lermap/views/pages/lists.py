"""Simple listings: search results and the about page's datasets."""

from __future__ import annotations

from collections.abc import Sequence

from lermap.analysis.datasets import DatasetsOverview
from lermap.analysis.dto import SearchHit
from lermap.graph.store import GraphInfo
from lermap.views.components import EntityLink, Field, Form, Table
from lermap.views.render import Page


def search_page(q: str, hits: Sequence[SearchHit] | None, error: str | None = None) -> Page:
    form = Form("/search", [Field("q", "Search for an organisation, standard, tool, framework, occupation or skill", kind="search",
                                  value=q, hint="At least two letters; every word must appear in the name.")],
                submit="Search", label="Search the graph").with_errors({"q": error} if error else {})
    table = None if hits is None else Table(f"{len(hits)} results for “{q}”", ["name", "score"],
                                            [(EntityLink(h.id, h.label), h.score) for h in hits], numeric=frozenset({1}),
                                            empty="Nothing in the graph has a name with all of these words.")
    return Page("pages/listing.html", "Search", {"intro": None, "form": form, "table": table, "pagination": None, "links": []},
                breadcrumbs=[("/", "Home"), ("/search", "Search")])


def about_page(sources: Sequence[GraphInfo], datasets: DatasetsOverview) -> Page:
    shared = [s for s in sources if not s.personal]
    table = Table(f"{len(shared)} sources in this graph", ["source", "format", "version", "triples", "ingested"],
                  [(s.source, s.format, s.format_version, s.triples, (s.ingested_at or "")[:10] or None) for s in shared],
                  numeric=frozenset({3}))
    return Page("pages/about.html", "About lermap", {"table": table, "datasets": datasets.datasets,
                                                     "built_at": (datasets.built_at or "")[:10] or None},
                breadcrumbs=[("/", "Home"), ("/about", "About")])
