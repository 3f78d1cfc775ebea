"""The ingester base class of the ``ctdl`` and ``ctdl-asn`` formats: parse = the source read to native triples,
map = the native layer plus the core view built by the format's builders."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from lermap.graph.terms import TripleTuple
from lermap.ingest.base import IngestContext, Ingester, Source
from lermap.ingest.ctdl.mapping import core_view
from lermap.ingest.ctdl.read import jsonld_triples, looks_like_turtle, read_json, turtle_triples


class CtdlBaseIngester(Ingester):
    """parse: the source to namespace-normalised native triples; map: those plus the core view."""

    title: ClassVar[str]
    # The core-view builders this ingester runs, in order; each takes the Core and adds to it.
    builders: ClassVar[tuple[Any, ...]] = ()

    def parse(self, source: Source, ctx: IngestContext) -> list[TripleTuple]:
        if source.is_dir:
            ctx.fail("(document)", f"{self.title} reads one file at a time, not a folder")
        head = source.head(2048).decode("utf-8", "replace")
        if source.suffix in {".ttl", ".turtle"} or looks_like_turtle(head):
            ctx.format_version = "turtle"
            triples = turtle_triples(source, ctx)
        else:
            ctx.format_version = "json-ld"
            triples = jsonld_triples(read_json(source, ctx), source, ctx)
        if not triples:
            ctx.warn("(document)", "the document expands to no triples (its terms are not defined by its context)")
        return triples

    def map(self, parsed: list[TripleTuple], ctx: IngestContext) -> Iterator[TripleTuple]:
        yield from parsed
        yield from core_view(parsed, ctx, self.builders)
