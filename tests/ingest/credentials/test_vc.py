"""Plain W3C VC 1.1 / 2.0 ingester: every conformance document ingests or is refused for a missing context."""

from __future__ import annotations

from pathlib import Path

import pytest

import lermap
from lermap.errors import ContextError
from tests.conftest import CONFORMANCE
from tests.ingest.credentials.helpers import DATA, entity_counts, graph_of, positives

VC_DOCUMENTS = positives(CONFORMANCE, "vc1", "*.json") + positives(CONFORMANCE, "vc2", "*.json")
# Decided per document: these use contexts with no document lermap can bundle (the specs' *.example
# placeholders, or vocabularies outside the LER field) and are refused with a ContextError naming the URL.
MISSING_CONTEXT = {
    "w3c-vcdm11-24-block.json": "https://example.com/contexts/mycontext.jsonld",
    "w3c-vcdm2-20-A-verifiable-credential-with-a-custom-extension.json": "https://extension.example/my-contexts/v1",
    "w3c-vcdm2-21-Use-of-the-refreshService-property-by-an-issuer.json": "https://w3id.org/age/v1",
    "w3c-vcdm2-23-Verifiable-credential-using-the-Data-Integrity-BBS.json": "https://w3id.org/citizenship/v3",
    "w3c-vcdm2-25-A-verifiable-credential-with-an-embedded-JSON-data.json": "https://website.example/matrix/v1",
    "w3c-vcdm2-27-Example-dual-language-credential.json": "https://achievement.example/multilingual/v2",
}


@pytest.fixture()
def kg():  # type: ignore[no-untyped-def]
    graph = lermap.open_graph("memory:")
    yield graph
    graph.close()


@pytest.mark.parametrize("path", VC_DOCUMENTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_document_ingests_or_names_its_missing_context(kg, path: Path) -> None:  # type: ignore[no-untyped-def]
    if path.name in MISSING_CONTEXT:
        with pytest.raises(ContextError) as err:
            kg.ingest(path)
        assert MISSING_CONTEXT[path.name] in err.value.reason and "lermap contexts add" in err.value.reason
        assert kg.sources() == []
        return
    report = kg.ingest(path)[0]
    # VC 2.0 example 22 is an OpenBadgeCredential: detection hands it to ob3
    assert report.format == ("ob3" if path.name.startswith("w3c-vcdm2-22-") else "vc")
    assert report.counts["assertion"] >= 1


def test_tiny_vc_maps_a_typed_definition_and_flags_expiry(kg) -> None:  # type: ignore[no-untyped-def]
    report = kg.ingest(DATA / "vc" / "tiny-vc1.json")[0]
    assert entity_counts(kg, report) == {
        "organization": 1, "credential": 1, "assertion": 1, "alignment": 0, "endorsement": 0, "association": 0
    }
    assert any(w.startswith("expirationDate: expired on 2021-06-01") for w in report.warnings)
    labels = {str(o) for o in graph_of(kg, report).objects(None, __import__("rdflib").SKOS.prefLabel)}
    assert "UniversityDegreeCredential" in labels
    dump = kg.export("nquads", graph=report.graph).decode()
    assert "graduate-5521" not in dump and "Bachelor of Tests" not in dump and "Alumni Club" not in dump


# Counts derived by reading the documents.
EXACT = {
    # VC 1.1 example 1: issuer https://example.edu/issuers/565049; no achievement → one minted definition
    "vc1/w3c-vcdm11-01-block.json": {"organization": 1, "credential": 1, "assertion": 1},
    # a presentation holding one credential: its issuer, its typed definition, one assertion; the holder is dropped
    "vc1/w3c-vcdm-schema-verifiable-presentation-example-2.json": {"organization": 1, "credential": 1, "assertion": 1},
}


@pytest.mark.parametrize("name", sorted(EXACT))
def test_exact_counts(kg, conformance: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    report = kg.ingest(conformance / name)[0]
    counts = entity_counts(kg, report)
    assert {k: counts[k] for k in EXACT[name]} == EXACT[name]
