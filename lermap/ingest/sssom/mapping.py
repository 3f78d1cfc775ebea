"""SSSOM mapping records (:class:`Mapping`, :class:`MappingSet`) and their core view: a reified ``sssom:Mapping``.

Every alignment in lermap has this shape, whoever recorded it: the ``sssom`` format reads files into it,
:mod:`lermap.analysis.alignment` harvests the graph's mappings into it, and :mod:`.write` writes it out.

>>> m = Mapping("ex:a", BROAD, "ex:b", confidence=0.8)
>>> m.inverse().predicate_id, expand("skos:exactMatch")
('skos:narrowMatch', 'http://www.w3.org/2004/02/skos/core#exactMatch')
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace

import pandas as pd
from pyoxigraph import NamedNode

from lermap.errors import ConfigError
from lermap.graph.terms import TripleTuple, is_iri, lit, minted
from lermap.graph.vocab import LERMAP, OWL, RDF, SEMAPV, SKOS, SSSOM, XSD
from lermap.ingest.base import IngestContext

EXACT, CLOSE, BROAD, NARROW, RELATED = (f"skos:{p}" for p in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch"))
PREDICATES = (EXACT, CLOSE, BROAD, NARROW, RELATED)
MANUAL = "semapv:ManualMappingCuration"

_INVERSE = {EXACT: EXACT, CLOSE: CLOSE, BROAD: NARROW, NARROW: BROAD, RELATED: RELATED}

PREFIXES = {
    "skos": SKOS.base,
    "semapv": SEMAPV.base,
    "owl": "http://www.w3.org/2002/07/owl#",
    "ceasn": "https://purl.org/ctdlasn/terms/",
    "ceterms": "https://purl.org/ctdl/terms/",
    "schema": "https://schema.org/",
    "esco": "http://data.europa.eu/esco/",
    "lermap": "https://w3id.org/lermap/",
    "orcid": "https://orcid.org/",
}


def compact(iri: str) -> str:
    """A CURIE for IRIs in a known namespace, else the IRI unchanged."""
    for prefix, base in PREFIXES.items():
        if iri.startswith(base) and len(iri) > len(base):
            return f"{prefix}:{iri[len(base):]}"
    return iri


def expand(curie: str) -> str:
    prefix, sep, local = curie.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return curie


@dataclass(frozen=True)
class Mapping:
    """One alignment, SSSOM-shaped. Identifiers are IRIs or CURIEs; predicates are SKOS CURIEs."""

    subject_id: str
    predicate_id: str
    object_id: str
    mapping_justification: str = MANUAL
    confidence: float | None = None
    subject_label: str | None = None
    object_label: str | None = None
    author_id: str | None = None
    mapping_date: str | None = None
    subject_source: str | None = None
    object_source: str | None = None
    subject_source_version: str | None = None
    object_source_version: str | None = None
    native_predicate: str | None = None
    comment: str | None = None
    derivation: tuple[str, ...] = field(default_factory=tuple)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.subject_id, self.predicate_id, self.object_id)

    def inverse(self) -> Mapping:
        return replace(self, subject_id=self.object_id, object_id=self.subject_id, predicate_id=_INVERSE.get(self.predicate_id, RELATED),
                       subject_label=self.object_label, object_label=self.subject_label, subject_source=self.object_source,
                       object_source=self.subject_source)


@dataclass
class MappingSet:
    """A list of mappings with set-level metadata."""

    mappings: list[Mapping]
    mapping_set_id: str = "https://w3id.org/lermap/mappings/harvested"
    license: str = "https://creativecommons.org/licenses/by/4.0/"

    def __len__(self) -> int:
        return len(self.mappings)

    def to_dataframe(self) -> pd.DataFrame:
        """One row per mapping with SSSOM column names (empty columns dropped)."""
        rows = []
        for m in self.mappings:
            row = asdict(m)
            row["derivation"] = "|".join(m.derivation) if m.derivation else None
            rows.append(row)
        df = pd.DataFrame(rows, columns=list(Mapping.__dataclass_fields__))
        return df.dropna(axis=1, how="all")

    def filter(self, subject: str | None = None, object: str | None = None, scheme: str | None = None, predicate: str | None = None,
               min_confidence: float | None = None, subject_source: str | None = None, object_source: str | None = None,
               between: tuple[str, str] | None = None) -> MappingSet:
        """The one alignment filter (API, pages, CLI and notebooks use it). ``subject`` matches either side and turns
        each row so that it comes first; ``scheme`` either side's source; ``between`` the rows linking two schemes
        (either way); a mapping without confidence counts as 1.0 against ``min_confidence``.

        >>> m = Mapping("ex:a", "skos:exactMatch", "ex:b", "semapv:ManualMappingCuration", subject_source="ex:A", object_source="ex:B")
        >>> [(r.subject_id, r.object_id) for r in MappingSet([m]).filter(subject="ex:b").mappings]
        [('ex:b', 'ex:a')]
        """
        if predicate is not None and predicate not in PREDICATES:
            raise ConfigError(f"predicate must be one of {', '.join(PREDICATES)}")
        keep = []
        for m in self.mappings:
            if subject and subject not in (m.subject_id, m.object_id):
                continue
            if object and m.object_id != object:
                continue
            if scheme and scheme not in (m.subject_source, m.object_source):
                continue
            if between and {m.subject_source, m.object_source} != set(between) and (m.subject_source, m.object_source) != between:
                continue
            if subject_source is not None and m.subject_source != subject_source:
                continue
            if object_source is not None and m.object_source != object_source:
                continue
            if predicate and m.predicate_id != predicate:
                continue
            if min_confidence is not None and (m.confidence if m.confidence is not None else 1.0) < min_confidence:
                continue
            keep.append(m if not subject or m.subject_id == subject else m.inverse())
        return MappingSet(keep, self.mapping_set_id, self.license)


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


def crosswalk_triples(m: Mapping, where: str, ctx: IngestContext) -> Iterator[TripleTuple]:
    """A publisher's crosswalk row: the direct SKOS triple (what queries and chains follow) and its reified mapping
    (where its provenance is)."""
    yield NamedNode(expand(m.subject_id)), NamedNode(expand(m.predicate_id)), NamedNode(expand(m.object_id))
    yield from mapping_triples(m, where, ctx)
