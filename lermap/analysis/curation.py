"""Curation: a person accepts or rejects a suggested (or recorded) alignment, and the decision is kept.

Decisions live in the store as one SSSOM mapping set, the source ``CURATION_SOURCE``: each decision is a
mapping with justification ``semapv:ManualMappingCuration``, the curator as author, the date, confidence 1
(accepted) or 0 (rejected) and a comment saying which and what it was before. Every decision rewrites that
source through the ordinary ingest pipeline (the ``sssom`` ingester), so it is atomic and has provenance like
any other source. :func:`~lermap.analysis.alignment.harvest` lets a decision override what was recorded or
suggested for the same pair, and :meth:`KnowledgeGraph.suggest_alignments` no longer proposes rejected pairs.
"""

from __future__ import annotations

import io
from datetime import date

from pyoxigraph import NamedNode

from lermap.analysis.alignment import curate, mappings_from_rows
from lermap.analysis.kg import Graph
from lermap.errors import ConfigError, NotFoundError
from lermap.graph.sparql_text import read_query
from lermap.graph.store import SelectResult
from lermap.ingest.base import IngestOptions, Source
from lermap.ingest.pipeline import ingest_source
from lermap.ingest.sssom.mapping import MANUAL, PREDICATES, Mapping, MappingSet
from lermap.ingest.sssom.write import write_sssom

CURATION_SOURCE = "https://w3id.org/lermap/curation"
CURATION_SET_ID = "https://w3id.org/lermap/mappings/curated"


def decisions(kg: Graph) -> MappingSet:
    """Every curation decision in the store (empty when nobody has curated yet)."""
    graph = next((g for g in kg.sources() if g.source == CURATION_SOURCE), None)
    if graph is None:
        return MappingSet([], CURATION_SET_ID)
    res = kg.store.query_graphs(read_query("mappings"), [NamedNode(graph.graph)])
    assert isinstance(res, SelectResult)
    return MappingSet(mappings_from_rows(res.records()).mappings, CURATION_SET_ID)


def decide(kg: Graph, known: MappingSet, subject: str, obj: str, accept: bool, author: str, predicate: str | None = None,
           on: date | None = None) -> Mapping:
    """Record that ``author`` accepts or rejects the alignment ``subject`` → ``obj``; returns the decision.

    ``known`` are the graph's alignments (:meth:`KnowledgeGraph.alignments`), where the pair is looked up.

    The pair may be a suggestion (pass its predicate, or the default related match is used), a recorded
    alignment, or a pair the curator maps by hand. A later decision on the same pair replaces the earlier one.
    """
    if not author.strip():
        raise ConfigError("a curation decision needs its author (a name, ORCID or other IRI)")
    if predicate is not None and predicate not in PREDICATES:
        raise ConfigError(f"predicate must be one of {', '.join(PREDICATES)}, not {predicate!r}")
    by_pair = {frozenset((m.subject_id, m.object_id)): m for m in known.mappings}
    base = by_pair.get(frozenset((subject, obj)))
    if base is not None and base.subject_id != subject:
        base = base.inverse()
    if base is None:
        labels = _labels(kg, [subject, obj])
        if not labels:
            raise NotFoundError(f"neither {subject} nor {obj} is in the graph")
        base = Mapping(subject, predicate or "skos:relatedMatch", obj, mapping_justification=MANUAL,
                       subject_label=labels.get(subject), object_label=labels.get(obj))
    made = curate(base, accept, author.strip(), on=on, predicate=predicate)
    current = [m for m in decisions(kg).mappings if frozenset((m.subject_id, m.object_id)) != frozenset((subject, obj))]
    _write(kg, [*current, made])
    return made


def _labels(kg: Graph, iris: list[str]) -> dict[str, str | None]:
    """The IRIs that are in the graph, with a preferred label where they have one."""
    q = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
         "SELECT (SAMPLE(?l) AS ?label) WHERE { ?s ?p ?o . OPTIONAL { ?s skos:prefLabel ?l } } GROUP BY ?s")
    out: dict[str, str | None] = {}
    for iri in iris:
        rows = kg.select(q, {"s": NamedNode(iri)}).records()
        if rows:
            label = rows[0]["label"]
            out[iri] = None if label is None else str(label)
    return out


def _write(kg: Graph, mappings: list[Mapping]) -> None:
    buf = io.StringIO()
    write_sssom(MappingSet(sorted(mappings, key=lambda m: m.key), CURATION_SET_ID), buf, "tsv")
    ingest_source(kg.store, Source.from_bytes(CURATION_SOURCE, buf.getvalue().encode("utf-8")), "sssom", IngestOptions(), None)
