"""/sparql as a SPARQL 1.1 Protocol endpoint: forms, formats, refusals (update, SERVICE), size, time and result bounds."""

from __future__ import annotations

import dataclasses
import io
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import rdflib
from fastapi.testclient import TestClient

import lermap
from lermap.api.app import create_app
from lermap.config import settings
from tests.conftest import TEST_DATA

SKOS = "http://www.w3.org/2004/02/skos/core#"
NOTATIONS = f"SELECT ?code WHERE {{ ?c <{SKOS}notation> ?code }} ORDER BY ?code"
CONSTRUCT = f"CONSTRUCT {{ ?c <{SKOS}notation> ?code }} WHERE {{ ?c <{SKOS}notation> ?code }}"
SLOW_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SLOW_ROWS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }"


@pytest.fixture(scope="module")
def selector(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("sparql")
    selector = f"oxigraph:{folder / 'store'}"
    secret = folder / "personal.ttl"
    secret.write_bytes((TEST_DATA / "core" / "tiny.ttl").read_bytes().replace(b"Acme", b"Secret"))
    with lermap.open_graph(selector) as kg:
        kg.ingest(TEST_DATA / "core" / "tiny.ttl", format="rdf")
        kg.ingest(secret, format="rdf", personal=True)
        global PERSONAL_GRAPH
        PERSONAL_GRAPH = next(s.graph for s in kg.sources() if s.personal)
    return selector


PERSONAL_GRAPH = ""


@pytest.fixture()
def own_store(tmp_path: Path) -> str:
    """A store of its own, for tests that start the app with other settings."""
    selector = f"oxigraph:{tmp_path / 'store'}"
    with lermap.open_graph(selector) as kg:
        kg.ingest(TEST_DATA / "core" / "tiny.ttl", format="rdf")
    return selector


def _client(selector: str, **config: object) -> TestClient:
    return TestClient(create_app(selector, dataclasses.replace(settings(), **config)))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def client(selector: str) -> Iterator[TestClient]:
    with _client(selector) as c:
        yield c


def _codes(body: dict[str, object]) -> list[str]:
    return [b["code"]["value"] for b in body["results"]["bindings"]]  # type: ignore[index]


@pytest.mark.parametrize("how", ["get", "form", "direct"])
def test_three_ways_to_send_a_query(client: TestClient, how: str) -> None:
    if how == "get":
        res = client.get("/sparql", params={"query": NOTATIONS})
    elif how == "form":
        res = client.post("/sparql", data={"query": NOTATIONS})
    else:
        res = client.post("/sparql", content=NOTATIONS, headers={"content-type": "application/sparql-query"})
    assert res.status_code == 200 and res.headers["content-type"].startswith("application/sparql-results+json")
    assert _codes(res.json()) == ["15-2051", "S1"]


@pytest.mark.parametrize(("accept", "fmt"), [("application/sparql-results+json", "json"), ("application/sparql-results+xml", "xml"),
                                             ("text/csv", "csv"), ("text/tab-separated-values", "tsv")])
def test_select_result_formats_parse_back(client: TestClient, accept: str, fmt: str) -> None:
    res = client.get("/sparql", params={"query": NOTATIONS}, headers={"accept": accept})
    assert res.headers["content-type"].startswith(accept)
    parsed = rdflib.query.Result.parse(io.BytesIO(res.content), format=fmt)
    assert sorted(str(row[0]) for row in parsed) == ["15-2051", "S1"]


def test_accept_quality_values_are_honoured(client: TestClient) -> None:
    res = client.get("/sparql", params={"query": NOTATIONS}, headers={"accept": "text/csv;q=0.5, application/sparql-results+xml"})
    assert res.headers["content-type"].startswith("application/sparql-results+xml")


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
                                             ("application/rdf+xml", "xml")])
def test_construct_formats_give_the_same_graph(client: TestClient, accept: str, fmt: str) -> None:
    res = client.get("/sparql", params={"query": CONSTRUCT}, headers={"accept": accept})
    assert res.status_code == 200 and res.headers["content-type"].startswith(accept)
    g = rdflib.Graph().parse(data=res.text, format=fmt)
    assert {str(o) for o in g.objects()} == {"15-2051", "S1"} and len(g) == 2


def test_ask(client: TestClient) -> None:
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


@pytest.mark.parametrize("send", [
    lambda c: c.get("/sparql", params={"update": "DROP ALL"}),
    lambda c: c.get("/sparql", params={"query": NOTATIONS, "update": "DROP ALL"}),
    lambda c: c.post("/sparql", data={"update": "DROP ALL"}),
    lambda c: c.post("/sparql", content="DROP ALL", headers={"content-type": "application/sparql-update"}),
], ids=["get-update", "get-both", "form-update", "sparql-update-body"])
def test_updates_are_refused_and_change_nothing(client: TestClient, send: object) -> None:
    before = client.get("/v1/sources").json()
    res = send(client)  # type: ignore[operator]
    assert res.status_code == 403 and res.json()["error"]["type"] == "UpdateRefused" and "read-only" in res.json()["error"]["message"]
    assert client.get("/v1/sources").json() == before


def test_an_update_sent_as_a_query_is_a_syntax_error(client: TestClient) -> None:
    res = client.get("/sparql", params={"query": "DROP ALL"})
    assert res.status_code == 400 and res.json()["error"]["type"] == "QueryError"


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    "PREFIX e: <http://127.0.0.1:1/> SELECT * WHERE { SERVICE e:sparql { ?s ?p ?o } }",
    "SELECT * WHERE { VALUES ?u { <http://127.0.0.1:1/> } SERVICE ?u { ?s ?p ?o } }",
    "SELECT * WHERE { ?a ?b ?c FILTER(?a<?b) SERVICE<http://127.0.0.1:1/>{ ?s ?p ?o } }",
    "SELECT * WHERE { ?a ?b ?c FILTER(?a<?b)SERVICE?x#>\n{ ?s ?p ?o } }",
    "SELECT * WHERE { # comment\n OPTIONAL { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } } }",
    "ASK { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }",
], ids=["plain", "silent-lowercase", "prefixed", "variable", "no-space", "iri-lookalike", "nested", "ask"])
def test_service_is_refused(client: TestClient, query: str) -> None:
    res = client.get("/sparql", params={"query": query})
    assert res.status_code == 403 and res.json()["error"]["type"] == "FederationRefused"


@pytest.mark.parametrize("query", [
    'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1:1/> { }" AS ?x) }',
    "SELECT ?service WHERE { ?service <https://schema.org/serviceType> ?o }",
    "PREFIX service: <http://example.org/> SELECT * WHERE { ?s service:p ?o }",
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1:1/>",
], ids=["string", "variable-and-iri", "prefix-named-service", "comment"])
def test_the_word_service_elsewhere_is_fine(client: TestClient, query: str) -> None:
    assert client.get("/sparql", params={"query": query}).status_code == 200


def test_default_and_named_graph_uris_pick_among_shared_graphs(client: TestClient) -> None:
    (source,) = client.get("/v1/sources").json()
    one = client.get("/sparql", params={"query": NOTATIONS, "default-graph-uri": source["graph"]})
    assert _codes(one.json()) == ["15-2051", "S1"]
    named = client.get("/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": source["graph"]})
    assert [b["g"]["value"] for b in named.json()["results"]["bindings"]] == [source["graph"]]
    other = client.get("/sparql", params={"query": NOTATIONS, "default-graph-uri": "https://w3id.org/lermap/moderation/proposals"})
    assert other.status_code == 400 and "no shared graph" in other.json()["error"]["message"]


_SECRET = 'FILTER(CONTAINS(?l, "Secret"))'


@pytest.mark.parametrize("query", [
    f"SELECT ?l WHERE {{ ?s <{SKOS}prefLabel> ?l {_SECRET} }}",
    f"SELECT ?l WHERE {{ GRAPH ?g {{ ?s <{SKOS}prefLabel> ?l {_SECRET} }} }}",
    f"SELECT ?l FROM <PERSONAL> WHERE {{ ?s <{SKOS}prefLabel> ?l {_SECRET} }}",
    f"SELECT ?l FROM NAMED <PERSONAL> WHERE {{ GRAPH ?g {{ ?s <{SKOS}prefLabel> ?l {_SECRET} }} }}",
    f"SELECT ?l WHERE {{ GRAPH <PERSONAL> {{ ?s <{SKOS}prefLabel> ?l {_SECRET} }} }}",
], ids=["default", "any-graph", "from", "from-named", "graph"])
def test_personal_graphs_stay_out(client: TestClient, query: str) -> None:
    res = client.get("/sparql", params={"query": query.replace("PERSONAL", PERSONAL_GRAPH)})
    assert res.status_code == 200 and res.json()["results"]["bindings"] == []


def test_the_personal_graph_is_really_there(client: TestClient) -> None:
    kg = client.app.state.kg  # type: ignore[attr-defined]
    assert kg.store.query(f"ASK {{ ?s <{SKOS}prefLabel> ?l {_SECRET} }}", include_personal=True) is True


def test_query_size_limit(own_store: str) -> None:
    with _client(own_store, max_query_bytes=200) as c:
        long_query = NOTATIONS + " " * 300
        assert c.get("/sparql", params={"query": long_query}).status_code == 413
        direct = c.post("/sparql", content=long_query, headers={"content-type": "application/sparql-query"})
        assert direct.status_code == 413 and direct.json()["error"]["type"] == "QueryTooLarge"
        huge = c.post("/sparql", content="x" * 100_000, headers={"content-type": "application/sparql-query"})
        assert huge.status_code == 413
        assert c.get("/sparql", params={"query": NOTATIONS}).status_code == 200


def test_result_cap_truncates_and_says_so(own_store: str) -> None:
    with _client(own_store, result_cap=3) as c:
        res = c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert len(res.json()["results"]["bindings"]) == 3
        assert res.headers["x-lermap-truncated"] == "true" and res.headers["x-lermap-result-cap"] == "3"
        graph = c.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"accept": "application/n-triples"})
        assert len(graph.text.strip().splitlines()) == 3 and graph.headers["x-lermap-truncated"] == "true"
        small = c.get("/sparql", params={"query": NOTATIONS})
        assert "x-lermap-truncated" not in small.headers


def _until_answered(c: TestClient, query: str, tries: int = 600) -> Any:
    """Ask until the endpoint answers 200 (a killed worker's replacement takes a moment to start)."""
    for _ in range(tries):
        res = c.get("/sparql", params={"query": query})
        if res.status_code == 200:
            return res
        assert res.status_code == 503 and res.json()["error"]["type"] in {"EndpointBusy", "QueryTimeout"}, res.text
        time.sleep(0.05)
    raise AssertionError("the endpoint never answered again")


@pytest.mark.parametrize("query", [SLOW_COUNT, SLOW_ROWS], ids=["one-long-step", "many-rows"])
def test_timeout_answers_503_and_the_endpoint_recovers(own_store: str, query: str) -> None:
    with _client(own_store, query_timeout_s=0.05, result_cap=10**9) as c:
        res = c.get("/sparql", params={"query": query})
        assert res.status_code == 503 and res.json()["error"]["type"] == "QueryTimeout" and res.headers["retry-after"]
        assert _codes(_until_answered(c, NOTATIONS).json()) == ["15-2051", "S1"]
        assert c.app.state.sparql_runner.pool.replaced >= 1  # type: ignore[attr-defined]  # the overrunning worker was killed (a 50 ms limit may cut a retry too)


def test_busy_slots_answer_503(own_store: str) -> None:
    with _client(own_store, query_timeout_s=0.05, sparql_workers=1, result_cap=10**9) as c:
        assert c.get("/sparql", params={"query": SLOW_COUNT}).status_code == 503  # killed; its replacement is starting
        busy = c.get("/sparql", params={"query": NOTATIONS})
        assert busy.status_code == 503 and busy.json()["error"]["type"] == "EndpointBusy"
        assert _codes(_until_answered(c, NOTATIONS).json()) == ["15-2051", "S1"]  # the slot came back


def test_openapi_documents_both_bodies(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    body = spec["paths"]["/sparql"]["post"]["requestBody"]["content"]
    assert {"application/x-www-form-urlencoded", "application/sparql-query"} <= set(body)
    assert json.dumps(spec)  # serialisable


def test_bad_content_type_is_a_clear_400(client: TestClient) -> None:
    res = client.post("/sparql", content=NOTATIONS, headers={"content-type": "text/plain"})
    assert res.status_code == 400 and "application/sparql-query" in res.json()["error"]["message"]


def test_queries_see_each_write_made_while_serving(own_store: str) -> None:
    """Workers read a snapshot; every ingest or drop changes the visible graphs and so brings a fresh one."""
    with _client(own_store) as c:
        assert _codes(c.get("/sparql", params={"query": NOTATIONS}).json()) == ["15-2051", "S1"]
        kg = c.app.state.kg  # type: ignore[attr-defined]
        kg.ingest_bytes("extra.ttl", f'<http://example.org/z> <{SKOS}notation> "Z9" .'.encode(), format="rdf")
        assert _codes(c.get("/sparql", params={"query": NOTATIONS}).json()) == ["15-2051", "S1", "Z9"]
        kg.drop("extra.ttl")
        assert _codes(c.get("/sparql", params={"query": NOTATIONS}).json()) == ["15-2051", "S1"]
        runner = c.app.state.sparql_runner  # type: ignore[attr-defined]
        assert len(list(runner.snapshots.folder.iterdir())) <= 3  # old snapshots are deleted once no worker reads them


def test_an_in_memory_store_is_served_through_a_snapshot_copy() -> None:
    with _client("memory:") as c:
        c.app.state.kg.ingest(TEST_DATA / "core" / "tiny.ttl", format="rdf")  # type: ignore[attr-defined]
        assert _codes(c.get("/sparql", params={"query": NOTATIONS}).json()) == ["15-2051", "S1"]
        snapshot_root = c.app.state.sparql_runner.snapshots.folder  # type: ignore[attr-defined]
        assert snapshot_root is not None and snapshot_root.exists()
    assert not snapshot_root.exists()  # removed with the app


def test_the_snapshot_sits_beside_the_store_and_goes_with_the_server(own_store: str) -> None:
    with _client(own_store) as c:
        assert c.get("/sparql", params={"query": "ASK {}"}).status_code == 200
        root = c.app.state.sparql_runner.snapshots.folder  # type: ignore[attr-defined]
        assert root.parent == Path(own_store.removeprefix("oxigraph:")).resolve().parent
    assert not root.exists()


def test_a_worker_killed_from_outside_while_idle_is_replaced_without_failing_a_query(own_store: str) -> None:
    import os
    import signal

    with _client(own_store, sparql_workers=1) as c:
        pool = c.app.state.sparql_runner.pool  # type: ignore[attr-defined]
        assert c.get("/sparql", params={"query": "ASK {}"}).status_code == 200
        (worker,) = list(pool._live)
        os.kill(worker.proc.pid, signal.SIGKILL)
        worker.proc.wait()
        assert _codes(c.get("/sparql", params={"query": NOTATIONS}).json()) == ["15-2051", "S1"]
        assert pool.replaced == 1


def test_a_remote_store_is_checked_in_a_worker_and_evaluated_by_its_engine(tmp_path: Path) -> None:
    from tests.servers import engine_missing, oxigraph_binary, oxigraph_server

    if oxigraph_binary() is None:
        engine_missing("the Oxigraph server (PyPI package `oxigraph`)")
    with oxigraph_server(tmp_path / "engine") as base:
        selector = f"sparql:{base}/query,{base}/update"
        with lermap.open_graph(selector) as kg:
            kg.ingest(TEST_DATA / "core" / "tiny.ttl", format="rdf")
        with _client(selector, result_cap=1) as c:
            res = c.get("/sparql", params={"query": NOTATIONS})
            assert res.status_code == 200 and len(_codes(res.json())) == 1 and res.headers["x-lermap-truncated"] == "true"
            deep = c.get("/sparql", params={"query": "ASK { FILTER(" + "(" * 500 + "true" + ")" * 500 + ") }"})
            assert deep.status_code == 400 and deep.json()["error"]["type"] == "QueryTooDeep"
            service = c.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"})
            assert service.status_code == 403
