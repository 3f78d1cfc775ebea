"""The home page: what the graph holds (counts by kind, the datasets with their versions and licences), a search box
with type-ahead, and the way to every page."""

from __future__ import annotations

from collections.abc import Sequence

from lermap.graph.store import GraphInfo
from lermap.views.components import Table, page_href
from lermap.views.render import Page

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


def home(counts: Sequence[tuple[str, str, int]], sources: Sequence[GraphInfo]) -> Page:
    shared = [s for s in sources if not s.personal]
    datasets = Table(f"{len(shared)} sources loaded", ["source", "format", "version", "statements"],
                     [(s.source.rsplit("/", 1)[-1] or s.source, s.format, s.format_version, s.triples)
                      for s in sorted(shared, key=lambda s: s.source)], numeric=frozenset({3}))
    return Page("pages/home.html", "lermap: the LER ecosystem map", {
        "counts": [(COUNT_LINKS.get(name), title, n) for name, title, n in counts], "datasets": datasets, "entry_points": ENTRY_POINTS})
