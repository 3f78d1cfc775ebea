"""The default graph, built from data/ once: the real-data tests share it.

Building it takes about a minute, so it is built once and kept between sessions in the system's temp folder under a
key made of everything it depends on — the committed data (data/examples left out), lermap's code and queries, and
pyoxigraph's version — so a change to any of them builds it anew. A file lock makes the pytest-xdist workers (and
concurrent sessions) wait for the one build instead of each making its own. Each session works on its own copy (a
store has one writer); a test that needs a store for a ``lermap`` subprocess gets a fresh copy of its own.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from filelock import FileLock

import lermap
from lermap.service import KnowledgeGraph

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
CACHE = Path(tempfile.gettempdir()) / "lermap-test-default-graph"
_STALE_AFTER_S = 2 * 24 * 3600


def graph_key() -> str:
    """A checksum of what the built graph depends on: data/ (but examples), lermap's code, queries and shapes."""
    h = hashlib.sha256(f"pyoxigraph {pyoxigraph.__version__}\n".encode())
    files = [p for p in sorted(DATA.rglob("*")) if p.is_file() and "examples" not in p.relative_to(DATA).parts]
    files += [p for p in sorted((ROOT / "lermap").rglob("*")) if p.is_file() and p.suffix in {".py", ".rq", ".ttl", ".json", ".jsonld"}]
    for p in files:
        h.update(f"{p.relative_to(ROOT)}\0".encode() + hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()[:24]


def _forget_stale() -> None:
    """Builds of other keys not used for two days (another checkout, an older commit) leave."""
    if not CACHE.is_dir():
        return
    for old in CACHE.iterdir():
        try:
            if time.time() - old.stat().st_mtime > _STALE_AFTER_S:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            pass


@pytest.fixture(scope="session")
def built_store() -> Path:
    """A closed store folder holding the default graph, as `lermap build` makes it from data/."""
    _forget_stale()
    key = graph_key()
    target = CACHE / key / "store"
    CACHE.mkdir(parents=True, exist_ok=True)
    with FileLock(CACHE / f"{key}.lock"):  # the first worker builds; the others wait here, then find it complete
        if not (target.parent / "complete").is_file():
            _build_into(target.parent, key)
        os.utime(target.parent)
    return target


def _build_into(folder: Path, key: str) -> None:
    staging = CACHE / f"{key}.part-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    with lermap.open_graph(f"oxigraph:{staging / 'store'}") as kg:
        report = kg.build(DATA)
    assert report.refused == [], report.refused
    (staging / "complete").write_text(f"{len(report.ingested)} datasets in {report.seconds:.0f} s\n")
    shutil.rmtree(folder, ignore_errors=True)  # an interrupted older attempt without its "complete" mark
    staging.rename(folder)


def copy_of(store: Path, where: Path) -> str:
    shutil.copytree(store, where)
    return f"oxigraph:{where}"


@pytest.fixture(scope="session")
def real_graph(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeGraph]:
    """The default graph, opened once for the session (tests only read it)."""
    with lermap.open_graph(copy_of(built_store, tmp_path_factory.mktemp("real") / "store")) as kg:
        yield kg


@pytest.fixture()
def real_store(built_store: Path, tmp_path: Path) -> str:
    """A store selector of a fresh copy of the default graph, for a `lermap` subprocess or a server."""
    return copy_of(built_store, tmp_path / "store")
