"""The frameworks and classifications of the graph as a catalogue: size, publisher, version, source, and how many
alignments join each to the others — what the frameworks page lists.

A scheme's publisher is the one it names itself (``dcterms:publisher``, ``schema:publisher``, ``ceasn:publisherName``)
or else the publisher of the dataset its source came from (the manifest ``data/datasets.yaml``, joined through the
store's catalogue). Curation decisions on a crosswalk are told apart from the crosswalk's other alignments by
:func:`is_decision`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from lermap.analysis.dto import Scheme
from lermap.analysis.kg import Graph, text
from lermap.ingest.sssom.mapping import MANUAL, Mapping


@dataclass
class FrameworkSummary:
    """One framework or classification as the frameworks page lists it."""

    id: str
    label: str
    concepts: int
    publisher: str | None = None
    version: str | None = None
    description: str | None = None
    source: str | None = None  # the file or document it was read from (its name)
    alignments: int = 0
    partners: list[tuple[str, int]] = field(default_factory=list)  # (other scheme, alignments between them), most first


def catalogue(kg: Graph, schemes: Sequence[Scheme], mappings: Iterable[Mapping]) -> list[FrameworkSummary]:
    """Every scheme with its publisher, version and source, and its alignments to other schemes; largest first."""
    by_graph = {g.graph: g.source for g in kg.sources() if not g.personal}
    # by the dataset's file (relative to the data folder): the catalogue may hold the source's path absolute or relative
    publishers = {"/" + str(r["file"]).strip("/"): str(r["publisher"]) for r in kg.rows("datasets")}
    declared: dict[str, dict[str, str | None]] = {}
    for r in kg.rows("scheme-sources"):
        found = declared.setdefault(str(r["scheme"]), {})
        source = by_graph.get(str(r["g"]))
        published = next((p for f, p in publishers.items() if ("/" + (source or "").rstrip("/")).endswith(f)), None)
        for key, value in (("publisher", text(r.get("publisher")) or published), ("version", text(r.get("version"))),
                           ("description", text(r.get("description"))), ("source", source)):
            if value and not found.get(key):
                found[key] = value
    pairs: Counter[tuple[str, str]] = Counter()
    for m in mappings:
        if m.subject_source and m.object_source and m.subject_source != m.object_source:
            pairs[(m.subject_source, m.object_source)] += 1
            pairs[(m.object_source, m.subject_source)] += 1
    out = []
    for s in schemes:
        facts = declared.get(s.id, {})
        partners = sorted(((b, n) for (a, b), n in pairs.items() if a == s.id), key=lambda t: (-t[1], t[0]))
        source = facts.get("source")
        out.append(FrameworkSummary(s.id, s.label or s.id, s.concepts, facts.get("publisher"), facts.get("version"), facts.get("description"),
                                    source.rstrip("/").rsplit("/", 1)[-1] if source else None, sum(n for _, n in partners), partners))
    return out


def is_decision(m: Mapping) -> bool:
    """Whether an alignment is a curator's accept / reject decision (see :mod:`lermap.analysis.curation`)."""
    return m.mapping_justification == MANUAL and bool(m.author_id) and (m.comment or "").startswith(("accepted", "rejected"))


def undecided(suggestions: Iterable[Mapping], decisions: Iterable[Mapping]) -> list[Mapping]:
    """The suggestions no curator has decided on yet (either direction of the pair)."""
    decided = {frozenset((m.subject_id, m.object_id)) for m in decisions}
    return [m for m in suggestions if frozenset((m.subject_id, m.object_id)) not in decided]
