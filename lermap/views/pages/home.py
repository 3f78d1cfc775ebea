"""The home page: what the graph holds (counts by kind, the datasets with their publishers, versions and licences), a search box
with type-ahead, and the way to every page."""

from __future__ import annotations

from collections.abc import Sequence

from lermap.analysis.datasets import DatasetsOverview
from lermap.views.components import Link, Table, page_href
from lermap.views.render import Page, http_url

ENTRY_POINTS = (
    ("/map", "The ecosystem map", "Who develops, implements and supports which standards and tools, grouped by stakeholder role."),
    ("/principles", "C-BEN principles", "The seven principles explained, and how every organisation, tool and standard scores."),
    ("/search", "Search", "Find an organisation, standard, tool, framework, occupation, competency or credential."),
    ("/frameworks", "Frameworks", "Competency frameworks and classifications, and crosswalks between them."),
    ("/occupations", "Occupations", "Occupations, their requirements and wages."),
    ("/pathways", "Pathways", "From the credentials a learner holds to an occupation: coverage and gaps."),
    ("/changes", "Changes", "Edits that people proposed and a reviewer approved."),
    ("/about", "About the data", "Where every fact comes from, and the licences."),
)

# where a count on the home page leads
COUNT_LINKS = {"organizations": page_href("/map", kind="organization"), "standards": page_href("/map", kind="standard"),
               "tools": page_href("/map", kind="tool"), "frameworks": "/frameworks", "occupations": "/occupations"}


def home(counts: Sequence[tuple[str, str, int]], overview: DatasetsOverview) -> Page:
    datasets = Table(f"{len(overview.datasets)} datasets", ["dataset", "publisher", "version", "licence", "statements in this graph"],
                     [(Link(url, d.name) if (url := http_url(d.url)) else d.name, d.publisher, d.version or d.format_version,
                       Link(lurl, d.licence) if (lurl := http_url(d.licence_url)) else d.licence, d.triples if d.in_graph else "not loaded")
                      for d in overview.datasets], numeric=frozenset({4}),
                     empty="This graph holds no description of its datasets (a graph `lermap build` made does); the About page lists its sources.")
    return Page("pages/home.html", "lermap: the LER ecosystem map", {
        "counts": [(COUNT_LINKS.get(name), title, n) for name, title, n in counts], "datasets": datasets, "entry_points": ENTRY_POINTS})
