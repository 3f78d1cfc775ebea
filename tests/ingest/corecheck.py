"""Helpers for the CASE, RSD, tabular and fetch tests: run an ingester, count, compare, serve on loopback."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import cast

import pyoxigraph as ox
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from lermap.graph.terms import TripleTuple, to_rdflib_graph
from lermap.ingest.base import IngestContext, Ingester, IngestOptions, Source

PREFIXES = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX ceasn: <https://purl.org/ctdlasn/terms/>
PREFIX schema: <https://schema.org/>
PREFIX lermap: <https://w3id.org/lermap/vocab#>
PREFIX sssom: <https://w3id.org/sssom/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""


@dataclass
class Run:
    store: ox.Store
    ctx: IngestContext
    triples: list[TripleTuple]

    def count(self, where: str, of: str = "*") -> int:
        """How many distinct solutions (or distinct values of the variable ``of``) a SPARQL pattern has."""
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT {of} WHERE {{ {where} }} }}"
        rows = list(cast(ox.QuerySolutions, self.store.query(PREFIXES + query)))
        return int(rows[0]["n"].value)

    def values(self, where: str, var: str = "v") -> list[str]:
        rows = cast(ox.QuerySolutions, self.store.query(PREFIXES + f"SELECT DISTINCT ?{var} WHERE {{ {where} }}"))
        return sorted(r[var].value for r in rows)

    def graph(self) -> rdflib.Graph:
        return to_rdflib_graph(self.triples)


def run(ingester: Ingester, path: Path, **extra: object) -> Run:
    src = Source.from_path(path)
    ctx = IngestContext(src, IngestOptions(extra=dict(extra)))
    triples = list(ingester.run(src, ctx))
    store = ox.Store()
    store.bulk_extend(ox.Quad(s, p, o, ox.DefaultGraph()) for s, p, o in triples)
    return Run(store, ctx, triples)


def assert_isomorphic(triples: Iterable[TripleTuple], expected_ttl: Path) -> None:
    got = to_rdflib_graph(triples)
    want = rdflib.Graph().parse(expected_ttl, format="turtle")
    if not isomorphic(got, want):
        _, only_got, only_want = graph_diff(to_isomorphic(got), to_isomorphic(want))
        raise AssertionError(
            "graphs differ\nonly in result:\n" + only_got.serialize(format="nt") + "\nonly expected:\n" + only_want.serialize(format="nt")
        )


@dataclass
class Loopback:
    """A tiny HTTP server on 127.0.0.1 serving fixed answers by path (with query string)."""

    base: str
    routes: dict[str, tuple[int, bytes]]
    hits: list[str] = field(default_factory=list)


@contextmanager
def serve(routes: dict[str, tuple[int, bytes]]) -> Iterator[Loopback]:
    state = Loopback("", routes)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            state.hits.append(self.path)
            status, body = state.routes.get(self.path, (404, b"not found"))
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Content-Type", "application/octet-stream")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
