"""lermap: the knowledge graph and relational map of the Learning & Employment Records ecosystem.

>>> import lermap
>>> kg = lermap.open_graph("memory:")
>>> kg.sources()
[]
"""

from lermap.service import KnowledgeGraph, open_graph

__version__ = "0.1.0"
__all__ = ["KnowledgeGraph", "__version__", "open_graph"]
