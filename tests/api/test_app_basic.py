"""The app starts, serves a page, the OpenAPI docs, sources and a SPARQL endpoint."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import lermap
from lermap.api.app import create_app
from tests.conftest import TEST_DATA


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    selector = f"oxigraph:{tmp_path / 'store'}"
    with lermap.open_graph(selector) as kg:
        kg.ingest(TEST_DATA / "core" / "tiny.ttl", format="rdf")
    with TestClient(create_app(selector)) as c:
        yield c


def test_landing_page_and_docs(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "This graph holds no description of its datasets" in page.text and 'action="/search"' in page.text  # the home page
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    assert {"list_sources", "sparql_get", "sparql_post"} <= {op["operationId"] for path in spec["paths"].values() for op in path.values()}


def test_sources_endpoint(client: TestClient) -> None:
    (source,) = client.get("/v1/sources").json()
    assert source["format"] == "rdf" and source["triples"] == 29


def test_sparql_get_and_post(client: TestClient) -> None:
    q = "SELECT ?code WHERE { ?c <http://www.w3.org/2004/02/skos/core#notation> ?code } ORDER BY ?code"
    body = client.get("/sparql", params={"query": q}).json()
    assert [b["code"]["value"] for b in body["results"]["bindings"]] == ["15-2051", "S1"]
    direct = client.post("/sparql", content=q, headers={"content-type": "application/sparql-query", "accept": "text/csv"})
    assert direct.text.split() == ["code", "15-2051", "S1"]


def test_sparql_refuses_updates_and_bad_queries(client: TestClient) -> None:
    upd = client.post("/sparql", data={"update": "DROP ALL"})
    assert upd.status_code == 403 and upd.json()["error"]["type"] == "UpdateRefused"
    bad = client.get("/sparql", params={"query": "SELEC"})
    assert bad.status_code == 400 and "invalid SPARQL" in bad.json()["error"]["message"]
