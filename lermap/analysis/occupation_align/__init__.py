"""Occupation scheme ↔ occupation scheme alignment that uses what the graph knows: every label, definition and task,
and the group crosswalks it holds (ISCO-08 ↔ SOC 2010 ↔ SOC 2018 ...), ranked by a model learnt on human-checked pairs.

:func:`suggest_occupations` is what ``lermap align`` and :meth:`KnowledgeGraph.suggest_alignments` use when both schemes
hold occupations (:func:`is_occupation_scheme`); see :mod:`.align` for the steps.
"""

from __future__ import annotations

from pyoxigraph import NamedNode

from lermap.analysis.kg import Graph, number
from lermap.analysis.occupation_align.align import METHODS, suggest_occupations

__all__ = ["METHODS", "is_occupation_scheme", "suggest_occupations"]


def is_occupation_scheme(kg: Graph, scheme: str) -> bool:
    """True when most concepts of ``scheme`` are occupations (``schema:Occupation``); the groups a classification
    publishes in the same scheme (ESCO's ISCO groups) do not change that."""
    rows = kg.rows("scheme-kind", {"scheme": NamedNode(scheme)})
    if not rows:
        return False
    concepts, occupations = number(rows[0]["concepts"]) or 0, number(rows[0]["occupations"]) or 0
    return occupations > 0 and occupations >= 0.5 * concepts
