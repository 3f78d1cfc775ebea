"""CTDL ingester: the Credential Engine's published documents, and small fixtures of our own.

Expected counts come from reading the documents (each case says what was read); the fixtures in
tests/data/ctdl/ carry exact expected core triples.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from lermap.errors import ContextError, SourceError
from lermap.graph.terms import TripleTuple, minted, to_rdflib_graph
from lermap.graph.vocab import CETERMS, LERMAP, OWL, RDF, SCHEMA, SEMAPV, SKOS, SSSOM
from lermap.ingest.base import IngestContext, IngestOptions, Source
from lermap.ingest.ctdl.ctdl import CtdlIngester
from lermap.ingest.ctdl.ctdl_asn import CtdlAsnIngester
from lermap.ingest.ctdl.mapping import core_view
from tests.conftest import CONFORMANCE

DATA = Path(__file__).resolve().parents[2] / "data" / "ctdl"
FOLDER = CONFORMANCE / "ctdl"

# Documents in ctdl/ that are not CTDL JSON-LD the ingester can read, with the refusal each must get.
_JDX = ["JobAgreement", "JobBenefits", "JobSchedule", "JobTerm", "PayCycleInterval", "ShiftSchedule", "WorkHours"]
_USE_CASES = ["UC10", "UC12", "UC18", "UC18_1", "UC19"]
REFUSED: dict[str, tuple[type[SourceError], str]] = {
    # contexts with no published copy anywhere (PROVENANCE.md marks them "NOT FOUND")
    "ce-Code-Samples_CENSUS-DRAFT2.jsonld": (ContextError, "http://credreg.net/qdata/schema/context/json"),
    **{f"ce-JDX_{n}.json": (ContextError, "http://jobdataexchange.org/jdxcontext.json") for n in _JDX},
    "ce-pathways-ProgressionModel.json": (ContextError, "http://example.org/schema/context/json"),
    # Registry Assistant API input: PascalCase keys, no JSON-LD
    "ce-Transfer_Value_Profile_Assistant_API_-_Assessment_-_ACE_-_Introductory_Sociology.json": (SourceError, "Assistant API"),
    "ce-Transfer_Value_Profile_Assistant_API_-_Assessment_-_Certified_Administrative_Secretary_Part_3_With_Current_Properties.json": (
        SourceError,
        "Assistant API",
    ),
    "ce-Transfer_Value_Profile_Assistant_API_-_Course_-_ACE_-_Sophia_Learning_LLC_-_Principles_of_Finance.json": (
        SourceError,
        "Assistant API",
    ),
    # Badgr's own export (elementId, shortCode) and use-case snippets with undeclared ":" prefixes
    "ce-PathwaysConditionsAndConstraints_Pathway-Examples_Badgr_EmpoweringTeachingExcellence_Badgr.json": (SourceError, "not a CTDL document"),
    "ce-PathwaysConditionsAndConstraints_Pathway-Examples_Badgr_French-B-A-Marketable-Skills.json": (SourceError, "not a CTDL document"),
    **{f"ce-PathwaysConditionsAndConstraints_Pathway-Examples_UseCaseExamples_{n}.jsonld": (SourceError, "not a CTDL document") for n in _USE_CASES},
    # Turtle snippets that use prefixes they never declare
    **{
        f"ce-PathwaysConditionsAndConstraints_Pathway-Examples_UseCaseExamples_{n}.ttl": (SourceError, "has not been declared")
        for n in ["UC10", "UC12", "UC17", "UC18", "UC19", "UC26"]
    },
}
NOT_JSON_LD = sorted(p.name for p in FOLDER.glob("*.csv")) if FOLDER.is_dir() else []


def _positives() -> list[Path]:
    if not FOLDER.is_dir():
        return []
    return sorted(p for p in FOLDER.iterdir() if p.is_file() and p.name not in REFUSED and p.suffix != ".csv")


def run(path: Path, lenient: bool = False, ingester: CtdlIngester | CtdlAsnIngester | None = None) -> tuple[list[TripleTuple], list[TripleTuple], IngestContext]:
    """(native triples, core triples, context) for one document."""
    ing = ingester or CtdlIngester()
    src = Source.from_path(path)
    ctx = IngestContext(src, IngestOptions(lenient=lenient))
    native = ing.parse(src, ctx)
    return native, core_view(native, ctx, ing.builders), ctx


# --- every positive document ingests -----------------------------------------------------------------


@pytest.mark.parametrize("path", _positives(), ids=lambda p: p.name)
def test_positive_document_ingests(path: Path, conformance: Path, memory_graph: object) -> None:
    (report,) = memory_graph.ingest(path, format="ctdl")  # type: ignore[attr-defined]
    assert report.format == "ctdl"
    assert report.triples > 0 or any("no triples" in w for w in report.warnings)


@pytest.mark.parametrize("path", _positives(), ids=lambda p: p.name)
def test_ctdl_namespace_is_always_https(path: Path, conformance: Path) -> None:
    native, core, _ = run(path)
    terms = [t.value for triple in native + core for t in triple if isinstance(t, ox.NamedNode)]
    assert not [t for t in terms if t.startswith(("http://purl.org/ctdl/", "http://purl.org/ctdlasn/"))]
    langs = {t.language for triple in native + core for t in triple if isinstance(t, ox.Literal) and t.language}
    assert langs == {lang.lower() for lang in langs}


@pytest.mark.parametrize("name", sorted(REFUSED), ids=str)
def test_unreadable_document_is_refused_clearly(name: str, conformance: Path) -> None:
    error, text = REFUSED[name]
    with pytest.raises(error, match=text.replace(".", r"\.")):
        run(FOLDER / name)


@pytest.mark.parametrize("name", NOT_JSON_LD + [n for n in REFUSED if n.endswith(".ttl")], ids=str)
def test_non_ctdl_files_are_not_sniffed(name: str, conformance: Path) -> None:
    assert CtdlIngester().sniff(Source.from_path(FOLDER / name)) == 0.0
    assert CtdlAsnIngester().sniff(Source.from_path(FOLDER / name)) == 0.0


# --- exact counts read from the documents ------------------------------------------------------------

EXACT = {
    # @graph: ceterms:Occupation x2 and ceterms:CredentialOrganization x2
    "ce-HandbookExamples_EducationToWork_relatedOccupations.json": {"occupation": 2, "organization": 2, "credential": 0},
    # array of 10: ceterms:CredentialOrganization x8 + ceterms:QACredentialOrganization x2; 10 industryType
    # alignment objects (one per organisation, each with a NAICS targetNode)
    "credreg-seed-organization.json": {"organization": 10, "alignment": 10, "credential": 0},
    # one ceterms:Certification, regulatedBy an embedded ceterms:CredentialOrganization; 2 occupationType and
    # 12 industryType alignment objects; the one targetCompetency's targetNode is an embedded ceasn:Competency
    "credreg-fixture-credential-3_import.json": {"credential": 1, "organization": 1, "occupation": 2, "alignment": 14, "competency": 1},
    # one ceterms:LearningProgram with 4 occupationType alignment objects, each a bare targetNodeName
    "ingestex-LearningProgram-1.json": {"learning_opportunity": 1, "occupation": 4, "alignment": 4, "credential": 0},
    # @graph: ceterms:Certification x8, ceterms:Pathway x1, ceterms:BasicComponent x1
    "ce-PathwaysConditionsAndConstraints_Pathway-Examples_CompTIA_CompTIA-IT_Networking_Specialist.jsonld": {"credential": 8, "pathway": 1},
    # array of 10 ceterms:AssessmentProfile
    "credreg-seed-assessment_profile.json": {"assessment": 10, "credential": 0},
    # a CTDL-ASN framework published with the TVP examples: 1 ceasn:CompetencyFramework + 6 ceasn:Competency
    "ce-Transfer_Value_Profile_ACE-CompetencyFrameworkPrinciplesofFinance_LearningOutcomes": {"framework": 1, "competency": 6},
    # @graph: ceterms:MasterDegree x1, ceterms:LearningProgram x1, ceterms:Course x4, ceterms:CredentialOrganization x1
    "ce-CourseProgramExamples_programWithCourses.json": {"credential": 1, "learning_opportunity": 5, "organization": 1},
}


@pytest.mark.parametrize("name", sorted(EXACT), ids=str)
def test_exact_counts(name: str, conformance: Path, memory_graph: object) -> None:
    (report,) = memory_graph.ingest(FOLDER / name, format="ctdl")  # type: ignore[attr-defined]
    assert {k: report.counts.get(k, 0) for k in EXACT[name]} == EXACT[name]


_COMPONENTS = """
SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {
  GRAPH ?g { ?c a ?t }
  FILTER(STRSTARTS(STR(?t), "https://purl.org/ctdl/terms/") && STRENDS(STR(?t), "Component"))
}
"""
COMPONENTS = {
    # @graph: ceterms:CredentialComponent x30 + ceterms:BasicComponent x23 (and one ceterms:Pathway)
    "ce-PathwaysConditionsAndConstraints_Pathway-Examples_Badgr_Badgr_French_B.A.MarketableSkills_CR_sandbox.json": 53,
    # @graph: one ceterms:BasicComponent (the eight certifications are typed ceterms:Certification)
    "ce-PathwaysConditionsAndConstraints_Pathway-Examples_CompTIA_CompTIA-IT_Networking_Specialist.jsonld": 1,
}


@pytest.mark.parametrize("name", sorted(COMPONENTS), ids=str)
def test_pathway_component_counts(name: str, conformance: Path, memory_graph: object) -> None:
    (report,) = memory_graph.ingest(FOLDER / name, format="ctdl")  # type: ignore[attr-defined]
    frame = memory_graph.sparql(_COMPONENTS, {"g": ox.NamedNode(report.graph)})  # type: ignore[attr-defined]
    assert report.counts["pathway"] == 1
    assert int(frame["n"][0]) == COMPONENTS[name]


# --- non-strict JSON: refused by default, read with the lenient option --------------------------------


@pytest.mark.parametrize(
    ("name", "location", "defect"),
    [
        ("nonstrict.json", "line 3, column 3", "a comment"),
        ("trailing-comma.json", "line 6, column 1", "a trailing comma"),
        ("two-values.json", "line 2, column 1", "more than one JSON value"),
    ],
)
def test_nonstrict_json_is_refused_with_place_and_defect(name: str, location: str, defect: str) -> None:
    with pytest.raises(SourceError) as info:
        run(DATA / name)
    assert info.value.location == location
    assert defect in info.value.reason and "lenient" in info.value.reason


@pytest.mark.parametrize(("name", "credentials"), [("nonstrict.json", 1), ("trailing-comma.json", 1), ("two-values.json", 2)])
def test_nonstrict_json_is_read_leniently(name: str, credentials: int) -> None:
    native, core, ctx = run(DATA / name, lenient=True)
    creds = {s for s, p, o in core if p == RDF.type and o == SCHEMA.EducationalOccupationalCredential}
    assert len(creds) == credentials
    assert any("read leniently" in w for w in ctx.warnings)


NONSTRICT = sorted((FOLDER / "nonstrict").iterdir()) if (FOLDER / "nonstrict").is_dir() else []


@pytest.mark.parametrize("path", NONSTRICT, ids=lambda p: p.name)
def test_publisher_nonstrict_files_refused_then_read_or_refused_leniently(path: Path, conformance: Path) -> None:
    with pytest.raises(SourceError, match=r"line \d+, column \d+: (not strict|invalid) JSON"):
        run(path)
    try:
        run(path, lenient=True)
    except SourceError as exc:  # some are fragments even a lenient reader cannot make whole
        assert exc.reason


def test_lenient_read_of_publisher_collection_sample(conformance: Path, memory_graph: object) -> None:
    # After its //-comment and trailing commas: @graph of ceterms:Collection, ceasn:Competency,
    # ceterms:Certification, ceterms:WorkRole and ceterms:Organization, one each; the competency has one
    # occupationType alignment object (BLS 11-1011 "Chief Executives": a second occupation and an alignment)
    # and one ceasn:exactAlignment to an OSMT skill (a second alignment).
    path = FOLDER / "nonstrict" / "ce-Contextualized-Competency-Statements_Collection_and_RSD_Sample.json"
    (report,) = memory_graph.ingest(path, format="ctdl", lenient=True)  # type: ignore[attr-defined]
    expected = {"competency": 1, "credential": 1, "occupation": 2, "organization": 1, "alignment": 2}
    assert {k: report.counts[k] for k in expected} == expected


# --- contexts and other refusals -----------------------------------------------------------------------


def test_missing_context_is_a_context_error_naming_it() -> None:
    with pytest.raises(ContextError, match=r"http://credreg\.net/qdata/schema/context/json is not available offline"):
        run(DATA / "qdata-context.json")


def test_assistant_api_input_is_refused() -> None:
    with pytest.raises(SourceError, match="Assistant API input"):
        run(DATA / "assistant-api.json")


# --- tiny fixtures with exact triples ------------------------------------------------------------------


def _core_graph(name: str) -> rdflib.Graph:
    _, core, _ = run(DATA / name)
    return to_rdflib_graph(core)


def test_credential_fixture_core_view_exactly() -> None:
    cred, org = ox.NamedNode("https://example.org/cred/1"), ox.NamedNode("https://example.org/org/1")
    comp = ox.NamedNode("https://example.org/comp/bend")
    cond, duration = ox.BlankNode(), ox.BlankNode()
    soc = minted("target", "Standard Occupational Classification", "51-4121")
    m = minted("mapping", cred.value, CETERMS.occupationType.value, soc.value)
    welders = ox.Literal("Welders, Cutters, Solderers, and Brazers", language="en-us")
    p6m = ox.Literal("P6M", datatype=ox.NamedNode("https://schema.org/Duration"))
    expected: list[TripleTuple] = [
        (cred, RDF.type, SCHEMA.EducationalOccupationalCredential),
        (cred, RDF.type, ox.NamedNode(CETERMS.base + "Certificate")),
        (cred, LERMAP.credentialKind, ox.Literal("ceterms:Certificate")),
        (cred, SKOS.prefLabel, ox.Literal("Welding Certificate", language="en-us")),
        (cred, SCHEMA.name, ox.Literal("Welding Certificate", language="en-us")),
        (cred, SCHEMA.creator, org),
        (cred, CETERMS.ownedBy, org),
        (cred, SCHEMA.competencyRequired, comp),
        (cred, CETERMS.requires, cond),
        (cond, RDF.type, CETERMS.ConditionProfile),
        (cond, CETERMS.description, ox.Literal("Pass the bend test", language="en-us")),
        (cond, CETERMS.targetCompetency, comp),
        (m, RDF.type, SSSOM.Mapping),
        (m, OWL.annotatedSource, cred),
        (m, OWL.annotatedProperty, SKOS.relatedMatch),
        (m, OWL.annotatedTarget, soc),
        (m, SSSOM.mapping_justification, SEMAPV.ManualMappingCuration),
        (m, LERMAP.nativePredicate, CETERMS.occupationType),
        (m, LERMAP.targetName, welders),
        (m, LERMAP.targetCode, ox.Literal("51-4121")),
        (m, LERMAP.targetFramework, ox.Literal("Standard Occupational Classification")),
        (m, LERMAP.targetType, ox.Literal("occupation")),
        (soc, RDF.type, SCHEMA.Occupation),
        (soc, RDF.type, SKOS.Concept),
        (soc, SKOS.prefLabel, welders),
        (soc, SKOS.notation, ox.Literal("51-4121")),
        (cred, CETERMS.estimatedDuration, duration),
        (duration, RDF.type, ox.NamedNode(CETERMS.base + "DurationProfile")),
        (duration, ox.NamedNode(CETERMS.base + "exactDuration"), p6m),
        (cred, SCHEMA.timeRequired, p6m),
        (org, RDF.type, SCHEMA.Organization),
        (org, SCHEMA.additionalType, CETERMS.CredentialOrganization),
        (org, SKOS.prefLabel, ox.Literal("Example Welding School", language="en")),
        (org, SCHEMA.name, ox.Literal("Example Welding School", language="en")),
    ]
    assert isomorphic(_core_graph("credential-small.json"), to_rdflib_graph(expected))


def test_pathway_fixture_core_view_exactly() -> None:
    pathway, dest, course = (ox.NamedNode(f"https://example.org/{p}") for p in ("pathway/1", "pc/dest", "pc/course"))
    cond = ox.BlankNode()
    ct = CETERMS.base
    expected: list[TripleTuple] = [
        (pathway, RDF.type, CETERMS.Pathway),
        (pathway, SKOS.prefLabel, ox.Literal("Welding Pathway", language="en")),
        (pathway, CETERMS.hasDestinationComponent, dest),
        (dest, RDF.type, ox.NamedNode(ct + "CredentialComponent")),
        (dest, SKOS.prefLabel, ox.Literal("Welding Certificate", language="en")),
        # the CTDL context leaves hasChild / isChildOf untyped: the core view turns the IRI strings into IRIs
        (dest, CETERMS.hasChild, course),
        (dest, ox.NamedNode(ct + "hasCondition"), cond),
        (cond, RDF.type, ox.NamedNode(ct + "ComponentCondition")),
        (cond, ox.NamedNode(ct + "requiredNumber"), ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
        (cond, ox.NamedNode(ct + "targetComponent"), course),
        (course, RDF.type, ox.NamedNode(ct + "CourseComponent")),
        (course, SKOS.prefLabel, ox.Literal("Welding 101", language="en")),
        (course, CETERMS.isChildOf, dest),
    ]
    assert isomorphic(_core_graph("pathway-small.json"), to_rdflib_graph(expected))


def test_http_namespace_and_language_case_are_normalised() -> None:
    native, core, _ = run(DATA / "http-namespace.json")
    badge = ox.NamedNode("https://example.org/badge/1")
    assert set(native) == {
        (badge, RDF.type, ox.NamedNode(CETERMS.base + "Badge")),
        (badge, CETERMS.name, ox.Literal("Safety Badge", language="en-us")),
        (badge, CETERMS.offeredBy, ox.NamedNode("https://example.org/org/2")),
    }
    assert (badge, LERMAP.credentialKind, ox.Literal("ceterms:Badge")) in core
    assert (badge, CETERMS.offeredBy, ox.NamedNode("https://example.org/org/2")) in core


def test_envelope_is_unwrapped() -> None:
    native, core, _ = run(DATA / "envelope.json")
    badge = ox.NamedNode("https://example.org/cred/6")
    assert set(native) == {
        (badge, RDF.type, ox.NamedNode(CETERMS.base + "Badge")),
        (badge, CETERMS.name, ox.Literal("Enveloped Badge", language="en-us")),
    }
    assert (badge, RDF.type, SCHEMA.EducationalOccupationalCredential) in core


def test_context_less_registry_example_is_read_with_registry_contexts(conformance: Path) -> None:
    # No @context; @graph with ceterms:TransferValueProfile, ceterms:LearningOpportunityProfile x2 (KBOR SWT).
    _, core, ctx = run(FOLDER / "ce-Transfer_Value_Profile_CTDL_-_Course_-_KBOR_-_SWT_Transfer_-_Accounting.json")
    los = {s for s, p, o in core if p == RDF.type and o == CETERMS.LearningOpportunityProfile}
    assert len(los) == 2
    assert any("without @context" in w for w in ctx.warnings)


def test_reingest_is_idempotent(memory_graph: object) -> None:
    first = memory_graph.ingest(DATA / "credential-small.json", format="ctdl")[0]  # type: ignore[attr-defined]
    second = memory_graph.ingest(DATA / "credential-small.json", format="ctdl")[0]  # type: ignore[attr-defined]
    assert (first.triples, first.counts) == (second.triples, second.counts)
    assert len(memory_graph.sources()) == 1  # type: ignore[attr-defined]
    assert first.counts["alignment"] == 1 and first.counts["occupation"] == 1


def test_sniff_prefers_ctdl_for_credentials_and_ctdl_asn_for_frameworks() -> None:
    cred = Source.from_path(DATA / "credential-small.json")
    assert CtdlIngester().sniff(cred) > CtdlAsnIngester().sniff(cred)
    framework = Source.from_path(DATA.parent / "ctdl-asn" / "framework-small.json")
    assert CtdlAsnIngester().sniff(framework) > CtdlIngester().sniff(framework)


@pytest.mark.parametrize(
    "name",
    [
        "ob3/obspec-achievementAlignmentCe-01-Achievement-alignment-Credential-Engine.json",
        "ob3/obspec-skillAssertionCtdl-01-Skill-Assertion-Credential-Registry.json",
    ],
)
def test_open_badges_that_mention_ctdl_are_not_claimed(name: str, conformance: Path) -> None:
    # Both are Open Badges 3.0 credentials aligned to Credential Registry resources (their @context is 1EdTech's).
    source = Source.from_path(conformance / name)
    assert (CtdlIngester().sniff(source), CtdlAsnIngester().sniff(source)) == (0.0, 0.0)


@pytest.mark.parametrize(
    "data",
    [
        b"[]",
        b'"a string"',
        b"42",
        b'{"@context": 5}',
        b'{"@context": "https://credreg.net/ctdl/schema/context/json", "@id": 5, "@type": "ceterms:Badge"}',
        b'{"@context": "https://credreg.net/ctdl/schema/context/json", "@graph": "not a list"}',
        b'{"@graph": [{"@type": "ceterms:Badge", "ceterms:name": {"en": 5}}]}',
        b'{"decoded_resource": null}',
        b"[" * 500 + b"]" * 500,
        b"\xff\xfe not utf-8",
        b"{ // unterminated",
    ],
    ids=lambda d: d[:30].decode("utf-8", "replace"),
)
@pytest.mark.parametrize("lenient", [False, True], ids=["strict", "lenient"])
def test_hostile_input_is_refused_or_read_never_crashes(data: bytes, lenient: bool) -> None:
    src = Source.from_bytes("hostile.json", data)
    ctx = IngestContext(src, IngestOptions(lenient=lenient))
    try:
        list(CtdlIngester().run(src, ctx))
    except SourceError as exc:
        assert exc.reason


def test_bytes_are_detected_and_ingested(memory_graph: object) -> None:
    report = memory_graph.ingest_bytes("upload.json", (DATA / "credential-small.json").read_bytes())  # type: ignore[attr-defined]
    assert report.format == "ctdl" and report.counts["credential"] == 1
    ttl = (DATA.parent / "ctdl-asn" / "framework-small.ttl").read_bytes()
    report = memory_graph.ingest_bytes("upload-framework", ttl)  # type: ignore[attr-defined]
    assert report.format == "ctdl-asn" and (report.counts["framework"], report.counts["competency"]) == (1, 2)


def test_mappings_from_blank_nodes_get_the_same_iri_on_every_parse(conformance: Path) -> None:
    # The sample's credential has no @id (a blank node) and one industryType alignment object.
    path = FOLDER / "credreg-sample-cer-credential.json"
    first, second = ({s for s, p, o in run(path)[1] if p == RDF.type and o == SSSOM.Mapping} for _ in range(2))
    assert len(first) == 1 and first == second


def test_missing_comma_is_refused_strictly_and_repaired_leniently() -> None:
    data = b'{\n  "@context": "https://credreg.net/ctdl/schema/context/json",\n  "@id": "https://example.org/x"\n  "@type": "ceterms:Badge"\n}'
    src = Source.from_bytes("missing-comma.json", data)
    with pytest.raises(SourceError) as info:
        CtdlIngester().parse(src, IngestContext(src))
    assert info.value.location == "line 4, column 3"
    assert info.value.reason.startswith("not strict JSON: a missing comma") and "lenient" in info.value.reason
    ctx = IngestContext(src, IngestOptions(lenient=True))
    native = CtdlIngester().parse(src, ctx)
    assert (ox.NamedNode("https://example.org/x"), RDF.type, ox.NamedNode("https://purl.org/ctdl/terms/Badge")) in native
    assert ctx.warnings == ["line 4, column 3: non-strict JSON read leniently: a missing comma repaired"]


def test_broken_json_that_leniency_cannot_fix_is_refused_without_suggesting_it() -> None:
    src = Source.from_bytes("broken.json", b'{\n  "@id": "https://example.org/x",\n  @type: "ceterms:Badge"\n}')
    with pytest.raises(SourceError) as info:
        CtdlIngester().parse(src, IngestContext(src))
    assert info.value.location == "line 3, column 3"
    assert info.value.reason.startswith("invalid JSON: Expecting property name") and "lenient" not in info.value.reason
    with pytest.raises(SourceError, match="unreadable even leniently"):
        CtdlIngester().parse(src, IngestContext(src, IngestOptions(lenient=True)))


def test_language_map_keys_written_with_a_colon_are_repaired(conformance: Path) -> None:
    # lifeCycleExample.json writes its names as {"en:us": ...}; line 48-49 names the certificate.
    _, core, ctx = run(FOLDER / "ce-Code-Samples_lifeCycleExample.json")
    cert = ox.NamedNode("https://credentialengineregistry.org/resources/ce-01234567-abcd-abcd-abcd-000000000002")
    assert (cert, SKOS.prefLabel, ox.Literal("Certificate in Applied Data Science", language="en-us")) in core
    assert any("'en:us'" in w for w in ctx.warnings)
