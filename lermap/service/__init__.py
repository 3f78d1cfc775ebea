"""The service layer: the one code path shared by the CLI, the API, the pages and notebooks.

:class:`KnowledgeGraph` gathers the topic modules of this package, each a mixin over :class:`~lermap.service.core.GraphCore`
(ingest, query, export, the per-state cache and the write lock): ``entities`` (lists, details, trees, search),
``ecosystem`` (the map, scorecards, principles), ``profiles`` (entity profiles, counts, search by kind), ``curation`` (alignments, curation, proposals, diffs), ``learning`` (skills,
occupations, pathways, wages, identity) and ``derived`` (products computed once per state and kept in the store).
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
from lermap.service.curation import CurationOps
from lermap.service.learning import LearningOps
from lermap.service.profiles import ProfileOps

__all__ = ["KnowledgeGraph", "check_context", "open_graph"]


class KnowledgeGraph(ProfileOps, CurationOps, LearningOps, BuildOps):
    """lermap's graph: ingest sources, query them, export them, and ask the analysis questions. Open one with
    :func:`open_graph`."""


def open_graph(selector: str | None = None, read_only: bool = False) -> KnowledgeGraph:
    """Open the graph named by a store selector (default: ``LERMAP_STORE`` or ``oxigraph:.lermap/store``).

    ``read_only`` opens an embedded store on disk without its write lock; only for a store nobody writes (a snapshot)."""
    return KnowledgeGraph(GraphStore(open_backend(selector or settings().store, read_only=read_only)))
