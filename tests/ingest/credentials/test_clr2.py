"""CLR 2.0 ingester: tiny fixture (exact graph), every conformance positive, exact counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.compare import isomorphic

import lermap
from tests.conftest import CONFORMANCE
from tests.ingest.credentials.helpers import DATA, entity_counts, expected_graph, graph_of, positives

CLR_POSITIVES = positives(CONFORMANCE, "clr2", "*.json")


@pytest.fixture()
def kg():  # type: ignore[no-untyped-def]
    graph = lermap.open_graph("memory:")
    yield graph
    graph.close()


def test_tiny_clr_is_exactly_the_expected_graph(kg) -> None:  # type: ignore[no-untyped-def]
    report = kg.ingest(DATA / "clr2" / "tiny-clr.json")[0]
    assert report.format == "clr2"
    assert isomorphic(graph_of(kg, report), expected_graph(DATA / "clr2" / "tiny-clr.expected.ttl"))


@pytest.mark.parametrize("path", CLR_POSITIVES, ids=lambda p: p.name)
def test_every_positive_document_ingests(kg, path: Path) -> None:  # type: ignore[no-untyped-def]
    report = kg.ingest(path)[0]
    assert report.format == "clr2"
    assert report.counts["assertion"] >= 2  # the CLR and at least one embedded credential


def test_draft_clr_context_is_read_as_the_published_one(kg, conformance: Path) -> None:  # type: ignore[no-untyped-def]
    report = kg.ingest(conformance / "clr2" / "dvalidator-simple-noproof.json")[0]
    assert any("https://dc.imsglobal.org/draft/clr/v2p0/context" in w and "published successor" in w for w in report.warnings)


# Counts derived by reading each document; "credential" includes the minted "<issuer>'s ClrCredential" definition.
EXACT = {
    # CLR issuer example.edu + the embedded credential's issuer example.com = 2 orgs; achievements: the embedded
    # credential's teamwork badge + the subject's 2 urn:uuid achievements + the CLR's own = 4; assertions: CLR +
    # 1 embedded = 2; one association (isParentOf), which is also the only alignment.
    "dvalidator-simple.json":
        {"organization": 2, "credential": 4, "assertion": 2, "alignment": 1, "endorsement": 0, "association": 1},
    # issuer example.edu everywhere; achievements a7467ef6 and dd887f0a + the CLR's own = 3; CLR + 1 embedded;
    # one association
    "obspec-linked-data-proof-clr-01-Credential.json":
        {"organization": 1, "credential": 3, "assertion": 2, "alignment": 1, "endorsement": 0, "association": 1},
    # 6 embedded credentials (+ the CLR = 7 assertions) over 3 distinct achievements (+ the CLR's own = 4);
    # 5 associations (4 isParentOf, 1 isPartOf); 1 endorsement; issuers urn:uuid:4ca4a241…, urn:uuid:319b0e91…
    # and the endorser = 3 orgs
    "dvalidator-simple_v1.json":
        {"organization": 3, "credential": 4, "assertion": 7, "alignment": 5, "endorsement": 1, "association": 5},
}


@pytest.mark.parametrize("name", sorted(EXACT))
def test_exact_counts(kg, conformance: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    report = kg.ingest(conformance / "clr2" / name)[0]
    assert entity_counts(kg, report) == EXACT[name]
