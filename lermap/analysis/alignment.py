"""Alignments as one SSSOM-shaped mapping set: harvest, chain, curate, measure, export.

Every alignment an ingester recorded is an ``sssom:Mapping`` in the core view; :func:`harvest` reads
them all into a :class:`MappingSet`. Functions here take and return plain values (networkx style).

>>> m = Mapping("ex:a", "skos:exactMatch", "ex:b", confidence=0.9)
>>> n = Mapping("ex:b", "skos:broadMatch", "ex:c", confidence=0.5)
>>> chained = chain([m, n])
>>> chained[0].predicate_id, round(chained[0].confidence, 2)
('skos:broadMatch', 0.45)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date

from lermap.analysis.kg import Graph, Row, text
from lermap.graph.vocab import SEMAPV
from lermap.ingest.sssom.mapping import BROAD, CLOSE, EXACT, MANUAL, NARROW, PREDICATES, RELATED, Mapping, MappingSet, compact

CHAINING = f"semapv:{SEMAPV.MappingChaining.value.rsplit('/', 1)[-1]}"

# What two steps compose to. Broad or narrow steps never become exact; unlisted pairs don't chain.
_COMPOSE: dict[tuple[str, str], str] = {
    (EXACT, EXACT): EXACT,
    (EXACT, CLOSE): CLOSE, (CLOSE, EXACT): CLOSE, (CLOSE, CLOSE): CLOSE,
    (EXACT, BROAD): BROAD, (BROAD, EXACT): BROAD, (BROAD, BROAD): BROAD, (CLOSE, BROAD): BROAD, (BROAD, CLOSE): BROAD,
    (EXACT, NARROW): NARROW, (NARROW, EXACT): NARROW, (NARROW, NARROW): NARROW, (CLOSE, NARROW): NARROW, (NARROW, CLOSE): NARROW,
    (EXACT, RELATED): RELATED, (RELATED, EXACT): RELATED,
}


def harvest(kg: Graph) -> MappingSet:
    """Every alignment recorded in the graph as one mapping set (one row per mapping node).

    Where a person curated a pair (:mod:`lermap.analysis.curation`), the curation replaces what was recorded or
    suggested for that pair: an accepted mapping with its (possibly corrected) predicate, a rejected one with
    confidence 0 (kept, so that the decision is visible and filtered by ``min_confidence``)."""
    found = mappings_from_rows(kg.rows("mappings"))
    curated = [m for m in found.mappings if m.mapping_justification == MANUAL and m.author_id and (m.comment or "").startswith(("accepted", "rejected"))]
    decided = {frozenset((m.subject_id, m.object_id)) for m in curated}
    if not decided:
        return found
    kept = [m for m in found.mappings if m in curated or frozenset((m.subject_id, m.object_id)) not in decided]
    return MappingSet(sorted(kept, key=lambda m: m.key))


def mappings_from_rows(rows: Iterable[Row]) -> MappingSet:
    """Mappings from the rows of ``mappings.rq`` (first row per mapping node wins)."""
    seen: dict[str, Mapping] = {}
    for row in rows:
        node = str(row["mapping"])
        if node in seen:
            continue
        conf, when = row.get("confidence"), row.get("date")
        seen[node] = Mapping(
            subject_id=str(row["subject"]),
            predicate_id=compact(str(row["predicate"])),
            object_id=str(row["object"]),
            mapping_justification=compact(str(row.get("justification") or SEMAPV.UnspecifiedMatching.value)),
            confidence=float(conf) if conf is not None else None,
            subject_label=text(row.get("subject_label")),
            object_label=text(row.get("object_label")),
            author_id=text(row.get("author")),
            mapping_date=str(when)[:10] if when else None,
            subject_source=text(row.get("subject_scheme")),
            object_source=text(row.get("object_scheme")),
            subject_source_version=text(row.get("subject_version")),
            object_source_version=text(row.get("object_version")),
            native_predicate=text(row.get("native")),
            comment=text(row.get("comment")),
        )
    return MappingSet(sorted(seen.values(), key=lambda m: m.key))


def chain(mappings: Iterable[Mapping], max_steps: int = 2) -> list[Mapping]:
    """Mappings implied by chaining explicit ones (A→B, B→C ⇒ A→C), confidences multiplied.

    Both directions of each mapping are followed (an exact match is symmetric, broad inverts to
    narrow). Pairs the composition table doesn't list (e.g. broad then narrow) are not chained.
    """
    edges: dict[str, list[Mapping]] = defaultdict(list)
    direct = set()
    for m in mappings:
        for e in (m, m.inverse()):
            edges[e.subject_id].append(e)
            direct.add((e.subject_id, e.object_id))
    out: dict[tuple[str, str, str], Mapping] = {}
    for first_list in list(edges.values()):
        for first in first_list:
            frontier = [(first, [first])]
            for _ in range(max_steps - 1):
                nxt = []
                for current, path in frontier:
                    for step in edges.get(current.object_id, []):
                        if step.object_id == path[0].subject_id or any(step.object_id == p.subject_id for p in path):
                            continue
                        pred = _COMPOSE.get((current.predicate_id, step.predicate_id))
                        if pred is None:
                            continue
                        conf = (current.confidence if current.confidence is not None else 1.0) * (step.confidence if step.confidence is not None else 1.0)
                        made = Mapping(
                            subject_id=path[0].subject_id, predicate_id=pred, object_id=step.object_id, mapping_justification=CHAINING,
                            confidence=conf, subject_label=path[0].subject_label, object_label=step.object_label,
                            subject_source=path[0].subject_source, object_source=step.object_source,
                            derivation=tuple(f"{p.subject_id} {p.predicate_id} {p.object_id}" for p in [*path, step]),
                        )
                        if (made.subject_id, made.object_id) in direct:
                            continue
                        old = out.get(made.key)
                        if old is None or (old.confidence or 0) < conf:
                            out[made.key] = made
                        nxt.append((made, [*path, step]))
                frontier = nxt
    return sorted(out.values(), key=lambda m: m.key)


def curate(mapping: Mapping, accept: bool, author: str, on: date | None = None, predicate: str | None = None) -> Mapping:
    """A suggestion accepted (confidence 1) or rejected (confidence 0) by a person: manual curation.
    The curator may correct the predicate (e.g. a suggested related match that is really exact)."""
    if predicate is not None and predicate not in PREDICATES:
        raise ValueError(f"predicate must be one of {', '.join(PREDICATES)}")
    return replace(mapping, predicate_id=predicate or mapping.predicate_id, mapping_justification=MANUAL, confidence=1.0 if accept else 0.0, author_id=author,
                   mapping_date=(on or date.today()).isoformat(),
                   comment=("accepted" if accept else "rejected") + (f"; was {mapping.mapping_justification}" if mapping.mapping_justification != MANUAL else ""))


def coverage(mappings: MappingSet, subjects: Sequence[str], predicates: Sequence[str] = (EXACT, CLOSE)) -> float:
    """Share of ``subjects`` that have at least one mapping with one of ``predicates``."""
    if not subjects:
        return 0.0
    mapped = {m.subject_id for m in mappings.mappings if m.predicate_id in predicates} | {
        m.object_id for m in mappings.mappings if m.predicate_id in predicates}
    return sum(1 for s in subjects if s in mapped) / len(subjects)


def conflicts(mappings: MappingSet) -> list[tuple[str, str, list[str]]]:
    """Subjects exact-matched to two or more objects of one scheme: (subject, scheme, objects)."""
    by: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m in mappings.mappings:
        if m.predicate_id == EXACT and (m.confidence is None or m.confidence > 0):
            by[(m.subject_id, m.object_source or "")].add(m.object_id)
    return sorted((s, scheme, sorted(objs)) for (s, scheme), objs in by.items() if len(objs) > 1)


def agreement(a: MappingSet, b: MappingSet) -> dict[str, float]:
    """How far two mapping sets agree on (subject, object) pairs: Jaccard and predicate agreement."""
    pa = {(m.subject_id, m.object_id): m.predicate_id for m in a.mappings}
    pb = {(m.subject_id, m.object_id): m.predicate_id for m in b.mappings}
    both = pa.keys() & pb.keys()
    union = pa.keys() | pb.keys()
    same = sum(1 for k in both if pa[k] == pb[k])
    return {
        "jaccard": len(both) / len(union) if union else 1.0,
        "shared_pairs": float(len(both)),
        "predicate_agreement": same / len(both) if both else 0.0,
    }
