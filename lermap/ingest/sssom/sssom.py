"""SSSOM mapping sets (TSV, JSON or RDF) as alignments in the core view.

Each mapping becomes the same reified ``sssom:Mapping`` the other ingesters write, so it is harvested,
chained, filtered and exported with everything else, its justification, confidence, author and date kept.
This is how a curated or externally published crosswalk enters the graph, and how lermap's own curation
decisions are stored (:mod:`lermap.analysis.curation`). Parsing is the ``sssom`` library's.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

from lermap.graph.terms import TripleTuple
from lermap.ingest.base import IngestContext, Ingester, Source
from lermap.ingest.sssom.mapping import MappingSet, mapping_triples
from lermap.ingest.sssom.read import read_sssom, sssom_format_of

_SUFFIXES = (".sssom.tsv", ".sssom.json", ".sssom.ttl")


class SssomIngester(Ingester):
    name = "sssom"
    title = "SSSOM mapping set"
    version = "1"

    def sniff(self, source: Source) -> float:
        if source.is_dir:
            return 0.0
        if source.name.lower().endswith(_SUFFIXES):
            return 0.95
        if source.suffix == ".tsv":
            lines = [ln for ln in source.head(8192).decode("utf-8", "replace").splitlines() if not ln.startswith("#")]
            if lines and {"subject_id", "predicate_id", "object_id"} <= set(lines[0].split("\t")):
                return 0.9
        return 0.0

    def parse(self, source: Source, ctx: IngestContext) -> MappingSet:
        fmt = sssom_format_of(source.name)
        ctx.format_version = fmt
        data = source.read_bytes()
        with tempfile.TemporaryDirectory(prefix="lermap-sssom-") as tmp:  # the sssom parsers read files
            path = Path(tmp) / ("mappings" + {"tsv": ".tsv", "json": ".json", "rdf": ".ttl"}[fmt])
            path.write_bytes(data)
            try:
                return read_sssom(path, fmt)
            except Exception as exc:  # noqa: BLE001 - the sssom parsers raise many types for a bad file
                ctx.fail("(document)", f"not a readable SSSOM {fmt.upper()} mapping set: {type(exc).__name__}: {str(exc)[:300]}")

    def map(self, parsed: MappingSet, ctx: IngestContext) -> Iterator[TripleTuple]:
        if not parsed.mappings:
            ctx.warn("(document)", "the mapping set holds no mappings")
        for i, m in enumerate(parsed.mappings):
            yield from mapping_triples(m, f"mapping {i + 1} ({m.subject_id} {m.predicate_id} {m.object_id})", ctx)
