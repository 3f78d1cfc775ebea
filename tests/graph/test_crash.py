"""kill -9 in the middle of an ingest: the store opens with exactly its previous content."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import lermap
from tests.conftest import TEST_DATA


def _write_big(path: Path, triples: int) -> None:
    with path.open("w") as fh:
        for i in range(triples // 2):
            fh.write(f'<http://example.org/s{i}> <http://www.w3.org/2004/02/skos/core#prefLabel> "label {i}" .\n')
            fh.write(f"<http://example.org/s{i}> <http://example.org/next> <http://example.org/s{i + 1}> .\n")


def _wait_until_opened(proc: subprocess.Popen[bytes], path: Path, timeout: float = 60.0) -> None:
    """Block until the process has the input file open: from then on the ingest is under way."""
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


@pytest.fixture(scope="module")
def big_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("big")
    nt = folder / "big.nt"
    _write_big(nt, 400_000)
    nq = folder / "big.nq"  # a dataset format: goes through the streaming (parse → map → load) path
    nq.write_text(nt.read_text().replace(" .\n", " <http://example.org/g> .\n"))
    return {"nt": nt, "nq": nq}


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["nt", "nq"])
@pytest.mark.parametrize("delay", [0.05, 0.3, 0.6])
def test_kill_during_ingest_keeps_previous_content(big_files: dict[str, Path], tmp_path: Path, kind: str, delay: float) -> None:
    selector = f"oxigraph:{tmp_path / 'store'}"
    with lermap.open_graph(selector) as kg:
        kg.ingest(TEST_DATA / "core" / "tiny.ttl", format="rdf")
        kg.ingest(big_files[kind])  # an earlier version of the big source, replaced below
        before = kg.digest()
        sources_before = [(s.graph, s.sha256) for s in kg.sources()]
    # a changed copy of the big source, so a completed ingest would visibly change the store
    changed = tmp_path / f"big.{kind}"
    changed.write_text(big_files[kind].read_text().replace('"label 1"', '"label one"', 1))
    proc = subprocess.Popen([sys.executable, "-m", "lermap.cli", "ingest", str(changed), "--store", selector],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_until_opened(proc, changed)
    time.sleep(delay)
    if proc.poll() is not None:
        pytest.fail(f"ingest finished within {delay}s of opening its input: make the file bigger so the kill lands mid-ingest")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with lermap.open_graph(selector) as kg:
        assert kg.digest() == before
        assert [(s.graph, s.sha256) for s in kg.sources()] == sources_before
        lermap_graphs = [g for g in kg.store.backend.named_graphs() if g.value.startswith("https://w3id.org/lermap/graph/")]
        assert len(lermap_graphs) == 3  # catalogue + two sources: the orphan was removed on open
        report = kg.ingest(changed)[0]  # the re-run succeeds
        assert report.triples == 400_000
