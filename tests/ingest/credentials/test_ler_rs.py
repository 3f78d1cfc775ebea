"""HR Open LER-RS: read as plain JSON (never JSON-LD), counts read from the documents, nothing of the person kept
unless asked, and a tiny fixture compared as a graph."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import rdflib
from rdflib.compare import isomorphic

from lermap.errors import SourceError
from lermap.graph.terms import to_rdflib_graph
from lermap.ingest.base import IngestContext, IngestOptions, Source
from lermap.ingest.credentials.ler_rs import LerRsIngester
from tests.conftest import CONFORMANCE, TEST_DATA
from tests.ingest.credentials.helpers import expected_graph, positives

FOLDER = "ler-rs"
POSITIVES = [p.name for p in positives(CONFORMANCE, FOLDER, "*.json")] if CONFORMANCE.is_dir() else []


@pytest.mark.parametrize("name", POSITIVES)
def test_positive_ingests_as_ler_rs(memory_graph: Any, conformance: Path, name: str) -> None:
    [report] = memory_graph.ingest(conformance / FOLDER / name)
    assert report.format == "ler-rs"
    assert report.counts["credential"] >= 2


COUNTS = {
    # Issuer "Resume Builder" (not an IRI: minted); education: University of Phoenix (the transcript VC's issuer
    # https://www.phoenix.edu) with "Bachelor of Arts"; employer ABC Company with position "Marketing Manager";
    # certification: an embedded OB 3.0 credential, achievement https://1edtech.edu/achievements/774 issued by ACE.
    "dvalidator-LER-RS_V2_UC008_portability.json": {"organization": 4, "credential": 2, "competency": 0, "framework": 0,
                                                    "occupation": 1, "alignment": 0, "assertion": 0},
    # Adds a job (not mapped: the position the person seeks), one skill "Project Management" (no scheme reference),
    # UC Berkeley "Bachelor of Commerce", NCSU (transcript VC) "Computer Science, Cybersecurity Concentration, B.S.",
    # employer AllSoftware ("Corporate Project Manager"), Cornell's "Product Management Certificate" (a reference).
    "dvalidator-LER-RS_V2_VCwrapper.json": {"organization": 5, "credential": 3, "competency": 1, "framework": 1,
                                            "occupation": 1, "alignment": 0, "assertion": 0},
}


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_counts(memory_graph: Any, conformance: Path, name: str) -> None:
    [report] = memory_graph.ingest(conformance / FOLDER / name)
    assert {k: report.counts[k] for k in COUNTS[name]} == COUNTS[name]


def _run(path: Path, personal: bool = False) -> tuple[rdflib.Graph, IngestContext]:
    source = Source.from_path(path)
    ctx = IngestContext(source, IngestOptions(personal=personal))
    return to_rdflib_graph(LerRsIngester().run(source, ctx)), ctx


def test_fixture_graph() -> None:
    graph, ctx = _run(TEST_DATA / "ler-rs" / "resume.json")
    assert isomorphic(graph, expected_graph(TEST_DATA / "ler-rs" / "resume.expected.ttl"))
    assert ctx.warnings == []


PERSONAL = ["Jennifer", "Jones", "Gunilla", "Klein", "555", "@example.com", "Main St", "Schenectady", "did:",
            "linkedin", "Looking for", "88802e91", "71202e91", "Römerberg", "I have 5", "2022-10-01", "Marketing plan"]


@pytest.mark.parametrize("name", POSITIVES)
def test_person_never_kept(conformance: Path, name: str) -> None:
    text = _run(conformance / FOLDER / name)[0].serialize(format="nt")
    assert [s for s in PERSONAL if s in text] == []


@pytest.mark.parametrize("secret", ["Robin", "robin@example.test", "doc-123", "Robin used SQL", "Springfield", "2019-09-01"])
def test_fixture_person_never_kept(secret: str) -> None:
    assert secret not in _run(TEST_DATA / "ler-rs" / "resume.json")[0].serialize(format="nt")


def test_personal_mode_keeps_the_name() -> None:
    graph, _ = _run(TEST_DATA / "ler-rs" / "resume.json", personal=True)
    person = next(graph.subjects(rdflib.RDF.type, rdflib.URIRef("https://schema.org/Person")))
    assert graph.value(person, rdflib.URIRef("https://schema.org/name")) == rdflib.Literal("Robin Sample")
    assert len(set(graph.objects(person, rdflib.URIRef("https://schema.org/hasCredential")))) == 3


def test_schema_urls_in_context_are_never_fetched_or_expanded(conformance: Path) -> None:
    # The @context entries are HR Open JSON Schema URLs without local copies: reading must not need them.
    graph, _ = _run(conformance / FOLDER / "dvalidator-LER-RS_V2_UC008_portability.json")
    assert not any("hropenstandards" in str(p) for _, p, _ in graph if "LER-RSType.json#" not in str(p))


@pytest.mark.parametrize(("data", "phrase"), [
    (b"[]", "must be a JSON object"),
    (b'{"credentialSubject": [1, 2]}', "exactly one LER-RS object"),
    (b'{"credentialSubject": {"type": "x"}}', "not an LER-RS r"),
    (b'{"credentialSubject": {"type": "LER-RS", "skills": {"name": "x"}}}', "skills must be an array"),
])
def test_refusals(data: bytes, phrase: str) -> None:
    source = Source.from_bytes("mem:bad.json", data)
    with pytest.raises(SourceError, match=phrase):
        list(LerRsIngester().run(source, IngestContext(source)))


@pytest.mark.parametrize(("body", "phrase"), [
    ('"skills": [5]', "a skill must be an object"),
    ('"skills": [{"yearsOfExperience": 3}]', "skill has no name"),
    ('"certifications": [{"verifications": [{"reference": "https://x.test/1"}]}]', "only referenced"),
    ('"skills": [{"name": "A", "schemeReference": {"reference": "not an iri"}}]', "invalid IRI"),
    ('"employmentHistories": [{"positionHistories": [{"start": "2020"}]}]', "position has no title"),
])
def test_defects_warn(body: str, phrase: str) -> None:
    source = Source.from_bytes("mem:warn.json", ('{"type": "LER-RS", ' + body + "}").encode())
    ctx = IngestContext(source)
    list(LerRsIngester().run(source, ctx))
    assert any(phrase in w for w in ctx.warnings), ctx.warnings


def _run_graph(path: Path) -> rdflib.Graph:
    return _run(path)[0]


def test_fixture_conforms_to_the_core_shapes() -> None:
    from lermap.graph.validate import validate_graph

    report = validate_graph(_run_graph(TEST_DATA / "ler-rs/resume.json"))
    assert report.conforms, report.summary()
