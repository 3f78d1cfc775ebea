"""Cross-cutting HTTP: gzip, ETag/304 and Cache-Control, CORS (closed by default), security headers, one error format."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import lermap
from lermap.api.app import create_app
from lermap.config import settings
from tests.conftest import TEST_DATA

EX = "http://example.org/"
READS = ["/v1/competencies", "/v1/sources", f"/v1/competencies/{EX}fwA/py", "/v1/alignments", "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D",
         "/map", "/"]


@pytest.fixture(scope="module")
def selector(tmp_path_factory: pytest.TempPathFactory) -> str:
    selector = f"oxigraph:{tmp_path_factory.mktemp('hardening') / 'store'}"
    with lermap.open_graph(selector) as kg:
        kg.ingest(TEST_DATA / "analysis" / "pathway.ttl", format="rdf")
    return selector


@pytest.fixture(scope="module")
def client(selector: str) -> Iterator[TestClient]:
    with TestClient(create_app(selector)) as c:
        yield c


@pytest.mark.parametrize("path", READS)
def test_reads_carry_an_etag_and_answer_304(client: TestClient, path: str) -> None:
    first = client.get(path)
    assert first.status_code == 200 and first.headers["etag"].startswith('W/"')
    assert first.headers["cache-control"] == "public, no-cache" and "Accept" in first.headers["vary"]
    again = client.get(path, headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == first.headers["etag"]
    assert client.get(path, headers={"if-none-match": 'W/"other"'}).status_code == 200


def test_etag_depends_on_accept(client: TestClient) -> None:
    iri = f"/v1/entities/{EX}fwA/py"
    assert client.get(iri).headers["etag"] != client.get(iri, headers={"accept": "text/turtle"}).headers["etag"]


def test_etag_changes_when_the_store_changes(tmp_path: Path) -> None:
    selector = f"oxigraph:{tmp_path / 'store'}"
    with lermap.open_graph(selector) as kg:
        kg.ingest(TEST_DATA / "core" / "tiny.ttl", format="rdf")
    with TestClient(create_app(selector)) as c:
        before = c.get("/v1/sources").headers["etag"]
        c.app.state.kg.ingest(TEST_DATA / "analysis" / "pathway.ttl", format="rdf")  # type: ignore[attr-defined]
        after = c.get("/v1/sources", headers={"if-none-match": before})
        assert after.status_code == 200 and after.headers["etag"] != before and len(after.json()) == 2


def test_gzip_when_asked(client: TestClient) -> None:
    res = client.get("/v1/competencies", headers={"accept-encoding": "gzip"})
    assert res.headers["content-encoding"] == "gzip" and res.json()["total"] > 0
    assert "content-encoding" not in client.get("/v1/competencies", headers={"accept-encoding": "identity"}).headers


@pytest.mark.parametrize("path", ["/map", "/", "/v1/entities/http://example.org/fwA/py", "/principles"])
def test_html_has_security_headers(client: TestClient, path: str) -> None:
    res = client.get(path, headers={"accept": "text/html"})
    csp = res.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert res.headers["x-content-type-options"] == "nosniff" and res.headers["x-frame-options"] == "DENY"


def test_docs_allow_only_their_own_inline_script(client: TestClient) -> None:
    csp = client.get("/docs").headers["content-security-policy"]
    assert "'sha256-" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]


def test_json_has_nosniff_but_no_csp(client: TestClient) -> None:
    res = client.get("/v1/sources")
    assert res.headers["x-content-type-options"] == "nosniff" and "content-security-policy" not in res.headers


def test_cors_is_closed_by_default(client: TestClient) -> None:
    res = client.get("/v1/sources", headers={"origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in res.headers
    pre = client.options("/v1/sources", headers={"origin": "https://elsewhere.example", "access-control-request-method": "GET"})
    assert "access-control-allow-origin" not in pre.headers


def test_cors_opens_to_configured_origins(tmp_path: Path) -> None:
    config = dataclasses.replace(settings(), cors_origins=("https://app.example",))
    with TestClient(create_app(f"oxigraph:{tmp_path / 'store'}", config)) as c:
        ok = c.get("/v1/sources", headers={"origin": "https://app.example"})
        assert ok.headers["access-control-allow-origin"] == "https://app.example"
        assert "access-control-allow-origin" not in c.get("/v1/sources", headers={"origin": "https://evil.example"}).headers


def test_cors_origins_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LERMAP_CORS_ORIGINS", "https://a.example, https://b.example")
    assert settings().cors_origins == ("https://a.example", "https://b.example")


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/v1/nothing-here", 404),
    ("DELETE", "/v1/sources", 405),
    ("GET", f"/v1/competencies/{EX}nothing", 404),
    ("GET", "/v1/competencies?limit=0", 422),
    ("GET", "/sparql?query=SELEC", 400),
    ("POST", "/v1/proposals/x/approve", 401),
])
def test_one_error_format(client: TestClient, method: str, path: str, status: int) -> None:
    res = client.request(method, path)
    assert res.status_code == status
    error = res.json()["error"]
    assert isinstance(error["type"], str) and isinstance(error["message"], str)


def _get_routes(client: TestClient) -> list[str]:
    """Every GET operation of the app's schema (and the two outside it), path parameters filled with real values."""
    filled = {"id": f"{EX}fwA/py", "name": "favicon.svg", "proposal_id": "none"}
    paths = ["/docs", "/openapi.json"]
    for path, item in client.get("/openapi.json").json()["paths"].items():
        if "get" in item:
            for key, value in filled.items():
                path = path.replace(f"{{{key}}}", value)
            paths.append(path)
    return paths


def test_head_answers_every_get_route_like_get_without_a_body(client: TestClient) -> None:
    paths = _get_routes(client)
    assert len(paths) > 30
    for path in paths:
        get, head = client.get(path), client.head(path)
        assert head.status_code == get.status_code != 405, path
        assert head.content == b"", path
        assert head.headers.get("content-type") == get.headers.get("content-type"), path
        if "content-length" in get.headers and "content-encoding" not in get.headers:
            assert head.headers["content-length"] == get.headers["content-length"], path


@pytest.mark.parametrize("path", ["/v1/no-such-route", f"/v1/competencies/{EX}no-such-thing", f"/v1/entities/{EX}nothing",
                                  f"/frameworks/{EX}nothing"])
def test_if_none_match_star_does_not_make_a_missing_resource_exist(client: TestClient, path: str) -> None:
    assert client.get(path, headers={"if-none-match": "*"}).status_code == 404


def test_if_none_match_star_on_an_existing_resource_is_304(client: TestClient) -> None:
    res = client.get("/v1/sources", headers={"if-none-match": "*"})
    assert res.status_code == 304 and res.content == b"" and res.headers["etag"].startswith('W/"')


def test_an_unknown_framework_is_404_and_its_id_is_drawn_nowhere(client: TestClient) -> None:
    hostile = f'{EX}x"><a href="https://evil.example/">click</a>'
    res = client.get("/frameworks/" + hostile)
    assert res.status_code == 404 and res.headers["content-type"].startswith("application/json")  # named in an error, never drawn
    assert "figure" not in res.text and "plotly" not in res.text
    known = client.get(f"/frameworks/{EX}fwA")
    assert known.status_code == 200


@pytest.mark.parametrize(("path", "limit"), [("/v1/pathways", 4 * 1024 * 1024), ("/v1/extract", 1024 * 1024),
                                             ("/v1/occupations/match", 512 * 1024), ("/v1/proposals", 16 * 1024 + 2048),
                                             ("/v1/curations", 16 * 1024), ("/sparql", 64 * 1024 * 3 + 4096),
                                             ("/v1/anything-else", 64 * 1024)])
def test_bodies_over_their_route_limit_are_refused_by_length(client: TestClient, path: str, limit: int) -> None:
    res = client.post(path, content=b"x" * (limit + 1), headers={"content-type": "application/json"})
    assert res.status_code == 413 and res.json()["error"]["type"] == "BodyTooLarge"
    assert f"the limit is {limit:,} bytes" in res.json()["error"]["message"] and res.headers["connection"] == "close"


def test_a_body_without_a_length_is_refused_while_it_streams(client: TestClient) -> None:
    sent = []

    def chunks() -> Iterator[bytes]:
        for _ in range(200):
            sent.append(1)
            yield b"x" * 65536

    res = client.post("/v1/pathways", content=chunks(), headers={"content-type": "application/json"})
    assert res.status_code == 413 and "is over 4,194,304 bytes (4 MiB)" in res.json()["error"]["message"]


def test_a_body_within_its_limit_still_works(client: TestClient) -> None:
    res = client.post("/v1/extract", json={"text": "python " * 10_000})
    assert res.status_code == 200


def test_no_server_path_in_sources_or_the_sparql_catalogue(client: TestClient, selector: str) -> None:
    folder = str(TEST_DATA.resolve())
    sources = client.get("/v1/sources")
    assert sources.status_code == 200 and folder not in sources.text
    assert [s["source"] for s in sources.json()] == ["tests/data/analysis/pathway.ttl"]
    everything = client.get("/sparql", params={"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"})
    assert everything.status_code == 200 and folder not in everything.text and "file:" not in everything.text
