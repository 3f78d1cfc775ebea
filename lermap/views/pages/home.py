"""The home page: what the graph holds and where to go."""

from __future__ import annotations

from collections.abc import Sequence

from lermap.graph.store import GraphInfo
from lermap.views.components import Table
from lermap.views.render import NAV, Page


def home(sources: Sequence[GraphInfo]) -> Page:
    shared = [s for s in sources if not s.personal]
    table = Table(f"{len(sources)} sources", ["format", "triples", "source"],
                  [(s.format, s.triples, s.source.rsplit("/", 1)[-1]) for s in shared], numeric=frozenset({1}))
    return Page("pages/home.html", "lermap", {"sources": table, "entry_points": [(h, t) for h, t in NAV if h != "/"]})
