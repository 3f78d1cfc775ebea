"""The service layer: the one code path shared by the CLI, the API, the pages and notebooks.

:class:`KnowledgeGraph` gathers the topic modules of this package, each a mixin over :class:`~lermap.service.core.GraphCore`
(ingest, query, export, the per-state cache and the write lock): ``entities`` (lists, details, trees, search),
``ecosystem`` (the map, scorecards, principles), ``profiles`` (entity profiles, counts, search by kind), ``curation`` (alignments, curation, proposals, diffs), ``learning`` (skills,
occupations, pathways, wages, identity), ``occupations`` (job-title search, occupation profiles), ``frameworks`` (the catalogue,
crosswalk curation), ``labels`` (labels by language), ``dumps`` (bulk downloads), ``building`` and ``derived`` (products
computed once per state and kept in the store).
Values handed to adapters are the dataclasses of ``lermap.analysis.dto``.

>>> import lermap
>>> kg = lermap.open_graph("memory:")
>>> kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")  # SELECT as a DataFrame, for analysts
   n
0  0
>>> kg.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").records()  # typed rows, what lermap's own code reads
[{'n': 0}]
"""

from __future__ import annotations

from lermap.config import settings
from lermap.graph.backends import open_backend
from lermap.graph.store import GraphStore
from lermap.service.building import BuildOps
from lermap.service.core import check_context
from lermap.service.dumps import DumpOps
from lermap.service.frameworks import FrameworkOps
from lermap.service.learning import LearningOps
from lermap.service.occupations import OccupationOps
from lermap.service.profiles import ProfileOps

__all__ = ["KnowledgeGraph", "check_context", "open_graph"]


class KnowledgeGraph(DumpOps, OccupationOps, FrameworkOps, ProfileOps, LearningOps, BuildOps):
    """lermap's graph: ingest sources, query them, export them, and ask the analysis questions. Open one with
    :func:`open_graph`."""

    def warm(self) -> list[str]:
        """Compute now what the pages' first requests would otherwise compute (the job-title matchers, the names a
        learner picks from, the occupations, a pathway's projections and wage index, the map's layout); ``lermap
        serve`` runs it in the background at start. Returns what it warmed."""
        self.find_occupations("nurse")
        self.find_held("data")
        self.derived("ecosystem-map")
        warmed = ["occupation search", "held items", "map layout"]
        hits = self.find_occupations("registered nurse", limit=1)
        if hits:
            self.plan_pathway([], hits[0].id)
            warmed.append("pathway")
        return warmed


def open_graph(selector: str | None = None, read_only: bool = False) -> KnowledgeGraph:
    """Open the graph named by a store selector (default: ``LERMAP_STORE`` or ``oxigraph:.lermap/store``).

    ``read_only`` opens an embedded store on disk without its write lock; only for a store nobody writes (a snapshot)."""
    return KnowledgeGraph(GraphStore(open_backend(selector or settings().store, read_only=read_only)))
