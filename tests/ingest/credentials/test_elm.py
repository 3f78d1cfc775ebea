"""European Learning Model (EDC): every positive document ingests (the OB 3.0 one is left to ob3), counts read from
chosen documents, the learner never kept, and JSON-LD / Turtle twins give the same core view."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic

from lermap.graph.terms import to_rdflib_graph
from lermap.ingest import registry
from lermap.ingest.base import IngestContext, Source
from lermap.ingest.credentials.elm import ElmIngester
from tests.conftest import CONFORMANCE, TEST_DATA
from tests.ingest.credentials.helpers import entity_counts, expected_graph, graph_of, positives

FOLDER = "elm"
OB3_DOCUMENT = "dcbootcamp-MC-unsigned-OB.ob3.json"  # a plain OpenBadgeCredential: ob3's, not ours
POSITIVES = [p.name for p in positives(CONFORMANCE, FOLDER, "*") if p.name != OB3_DOCUMENT] if CONFORMANCE.is_dir() else []
LERMAP = rdflib.Namespace("https://w3id.org/lermap/vocab#")
LERMAP_NS = str(LERMAP)
CORE_NS = (LERMAP_NS, "https://schema.org/", "https://w3id.org/sssom/", "http://www.w3.org/2002/07/owl#annotated",
           "https://purl.org/ctdl")


@pytest.mark.parametrize("name", POSITIVES)
def test_positive_ingests_as_elm(memory_graph: Any, conformance: Path, name: str) -> None:
    [report] = memory_graph.ingest(conformance / FOLDER / name)
    assert report.format == "elm"
    assert report.counts["assertion"] == 1


def test_ob3_document_is_not_claimed(conformance: Path) -> None:
    source = Source.from_path(conformance / FOLDER / OB3_DOCUMENT)
    assert ElmIngester().sniff(source) == 0.0
    assert registry.detect(source).name == "ob3"


COUNTS = {
    # Qualification urn:epass:qualification:1 (EQF 6, 2 ECTS) with learningOutcome 1 (3 relatedESCOSkill) and 2
    # (1 relatedESCOSkill + 2 DigComp relatedSkill) = 6 alignments; issuer org:1 (University of Zed) and org:2
    # (EDC Support Team: directs the activity, assesses); one activity spec, one assessment spec.
    "elm-v3-Sample-MC-Annex1-unsigned.jsonld": {"organization": 2, "credential": 1, "assertion": 1, "alignment": 6,
                                                "competency": 2, "framework": 1, "learning_opportunity": 1,
                                                "assessment": 1, "endorsement": 0},
    # The same credential inside the EDC export wrapper {credential, deliveryDetails}.
    "elm-v3-Sample-MC-Annex1-unsigned-uploadable.json": {"organization": 2, "credential": 1, "assertion": 1, "alignment": 6,
                                                         "competency": 2, "framework": 1, "learning_opportunity": 1,
                                                         "assessment": 1, "endorsement": 0},
    # A LearningActivity claim (EDC Updates Webinar, specified by a LearningActivitySpecification); no achievement
    # specification, so the definition is the display title "Certificate of Participation"; issuer = director = org:1.
    "elm-v3-Sample-CertOfPart-unsigned.jsonld": {"organization": 1, "credential": 1, "assertion": 1, "alignment": 0,
                                                 "learning_opportunity": 1, "assessment": 0, "endorsement": 0},
    # Turtle: issuer ex:issuer565049, one LearningAchievement without specification (definition from the display
    # title "Some kind of credential"), no outcomes.
    "elm-rdf-samples-credential-sample-turtle.ttl": {"organization": 1, "credential": 1, "assertion": 1, "alignment": 0,
                                                     "competency": 0, "endorsement": 0},
}


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_counts(memory_graph: Any, conformance: Path, name: str) -> None:
    [report] = memory_graph.ingest(conformance / FOLDER / name)
    counts = {**report.counts, **entity_counts(memory_graph, report)}
    assert {k: counts[k] for k in COUNTS[name]} == COUNTS[name]


def _graph(path: Path) -> rdflib.Graph:
    source = Source.from_path(path)
    return to_rdflib_graph(ElmIngester().run(source, IngestContext(source)))


def _core(graph: rdflib.Graph) -> rdflib.Graph:
    """The core view: triples with a core predicate, or typing a subject with a core class (envelope excluded:
    it records the serialisation, vc1.1 JSON-LD vs rdf Turtle)."""
    out = rdflib.Graph()
    for s, p, o in graph:
        if p == LERMAP.envelope:
            continue
        if str(p).startswith(CORE_NS) or (p == rdflib.RDF.type and str(o).startswith(CORE_NS)) or (
            p in (rdflib.SKOS.prefLabel, rdflib.SKOS.inScheme, rdflib.SKOS.altLabel, rdflib.SKOS.definition)
            and any(str(x).startswith(CORE_NS) for x in graph.objects(s, rdflib.RDF.type))
        ):
            out.add((s, p, o))
    return out


def test_fixture_graph() -> None:
    assert isomorphic(_graph(TEST_DATA / "elm" / "credential.jsonld"), expected_graph(TEST_DATA / "elm" / "credential.expected.ttl"))


def test_fixture_twins_give_one_graph() -> None:
    """The hand-written Turtle twin states what the JSON-LD states: the whole graphs agree but for the envelope."""
    json_graph, ttl_graph = _graph(TEST_DATA / "elm" / "credential.jsonld"), _graph(TEST_DATA / "elm" / "credential.ttl")
    _, only_json, only_ttl = graph_diff(json_graph, ttl_graph)
    assert set(only_json) == {(rdflib.URIRef("urn:example:credential:7"), LERMAP.envelope, rdflib.Literal("vc1.1"))}
    assert set(only_ttl) == {(rdflib.URIRef("urn:example:credential:7"), LERMAP.envelope, rdflib.Literal("rdf"))}


def test_conformance_twins_differ_only_where_the_documents_do(conformance: Path) -> None:
    """The publisher's sample pair is not an exact twin. The JSON-LD adds an AwardingProcess whose awarding body
    (ex:org1) is an Organisation (plus evidence and profile details outside the core view), and the Turtle declares
    ``@prefix nalc: <.../authority/country>`` without the final slash, so its country is ``.../countryFRA``.
    Apart from those two, the core views are the same graph."""
    json_core = _core(_graph(conformance / FOLDER / "elm-rdf-samples-credential-sample.jsonld"))
    ttl_core = _core(_graph(conformance / FOLDER / "elm-rdf-samples-credential-sample-turtle.ttl"))
    _, only_json, only_ttl = graph_diff(json_core, ttl_core)
    issuer, awarding_body = rdflib.URIRef("http://example.org/issuer565049"), rdflib.URIRef("http://example.org/org1")
    country = rdflib.URIRef("https://schema.org/addressCountry")
    assert {s for s, _, _ in only_json} == {issuer, awarding_body}
    assert set(only_json.triples((issuer, None, None))) == {(issuer, country, rdflib.Literal("FRA"))}
    assert set(only_ttl) == {(issuer, country, rdflib.Literal("countryFRA"))}


@pytest.mark.parametrize("name", POSITIVES)
def test_learner_never_kept(conformance: Path, name: str) -> None:
    text = _graph(conformance / FOLDER / name).serialize(format="nt")
    for secret in ("Andromeda", "ana.andromeda", "LA-234218", "1999-10-01", "Max Power", "Maxi", "ildiko",
                   "urn:epass:person:", "http://example.org/pid1", "human-sex/FEMALE"):
        assert secret not in text


def test_ects_credits_and_eqf_level(memory_graph: Any, conformance: Path) -> None:
    [report] = memory_graph.ingest(conformance / FOLDER / "elm-v3-Sample-MC-Annex1-unsigned.jsonld")
    graph = graph_of(memory_graph, report)
    qualification = rdflib.URIRef("urn:epass:qualification:1")
    assert [o.toPython() for o in graph.objects(qualification, LERMAP.credits)] == [2]
    assert [o.toPython() for o in graph.objects(qualification, LERMAP.eqfLevel)] == [6]


def test_esco_links_keep_the_native_predicate(memory_graph: Any, conformance: Path) -> None:
    [report] = memory_graph.ingest(conformance / FOLDER / "elm-v3-Sample-MC-Annex1-unsigned.jsonld")
    graph = graph_of(memory_graph, report)
    native = rdflib.URIRef("http://data.europa.eu/snb/model/elm/relatedESCOSkill")
    targets = {graph.value(m, rdflib.OWL.annotatedTarget) for m in graph.subjects(LERMAP.nativePredicate, native)}
    assert len(targets) == 4 and all(str(t).startswith("http://data.europa.eu/esco/skill/") for t in targets)


def test_signed_payload_warns(conformance: Path) -> None:
    source = Source.from_path(conformance / FOLDER / "elm-v3-Sample-CertOfPart-signed.jsonld")
    ctx = IngestContext(source)
    list(ElmIngester().run(source, ctx))
    assert "signatures: JAdES/JWS signature (RS256) not checked offline" in ctx.warnings


@pytest.mark.parametrize(("data", "phrase"), [
    (b'{"@context": "https://www.w3.org/2018/credentials/v1", "type": "VerifiableCredential"}', "does not name"),
    (b'{"credential": 5}', "must be a JSON object"),
    (b'{"payload": 3, "signatures": []}', "a JWS payload must be a string"),
    (b"[1]", "must be a JSON object"),
])
def test_refusals(data: bytes, phrase: str) -> None:
    from lermap.errors import SourceError

    source = Source.from_bytes("mem:bad.json", data)
    with pytest.raises(SourceError, match=phrase):
        list(ElmIngester().run(source, IngestContext(source)))


def test_minted_iris_are_stable_across_parses(conformance: Path) -> None:
    """Blank nodes get new labels on every parse; the IRIs minted for core entities must not."""
    path = conformance / FOLDER / "dcbootcamp-AA-Annex1-MC-unsigned-PROD.edc.json"
    minted = [{str(s) for s in _graph(path).subjects() if str(s).startswith("https://w3id.org/lermap/id/")} for _ in range(2)]
    assert minted[0] == minted[1] and minted[0]


def _run_graph(path: Path) -> rdflib.Graph:
    return _graph(path)


def test_fixture_conforms_to_the_core_shapes() -> None:
    from lermap.graph.validate import validate_graph

    report = validate_graph(_run_graph(TEST_DATA / "elm/credential.jsonld"))
    assert report.conforms, report.summary()
