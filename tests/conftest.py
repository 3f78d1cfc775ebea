"""Shared fixtures: the conformance folder, stores, and a guard that blocks non-loopback network."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

# the default graph built from data/ once per session, shared by the real-data tests and the notebooks
from tests.realgraph import built_store, real_graph, real_store  # noqa: F401 - fixtures, found by pytest by name

# pytest-xdist: whole modules per worker, the costliest first (tests/workers.py)
from tests.workers import pytest_runtest_logreport, pytest_sessionfinish, pytest_xdist_make_scheduler  # noqa: F401 - hooks

ROOT = Path(__file__).resolve().parents[1]
CONFORMANCE = (ROOT / ".." / "shared" / "conformance").resolve()
TEST_DATA = ROOT / "tests" / "data"

_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: object) -> object:
    host = address[0] if isinstance(address, tuple) else address
    if self.family == socket.AF_UNIX or str(host) in {"127.0.0.1", "::1", "localhost"} or str(host).startswith("127."):
        return _real_connect(self, address)  # type: ignore[arg-type]
    raise RuntimeError(f"test tried to reach {address!r}: tests never leave 127.0.0.1")


@pytest.fixture(autouse=True)
def _block_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own config dir so user-registered contexts never leak between tests."""
    monkeypatch.setenv("LERMAP_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    monkeypatch.delenv("LERMAP_STORE", raising=False)


@pytest.fixture(scope="session")
def conformance() -> Path:
    """The publishers' conformance documents beside the repository (present in CI)."""
    if not CONFORMANCE.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"conformance folder missing in CI: {CONFORMANCE}")
        pytest.skip(f"conformance documents not present at {CONFORMANCE}")
    return CONFORMANCE


@pytest.fixture()
def memory_graph() -> Iterator[object]:
    import lermap

    kg = lermap.open_graph("memory:")
    try:
        yield kg
    finally:
        kg.close()
