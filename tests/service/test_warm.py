"""Warming the pages' caches at server start: what the first visitor of /occupations or /pathways would wait for."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

from fastapi.testclient import TestClient

import lermap
from lermap.api.app import create_app
from lermap.config import settings
from tests.conftest import TEST_DATA


def test_warm_computes_the_occupation_search_and_a_pathway_once_per_state(tmp_path: Path) -> None:
    with lermap.open_graph("memory:") as kg:
        kg.ingest(TEST_DATA / "onet" / "mini")
        assert kg.warm() == ["occupation search", "held items", "map layout", "pathway"]
        state = kg.state()
        assert ("occupation-finder", state) in kg._cache and ("holdable-names", state) in kg._cache
        finder = kg._cache[("occupation-finder", state)]
        kg.find_occupations("surveyor")
        assert kg._cache[("occupation-finder", state)] is finder  # the search used what warm computed


def test_serve_warms_in_the_background_and_answers_meanwhile(tmp_path: Path) -> None:
    store = f"oxigraph:{tmp_path / 'store'}"
    with lermap.open_graph(store) as kg:
        kg.ingest(TEST_DATA / "onet" / "mini")
    app = create_app(store, dataclasses.replace(settings(), warm=True))
    with TestClient(app) as client:
        assert client.get("/v1/health").status_code == 200
        warmer = next((t for t in threading.enumerate() if t.name == "lermap-warm"), None)
        if warmer is not None:
            warmer.join(timeout=600)
        state = app.state.kg.state()
        assert ("occupation-finder", state) in app.state.kg._cache
    cold = create_app(store)  # without the setting (tests, Python callers) nothing runs in the background
    with TestClient(cold) as client:
        client.get("/v1/health")
        assert ("occupation-finder", cold.state.kg.state()) not in cold.state.kg._cache


def test_concurrent_callers_of_one_projection_build_it_once() -> None:
    calls: list[int] = []
    gate = threading.Event()

    def slow() -> int:
        calls.append(1)
        gate.wait(5)
        return len(calls)

    with lermap.open_graph("memory:") as kg:
        results: list[int] = []
        threads = [threading.Thread(target=lambda: results.append(kg.cached("slow", slow))) for _ in range(3)]
        for t in threads:
            t.start()
        gate.set()
        for t in threads:
            t.join()
        assert calls == [1] and results == [1, 1, 1]
