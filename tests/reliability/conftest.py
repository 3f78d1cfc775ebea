"""Reliability suite: hypothesis profiles, a store with known content, and a loopback server that counts requests.

``make test`` runs the ``fast`` hypothesis profile; ``make soak`` sets ``LERMAP_SOAK=1`` and gets ``soak`` (more
examples, more crash trials). Nothing here is skipped: the soak settings only scale what the same tests do.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import lermap
from lermap.errors import SourceError
from lermap.service import KnowledgeGraph
from tests.conftest import TEST_DATA
from tests.reliability.cases import SOAK

settings.register_profile("fast", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("soak", max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("soak" if SOAK else "fast")


@pytest.fixture()
def kg() -> Iterator[KnowledgeGraph]:
    """An in-memory graph already holding a small source, so 'unchanged' means something."""
    graph = lermap.open_graph("memory:")
    graph.ingest(TEST_DATA / "core" / "tiny.ttl", format="rdf")
    try:
        yield graph
    finally:
        graph.close()


class Counter:
    """A loopback HTTP server that records every request it gets (and answers each with a JSON-LD context)."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        counter = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                counter.requests.append(self.path)
                body = b'{"@context": {"name": "https://attacker.test/name"}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/ld+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Counter:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def counting_server() -> Iterator[Counter]:
    """One server per module; tests assert on the requests it has seen (it must see none)."""
    with Counter() as server:
        yield server


def refused(kg: KnowledgeGraph, path: Path | str, fmt: str | None) -> SourceError:
    """Ingest ``path`` expecting a clear refusal and an untouched store; returns the error."""
    before = kg.digest()
    with pytest.raises(SourceError) as info:
        kg.ingest(path, format=fmt)
    err = info.value
    assert kg.digest() == before, "a refused source changed the store"
    assert err.reason.strip(), "a refusal without a reason"
    assert "Traceback" not in str(err)
    return err


def outcome(kg: KnowledgeGraph, path: Path | str, fmt: str | None) -> SourceError | None:
    """Ingest ``path``: ``None`` when it was read, else the refusal (after checking the store is untouched)."""
    before = kg.digest()
    try:
        kg.ingest(path, format=fmt)
    except SourceError as err:
        assert kg.digest() == before, "a refused source changed the store"
        assert err.reason.strip() and "Traceback" not in str(err)
        return err
    return None


CATCH_ALL = "ingester could not read it"  # the pipeline's last-resort wording: an error no ingester anticipated
