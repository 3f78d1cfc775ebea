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

from pyoxigraph import NamedNode

from lermap.analysis.alignment import Mapping, MappingSet, expand
from lermap.analysis.sssom_io import read_sssom, sssom_format_of
from lermap.graph.terms import TripleTuple, is_iri, lit, minted
from lermap.graph.vocab import LERMAP, OWL, RDF, SSSOM, XSD
from lermap.ingest.base import IngestContext, Ingester, Source

_SUFFIXES = (".sssom.tsv", ".sssom.json", ".sssom.ttl")
# an unexpanded CURIE ("nope:a") is a syntactically valid IRI: only these schemes are taken as IRIs
_IRI_SCHEMES = frozenset({"http", "https", "urn", "did", "tag", "mailto", "ftp", "file"})


def mapping_triples(m: Mapping, where: str, ctx: IngestContext) -> Iterator[TripleTuple]:
    """One mapping as a reified ``sssom:Mapping`` (its node IRI derived from subject, predicate, object)."""
    subject, predicate, obj = expand(m.subject_id), expand(m.predicate_id), expand(m.object_id)
    for name, value in (("subject_id", subject), ("predicate_id", predicate), ("object_id", obj)):
        if not is_iri(value) or value.split(":", 1)[0].lower() not in _IRI_SCHEMES:
            ctx.fail(where, f"{name} {value[:80]!r} is not an IRI (a CURIE whose prefix is not in the file's curie map?)")
    node = minted("mapping", subject, predicate, obj)
    yield node, RDF.type, SSSOM.Mapping
    yield node, OWL.annotatedSource, NamedNode(subject)
    yield node, OWL.annotatedProperty, NamedNode(predicate)
    yield node, OWL.annotatedTarget, NamedNode(obj)
    justification = expand(m.mapping_justification)
    if is_iri(justification):
        yield node, SSSOM.mapping_justification, NamedNode(justification)
    if m.confidence is not None:
        if not 0.0 <= m.confidence <= 1.0:
            ctx.fail(where, f"confidence {m.confidence} is outside [0, 1]")
        yield node, SSSOM.confidence, lit(float(m.confidence))
    if m.author_id:
        author = expand(m.author_id)
        yield node, SSSOM.author_id, NamedNode(author) if is_iri(author) else lit(author)
    if m.mapping_date:
        yield node, SSSOM.mapping_date, lit(m.mapping_date[:10], datatype=XSD.date)
    texts: tuple[tuple[NamedNode, str | None], ...] = ((SSSOM.subject_label, m.subject_label), (SSSOM.object_label, m.object_label),
                        (SSSOM.subject_source_version, m.subject_source_version), (SSSOM.object_source_version, m.object_source_version),
                        (SSSOM.comment, m.comment), (LERMAP.derivation, " | ".join(m.derivation) if m.derivation else None))
    for pred, text in texts:
        if text:
            yield node, pred, lit(text)
    iris: tuple[tuple[NamedNode, str | None], ...] = ((SSSOM.subject_source, m.subject_source), (SSSOM.object_source, m.object_source),
                                                      (LERMAP.nativePredicate, m.native_predicate))
    for pred, iri in iris:
        if iri and is_iri(expand(iri)):
            yield node, pred, NamedNode(expand(iri))


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
