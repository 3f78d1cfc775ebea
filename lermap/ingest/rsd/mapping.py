"""Rich Skill Descriptor records shared by the RSD JSON and RSD CSV ingesters, and their core view.

What :func:`skills_triples` writes for each :class:`RsdSkill`:

* the skill → ``ceasn:Competency`` + ``skos:Concept``: skill statement → ``skos:prefLabel``, skill name →
  ``skos:altLabel``, categories → ``ceasn:competencyCategory``, keywords → ``schema:keywords``, authors →
  ``schema:author`` organisations (named nodes shared with the directory), ``creator`` IRI → ``schema:creator``,
  dates → ``schema:dateCreated`` / ``datePublished`` / ``dateModified``;
* frameworks: every skill is ``skos:inScheme`` its *library* (the OSMT instance that publishes it, minted
  from the API base of the skill's ``id``; for a CSV, the file) and every collection it belongs to (a
  ``RichSkillCollection`` document, or the ``collections`` a skill lists) — each a
  ``ceasn:CompetencyFramework`` + ``skos:ConceptScheme``;
* alignments → ``sssom:Mapping`` with ``skos:closeMatch`` to the alignment's ``id``/URL (an RSD alignment says
  the skill corresponds to an external one, not that they are identical), native fields kept as
  ``lermap:targetName`` / ``targetUrl`` / ``targetFramework``; standards → ``skos:relatedMatch`` mappings to
  a minted target with ``lermap:targetCode``;
* occupations → ``skos:relatedMatch`` mappings to the occupation: an O*NET-SOC code (``XX-XXXX.XX``) is O*NET
  OnLine's IRI, a SOC code (``XX-XXXX``) the SOC 2018 node the O*NET ingester mints, so both meet the O*NET
  graph; ``lermap:targetCode`` and ``lermap:targetFramework`` "O*NET-SOC" / "SOC" are kept. An occupation
  with a title is also a ``schema:Occupation`` (notation, scheme, ``skos:broader`` its SOC group when the
  RSD names the hierarchy).

The native field name (``alignments``, ``standards``, ``occupations``) is kept as ``lermap:nativePredicate``
text: OSMT JSON has no published RDF vocabulary (see :mod:`lermap.ingest.rsd.rsd`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from lermap.graph.terms import TripleTuple, is_iri, lit, minted
from lermap.graph.vocab import CEASN, DCTERMS, LERMAP, OWL, RDF, SCHEMA, SEMAPV, SKOS, SSSOM, XSD
from lermap.ingest.base import IngestContext
from lermap.ingest.identifiers import ONET_OCCUPATION, ONET_SOC_SCHEME, SOC_SCHEME, organisation_iri

ONET_CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
SOC_CODE = re.compile(r"^\d{2}-\d{4}$")
_SCHEME_LABELS = {ONET_SOC_SCHEME.value: "O*NET-SOC taxonomy", SOC_SCHEME.value: "Standard Occupational Classification 2018"}
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")


@dataclass
class RsdAlignment:
    url: str | None = None
    name: str | None = None
    framework: str | None = None


@dataclass
class RsdOccupation:
    code: str
    name: str | None = None
    chain: list[str] = field(default_factory=list)  # the SOC hierarchy from major group down, when given
    description: str | None = None


@dataclass
class RsdFramework:
    node: NamedNode
    name: str
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    creator: str | None = None


@dataclass
class RsdSkill:
    node: NamedNode
    statement: str
    where: str
    name: str | None = None
    uuid: str | None = None
    categories: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    creator: str | None = None
    alignments: list[RsdAlignment] = field(default_factory=list)
    standards: list[str] = field(default_factory=list)
    occupations: list[RsdOccupation] = field(default_factory=list)
    frameworks: list[RsdFramework] = field(default_factory=list)
    dates: dict[str, str] = field(default_factory=dict)  # "created" / "published" / "modified" → text


def occupation_target(code: str) -> tuple[NamedNode, str] | None:
    """The occupation IRI of a SOC or O*NET-SOC code and the framework name, else ``None``."""
    if ONET_CODE.match(code):
        return NamedNode(ONET_OCCUPATION + code), "O*NET-SOC"
    if SOC_CODE.match(code):
        return minted("soc2018", code), "SOC"
    return None


def _dt(value: str) -> Literal | None:
    return Literal(value, datatype=XSD.dateTime) if _DATETIME.match(value) else None


class _Mapper:
    def __init__(self, ctx: IngestContext) -> None:
        self.ctx = ctx
        self.seen: set[str] = set()
        self.occupations: dict[str, RsdOccupation] = {}

    def first(self, node: NamedNode) -> bool:
        if node.value in self.seen:
            return False
        self.seen.add(node.value)
        return True

    def organization(self, name: str) -> Iterator[TripleTuple]:
        org = organisation_iri(name)
        if self.first(org):
            yield org, RDF.type, SCHEMA.Organization
            yield org, SKOS.prefLabel, lit(name)
            yield org, SCHEMA.name, lit(name)

    def framework(self, f: RsdFramework) -> Iterator[TripleTuple]:
        if not self.first(f.node):
            return
        yield f.node, RDF.type, CEASN.CompetencyFramework
        yield f.node, RDF.type, SKOS.ConceptScheme
        yield f.node, SKOS.prefLabel, lit(f.name)
        yield f.node, SCHEMA.name, lit(f.name)
        if f.description:
            yield f.node, SCHEMA.description, lit(f.description)
        for author in f.authors:
            yield f.node, SCHEMA.author, organisation_iri(author)
            yield from self.organization(author)
        if f.creator and is_iri(f.creator):
            yield f.node, SCHEMA.creator, NamedNode(f.creator)

    def mapping(self, skill: RsdSkill, predicate: NamedNode, native: str, target: NamedNode,
                fields: dict[NamedNode, str | None]) -> Iterator[TripleTuple]:
        m = minted("alignment", skill.node.value, native, target.value)
        if not self.first(m):
            return
        yield m, RDF.type, SSSOM.Mapping
        yield m, OWL.annotatedSource, skill.node
        yield m, OWL.annotatedProperty, predicate
        yield m, OWL.annotatedTarget, target
        yield m, SSSOM.mapping_justification, SEMAPV.ManualMappingCuration
        yield m, LERMAP.nativePredicate, lit(native)
        for author in skill.authors[:1]:
            yield m, SSSOM.author_id, organisation_iri(author)
        for pred, value in fields.items():
            if value:
                yield m, pred, lit(value)

    def skill(self, s: RsdSkill) -> Iterator[TripleTuple]:
        node = s.node
        yield node, RDF.type, CEASN.Competency
        yield node, RDF.type, SKOS.Concept
        yield node, SKOS.prefLabel, lit(s.statement)
        if s.name:
            yield node, SKOS.altLabel, lit(s.name)
            yield node, SCHEMA.name, lit(s.name)
        if s.uuid:
            yield node, DCTERMS.identifier, lit(s.uuid)
        for f in s.frameworks:
            yield from self.framework(f)
            yield node, SKOS.inScheme, f.node
        for c in dict.fromkeys(s.categories):
            yield node, CEASN.competencyCategory, lit(c)
        for k in dict.fromkeys(s.keywords):
            yield node, SCHEMA.keywords, lit(k)
        for author in dict.fromkeys(s.authors):
            yield node, SCHEMA.author, organisation_iri(author)
            yield from self.organization(author)
        if s.creator and is_iri(s.creator):
            yield node, SCHEMA.creator, NamedNode(s.creator)
        for key, pred in (("created", SCHEMA.dateCreated), ("published", SCHEMA.datePublished),
                          ("modified", SCHEMA.dateModified)):
            value = s.dates.get(key)
            if value and (when := _dt(value)) is not None:
                yield node, pred, when
        for a in s.alignments:
            yield from self.alignment(s, a)
        for code in dict.fromkeys(s.standards):
            target = NamedNode(code) if is_iri(code) else minted("target", "", code)
            yield from self.mapping(s, SKOS.relatedMatch, "standards", target, {LERMAP.targetCode: code})
        for occ in s.occupations:
            yield from self.occupation(s, occ)

    def alignment(self, s: RsdSkill, a: RsdAlignment) -> Iterator[TripleTuple]:
        if a.url and is_iri(a.url):
            target = NamedNode(a.url)
        elif a.name:
            target = minted("target", a.framework or "", a.name)
        else:
            self.ctx.warn(s.where, "an alignment with neither id/URL nor name: skipped")
            return
        yield from self.mapping(s, SKOS.closeMatch, "alignments", target, {
            LERMAP.targetName: a.name, LERMAP.targetUrl: a.url, LERMAP.targetFramework: a.framework,
        })

    def occupation(self, s: RsdSkill, occ: RsdOccupation) -> Iterator[TripleTuple]:
        found = occupation_target(occ.code)
        if found is None:
            self.ctx.warn(f"{s.where}.occupations", f"occupation code {occ.code[:40]!r} is neither SOC nor O*NET-SOC: kept as a code")
            target, framework = minted("target", "", occ.code), None
        else:
            target, framework = found
        yield from self.mapping(s, SKOS.relatedMatch, "occupations", target, {
            LERMAP.targetCode: occ.code, LERMAP.targetFramework: framework, LERMAP.targetName: occ.name,
        })
        if found is not None and occ.name:
            yield from self.describe_occupation(occ, target, framework)

    def describe_occupation(self, occ: RsdOccupation, node: NamedNode, framework: str | None) -> Iterator[TripleTuple]:
        if not self.first(node):
            return
        yield node, RDF.type, SCHEMA.Occupation
        yield node, RDF.type, SKOS.Concept
        yield node, SKOS.prefLabel, lit(occ.name or occ.code)
        yield node, SKOS.notation, lit(occ.code)
        scheme = ONET_SOC_SCHEME if framework == "O*NET-SOC" else SOC_SCHEME
        yield node, SKOS.inScheme, scheme
        if self.first(scheme):
            yield scheme, RDF.type, SKOS.ConceptScheme
            yield scheme, SKOS.prefLabel, lit(_SCHEME_LABELS[scheme.value], lang="en")
        if occ.description:
            yield node, SKOS.definition, lit(occ.description)
        chain = [c for c in occ.chain if c and c != occ.code]
        if framework == "O*NET-SOC" and occ.code.endswith(".00"):
            chain = []  # XX-XXXX.00 *is* the SOC occupation: the O*NET ingester writes that exactMatch
        if chain and (parent := occupation_target(chain[-1])) is not None:
            yield node, SKOS.broader, parent[0]


def skills_triples(skills: list[RsdSkill], ctx: IngestContext) -> Iterator[TripleTuple]:
    """The core view of RSD skills (see the module docstring)."""
    mapper = _Mapper(ctx)
    for skill in skills:
        yield from mapper.skill(skill)
