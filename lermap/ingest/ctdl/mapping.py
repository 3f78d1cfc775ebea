"""What the ``ctdl`` and ``ctdl-asn`` mappings share: CTDL terms, a triple index and the core-view builder
that the resource mappings (:mod:`.ctdl_mapping`, :mod:`.ctdl_asn_mapping`) add to.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from lermap.graph.terms import Object, Subject, TripleTuple, is_iri, lit
from lermap.graph.vocab import CEASN, CETERMS, RDF, SCHEMA, SKOS, XSD, ClosedNamespace
from lermap.ingest.base import IngestContext

# CTDL terms this package reads (closed, so a misspelt term raises); written terms live in graph/vocab.py.
CT = ClosedNamespace(
    CETERMS.base,
    [
        "name", "description", "ctid", "subjectWebpage", "ownedBy", "offeredBy", "accreditedBy", "approvedBy",
        "recognizedBy", "regulatedBy", "owns", "offers", "accredits", "approves", "recognizes", "regulates",
        "requires", "recommends", "isPreparationFor", "isRequiredFor", "isAdvancedStandingFor", "preparationFrom",
        "advancedStandingFrom", "corequisite", "entryCondition",
        "targetCompetency", "targetCredential", "targetAssessment", "targetLearningOpportunity",
        "teaches", "assesses", "occupationType", "industryType", "instructionalProgramType",
        "targetNode", "targetNodeName", "targetNodeDescription", "codedNotation", "framework", "frameworkName",
        "estimatedCost", "estimatedDuration", "exactDuration", "minimumDuration", "maximumDuration", "price",
        "currency", "costDetails", "hasDestinationComponent", "hasChild", "isChildOf", "hasCondition",
        "targetComponent", "precedes", "prerequisite", "isDestinationComponentOf", "hasProgressionModel",
        "hasProgressionLevel", "transferValueFrom", "transferValueFor", "transferValue", "address",
        "addressCountry", "requiredNumber", "componentCategory", "credentialType", "proxyFor", "hasPart",
        "isPartOf", "inLanguage", "Occupation", "Job", "WorkRole", "Task",
    ],
)
CA = ClosedNamespace(
    CEASN.base,
    [
        "name", "description", "competencyText", "competencyLabel", "codedNotation", "competencyCategory",
        "isPartOf", "hasChild", "isChildOf", "hasTopChild", "isTopChildOf", "exactAlignment", "broadAlignment",
        "narrowAlignment", "majorAlignment", "minorAlignment", "prerequisiteAlignment", "creator", "publisher",
        "inLanguage", "versionCode", "comment", "hasRubricCriterion", "hasCriterionLevel", "hasRubricLevel",
        "targetCompetency", "hasProgressionLevel", "ProgressionModel", "ProgressionLevel", "RubricCriterion",
        "CriterionLevel", "RubricLevel", "Rubric", "CompetencyFramework", "Competency", "alignTo", "alignFrom",
        "dateCreated",
    ],
)
ASN_BASE = "http://purl.org/ASN/schema/core/"
# Some registry samples name things with schema.org terms (either scheme): a fallback for labels.
SCHEMA_NAMES = (ox.NamedNode("https://schema.org/name"), ox.NamedNode("http://schema.org/name"))

_CREDENTIAL_NAMES = (
    "Credential", "AcademicCertificate", "ApprenticeshipCertificate", "AssociateDegree",
    "AssociateOfAppliedArtsDegree", "AssociateOfAppliedScienceDegree", "AssociateOfArtsDegree",
    "AssociateOfScienceDegree", "BachelorDegree", "BachelorOfArtsDegree", "BachelorOfScienceDegree", "Badge",
    "BasicTechnicalCertificate", "Certificate", "CertificateOfCompletion", "CertificateOfParticipation",
    "Certification", "Degree", "DigitalBadge", "Diploma", "DoctoralDegree", "GeneralEducationDevelopment",
    "GeneralEducationLevel1Certificate", "GeneralEducationLevel2Certificate", "HigherEducationLevel1Certificate",
    "HigherEducationLevel2Certificate", "JourneymanCertificate", "License", "MasterCertificate", "MasterDegree",
    "MasterOfArtsDegree", "MasterOfScienceDegree", "MicroCredential", "OpenBadge", "PostBaccalaureateCertificate",
    "PostMasterCertificate", "PreApprenticeshipCertificate", "ProfessionalCertificate", "ProfessionalDoctorate",
    "ProficiencyCertificate", "QualityAssuranceCredential", "ResearchDoctorate", "SecondaryEducationCertificate",
    "SecondarySchoolDiploma", "SpecialistDegree", "TechnicalLevel1Certificate", "TechnicalLevel2Certificate",
    "TechnicalLevel3Certificate", "WorkBasedLearningCertificate",
)
CREDENTIAL_CLASSES: frozenset[str] = frozenset(CETERMS.base + n for n in _CREDENTIAL_NAMES)
ORGANIZATION_CLASSES: frozenset[str] = frozenset(
    CETERMS.base + n for n in ("CredentialOrganization", "QACredentialOrganization", "Organization")
)
LEARNING_CLASSES: frozenset[str] = frozenset(
    CETERMS.base + n for n in ("LearningOpportunityProfile", "LearningProgram", "Course")
)
COMPONENT_CLASSES: frozenset[str] = frozenset(
    CETERMS.base + n
    for n in (
        "PathwayComponent", "AssessmentComponent", "BasicComponent", "CocurricularComponent", "CompetencyComponent",
        "CourseComponent", "CredentialComponent", "ExtracurricularComponent", "JobComponent", "WorkExperienceComponent",
    )
)
PROGRESSION_CLASSES: frozenset[str] = frozenset(
    base + n for base in (ASN_BASE, CEASN.base) for n in ("ProgressionModel", "ProgressionLevel")
)
OCCUPATION_CLASSES: frozenset[str] = frozenset(CETERMS.base + n for n in ("Occupation", "Job", "WorkRole"))

# A CTDL role predicate and its inverse (org -> thing).
ROLES: dict[ox.NamedNode, ox.NamedNode] = {
    CT.ownedBy: CT.owns,
    CT.offeredBy: CT.offers,
    CT.accreditedBy: CT.accredits,
    CT.approvedBy: CT.approves,
    CT.recognizedBy: CT.recognizes,
    CT.regulatedBy: CT.regulates,
}
CONDITIONS = (
    CT.requires, CT.recommends, CT.isPreparationFor, CT.isRequiredFor, CT.isAdvancedStandingFor,
    CT.preparationFrom, CT.advancedStandingFrom, CT.corequisite, CT.entryCondition,
)
CONDITION_TARGETS = (CT.targetCompetency, CT.targetCredential, CT.targetAssessment, CT.targetLearningOpportunity)


def compact(iri: str) -> str:
    """``ceterms:Certificate`` for a CTDL / CTDL-ASN term IRI; other IRIs unchanged."""
    for prefix, base in (("ceterms", CETERMS.base), ("ceasn", CEASN.base), ("asn", ASN_BASE)):
        if iri.startswith(base):
            return f"{prefix}:{iri[len(base):]}"
    return iri


class Index:
    """Subject → predicate → objects over a list of triples, in document order."""

    def __init__(self, triples: Iterable[TripleTuple]) -> None:
        self.out: dict[Subject, dict[ox.NamedNode, list[Object]]] = defaultdict(lambda: defaultdict(list))
        self.types: dict[Subject, list[str]] = defaultdict(list)
        self._incoming: dict[Subject, list[tuple[Subject, ox.NamedNode]]] = defaultdict(list)
        for s, p, o in triples:
            self.out[s][p].append(o)
            if isinstance(o, ox.BlankNode):
                self._incoming[o].append((s, p))
            if p == RDF.type and isinstance(o, ox.NamedNode):
                self.types[s].append(o.value)

    def objects(self, s: Object, p: ox.NamedNode) -> list[Object]:
        if isinstance(s, ox.Literal) or s not in self.out:
            return []
        return list(self.out[s].get(p, ()))

    def nodes(self, s: Object, p: ox.NamedNode) -> list[Subject]:
        return [o for o in self.objects(s, p) if isinstance(o, (ox.NamedNode, ox.BlankNode))]

    def literals(self, s: Object, p: ox.NamedNode) -> list[ox.Literal]:
        return [o for o in self.objects(s, p) if isinstance(o, ox.Literal)]

    def of_types(self, classes: frozenset[str]) -> list[Subject]:
        return [s for s, ts in self.types.items() if any(t in classes for t in ts)]

    def first_type(self, s: Subject, classes: frozenset[str]) -> str | None:
        return next((t for t in self.types.get(s, ()) if t in classes), None)

    def incoming(self, node: ox.BlankNode) -> list[tuple[Subject, ox.NamedNode]]:
        """The (subject, predicate) pairs that point at a blank node."""
        return list(self._incoming.get(node, ()))

    def subjects_with(self, p: ox.NamedNode) -> list[Subject]:
        return [s for s, preds in self.out.items() if p in preds]


@dataclass
class Core:
    """The core-view triples being built (deduplicated, order kept) and the run's context."""

    index: Index
    ctx: IngestContext
    triples: dict[TripleTuple, None] = field(default_factory=dict)

    def add(self, s: Subject, p: ox.NamedNode, o: Object) -> None:
        self.triples[(s, p, o)] = None

    def copy(self, s: Subject, p: ox.NamedNode, as_p: ox.NamedNode | None = None) -> list[Object]:
        """Copy ``s p o`` triples from the native layer into the core view (optionally under ``as_p``)."""
        objs = self.index.objects(s, p)
        for o in objs:
            self.add(s, as_p or p, o)
        return objs

    def copy_links(self, s: Subject, p: ox.NamedNode) -> None:
        """Copy ``s p o`` into the core view, turning IRIs the source wrote as plain strings into IRIs."""
        for o in self.index.objects(s, p):
            if isinstance(o, ox.Literal) and o.datatype == XSD.string and is_iri(o.value):
                o = ox.NamedNode(o.value)
            self.add(s, p, o)

    def label(self, s: Subject, *preds: ox.NamedNode, kind: str, also_name: bool = True) -> None:
        """``skos:prefLabel`` (and ``schema:name``) from the first predicate that has literals."""
        for p in preds:
            labels = self.index.literals(s, p)
            if labels:
                for label in labels:
                    self.add(s, SKOS.prefLabel, label)
                    if also_name:
                        self.add(s, SCHEMA.name, label)
                return
        ctid = self.index.literals(s, CT.ctid)
        if ctid:
            self.add(s, SKOS.prefLabel, lit(ctid[0].value))
            self.ctx.warn(_where(s), f"{kind} has no name; labelled with its CTID")
        elif isinstance(s, ox.NamedNode):
            self.add(s, SKOS.prefLabel, lit(s.value))
            self.ctx.warn(_where(s), f"{kind} has no name; labelled with its IRI")
        else:
            self.ctx.warn(_where(s), f"{kind} has no name, CTID or IRI: left without a label")


def _where(s: Subject) -> str:
    return s.value if isinstance(s, ox.NamedNode) else "(a blank node)"


def where(s: Subject) -> str:
    """A node's place in messages: its IRI, or ``(a blank node)``."""
    return _where(s)


def core_view(native: list[TripleTuple], ctx: IngestContext, builders: Iterable[Any]) -> list[TripleTuple]:
    """The core-view triples derived from ``native`` by ``builders``."""
    core = Core(Index(native), ctx)
    for build in builders:
        build(core)
    return list(core.triples)
