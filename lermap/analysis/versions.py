"""Compare two versions of a competency framework: competencies added, removed and reworded.

Competencies are matched by IRI first; those left over on both sides are matched by coded notation
(``skos:notation``), for publishers that mint new IRIs for every version.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from lermap.analysis.kg import Graph
from lermap.graph.sparql_text import read_query


@dataclass(frozen=True)
class CompetencyVersion:
    """One competency as one version states it."""

    iri: str
    labels: tuple[str, ...]  # every prefLabel, sorted (one per language, usually one)
    notation: str | None = None

    @property
    def label(self) -> str | None:
        return self.labels[0] if self.labels else None

    def to_dict(self) -> dict[str, Any]:
        return {"iri": self.iri, "label": self.label, "notation": self.notation}


@dataclass(frozen=True)
class Reworded:
    """A competency present in both versions whose wording changed."""

    before: CompetencyVersion
    after: CompetencyVersion
    matched_by: str  # "iri" or "notation"

    def to_dict(self) -> dict[str, Any]:
        return {"before": self.before.to_dict(), "after": self.after.to_dict(), "matched_by": self.matched_by}


@dataclass
class FrameworkDiff:
    """What changed between version A and version B of a framework."""

    graph_a: str
    graph_b: str
    added: list[CompetencyVersion] = field(default_factory=list)
    removed: list[CompetencyVersion] = field(default_factory=list)
    reworded: list[Reworded] = field(default_factory=list)
    unchanged: int = 0

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.reworded)

    def to_dict(self) -> dict[str, Any]:
        return {
            "graph_a": self.graph_a,
            "graph_b": self.graph_b,
            "added": [c.to_dict() for c in self.added],
            "removed": [c.to_dict() for c in self.removed],
            "reworded": [r.to_dict() for r in self.reworded],
            "unchanged": self.unchanged,
        }


def _graph_iri(kg: Graph, graph: str) -> str:
    return kg.store.find(graph).graph


def competencies(kg: Graph, graph: str) -> dict[str, CompetencyVersion]:
    """The competencies of one source's graph (graph IRI, source key or file name), by IRI."""
    rows = kg.select(read_query("framework-competencies"), {"graph": ox.NamedNode(_graph_iri(kg, graph))}).rows
    labels: dict[str, set[str]] = defaultdict(set)
    notations: dict[str, str] = {}
    for comp, label, notation in rows:
        if not isinstance(comp, ox.NamedNode):
            continue
        labels[comp.value]
        if isinstance(label, ox.Literal):
            labels[comp.value].add(label.value)
        if isinstance(notation, ox.Literal):
            notations.setdefault(comp.value, notation.value)
    return {iri: CompetencyVersion(iri, tuple(sorted(ls)), notations.get(iri)) for iri, ls in labels.items()}


def diff_frameworks(kg: Graph, graph_a: str, graph_b: str) -> FrameworkDiff:
    """Competencies added, removed and reworded from version ``graph_a`` to version ``graph_b``.

    ``graph_a`` / ``graph_b`` name ingested sources (graph IRI, source key or file name).
    A competency is reworded when its set of preferred labels differs between the versions.
    """
    a, b = competencies(kg, graph_a), competencies(kg, graph_b)
    pairs: list[tuple[CompetencyVersion, CompetencyVersion, str]] = [(a[i], b[i], "iri") for i in sorted(a.keys() & b.keys())]
    only_a = {i: c for i, c in a.items() if i not in b}
    only_b = {i: c for i, c in b.items() if i not in a}
    by_notation_b = _unique_by_notation(only_b.values())
    for iri, comp in sorted(_unique_by_notation(only_a.values()).items()):
        other = by_notation_b.get(iri)
        if other is not None:
            pairs.append((comp, other, "notation"))
            only_a.pop(comp.iri)
            only_b.pop(other.iri)
    diff = FrameworkDiff(_graph_iri(kg, graph_a), _graph_iri(kg, graph_b))
    diff.added = sorted(only_b.values(), key=lambda c: c.iri)
    diff.removed = sorted(only_a.values(), key=lambda c: c.iri)
    for before, after, how in pairs:
        if before.labels != after.labels:
            diff.reworded.append(Reworded(before, after, how))
        else:
            diff.unchanged += 1
    diff.reworded.sort(key=lambda r: r.after.iri)
    return diff


def _unique_by_notation(comps: Any) -> dict[str, CompetencyVersion]:
    """Competencies keyed by notation, leaving out notations that more than one competency shares."""
    seen: dict[str, list[CompetencyVersion]] = defaultdict(list)
    for c in comps:
        if c.notation:
            seen[c.notation].append(c)
    return {n: cs[0] for n, cs in seen.items() if len(cs) == 1}
