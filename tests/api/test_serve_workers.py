"""``lermap serve --workers N``: several processes serve one read-only snapshot; the store itself stays free."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

import lermap
from tests.conftest import TEST_DATA
from tests.servers import free_port, wait_until_up

pytestmark = pytest.mark.server
SKOS = "http://www.w3.org/2004/02/skos/core#"
COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?c <{SKOS}notation> ?code }}"


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def test_several_processes_serve_a_snapshot_and_leave_the_store_free(tmp_path: Path) -> None:
    selector = f"oxigraph:{tmp_path / 'store'}"
    with lermap.open_graph(selector) as kg:
        kg.ingest(TEST_DATA / "core" / "tiny.ttl", format="rdf")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "lermap.cli", "serve", "--store", selector, "--port", str(port), "--workers", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/v1/health", proc, 90)
        assert len(_children(proc.pid)) >= 2  # uvicorn's supervisor and its worker processes
        with httpx.Client(base_url=base, timeout=30) as http:
            for _ in range(10):  # whichever process answers, it answers from the snapshot
                assert http.get("/sparql", params={"query": COUNT}).json()["results"]["bindings"][0]["n"]["value"] == "2"
            # the store is not locked: another process writes to it while the server runs...
            with lermap.open_graph(selector) as kg:
                kg.ingest_bytes("more.ttl", f'<http://example.org/z> <{SKOS}notation> "Z9" .'.encode(), format="rdf")
            # ...and the server keeps serving the snapshot it started with
            assert http.get("/sparql", params={"query": COUNT}).json()["results"]["bindings"][0]["n"]["value"] == "2"
            refused = http.post("/v1/proposals", json={"proposal": {"kind": "relation", "s": "a", "p": "implements", "o": "b",
                                                                   "source": "https://example.org/"}})
            assert refused.status_code == 405 and "read-only" in refused.json()["error"]["message"]
        snapshots = list(tmp_path.glob(".store.serving-*"))
        assert len(snapshots) == 1
    finally:
        proc.terminate()
        proc.wait(30)
    assert not snapshots[0].exists()  # the snapshot goes with the server


def test_an_in_memory_store_cannot_be_served_by_several_processes() -> None:
    res = subprocess.run([sys.executable, "-m", "lermap.cli", "serve", "--store", "memory:", "--workers", "2", "--port", str(free_port())],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 6 and "one worker" in res.stderr
