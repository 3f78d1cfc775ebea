"""lermap: the knowledge graph and relational map of the Learning & Employment Records ecosystem.

>>> import lermap
>>> kg = lermap.open_graph("memory:")
>>> kg.sources()
[]

``open_graph`` and ``KnowledgeGraph`` are loaded on first use, so that a process needing only one sub-module (a
query worker, :mod:`lermap.graph.query_worker`) does not pay for the whole service layer and pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lermap.service import KnowledgeGraph, open_graph

__version__ = "0.1.0"
__all__ = ["KnowledgeGraph", "__version__", "open_graph"]


if not TYPE_CHECKING:  # hidden from the type checker, so that a misspelt `from lermap import X` is still an error

    def __getattr__(name: str) -> Any:
        if name in {"KnowledgeGraph", "open_graph"}:
            from lermap import service

            return getattr(service, name)
        raise AttributeError(f"module 'lermap' has no attribute {name!r}")
