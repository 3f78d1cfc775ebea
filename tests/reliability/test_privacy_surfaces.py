"""No learner identifier from any conformance credential reaches any surface: exports, API responses (sources,
entity pages, lists, search, alignments, SSSOM), the SPARQL endpoint, the server's log, ingest logs, warnings and
error messages. The identifiers are collected by tests/ingest/credentials/test_privacy.py's ``identity_strings``.
"""

from __future__ import annotations

import io
import logging
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

import lermap
from lermap.errors import SourceError
from tests.conftest import ROOT
from tests.ingest.credentials.test_privacy import _public, appears, documents, identity_strings, load
from tests.servers import free_port, wait_until_up

RESOURCES = ["organizations", "standards", "tools", "frameworks", "competencies", "credentials", "occupations", "pathways",
             "concept-schemes"]
MAX_ENTITY_PAGES = 200
pytestmark = pytest.mark.slow  # one store of ~280 credentials and a real server


@dataclass
class Ingested:
    store: str
    secrets: dict[str, Path] = field(default_factory=dict)  # identifier -> the document it came from
    messages: list[str] = field(default_factory=list)  # refusals and warnings
    log: str = ""


@pytest.fixture(scope="module")
def ingested(conformance: Path, tmp_path_factory: pytest.TempPathFactory) -> Ingested:
    docs = documents()
    assert docs, "no conformance credentials found"
    out = Ingested(f"oxigraph:{tmp_path_factory.mktemp('privacy') / 'store'}")
    stated_publicly: set[str] = set()
    for path in docs:
        doc = load(path)
        for s in identity_strings(doc) if doc is not None else set():
            out.secrets.setdefault(s, path)
        _public(doc, stated_publicly)
    # One store holds every document: a learner's name in one may be, say, an issuer's name in another.
    out.secrets = {s: p for s, p in out.secrets.items() if s not in stated_publicly}
    assert len(out.secrets) > 50, "the collector found too few identifiers to make this test mean anything"
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        with lermap.open_graph(out.store) as kg:
            for item in kg.iter_ingest(docs, lenient=True):
                if isinstance(item, SourceError):
                    out.messages.append(str(item))
                else:
                    out.messages += item.warnings
            out.messages += [w for s in kg.sources() for w in s.warnings]
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    out.log = stream.getvalue()
    return out


@dataclass
class Server:
    base: str
    proc: subprocess.Popen[bytes]
    log: Path


@pytest.fixture(scope="module")
def server(ingested: Ingested, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    port = free_port()
    log = tmp_path_factory.mktemp("serverlog") / "server.log"
    with log.open("wb") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "lermap.cli", "serve", "--port", str(port), "--store", ingested.store],
                                stdout=fh, stderr=subprocess.STDOUT, cwd=ROOT)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base + "/v1/health", proc)
            yield Server(base, proc, log)
        finally:
            proc.terminate()
            proc.wait(20)


def _leaks(text: str, secrets: dict[str, Path]) -> list[str]:
    return sorted(f"{s!r} (from {p.name})" for s, p in secrets.items() if appears(s, text))


def _get(client: httpx.Client, url: str) -> str:
    r = client.get(url)
    assert r.status_code < 500, f"{url}: {r.status_code} {r.text[:300]}"
    return r.text


@pytest.mark.parametrize("fmt", ["nquads", "turtle"])
def test_exports(ingested: Ingested, fmt: str) -> None:
    with lermap.open_graph(ingested.store) as kg:
        text = kg.export(fmt).decode()
    assert text.strip()
    assert not _leaks(text, ingested.secrets)


def test_errors_and_warnings(ingested: Ingested) -> None:
    assert ingested.messages, "no refusal or warning at all: nothing was checked"
    assert not _leaks("\n".join(ingested.messages), ingested.secrets)


def test_ingest_logging(ingested: Ingested) -> None:
    assert not _leaks(ingested.log, ingested.secrets)


def test_api_lists_and_entity_pages(ingested: Ingested, server: Server) -> None:
    seen = []
    with httpx.Client(base_url=server.base, timeout=60) as client:
        pages = [_get(client, "/v1/sources")]
        for name in RESOURCES:
            r = client.get(f"/v1/{name}", params={"limit": 100})
            assert r.status_code == 200, r.text[:300]
            pages.append(r.text)
            seen += [item["id"] for item in r.json()["items"]]
        assert seen, "the API lists nothing: nothing was checked"
        for iri in seen[:MAX_ENTITY_PAGES]:
            pages.append(_get(client, f"/v1/entities/{quote(iri, safe='')}"))
    assert not _leaks("\n".join(pages), ingested.secrets)


def test_api_search_for_each_identifier(ingested: Ingested, server: Server) -> None:
    hits = []
    with httpx.Client(base_url=server.base, timeout=60) as client:
        for secret in sorted(ingested.secrets)[:100]:
            r = client.get("/v1/search", params={"q": secret[:200]})
            assert r.status_code in (200, 422), r.text[:300]
            if r.status_code == 200:
                hits.append(r.text)
    assert not _leaks("\n".join(hits), ingested.secrets)


def test_api_alignments(ingested: Ingested, server: Server) -> None:
    with httpx.Client(base_url=server.base, timeout=60) as client:
        text = _get(client, "/v1/alignments?limit=1000") + _get(client, "/v1/alignments.sssom.tsv")
    assert not _leaks(text, ingested.secrets)


def test_sparql_endpoint(ingested: Ingested, server: Server) -> None:
    query = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 5000 OFFSET %d"
    pages = []
    with httpx.Client(base_url=server.base, timeout=60) as client:
        for offset in range(0, 200_000, 5000):
            r = client.get("/sparql", params={"query": query % offset}, headers={"Accept": "application/sparql-results+json"})
            assert r.status_code == 200, r.text[:300]
            if not r.json()["results"]["bindings"]:
                break
            pages.append(r.text)
    assert pages
    assert not _leaks("\n".join(pages), ingested.secrets)


def test_server_log(ingested: Ingested, server: Server) -> None:
    with httpx.Client(base_url=server.base, timeout=60) as client:  # requests that log: not found, bad queries
        for secret in sorted(ingested.secrets)[:50]:
            client.get(f"/v1/entities/{quote(secret, safe='')}")
            client.get("/sparql", params={"query": f"SELECT * WHERE {{ ?s ?p \"{secret}\" "})
    text = server.log.read_text(errors="replace")
    assert not _leaks(text, ingested.secrets)
