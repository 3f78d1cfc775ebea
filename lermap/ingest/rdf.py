"""Any RDF file (Turtle, N-Triples, RDF/XML, N-Quads, TriG, N3) as it is, bulk-loaded by the store.

Use it for data already in the core view, ontologies and exports. JSON-LD goes to the format
ingesters (which know their contexts); force ``--format rdf`` to load a JSON-LD file's triples as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from lermap.graph.jsonld import to_quads
from lermap.graph.terms import TripleTuple
from lermap.ingest.base import IngestContext, Ingester, Source
from lermap.ingest.jsonld import context_policy

_BY_SUFFIX = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".n3": ox.RdfFormat.N3,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
}
_DATASETS = {ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG, ox.RdfFormat.JSON_LD}


class RdfIngester(Ingester):
    name = "rdf"
    title = "RDF"
    version = "1"

    def sniff(self, source: Source) -> float:
        if source.is_dir:
            return 0.0
        fmt = _BY_SUFFIX.get(source.suffix)
        if fmt is None or fmt == ox.RdfFormat.JSON_LD:
            return 0.0
        return 0.2  # format ingesters that recognise the vocabulary inside should win

    def _format(self, source: Source, ctx: IngestContext) -> ox.RdfFormat:
        fmt = _BY_SUFFIX.get(source.suffix)
        if fmt is None:
            ctx.fail("(document)", f"unknown RDF file type {source.suffix!r}; use one of {', '.join(_BY_SUFFIX)}")
        return fmt

    def native_file(self, source: Source, ctx: IngestContext) -> tuple[Path, Any, str | None] | None:
        fmt = self._format(source, ctx)
        if fmt in _DATASETS or source.path is None:
            return None
        size = source.size()
        if size > source.limits.max_file_bytes:
            ctx.fail("(document)", f"{size:,} bytes is over the limit of {source.limits.max_file_bytes:,}")
        ctx.format_version = fmt.name
        return source.path, fmt, None

    def parse(self, source: Source, ctx: IngestContext) -> Iterable[ox.Quad]:
        fmt = self._format(source, ctx)
        ctx.format_version = fmt.name
        if fmt == ox.RdfFormat.JSON_LD:
            return to_quads(source.json(), source.key, policy=context_policy(ctx))
        quads = list(ox.parse(source.read_bytes(), format=fmt))
        if any(not isinstance(q.graph_name, ox.DefaultGraph) for q in quads):
            ctx.warn("(document)", "named graphs inside the file were merged into the source's graph")
        return quads

    def map(self, parsed: Iterable[ox.Quad], ctx: IngestContext) -> Iterator[TripleTuple]:
        for q in parsed:
            yield q.subject, q.predicate, q.object  # type: ignore[misc]
