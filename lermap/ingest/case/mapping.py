"""The CASE records shared by the CASE JSON and CASE CSV ingesters, and their mapping to the core view.

Both ``case`` (CFPackage JSON) and ``case-csv`` (OpenSALT's CSV layouts) read their source into a
:class:`CasePackage`; :func:`package_triples` turns it into triples:

* the CFDocument → ``ceasn:CompetencyFramework`` + ``skos:ConceptScheme`` (title → ``skos:prefLabel``,
  creator/publisher → ``schema:Organization`` nodes shared with the directory by name);
* each CFItem → ``ceasn:Competency`` + ``skos:Concept`` in that scheme: fullStatement → ``skos:prefLabel``,
  humanCodingScheme → ``skos:notation``, abbreviatedStatement / alternativeLabel → ``skos:altLabel``,
  CFItemType → ``ceasn:competencyCategory``, educationLevel → ``schema:educationalLevel``,
  conceptKeywords → ``schema:keywords``, notes → ``skos:note``, identifier → ``dcterms:identifier``;
* ``isChildOf`` between two nodes of the package → structure: ``skos:broader``/``skos:narrower`` between
  items, ``skos:topConceptOf``/``skos:hasTopConcept`` for children of the document;
* every other association (and an ``isChildOf`` reaching outside the package) → a reified ``sssom:Mapping``
  whose SKOS predicate comes from :data:`ASSOCIATION_PREDICATES`; the association type is kept verbatim as
  ``lermap:associationType`` and as ``lermap:nativePredicate`` text (CASE JSON has no RDF vocabulary, and
  ``ext:`` types are open-ended, so the native predicate is the type as written).

IRIs: the CASE ``uri`` when it is an absolute IRI, else ``urn:uuid:<identifier>`` for a GUID identifier, else
a minted IRI. Association ends are resolved against the package by identifier first, then by uri.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from lermap.graph.terms import TripleTuple, is_iri, lit, minted
from lermap.graph.vocab import CEASN, DCTERMS, LERMAP, OWL, RDF, SCHEMA, SEMAPV, SKOS, SSSOM, XSD
from lermap.ingest.base import IngestContext
from lermap.ingest.identifiers import organisation_iri

# CASE association type → SKOS mapping predicate, read as "origin <predicate> destination".
ASSOCIATION_PREDICATES: dict[str, NamedNode] = {
    "exactMatchOf": SKOS.exactMatch,
    "isTranslationOf": SKOS.closeMatch,
    "isChildOf": SKOS.broadMatch,  # only when it leaves the package; inside it is structure
    "isPartOf": SKOS.broadMatch,
    "isPeerOf": SKOS.relatedMatch,
    "isRelatedTo": SKOS.relatedMatch,
    "precedes": SKOS.relatedMatch,
    "replacedBy": SKOS.relatedMatch,
    "exemplar": SKOS.relatedMatch,
    "hasSkillLevel": SKOS.relatedMatch,
}
EXTENSION_PREDICATE = SKOS.relatedMatch  # for "ext:..." association types
CASE_FRAMEWORK = "CASE"

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")


def is_uuid(value: str) -> bool:
    return bool(_UUID.match(value))


@dataclass
class CaseRef:
    """A reference to a node (origin or destination of an association), as CASE's LinkGenURI."""

    identifier: str | None = None
    uri: str | None = None
    title: str | None = None


@dataclass
class CaseDocument:
    identifier: str
    title: str
    uri: str | None = None
    creator: str | None = None
    publisher: str | None = None
    description: str | None = None
    version: str | None = None
    language: str | None = None
    official_url: str | None = None
    adoption_status: str | None = None
    subjects: list[str] = field(default_factory=list)
    last_change: str | None = None
    notes: str | None = None
    mint_key: str = ""  # what minted IRIs derive from when the document has neither IRI nor GUID


@dataclass
class CaseItem:
    identifier: str
    full_statement: str
    where: str
    uri: str | None = None
    human_coding: str | None = None
    abbreviated: str | None = None
    alternative_label: str | None = None
    item_type: str | None = None
    education_levels: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    notes: str | None = None
    language: str | None = None
    last_change: str | None = None


@dataclass
class CaseAssociation:
    association_type: str
    origin: CaseRef
    destination: CaseRef
    where: str
    identifier: str | None = None
    uri: str | None = None


@dataclass
class CasePackage:
    document: CaseDocument
    items: list[CaseItem] = field(default_factory=list)
    associations: list[CaseAssociation] = field(default_factory=list)


def node_iri(uri: str | None, identifier: str | None, kind: str, scope: str) -> NamedNode:
    """The IRI of a CASE node: its uri, else ``urn:uuid:`` of a GUID identifier, else minted in ``scope``."""
    if uri and is_iri(uri):
        return NamedNode(uri)
    if identifier and is_uuid(identifier):
        return NamedNode(f"urn:uuid:{identifier.lower()}")
    return minted(kind, scope, identifier or uri or "")


def _when(value: str | None) -> Literal | None:
    if not value or not _DATETIME.match(value.strip()):
        return None
    return Literal(value.strip().replace(" ", "T", 1), datatype=XSD.dateTime)


class _Mapper:
    def __init__(self, pkg: CasePackage, ctx: IngestContext) -> None:
        self.pkg, self.ctx = pkg, ctx
        doc = pkg.document
        self.doc = node_iri(doc.uri, doc.identifier, "case-document", doc.mint_key)
        self.scope = self.doc.value
        self.by_id: dict[str, NamedNode] = {doc.identifier: self.doc}
        self.by_uri: dict[str, NamedNode] = {doc.uri: self.doc} if doc.uri else {}
        self.items: list[tuple[CaseItem, NamedNode]] = []
        for item in pkg.items:
            if item.identifier in self.by_id:
                ctx.warn(item.where, f"identifier {item.identifier!r} is used twice; the first item is kept")
                continue
            node = node_iri(item.uri, item.identifier, "case-item", self.scope)
            self.by_id[item.identifier] = node
            if item.uri:
                self.by_uri.setdefault(item.uri, node)
            self.items.append((item, node))
        self.author = self.organization(doc.creator)

    def resolve(self, ref: CaseRef) -> NamedNode | None:
        """The package node a reference names (identifier first, then uri), else ``None``."""
        if ref.identifier and ref.identifier in self.by_id:
            return self.by_id[ref.identifier]
        if ref.uri and ref.uri in self.by_uri:
            return self.by_uri[ref.uri]
        return None

    def organization(self, name: str | None) -> NamedNode | None:
        return organisation_iri(name) if name and name.strip() else None

    def lang_lit(self, text: str, lang: str | None) -> Literal:
        return lit(text, lang=lang) if lang and re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", lang) else lit(text)

    def framework(self) -> Iterator[TripleTuple]:
        d, s = self.pkg.document, self.doc
        yield s, RDF.type, CEASN.CompetencyFramework
        yield s, RDF.type, SKOS.ConceptScheme
        yield s, SKOS.prefLabel, self.lang_lit(d.title, d.language)
        yield s, SCHEMA.name, self.lang_lit(d.title, d.language)
        yield s, DCTERMS.identifier, lit(d.identifier)
        for pred, text in ((SCHEMA.creator, d.creator), (SCHEMA.publisher, d.publisher)):
            org = self.organization(text)
            if org is not None and text:
                yield s, pred, org
                yield org, RDF.type, SCHEMA.Organization
                yield org, SKOS.prefLabel, lit(text.strip())
                yield org, SCHEMA.name, lit(text.strip())
        if d.description:
            yield s, SCHEMA.description, self.lang_lit(d.description, d.language)
        if d.version:
            yield s, SCHEMA.version, lit(d.version)
        if d.language:
            yield s, SCHEMA.inLanguage, lit(d.language)
        if d.official_url and is_iri(d.official_url):
            yield s, SCHEMA.url, NamedNode(d.official_url)
        if d.notes:
            yield s, SKOS.note, lit(d.notes)
        for subject in d.subjects:
            yield s, SCHEMA.about, lit(subject)
        if (when := _when(d.last_change)) is not None:
            yield s, SCHEMA.dateModified, when

    def item(self, item: CaseItem, s: NamedNode) -> Iterator[TripleTuple]:
        lang = item.language or self.pkg.document.language
        yield s, RDF.type, CEASN.Competency
        yield s, RDF.type, SKOS.Concept
        yield s, SKOS.inScheme, self.doc
        yield s, SKOS.prefLabel, self.lang_lit(item.full_statement, lang)
        yield s, DCTERMS.identifier, lit(item.identifier)
        if item.human_coding:
            yield s, SKOS.notation, lit(item.human_coding)
        for alt in (item.abbreviated, item.alternative_label):
            if alt:
                yield s, SKOS.altLabel, self.lang_lit(alt, lang)
        if item.item_type:
            yield s, CEASN.competencyCategory, lit(item.item_type)
        for level in item.education_levels:
            yield s, SCHEMA.educationalLevel, lit(level)
        for word in item.keywords:
            yield s, SCHEMA.keywords, lit(word)
        if item.notes:
            yield s, SKOS.note, lit(item.notes)
        if (when := _when(item.last_change)) is not None:
            yield s, SCHEMA.dateModified, when

    def association(self, a: CaseAssociation) -> Iterator[TripleTuple]:
        origin, dest = self.resolve(a.origin), self.resolve(a.destination)
        if a.association_type == "isChildOf" and origin is not None and dest is not None and origin != self.doc:
            if dest == self.doc:
                yield origin, SKOS.topConceptOf, dest
                yield dest, SKOS.hasTopConcept, origin
            else:
                yield origin, SKOS.broader, dest
                yield dest, SKOS.narrower, origin
            return
        yield from self.mapping(a, origin, dest)

    def _endpoint(self, ref: CaseRef) -> NamedNode | None:
        if ref.uri and is_iri(ref.uri):
            return NamedNode(ref.uri)
        if ref.identifier and is_uuid(ref.identifier):
            return NamedNode(f"urn:uuid:{ref.identifier.lower()}")
        if ref.identifier or ref.title:
            return minted("target", CASE_FRAMEWORK, ref.identifier or ref.title or "")
        return None

    def mapping(self, a: CaseAssociation, origin: NamedNode | None, dest: NamedNode | None) -> Iterator[TripleTuple]:
        atype = a.association_type
        predicate = ASSOCIATION_PREDICATES.get(atype)
        if predicate is None:
            if not atype.startswith("ext:"):
                self.ctx.warn(a.where, f"unknown associationType {atype!r}: read as skos:relatedMatch")
            predicate = EXTENSION_PREDICATE
        subject = origin or self._endpoint(a.origin)
        target = dest or self._endpoint(a.destination)
        if subject is None or target is None:
            self.ctx.warn(a.where, "association names no origin or no destination: skipped")
            return
        m = NamedNode(a.uri) if a.uri and is_iri(a.uri) else minted("alignment", subject.value, atype, target.value)
        yield m, RDF.type, SSSOM.Mapping
        yield m, OWL.annotatedSource, subject
        yield m, OWL.annotatedProperty, predicate
        yield m, OWL.annotatedTarget, target
        yield m, SSSOM.mapping_justification, SEMAPV.ManualMappingCuration
        yield m, LERMAP.nativePredicate, lit(atype)
        yield m, LERMAP.associationType, lit(atype)
        if self.author is not None:
            yield m, SSSOM.author_id, self.author
        if dest is None:
            ref = a.destination
            if ref.title:
                yield m, LERMAP.targetName, lit(ref.title)
            if ref.uri and is_iri(ref.uri):
                yield m, LERMAP.targetUrl, lit(ref.uri)
            elif ref.uri:
                self.ctx.warn(f"{a.where}.destinationNodeURI.uri", f"{ref.uri[:60]!r} is not an IRI: ignored")
            if ref.identifier and not (ref.uri and is_iri(ref.uri)):
                yield m, LERMAP.targetCode, lit(ref.identifier)

    def run(self) -> Iterator[TripleTuple]:
        yield from self.framework()
        for item, node in self.items:
            yield from self.item(item, node)
        for a in self.pkg.associations:
            yield from self.association(a)


def package_triples(pkg: CasePackage, ctx: IngestContext) -> Iterator[TripleTuple]:
    """The core view of a CASE package (see the module docstring)."""
    return _Mapper(pkg, ctx).run()
