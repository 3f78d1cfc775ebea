"""Hostile requests against a live ``lermap serve`` on loopback: none may crash it, stall it or change its store.

The server runs with a 3 s query limit (``LERMAP_QUERY_TIMEOUT``) so that the suite stays quick, and a 256 KiB
query size limit so that the deepest queries reach the depth check instead of the size check. After every test
the server must still answer and list exactly the sources it listed before (the autouse fixture).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

import lermap
from tests.conftest import TEST_DATA
from tests.servers import free_port, wait_until_up

pytestmark = pytest.mark.server
LIMIT_S = 3.0
SIX_WAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o . ?p ?q ?r }"


def nested(depth: int) -> str:
    """The query that killed the server in issue 16: FILTER with ``depth`` nested parentheses."""
    return "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * depth + "1" + ")" * depth + ") }"


@dataclass
class Server:
    base: str
    proc: subprocess.Popen[bytes]

    def rss_mib(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise AssertionError("no VmRSS line for the server process")

    def sparql(self, query: str, timeout: float = 60.0) -> httpx.Response:
        return httpx.post(self.base + "/sparql", data={"query": query}, timeout=timeout)

    def sources(self) -> list[dict[str, Any]]:
        res = httpx.get(self.base + "/v1/sources", timeout=30)
        assert res.status_code == 200, res.text
        return list(res.json())


@contextmanager
def serve(store: str, **env: str) -> Iterator[Server]:
    port = free_port()
    environ = {**os.environ, "LERMAP_QUERY_TIMEOUT": str(LIMIT_S), "LERMAP_MAX_QUERY_BYTES": str(256 * 1024), **env}
    proc = subprocess.Popen([sys.executable, "-m", "lermap.cli", "serve", "--store", store, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environ)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/v1/health", proc, 60)
        yield Server(f"http://127.0.0.1:{port}", proc)
    finally:
        proc.terminate()
        proc.wait(30)


def tiny_store(folder: Path) -> str:
    selector = f"oxigraph:{folder / 'store'}"
    with lermap.open_graph(selector) as kg:
        kg.ingest(TEST_DATA / "core" / "tiny.ttl", format="rdf")
    return selector


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serve(tiny_store(tmp_path_factory.mktemp("hostile"))) as s:
        yield s


@pytest.fixture(scope="module")
def before(server: Server) -> list[dict[str, Any]]:
    return server.sources()


@pytest.fixture(autouse=True)
def alive_and_unchanged(server: Server, before: list[dict[str, Any]]) -> Iterator[None]:
    yield
    assert server.proc.poll() is None, "the server died"
    assert httpx.get(server.base + "/v1/health", timeout=30).status_code == 200
    assert server.sources() == before
    ask = server.sparql("ASK { ?s ?p ?o }")
    assert ask.status_code == 200 and ask.json()["boolean"] is True


@pytest.mark.parametrize("depth", [5_000, 50_000])
def test_deep_nesting_is_refused_by_name(server: Server, depth: int) -> None:
    res = server.sparql(nested(depth))
    assert res.status_code == 400
    error = res.json()["error"]
    assert error["type"] == "QueryTooDeep" and "at most 100 levels" in error["message"] and "LERMAP_MAX_QUERY_DEPTH" in error["message"]
    get = httpx.get(server.base + "/sparql", params={"query": nested(depth)}, timeout=60) if depth == 5_000 else res
    assert get.status_code == 400


def test_what_the_depth_check_misses_only_kills_a_worker(server: Server) -> None:
    # 50,000 '!' nest no bracket, so the depth check lets them through; pyoxigraph's parser overflows its stack on them
    res = server.sparql("SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * 50_000 + "true) }")
    assert res.status_code == 400 and res.json()["error"]["type"] == "QueryCrashed"
    assert "stopped the process evaluating it" in res.json()["error"]["message"]


def test_the_crashing_query_reaches_the_engine_and_only_a_worker_dies(tmp_path: Path) -> None:
    """The regression test of issue 16's crash, depth check lifted: the engine itself meets the query."""
    with serve(tiny_store(tmp_path), LERMAP_MAX_QUERY_DEPTH="1000000") as lifted:
        res = lifted.sparql(nested(5_000))
        assert res.status_code == 400 and res.json()["error"]["type"] == "QueryCrashed"
        assert lifted.proc.poll() is None
        for _ in range(200):  # the replacement worker takes a moment to start
            ok = lifted.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
            if ok.status_code == 200:
                break
            time.sleep(0.05)
        assert ok.status_code == 200 and int(ok.json()["results"]["bindings"][0]["n"]["value"]) > 0


def test_six_long_queries_do_not_lock_out_a_small_one(server: Server) -> None:
    results: list[httpx.Response | Exception] = []

    def long_query() -> None:
        try:
            results.append(server.sparql(SIX_WAY))
        except httpx.HTTPError as exc:
            results.append(exc)

    threads = [threading.Thread(target=long_query) for _ in range(6)]
    for t in threads:
        t.start()
    time.sleep(0.5)  # all six sent: every worker is busy
    started = time.monotonic()
    small = _retrying(server, "ASK {}", until=started + LIMIT_S + 5)
    took = time.monotonic() - started
    print(f"ASK {{}} beside six long queries: {took:.2f} s")
    assert small.status_code == 200 and small.json()["boolean"] is True
    assert took <= LIMIT_S + 5
    for t in threads:
        t.join(60)
    # each long query got a clear answer (its limit passed, or no worker freed up in time), never a dropped connection
    assert all(isinstance(r, httpx.Response) for r in results), results
    assert {r.json()["error"]["type"] for r in results if isinstance(r, httpx.Response)} <= {"QueryTimeout", "EndpointBusy"}


def _retrying(server: Server, query: str, until: float) -> httpx.Response:
    """What a client does with a 503 and Retry-After: ask again (here without waiting the advised 5 s)."""
    while True:
        res = server.sparql(query)
        if res.status_code != 503 or time.monotonic() > until:
            return res
        time.sleep(0.1)


@pytest.mark.parametrize("iris", [False, True], ids=["comment-only", "with-iris-parsed-by-rdflib"])
def test_a_service_comment_with_a_huge_in_list_does_not_delay_a_small_query(server: Server, iris: bool) -> None:
    head = "SELECT * WHERE { ?s <http://www.w3.org/2004/02/skos/core#notation> ?o " if iris else "SELECT * WHERE { ?s ?p ?o "
    big = head + "FILTER(?o IN (" + "1," * 32_000 + "1)) } #service"
    assert 64_000 < len(big) < 256 * 1024
    answers: list[httpx.Response] = []
    thread = threading.Thread(target=lambda: answers.append(server.sparql(big)))
    thread.start()
    time.sleep(0.5)
    started = time.monotonic()
    small = server.sparql("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")
    waited = time.monotonic() - started
    thread.join(60)
    print(f"small query beside the #service IN query ({'with' if iris else 'without'} IRIs): {waited:.2f} s; the big one: "
          f"{answers[0].status_code if answers else '-'}")
    assert small.status_code == 200 and len(small.json()["results"]["bindings"]) == 1
    assert waited < LIMIT_S, f"the small query waited {waited:.1f} s behind the big one"
    # the big one itself: answered (200, or 403 if the federation check could not clear it) or cut at its limit (503)
    assert answers and answers[0].status_code in {200, 403, 503}


def test_a_20_mb_upload_is_refused_before_it_is_read(server: Server) -> None:
    rss = server.rss_mib()
    body = b'{"target": "x", "held": [], "document": {"name": "' + b"a" * (20 * 1024 * 1024) + b'"}}'
    started = time.monotonic()
    try:
        res = httpx.post(server.base + "/v1/pathways", content=body, headers={"content-type": "application/json"}, timeout=30)
    except httpx.HTTPError as exc:  # the server may close before the whole body is sent; then the refusal was even earlier
        pytest.fail(f"the refusal did not reach the client: {exc!r}")
    took = time.monotonic() - started
    grew = server.rss_mib() - rss
    print(f"20 MB upload: {res.status_code} in {took:.2f} s, server RSS {grew:+.1f} MiB")
    assert res.status_code == 413 and res.json()["error"]["type"] == "BodyTooLarge"
    assert "the limit is 4,194,304 bytes (4 MiB)" in res.json()["error"]["message"]
    assert took <= 3.0
    assert grew < 100


def test_a_20_mb_chunked_upload_is_refused_while_it_streams(server: Server) -> None:
    rss = server.rss_mib()
    sent = 0

    def chunks() -> Iterator[bytes]:
        nonlocal sent
        yield b'{"target": "x", "document": {"name": "'
        for _ in range(20 * 16):
            sent += 64 * 1024
            yield b"a" * (64 * 1024)
        yield b'"}}'

    try:
        res = httpx.post(server.base + "/v1/pathways", content=chunks(), headers={"content-type": "application/json"}, timeout=30)
        assert res.status_code == 413 and res.json()["error"]["type"] == "BodyTooLarge"
    except httpx.HTTPError:
        pass  # the server answered 413 and closed while the client was still sending: refused either way
    assert server.rss_mib() - rss < 100


@pytest.mark.parametrize("path", ["/", "/map", "/v1/health", "/v1/sources", "/v1/competencies", "/sparql?query=ASK%7B%7D",
                                  "/static/favicon.svg", "/openapi.json", "/docs"])
def test_head_answers_like_get_without_a_body(server: Server, path: str) -> None:
    get = httpx.get(server.base + path, timeout=60)
    head = httpx.head(server.base + path, timeout=60)
    assert get.status_code == head.status_code == 200
    assert head.content == b"" and head.headers.get("content-type") == get.headers.get("content-type")


def test_if_none_match_star_is_no_304_for_what_does_not_exist(server: Server) -> None:
    for path in ["/v1/no-such-route", "/v1/competencies/https://example.org/no-such-thing", "/framework?id=https%3A%2F%2Fexample.org%2Fnothing"]:
        assert httpx.get(server.base + path, headers={"if-none-match": "*"}, timeout=30).status_code == 404
    assert httpx.get(server.base + "/v1/sources", headers={"if-none-match": "*"}, timeout=30).status_code == 304
