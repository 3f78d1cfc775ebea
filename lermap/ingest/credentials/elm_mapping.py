"""The core view of European Learning Model (EDC) credentials, computed from their RDF triples.

Working on triples rather than JSON makes a JSON-LD credential and its Turtle twin give the same core view.
The input is already scrubbed of the learner (see :func:`scrub_subjects`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from pyoxigraph import BlankNode, Literal, NamedNode

from lermap.graph.terms import Object, Subject, TripleTuple, lit, minted
from lermap.graph.vocab import CEASN, CETERMS, LERMAP, OWL, RDF, SCHEMA, SEMAPV, SKOS, SSSOM, XSD
from lermap.ingest.base import IngestContext
from lermap.ingest.credentials.read import parse_datetime

ELM = "http://data.europa.eu/snb/model/elm/"
CRED = "https://www.w3.org/2018/credentials#"
DC = "http://purl.org/dc/terms/"
ROV = "http://www.w3.org/ns/regorg#"
FOAF = "http://xmlns.com/foaf/0.1/"
ECTS = "http://data.europa.eu/snb/education-credit/6fcec5c5af"
EQF_PREFIX = "http://data.europa.eu/snb/eqf/"
ESCO_SKILL_PREFIX = "http://data.europa.eu/esco/skill/"

# EDC numbers the nodes of each credential from 1 (urn:epass:org:1, ...): the same IRI names different things.
DOCUMENT_LOCAL_PREFIXES = ("urn:epass:",)
SPEC_CLASSES = ("Qualification", "LearningAchievementSpecification")
# Properties of a credential subject that are kept: the claims, not the person.
SUBJECT_KEEP = frozenset({ELM + "hasClaim"})


def _n(base: str, name: str) -> NamedNode:
    return NamedNode(base + name)


class Index:
    """Subject → predicate → objects, over a list of triples."""

    def __init__(self, triples: Iterable[TripleTuple]) -> None:
        self.out: dict[Subject, dict[str, list[Object]]] = defaultdict(lambda: defaultdict(list))
        for s, p, o in triples:
            self.out[s][p.value].append(o)

    def objects(self, s: Subject | Object, p: str) -> list[Object]:
        if isinstance(s, Literal) or s not in self.out:
            return []
        return list(self.out[s].get(p, []))

    def nodes(self, s: Subject | Object, p: str) -> list[NamedNode | BlankNode]:
        return [o for o in self.objects(s, p) if isinstance(o, (NamedNode, BlankNode))]

    def first_node(self, s: Subject | Object, p: str) -> NamedNode | BlankNode | None:
        found = self.nodes(s, p)
        return found[0] if found else None

    def literals(self, s: Subject | Object, p: str) -> list[Literal]:
        return [o for o in self.objects(s, p) if isinstance(o, Literal)]

    def typed(self, cls: str) -> list[Subject]:
        target = NamedNode(cls)
        return sorted((s for s, props in self.out.items() if target in props.get(RDF.type.value, [])), key=str)

    def signature(self, s: Subject) -> str:
        """A stable text for a blank node: its properties with their IRI or literal values, sorted."""
        props = self.out.get(s, {})
        return "\n".join(sorted(f"{p} {o}" for p, objs in props.items() for o in objs if not isinstance(o, BlankNode)))

    def has_type(self, s: Subject | Object, cls: str) -> bool:
        return NamedNode(cls) in self.objects(s, RDF.type.value)


def scrub_subjects(triples: list[TripleTuple], ctx: IngestContext) -> list[TripleTuple]:
    """Drop the learner: a credential subject keeps only its claims, becomes a blank node, and whatever hung
    only from it (names, identifiers, contact points, addresses) goes too."""
    subjects = {o for s, p, o in triples if p.value == CRED + "credentialSubject" and not isinstance(o, Literal)}
    if not subjects:
        return triples
    anon = {s: BlankNode() for s in subjects}
    kept: list[TripleTuple] = []
    dropped_objects: set[Object] = set()
    for s, p, o in triples:
        if s in subjects and p.value not in SUBJECT_KEEP:
            dropped_objects.add(o)
            continue
        kept.append((anon.get(s, s), p, anon.get(o, o) if not isinstance(o, Literal) else o))
    # Cascade: a node reached only from dropped triples is the learner's (identifier, contact point, address).
    while True:
        referenced = {o for _, _, o in kept}
        orphans = {n for n in dropped_objects if isinstance(n, (NamedNode, BlankNode)) and n not in referenced}
        if not orphans:
            break
        dropped_objects = {o for s, _, o in kept if s in orphans}
        kept = [t for t in kept if t[0] not in orphans]
    return kept


@dataclass
class ElmMapper:
    """Builds the core view of one ELM credential graph."""

    ctx: IngestContext
    index: Index
    envelope: str
    proof_type: str | None = None
    triples: list[TripleTuple] = field(default_factory=list)
    _done: set[str] = field(default_factory=set)

    def add(self, s: Subject, p: NamedNode, o: Object | None) -> None:
        if o is not None:
            self.triples.append((s, p, o))

    def _first(self, node: Subject) -> bool:
        key = str(node)
        if key in self._done:
            return False
        self._done.add(key)
        return True

    def _labels(self, node: Subject, source: Subject, *preds: str) -> str | None:
        """Copy the first predicate that has literals as prefLabel and name; returns one label text."""
        for pred in preds:
            found = self.index.literals(source, pred)
            if found:
                for label in found:
                    self.add(node, SKOS.prefLabel, label)
                    self.add(node, SCHEMA.name, label)
                return sorted(found, key=lambda x: (x.language or "", x.value))[0].value
        return None

    def _note_text(self, s: Subject, pred: str) -> list[Literal]:
        """Literals of ``pred``, or of the ``noteLiteral`` of a Note it points to."""
        out = self.index.literals(s, pred)
        for note in self.index.nodes(s, pred):
            out.extend(self.index.literals(note, ELM + "noteLiteral"))
        return out

    def _iri(self, node: Subject, kind: str) -> NamedNode:
        # Blank node labels change from one parse to the next: mint from what the node says instead.
        return node if isinstance(node, NamedNode) else minted(kind, self.ctx.source.key, self.index.signature(node))

    # -- organisations ------------------------------------------------------------------------

    def organisation(self, org: Subject) -> NamedNode:
        node = self._iri(org, "organization")
        if not self._first(node):
            return node
        self.add(node, RDF.type, SCHEMA.Organization)
        if self._labels(node, org, ROV + "legalName", SKOS.prefLabel.value, "https://schema.org/name") is None:
            self.add(node, SKOS.prefLabel, lit(node.value))
        for alt in self.index.literals(org, SKOS.altLabel.value):
            self.add(node, SKOS.altLabel, alt)
        for page in self.index.nodes(org, FOAF + "homepage"):
            for url in self.index.objects(page, ELM + "contentUrl"):
                self.add(node, SCHEMA.url, NamedNode(url.value) if isinstance(url, (Literal, NamedNode)) and "://" in url.value else None)
        for loc in self.index.nodes(org, ELM + "location"):
            for address in self.index.nodes(loc, ELM + "address"):
                for country in self.index.nodes(address, ELM + "countryCode"):
                    if isinstance(country, NamedNode):
                        self.add(node, SCHEMA.addressCountry, lit(country.value.rstrip("/").rsplit("/", 1)[-1]))
        self.add(node, SCHEMA.additionalType, _n(ELM, "Organisation"))
        return node

    # -- specifications -----------------------------------------------------------------------

    def specification(self, spec: Subject, creator: NamedNode | None) -> NamedNode:
        """A Qualification / LearningAchievementSpecification as a credential definition."""
        node = self._iri(spec, "credential")
        if not self._first(node):
            return node
        self.add(node, RDF.type, SCHEMA.EducationalOccupationalCredential)
        if self._labels(node, spec, DC + "title") is None:
            self.add(node, SKOS.prefLabel, lit(node.value))
        for d in self._note_text(spec, DC + "description"):
            self.add(node, SCHEMA.description, d)
        for cls in SPEC_CLASSES:
            if self.index.has_type(spec, ELM + cls):
                self.add(node, LERMAP.credentialKind, lit(cls))
        for t in self.index.nodes(spec, DC + "type"):
            for label in self.index.literals(t, SKOS.prefLabel.value):
                self.add(node, LERMAP.achievementType, label)
        for level in self.index.nodes(spec, ELM + "EQFLevel"):
            if isinstance(level, NamedNode) and level.value.startswith(EQF_PREFIX):
                code = level.value[len(EQF_PREFIX):]
                self.add(node, LERMAP.eqfLevel, lit(int(code)) if code.isdigit() else lit(code))
                self.add(node, SCHEMA.educationalLevel, level)
        for area in self.index.nodes(spec, ELM + "ISCEDFCode"):
            for label in self.index.literals(area, SKOS.prefLabel.value):
                self.add(node, LERMAP.fieldOfStudy, label)
        for cp in self.index.nodes(spec, ELM + "creditPoint"):
            self._credits(node, cp)
        self.add(node, SCHEMA.creator, creator)
        for outcome in self.index.nodes(spec, ELM + "learningOutcome"):
            self.add(node, SCHEMA.competencyRequired, self.outcome(outcome, creator))
        return node

    def _credits(self, node: NamedNode, cp: Subject) -> None:
        frameworks = {f.value for f in self.index.nodes(cp, ELM + "framework") if isinstance(f, NamedNode)}
        for point in self.index.literals(cp, ELM + "point"):
            if ECTS not in frameworks:
                self.ctx.warn("creditPoint", f"credit points {point.value} in a framework other than ECTS "
                              f"({', '.join(sorted(frameworks)) or 'none named'}): kept in the native layer only")
                continue
            try:
                number = Decimal(point.value.strip())
                if not number.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                self.ctx.warn("creditPoint.point", f"not a number: {point.value[:40]!r}")
                continue
            self.add(node, LERMAP.credits, lit(format(number, "f"), datatype=XSD.decimal))

    # -- learning outcomes and their skill links ----------------------------------------------

    def framework(self, creator: NamedNode | None) -> NamedNode:
        """The learning outcomes of one issuer (or of this document when none is named) as a framework."""
        owner = creator.value if creator is not None else self.ctx.source.key
        node = minted("framework", "elm-learning-outcomes", owner)
        if self._first(node):
            self.add(node, RDF.type, CEASN.CompetencyFramework)
            self.add(node, RDF.type, SKOS.ConceptScheme)
            self.add(node, SKOS.prefLabel, lit(f"Learning outcomes ({owner})"))
            self.add(node, SCHEMA.creator, creator)
        return node

    def outcome(self, outcome: Subject, creator: NamedNode | None) -> NamedNode:
        node = self._iri(outcome, "competency")
        if not self._first(node):
            return node
        scheme = self.framework(creator)
        self.add(node, RDF.type, CEASN.Competency)
        self.add(node, RDF.type, SKOS.Concept)
        self.add(node, SKOS.inScheme, scheme)
        if self._labels(node, outcome, DC + "title", SKOS.prefLabel.value) is None:
            self.add(node, SKOS.prefLabel, lit(node.value))
        for d in self._note_text(outcome, DC + "description"):
            self.add(node, SKOS.definition, d)
        for pred in ("relatedESCOSkill", "relatedSkill"):
            for target in self.index.nodes(outcome, ELM + pred):
                if isinstance(target, NamedNode):
                    self.mapping(node, target, _n(ELM, pred), creator)
                else:
                    self.ctx.warn(pred, f"learning outcome {node.value}: a {pred} without an IRI is skipped")
        return node

    def mapping(self, subject: NamedNode, target: NamedNode, native: NamedNode, author: NamedNode | None) -> None:
        # The publisher tags an outcome with the ESCO (or other framework) skill it corresponds to: read as closeMatch.
        node = minted("alignment", subject.value, native.value, target.value)
        if not self._first(node):
            return
        self.add(node, RDF.type, SSSOM.Mapping)
        self.add(node, OWL.annotatedSource, subject)
        self.add(node, OWL.annotatedProperty, SKOS.closeMatch)
        self.add(node, OWL.annotatedTarget, target)
        self.add(node, SSSOM.mapping_justification, SEMAPV.ManualMappingCuration)
        self.add(node, LERMAP.nativePredicate, native)
        self.add(node, SSSOM.author_id, author)
        self.add(node, LERMAP.targetUrl, lit(target.value))
        for label in self.index.literals(target, SKOS.prefLabel.value)[:1]:
            self.add(node, LERMAP.targetName, lit(label.value))
        for scheme in self.index.nodes(target, SKOS.inScheme.value)[:1]:
            self.add(node, LERMAP.targetFramework, lit(str(scheme.value) if isinstance(scheme, NamedNode) else "ESCO"))
        if target.value.startswith(ESCO_SKILL_PREFIX) and not self.index.nodes(target, SKOS.inScheme.value):
            self.add(node, LERMAP.targetFramework, lit("ESCO"))

    # -- activities and assessments -------------------------------------------------------------

    def activity(self, spec: Subject, provider: NamedNode | None, creator: NamedNode | None) -> NamedNode:
        node = self._iri(spec, "learning-opportunity")
        if not self._first(node):
            return node
        self.add(node, RDF.type, CETERMS.LearningOpportunityProfile)
        if self._labels(node, spec, DC + "title") is None:
            self.add(node, SKOS.prefLabel, lit(node.value))
        for d in self._note_text(spec, DC + "description"):
            self.add(node, SCHEMA.description, d)
        self.add(node, SCHEMA.provider, provider)
        for outcome in self.index.nodes(spec, ELM + "learningOutcome") + self.index.nodes(spec, ELM + "teaches"):
            self.add(node, SCHEMA.teaches, self.outcome(outcome, creator))
        return node

    def assessment(self, spec: Subject, creator: NamedNode | None) -> NamedNode:
        node = self._iri(spec, "assessment")
        if not self._first(node):
            return node
        self.add(node, RDF.type, CETERMS.AssessmentProfile)
        if self._labels(node, spec, DC + "title") is None:
            self.add(node, SKOS.prefLabel, lit(node.value))
        for d in self._note_text(spec, DC + "description"):
            self.add(node, SCHEMA.description, d)
        for outcome in self.index.nodes(spec, ELM + "proves") + self.index.nodes(spec, ELM + "learningOutcome"):
            self.add(node, SCHEMA.assesses, self.outcome(outcome, creator))
        return node

    # -- the credential -----------------------------------------------------------------------

    def credentials(self) -> list[TripleTuple]:
        """Map every EuropeanDigitalCredential in the graph; returns the collected triples."""
        creds = self.index.typed(ELM + "EuropeanDigitalCredential")
        if not creds:
            self.ctx.warn("type", "no EuropeanDigitalCredential in the document: only its native triples are kept")
        for cred in creds:
            self.credential(cred)
        local = sorted({s.value for s, p, o in self.triples if p == RDF.type and isinstance(s, NamedNode)
                        and s.value.startswith(DOCUMENT_LOCAL_PREFIXES)})
        if local:
            self.ctx.warn("(document)", f"{len(local)} core entities have document-local IRIs ({local[0]}, ...): EDC "
                          "reuses them in unrelated credentials, so they may merge with other documents' entities")
        return self.triples

    def credential(self, cred: Subject) -> None:
        issuer_node = self.index.first_node(cred, CRED + "issuer")
        issuer = self.organisation(issuer_node) if issuer_node is not None else None
        if issuer is None:
            self.ctx.warn("issuer", "credential has no issuer (missing field)")
        definitions: list[NamedNode] = []
        for subject in self.index.nodes(cred, CRED + "credentialSubject"):
            for claim in self.index.nodes(subject, ELM + "hasClaim"):
                definitions.extend(self.claim(claim, issuer))
        if not definitions:
            definitions.append(self.generic_definition(cred, issuer))
        node = self._iri(cred, "assertion")
        self.add(node, RDF.type, LERMAP.Assertion)
        for d in dict.fromkeys(definitions):
            self.add(node, LERMAP.ofCredential, d)
        self.add(node, LERMAP.issuer, issuer)
        for pred, names in ((LERMAP.issuedOn, ("issuanceDate", "issued")), (LERMAP.validFrom, ("validFrom",)),
                            (LERMAP.validUntil, ("validUntil", "expirationDate"))):
            for name in names:
                values = self.index.literals(cred, CRED + name)
                dt = parse_datetime(values[0].value) if values else None
                if dt is not None:
                    self.add(node, pred, lit(dt.isoformat().replace("+00:00", "Z"), datatype=XSD.dateTime))
                    break
        self.add(node, LERMAP.envelope, lit(self.envelope))
        if self.proof_type:
            self.add(node, LERMAP.proofType, lit(self.proof_type))
        self.add(node, LERMAP.proofStatus, lit("not-checkable" if self.proof_type else "unsigned"))
        self.add(node, LERMAP.hasStatusList, lit(bool(self.index.objects(cred, CRED + "credentialStatus"))))

    def claim(self, claim: Subject, issuer: NamedNode | None, depth: int = 0) -> list[NamedNode]:
        """The definitions a claim (achievement, activity, assessment) stands for; sub-claims are followed."""
        found: list[NamedNode] = []
        if depth > 20:
            return found
        awarding = self.index.first_node(self.index.first_node(claim, ELM + "awardedBy") or BlankNode(), ELM + "awardingBody")
        creator = self.organisation(awarding) if awarding is not None else issuer
        for spec in self.index.nodes(claim, ELM + "specifiedBy"):
            if any(self.index.has_type(spec, ELM + c) for c in SPEC_CLASSES):
                found.append(self.specification(spec, creator))
            elif self.index.has_type(spec, ELM + "LearningActivitySpecification"):
                self.activity(spec, self._director(claim) or creator, creator)
            elif self.index.has_type(spec, ELM + "LearningAssessmentSpecification"):
                self.assessment(spec, creator)
        if not self.index.nodes(claim, ELM + "specifiedBy"):
            if self.index.has_type(claim, ELM + "LearningActivity"):
                self.activity(claim, self._director(claim) or creator, creator)
            elif self.index.has_type(claim, ELM + "LearningAssessment"):
                self.assessment(claim, creator)
        for pred in ("influencedBy", "provenBy", "hasPart", "isPartOf"):
            for sub in self.index.nodes(claim, ELM + pred):
                found.extend(self.claim(sub, issuer, depth + 1))
        return found

    def _director(self, activity: Subject) -> NamedNode | None:
        org = self.index.first_node(activity, ELM + "directedBy")
        return self.organisation(org) if org is not None else None

    def generic_definition(self, cred: Subject, issuer: NamedNode | None) -> NamedNode:
        """When no claim names a specification: the credential as its display title says it."""
        display = self.index.first_node(cred, ELM + "displayParameter")
        titles = self.index.literals(display, DC + "title") if display is not None else []
        title = sorted(titles, key=lambda x: (x.language or "", x.value))[0].value if titles else "European Digital Credential"
        node = minted("credential", issuer.value if issuer else self.ctx.source.key, title)
        if self._first(node):
            self.add(node, RDF.type, SCHEMA.EducationalOccupationalCredential)
            for t in titles or [lit(title)]:
                self.add(node, SKOS.prefLabel, t)
                self.add(node, SCHEMA.name, t)
            self.add(node, LERMAP.credentialKind, lit("EuropeanDigitalCredential"))
            self.add(node, SCHEMA.creator, issuer)
        return node
