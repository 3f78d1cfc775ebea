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
from typing import Any

import pandas as pd
from pyoxigraph import NamedNode

from lermap.analysis.alignment import MANUAL, PREDICATES, Mapping, MappingSet, curate, mappings_from_rows
from lermap.analysis.sssom_io import write_sssom
from lermap.errors import ConfigError, NotFoundError
from lermap.graph.sparql_text import read_query

CURATION_SOURCE = "https://w3id.org/lermap/curation"
CURATION_SET_ID = "https://w3id.org/lermap/mappings/curated"


def decisions(kg: Any) -> MappingSet:
    """Every curation decision in the store (empty when nobody has curated yet)."""
    graph = next((g for g in kg.store.catalog() if g.source == CURATION_SOURCE), None)
    if graph is None:
        return MappingSet([], CURATION_SET_ID)
    from lermap.service import python_value

    only = [NamedNode(graph.graph)]
    res = kg.store.backend.query(read_query("mappings"), None, only, only)
    df = pd.DataFrame([[python_value(t) for t in row] for row in res.rows], columns=res.variables)
    return MappingSet(mappings_from_rows(df).mappings, CURATION_SET_ID)


def decide(kg: Any, subject: str, obj: str, accept: bool, author: str, predicate: str | None = None,
           on: date | None = None) -> Mapping:
    """Record that ``author`` accepts or rejects the alignment ``subject`` → ``obj``; returns the decision.

    The pair may be a suggestion (pass its predicate, or the default related match is used), a recorded
    alignment, or a pair the curator maps by hand. A later decision on the same pair replaces the earlier one.
    """
    if not author.strip():
        raise ConfigError("a curation decision needs its author (a name, ORCID or other IRI)")
    if predicate is not None and predicate not in PREDICATES:
        raise ConfigError(f"predicate must be one of {', '.join(PREDICATES)}, not {predicate!r}")
    known = {frozenset((m.subject_id, m.object_id)): m for m in kg.alignments().mappings}
    base = known.get(frozenset((subject, obj)))
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


def _labels(kg: Any, iris: list[str]) -> dict[str, str | None]:
    """The IRIs that are in the graph, with a preferred label where they have one."""
    q = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
         "SELECT (SAMPLE(?l) AS ?label) WHERE { ?s ?p ?o . OPTIONAL { ?s skos:prefLabel ?l } } GROUP BY ?s")
    out: dict[str, str | None] = {}
    for iri in iris:
        rows = kg.select(q, {"s": NamedNode(iri)}).rows
        if rows:
            out[iri] = rows[0][0].value if rows[0][0] is not None else None
    return out


def _write(kg: Any, mappings: list[Mapping]) -> None:
    from lermap.ingest.base import IngestOptions, Source
    from lermap.ingest.pipeline import ingest_source

    buf = io.StringIO()
    write_sssom(MappingSet(sorted(mappings, key=lambda m: m.key), CURATION_SET_ID), buf, "tsv")
    ingest_source(kg.store, Source.from_bytes(CURATION_SOURCE, buf.getvalue().encode("utf-8")), "sssom", IngestOptions(), None)
