"""DCC community issuer registry: counts read from registry.json, a tiny fixture compared as a graph."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from lermap.errors import SourceError
from lermap.graph.terms import TripleTuple, to_rdflib_graph
from lermap.graph.vocab import LERMAP, RDF, SCHEMA
from lermap.ingest.base import IngestContext, Source
from lermap.ingest.ecosystem.dcc_registry import DccRegistryIngester, country_of
from lermap.ingest.identifiers import organisation_iri
from tests.conftest import TEST_DATA

REGISTRY = "ecosystem/dcc-community-issuer-registry.json"


def _run(source: Source) -> tuple[list[TripleTuple], IngestContext]:
    ctx = IngestContext(source)
    return list(DccRegistryIngester().run(source, ctx)), ctx


@pytest.fixture(scope="module")
def registry(conformance: Path) -> list[TripleTuple]:
    return _run(Source.from_path(conformance / REGISTRY))[0]


def test_issuers(registry: list[TripleTuple]) -> None:
    orgs = {s for s, p, o in registry if p == RDF.type and o == SCHEMA.Organization}
    members = {s for s, p, o in registry if p == LERMAP.inRegistry}
    assert len(orgs) == 27
    assert members == orgs


def test_countries(registry: list[TripleTuple]) -> None:
    countries = [o.value for s, p, o in registry if p == SCHEMA.addressCountry]
    # 27 entries: 3 have no location and one says "Worldwide"
    assert sorted(countries) == ["AR", "CA", "IT"] + ["US"] * 20


@pytest.mark.parametrize(
    ("location", "country"),
    [
        ("Cambridge, MA, USA", "US"),
        ("Washington, D.C.", "US"),
        ("Ancaster, ON, Canada", "CA"),
        ("Prato, Italy", "IT"),
        ("Worldwide", None),
        ("Massachussetts, USA", "US"),
    ],
)
def test_country_of(location: str, country: str | None) -> None:
    assert country_of(location) == country


def test_tiny_fixture_graph() -> None:
    triples, ctx = _run(Source.from_path(TEST_DATA / "dcc-registry" / "registry.json"))
    text = (TEST_DATA / "dcc-registry" / "expected.ttl").read_text()
    text = text.replace("https://w3id.org/lermap/id/organization/PUBLISHER", organisation_iri("Digital Credentials Consortium").value)
    assert isomorphic(to_rdflib_graph(triples), rdflib.Graph().parse(data=text, format="turtle"))
    assert ctx.warnings == ['registry["not-a-did"]: key is not a DID; entry skipped']


def test_public_api(conformance: Path, memory_graph: object) -> None:
    (report,) = memory_graph.ingest(conformance / REGISTRY)  # type: ignore[attr-defined]
    assert report.format == "dcc-registry"
    assert report.counts["organization"] == 27


@pytest.mark.parametrize(
    ("doc", "location"),
    [
        pytest.param(b"[]", "(document)", id="not-object"),
        pytest.param(b'{"registry": []}', "registry", id="registry-list"),
        pytest.param(b'{"registry": {"did:web:a": 3}}', 'registry["did:web:a"]', id="entry-number"),
        pytest.param(b'{"registry": {"did:web:a": {"name": 3}}}', 'registry["did:web:a"].name', id="name-number"),
        pytest.param(b'{"registry": {"did:web:a": {"url": "https://a"}}}', 'registry["did:web:a"].name', id="no-name"),
        pytest.param(b'{"registry": {"did:web:a": {"name": "A"}}, "meta": 1}', "meta", id="meta-number"),
    ],
)
def test_bad_input_is_refused(doc: bytes, location: str) -> None:
    with pytest.raises(SourceError) as err:
        _run(Source.from_bytes("registry.json", doc))
    assert err.value.location == location
