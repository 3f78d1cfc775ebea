"""Closed namespaces for the terms lermap writes, rdflib style: a misspelt term raises.

Terms are :class:`pyoxigraph.NamedNode` values so that ingesters build triples for the embedded
engine without conversion. Add a term to its namespace's list when an ingester starts writing it.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import NamedNode


class ClosedNamespace:
    """A namespace that only knows the terms it was given.

    >>> ex = ClosedNamespace("http://example.org/", ["name"])
    >>> ex.name.value
    'http://example.org/name'
    >>> ex.nmae
    Traceback (most recent call last):
    ...
    AttributeError: term 'nmae' is not in namespace http://example.org/
    """

    def __init__(self, base: str, terms: Iterable[str]) -> None:
        self._base = base
        self._terms = {t: NamedNode(base + t) for t in terms}

    @property
    def base(self) -> str:
        return self._base

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._terms[name]
        except KeyError:
            raise AttributeError(f"term {name!r} is not in namespace {self._base}") from None

    def __getitem__(self, name: str) -> NamedNode:
        return self.__getattr__(name)

    def __contains__(self, item: object) -> bool:
        if isinstance(item, NamedNode):
            return item.value.startswith(self._base) and item.value[len(self._base) :] in self._terms
        return item in self._terms

    def __iter__(self) -> Iterable[NamedNode]:  # type: ignore[override]
        return iter(self._terms.values())

    def term(self, name: str) -> NamedNode:
        return self[name]


RDF = ClosedNamespace(
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    ["type", "Property", "List", "first", "rest", "nil", "value", "langString", "JSON", "HTML",
     "Statement", "subject", "predicate", "object"],
)
RDFS = ClosedNamespace(
    "http://www.w3.org/2000/01/rdf-schema#",
    ["label", "comment", "seeAlso", "Class", "subClassOf", "subPropertyOf", "domain", "range", "isDefinedBy"],
)
XSD = ClosedNamespace(
    "http://www.w3.org/2001/XMLSchema#",
    ["string", "boolean", "integer", "decimal", "double", "float", "date", "dateTime", "anyURI", "gYear", "duration"],
)
OWL = ClosedNamespace(
    "http://www.w3.org/2002/07/owl#",
    [
        "Ontology", "Class", "ObjectProperty", "DatatypeProperty", "AnnotationProperty", "sameAs",
        "Axiom", "annotatedSource", "annotatedProperty", "annotatedTarget", "versionInfo", "imports",
    ],
)
SKOS = ClosedNamespace(
    "http://www.w3.org/2004/02/skos/core#",
    [
        "Concept", "ConceptScheme", "Collection", "prefLabel", "altLabel", "hiddenLabel", "definition",
        "scopeNote", "note", "notation", "inScheme", "hasTopConcept", "topConceptOf", "broader", "narrower",
        "broaderTransitive", "narrowerTransitive", "related", "member", "exactMatch", "closeMatch",
        "broadMatch", "narrowMatch", "relatedMatch", "mappingRelation", "example",
    ],
)
DCTERMS = ClosedNamespace(
    "http://purl.org/dc/terms/",
    [
        "title", "description", "creator", "publisher", "created", "modified", "issued", "source", "format",
        "hasVersion", "isVersionOf", "license", "language", "identifier", "Standard", "conformsTo", "subject",
        "isPartOf", "hasPart", "rights", "type", "spatial", "valid",
    ],
)
PROV = ClosedNamespace(
    "http://www.w3.org/ns/prov#",
    [
        "Entity", "Activity", "Agent", "wasDerivedFrom", "wasGeneratedBy", "generatedAtTime", "wasAttributedTo",
        "hadPrimarySource", "startedAtTime", "endedAtTime", "used", "invalidatedAtTime",
    ],
)
SCHEMA = ClosedNamespace(
    "https://schema.org/",
    [
        "Organization", "EducationalOrganization", "GovernmentOrganization", "Corporation", "NGO", "Person",
        "EducationalOccupationalCredential", "EducationalOccupationalProgram", "Course", "Occupation",
        "SoftwareApplication", "CreativeWork", "DefinedTerm", "DefinedTermSet", "Place", "Country",
        "name", "alternateName", "description", "url", "identifier", "image", "sameAs", "creator", "provider",
        "recognizedBy", "credentialCategory", "educationalLevel", "competencyRequired", "teaches", "assesses",
        "occupationalCategory", "skills", "keywords", "about", "author", "publisher", "dateCreated",
        "dateModified", "datePublished", "inLanguage", "version", "areaServed", "address", "addressCountry",
        "addressRegion", "addressLocality", "location", "email", "memberOf", "member", "funder", "sponsor",
        "parentOrganization", "subOrganization", "license", "isAccessibleForFree", "applicationCategory",
        "validFrom", "validUntil", "timeRequired", "offers", "price", "priceCurrency", "estimatedSalary",
        "numberOfCredits", "educationalCredentialAwarded", "termCode", "inDefinedTermSet", "additionalType",
        "occupationalCredentialAwarded", "hasCredential", "qualifications", "responsibilities",
        "relevantOccupation", "citation", "isPartOf", "hasPart", "mainEntityOfPage", "review",
        # wages (ingest/oews.py)
        "MonetaryAmountDistribution", "currency", "duration", "median", "percentile10", "percentile25",
        "percentile75", "percentile90",
        # the datasets a graph is built from (ingest/dcat/datasets.py)
        "Dataset", "creditText",
    ],
)
CETERMS = ClosedNamespace(
    "https://purl.org/ctdl/terms/",
    [
        "Credential", "CredentialOrganization", "QACredentialOrganization", "Organization",
        "LearningOpportunityProfile", "LearningProgram", "Course", "AssessmentProfile", "Pathway",
        "PathwayComponent", "ConditionProfile", "CredentialAlignmentObject", "TransferValueProfile",
        "ctid", "name", "description", "subjectWebpage", "ownedBy", "offeredBy", "accreditedBy", "approvedBy",
        "recognizedBy", "regulatedBy", "requires", "recommends", "isPreparationFor", "isRequiredFor",
        "isAdvancedStandingFor", "preparationFrom", "targetCompetency", "targetCredential",
        "targetAssessment", "targetLearningOpportunity", "teaches", "assesses", "occupationType",
        "industryType", "instructionalProgramType", "hasDestinationComponent", "hasChild", "isChildOf",
        "codedNotation", "targetNode", "targetNodeName", "framework", "frameworkName", "estimatedCost",
        "estimatedDuration", "credentialType",
    ],
)
CEASN = ClosedNamespace(
    "https://purl.org/ctdlasn/terms/",
    [
        "CompetencyFramework", "Competency", "Rubric", "competencyText", "competencyLabel", "codedNotation",
        "competencyCategory", "isPartOf", "hasChild", "isChildOf", "hasTopChild", "isTopChildOf",
        "exactAlignment", "broadAlignment", "narrowAlignment", "majorAlignment", "minorAlignment",
        "prerequisiteAlignment", "name", "description", "creator", "publisher", "inLanguage",
    ],
)
SSSOM = ClosedNamespace(
    "https://w3id.org/sssom/",
    [
        "Mapping", "MappingSet", "mapping_justification", "confidence", "author_id", "author_label",
        "reviewer_id", "mapping_date", "subject_source", "subject_source_version", "object_source",
        "object_source_version", "predicate_label", "subject_label", "object_label", "comment",
        "mapping_tool", "mapping_set_id", "subject_type", "object_type", "similarity_score",
        "similarity_measure", "match_string", "mapping_provider",
    ],
)
SEMAPV = ClosedNamespace(
    "https://w3id.org/semapv/vocab/",
    [
        "ManualMappingCuration", "LexicalMatching", "SemanticSimilarityThresholdMatching", "MappingChaining",
        "UnspecifiedMatching", "CompositeMatching", "LogicalReasoning", "MappingReview", "MappingInversion",
    ],
)
SH = ClosedNamespace("http://www.w3.org/ns/shacl#", ["NodeShape", "PropertyShape"])

LERMAP_BASE = "https://w3id.org/lermap/"
LERMAP = ClosedNamespace(
    LERMAP_BASE + "vocab#",
    [
        # classes
        "Assertion", "Endorsement", "SkillRequirement", "Standard", "StandardVersion", "Tool", "PrincipleAssessment", # provenance of named graphs
        "sourceKey", "formatName", "formatVersion", "sha256", "tripleCount", "ingesterVersion",
        "warning", "personal", "catalog",
        # assertions (aggregate facts, never the learner)
        "ofCredential", "issuer", "issuedOn", "validFrom", "validUntil", "proofType", "proofStatus",
        "hasStatusList", "statusPurpose", "envelope", "jwtAlgorithm", "jwtKeyId",
        # alignments (sssom:Mapping) extras
        "nativePredicate", "targetName", "targetUrl", "targetCode", "targetFramework", "targetType",
        "associationType",
        "derivation", "alignmentStatus",
        # endorsements
        "endorser", "endorsed",
        # requirements
        "requiredBy", "requiresCompetency", "essential", "importance", "level", "notRelevant",
        "hotTechnology", "inDemand", "jobZone", "reuseLevel",
        # credential definitions
        "credentialKind", "achievementType", "criteria", "fieldOfStudy", "credits", "resultDescription",
        "eqfLevel",
        # ecosystem
        "stakeholderRole", "workstream", "region", "develops", "maintains", "implements", "supports",
        "certifiedFor", "convenes", "partnerWith", "publishesTo", "issuesCredentials",
        "usesFramework", "relationSource", "rule", "inverseLabel",
        # LER map site and directory (ingest/ecosystem/ler_map.py, ingest/ecosystem/directory.py)
        "WorkstreamRole", "ActionAreaRole", "ValueCase", "workstreamRole", "actionAreaRole", "actionArea",
        "valueCase", "caseKind", "activity", "standardKind", "openStandard", "feature", "sector", "funds",
        "memberOf", "registryMember", "inRegistry", "current",
        # edit proposals (proposals.py)
        "Proposal", "proposalId", "proposedBy", "reviewedBy", "reviewedAt", "proposalKind", "replacedQuads",
        # labour market (ingest/oews.py)
        "LabourMarketEstimate", "ofOccupation", "area", "areaType", "referenceYear", "employment", "employmentRse",
        "wageRse", "employmentPer1000", "locationQuotient", "mean", "topCodedMeasure", "topCodeBound",
        # identity resolution (analysis/identity.py)
        "IdentityResolution", "resolvedBy",
        # derived products (service/derived.py)
        "DerivedProduct", "derivedState", "derivedVersion",
        # the build record (build.py) and the datasets of the default graph (ingest/dcat/datasets.py)
        "Build", "inputsDigest", "derivedStep", "dataFile", "licenceName", "datasetId",
    ],
)
LERMAP_GRAPH_BASE = LERMAP_BASE + "graph/"
LERMAP_ID_BASE = LERMAP_BASE + "id/"
CATALOG_GRAPH = NamedNode(LERMAP_BASE + "graph/catalog")

# The entity kinds reported by `lermap ingest --json` and the core class that marks each.
CORE_TYPES: dict[str, NamedNode] = {
    "organization": SCHEMA.Organization,
    "credential": SCHEMA.EducationalOccupationalCredential,
    "assertion": LERMAP.Assertion,
    "framework": CEASN.CompetencyFramework,
    "competency": CEASN.Competency,
    "occupation": SCHEMA.Occupation,
    "alignment": SSSOM.Mapping,
    "pathway": CETERMS.Pathway,
    "learning_opportunity": CETERMS.LearningOpportunityProfile,
    "assessment": CETERMS.AssessmentProfile,
}

PREFIXES: dict[str, str] = {
    "rdf": RDF.base,
    "rdfs": RDFS.base,
    "xsd": XSD.base,
    "owl": OWL.base,
    "skos": SKOS.base,
    "dcterms": DCTERMS.base,
    "prov": PROV.base,
    "schema": SCHEMA.base,
    "ceterms": CETERMS.base,
    "ceasn": CEASN.base,
    "sssom": SSSOM.base,
    "semapv": SEMAPV.base,
    "lermap": LERMAP.base,
}
