"""The `sparql:` store against real engines on loopback: bounded streaming writes, paging past row caps,
blank nodes across chunks, and a load that dies mid-stream leaving the previous graph intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic

import lermap
from lermap.errors import ReadOnlyStoreError, StoreError
from lermap.graph.backends.sparql import SparqlBackend
from lermap.service import KnowledgeGraph
from tests.conftest import TEST_DATA
from tests.servers import Virtuoso, engine_missing, oxigraph_binary, oxigraph_server, virtuoso_binary, virtuoso_server

TINY = TEST_DATA / "core" / "tiny.ttl"


@dataclass
class Engine:
    name: str
    selector: str
    base: str

    def open(self, options: str = "") -> KnowledgeGraph:
        return lermap.open_graph(self.selector + options)


@pytest.fixture(scope="module")
def oxigraph_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    if oxigraph_binary() is None:
        engine_missing("the Oxigraph server (PyPI package `oxigraph`)")
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-remote")) as base:
        yield Engine("oxigraph", f"sparql:{base}/query,{base}/update", base)


@pytest.fixture(scope="module")
def virtuoso_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Virtuoso]]:
    if virtuoso_binary() is None:
        engine_missing("OpenLink Virtuoso (Debian package `virtuoso-opensource`)")
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso-remote")) as server:
        yield Engine("virtuoso", server.selector, server.base), server


@pytest.fixture(params=["oxigraph", "virtuoso"])
def engine(request: pytest.FixtureRequest) -> Engine:
    """An engine with no lermap graphs in it."""
    if request.param == "oxigraph":
        eng: Engine = request.getfixturevalue("oxigraph_engine")
        httpx.post(f"{eng.base}/update", data={"update": "DROP ALL"}).raise_for_status()
        return eng
    eng, server = request.getfixturevalue("virtuoso_engine")
    server.update("DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'https://w3id.org/lermap/')) }")
    return eng


@pytest.fixture()
def engine_virtuoso_only(request: pytest.FixtureRequest) -> Engine:
    """Virtuoso alone (the engine with a row cap), emptied of lermap graphs."""
    eng, server = request.getfixturevalue("virtuoso_engine")
    server.update("DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'https://w3id.org/lermap/')) }")
    return eng  # type: ignore[no-any-return]


def _write_nt(path: Path, triples: int, label: str = "label") -> Path:
    with path.open("w") as fh:
        for i in range(triples // 2):
            fh.write(f'<http://example.org/s{i}> <http://www.w3.org/2004/02/skos/core#prefLabel> "{label} {i}" .\n')
            fh.write(f"<http://example.org/s{i}> <http://example.org/next> <http://example.org/s{i + 1}> .\n")
    return path


def test_detects_the_engine_and_its_graph_store_endpoint(engine: Engine) -> None:
    with engine.open() as kg:
        backend = kg.store.backend
        assert isinstance(backend, SparqlBackend)
        assert backend.dialect.name == engine.name
        expected = "/store" if engine.name == "oxigraph" else "/sparql-graph-crud-auth"
        assert backend.gsp_url is not None and backend.gsp_url.endswith(expected)


def test_load_streams_bounded_chunks_to_the_graph_store(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sizes: list[int] = []
    real = SparqlBackend._gsp_post

    def counting(self: SparqlBackend, gsp: str, graph: object, body: bytes) -> None:
        sizes.append(body.count(b"\n"))
        real(self, gsp, graph, body)  # type: ignore[arg-type]

    monkeypatch.setattr(SparqlBackend, "_gsp_post", counting)
    with engine.open(",chunk=1000") as kg:
        (report,) = kg.ingest(_write_nt(tmp_path / "five-thousand.nt", 5_000))
    assert report.triples == 5_000
    assert sizes == [1000] * 5


def test_export_pages_past_the_engine_row_cap(engine: Engine, tmp_path: Path) -> None:
    """Virtuoso is configured with its stock 10,000-row cap; reads must page past it, on every engine."""
    with engine.open(",gsp=none,chunk=10000") as kg:  # paged reads (no GSP GET), chunked INSERT DATA writes
        (report,) = kg.ingest(_write_nt(tmp_path / "big.nt", 24_000))
        exported = kg.export("ntriples", graph=report.graph)
    assert exported.count(b"\n") == 24_000
    assert b'"label 11999"' in exported


def test_a_row_cap_smaller_than_the_page_is_an_error_not_a_short_export(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    eng: Engine = request.getfixturevalue("engine_virtuoso_only")
    with eng.open(",gsp=none,page=20000") as kg:
        (report,) = kg.ingest(_write_nt(tmp_path / "big.nt", 12_000))
        with pytest.raises(StoreError, match="caps results"):
            kg.export("ntriples", graph=report.graph)


def test_blank_nodes_survive_chunk_boundaries(engine: Engine, tmp_path: Path) -> None:
    ttl = tmp_path / "bnodes.ttl"
    ttl.write_text(
        "@prefix ex: <http://example.org/> .\n"
        'ex:a ex:p [ ex:q "one" ; ex:r "two" ; ex:s "three" ; ex:t [ ex:u "four" ; ex:v "five" ] ] .\n'
        'ex:b ex:p [ ex:q "six" ] .\n'
    )
    with engine.open(",chunk=2") as kg:  # every blank node's triples are split over several requests
        (report,) = kg.ingest(ttl, format="rdf")
        exported = kg.export("ntriples", graph=report.graph)
    assert isomorphic(rdflib.Graph().parse(data=exported, format="nt"), rdflib.Graph().parse(ttl))


def test_failure_mid_stream_leaves_previous_graph(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with engine.open(",chunk=1000") as kg:
        kg.ingest(TINY, format="rdf")
        kg.ingest(_write_nt(tmp_path / "data.nt", 6_000))
        before, sources = kg.digest(), [(s.graph, s.sha256) for s in kg.sources()]
    sent = 0
    real = SparqlBackend._gsp_post

    def dies_on_third(self: SparqlBackend, gsp: str, graph: object, body: bytes) -> None:
        nonlocal sent
        sent += 1
        if sent == 3:
            raise StoreError("connection reset (injected)")
        real(self, gsp, graph, body)  # type: ignore[arg-type]

    monkeypatch.setattr(SparqlBackend, "_gsp_post", dies_on_third)
    with engine.open(",chunk=1000") as kg, pytest.raises(StoreError, match="injected"):
        kg.ingest(_write_nt(tmp_path / "data.nt", 6_000, label="changed"))
    monkeypatch.undo()
    with engine.open() as kg:
        assert kg.digest() == before
        assert [(s.graph, s.sha256) for s in kg.sources()] == sources
    assert sent == 3


def _wait_until_opened(proc: subprocess.Popen[bytes], path: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    fd_dir = Path(f"/proc/{proc.pid}/fd")
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if any(os.readlink(fd) == str(path) for fd in fd_dir.iterdir()):
                return
        except OSError:
            pass
        time.sleep(0.005)
    pytest.fail("the ingest never opened its input")


@pytest.mark.slow
@pytest.mark.server
def test_kill_during_remote_ingest_keeps_previous_graph(engine: Engine, tmp_path: Path) -> None:
    big = _write_nt(tmp_path / "big.nt", 60_000)
    with engine.open() as kg:
        kg.ingest(TINY, format="rdf")
        kg.ingest(big)
        before, sources = kg.digest(), [(s.graph, s.sha256) for s in kg.sources()]
    _write_nt(big, 60_000, label="changed")
    proc = subprocess.Popen([sys.executable, "-m", "lermap.cli", "ingest", str(big), "--store", engine.selector + ",chunk=5000"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_until_opened(proc, big)
    time.sleep(0.3)
    if proc.poll() is not None:
        pytest.fail("ingest finished within 0.3s of opening its input: make the file bigger so the kill lands mid-load")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with engine.open() as kg:
        assert kg.digest() == before
        assert [(s.graph, s.sha256) for s in kg.sources()] == sources
        (report,) = kg.ingest(big)  # the re-run succeeds and replaces the source
        assert report.triples == 60_000
        assert kg.sparql('ASK { <http://example.org/s7> ?p "changed 7" }') is True


def test_virtuoso_anonymous_endpoint_refuses_writes_with_a_hint(request: pytest.FixtureRequest) -> None:
    _, server = request.getfixturevalue("virtuoso_engine")
    with lermap.open_graph(f"sparql:{server.base}/sparql,{server.base}/sparql") as kg, pytest.raises(
        ReadOnlyStoreError, match="SPARQL_UPDATE"
    ):
        kg.ingest(TINY, format="rdf")


def test_another_process_ingest_is_seen_after_the_catalogue_ttl(engine: Engine) -> None:
    """Workers behind a proxy share one engine: a source ingested by one is visible to the others."""
    with engine.open(",catalog_ttl=0") as reader, engine.open() as writer:
        assert reader.sources() == []
        assert reader.sparql('ASK { ?s ?p "Acme Training"@en }') is False
        writer.ingest(TINY, format="rdf")
        assert reader.sparql('ASK { ?s ?p "Acme Training"@en }') is True
