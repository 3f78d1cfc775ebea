"""/v1/wages, /v1/ctdl-pathways, /v1/identity/links and the wage delta of POST /v1/pathways."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import lermap
from lermap.api.app import create_app
from tests.analysis.test_ctdl_pathways import TTL as PATHWAY_TTL
from tests.analysis.test_identity import TTL as IDS_TTL
from tests.analysis.test_wages import CSV, ONET, links_ttl

EX = "https://example.org/"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder: Path = tmp_path_factory.mktemp("labour")
    selector = f"oxigraph:{folder / 'store'}"
    csv = folder / "national_M2025_dl.csv"
    csv.write_text(CSV)
    with lermap.open_graph(selector) as kg:
        kg.ingest(csv)
        kg.ingest_bytes("urn:test:links.ttl", links_ttl(), format="rdf")
        kg.ingest_bytes("urn:test:pathway.ttl", PATHWAY_TTL.encode(), format="rdf")
        kg.ingest_bytes("urn:test:ids.ttl", IDS_TTL.encode(), format="rdf")
    with TestClient(create_app(selector)) as c:
        yield c


def test_wage(client: TestClient) -> None:
    r = client.get("/v1/wages", params={"occupation": ONET + "15-1211.01"})
    assert r.status_code == 200
    body = r.json()
    assert (body["annual"]["median"], body["link"], body["soc_code"]) == (103000.0, "broader", "15-1211")


@pytest.mark.parametrize(("params", "status"), [({"occupation": EX + "nothing"}, 404), ({"occupation": EX + "x", "area": "CA"}, 422)])
def test_wage_refusals(client: TestClient, params: dict[str, str], status: int) -> None:
    assert client.get("/v1/wages", params=params).status_code == status


def test_pathway_wage_delta(client: TestClient) -> None:
    r = client.post("/v1/pathways", json={"target": ONET + "15-1252.00", "held": [EX + "python"], "current": ONET + "43-4051.00"})
    assert r.status_code == 200
    assert r.json()["wage_delta"] == 93980.0


def test_ctdl_pathway(client: TestClient) -> None:
    r = client.get("/v1/ctdl-pathways", params={"iri": EX + "p"})
    assert r.status_code == 200
    assert [c["name"] for c in r.json()["components"]] == ["A", "Z", "B", "C", "Destination"]
    assert client.get("/v1/ctdl-pathways", params={"iri": EX + "none"}).status_code == 404


def test_identity_links(client: TestClient) -> None:
    body = client.get("/v1/identity/links").json()
    assert len(body["links"]) == 8 and len(body["conflicts"]) == 1
