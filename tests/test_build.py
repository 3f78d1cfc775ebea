"""lermap.build on a small data folder: what a rebuild skips, when derived steps and products run, what it reports."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import lermap
from lermap import build
from lermap.build import BuildEvent, DerivedStep
from tests.conftest import TEST_DATA

TINY = TEST_DATA / "core" / "tiny.ttl"


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    (folder / "examples").mkdir(parents=True)
    shutil.copy(TINY, folder / "a.ttl")
    shutil.copytree(TEST_DATA / "onet" / "mini", folder / "onet")
    shutil.copy(TEST_DATA / "core" / "tiny-v2.ttl", folder / "examples" / "b.ttl")
    return folder


@pytest.fixture()
def product(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A derived step that counts its runs (added for the test only)."""
    runs: list[int] = []
    monkeypatch.setattr(build, "_STEPS", [*build._STEPS, DerivedStep("test-product", "1", lambda kg: runs.append(len(kg.sources())))])
    return runs


def test_a_rebuild_skips_unchanged_datasets_and_derived_steps(data: Path, product: list[int]) -> None:
    with lermap.open_graph("memory:") as kg:
        first = kg.build(data)
        assert [Path(r.source).name for r in first.ingested] == ["a.ttl", "onet"]
        # the build's steps, then the products pages read (kg.derive: the map's layout)
        assert first.derived == ["identity-resolution", "occupation-crosswalk", "test-product", "ecosystem-map"] and first.built_at
        second = kg.build(data)
        assert second.ingested == [] and len(second.unchanged) == 2 and second.derived == []
        assert second.built_at == first.built_at and len(product) == 1
        (data / "a.ttl").write_text((TEST_DATA / "core" / "tiny-v2.ttl").read_text())
        third = kg.build(data)
        assert [Path(r.source).name for r in third.ingested] == ["a.ttl"] and third.derived[-2:] == ["test-product", "ecosystem-map"]
        assert len(product) == 2


def test_a_new_version_of_a_step_reruns_the_derived_steps(data: Path, product: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    with lermap.open_graph("memory:") as kg:
        kg.build(data)
        monkeypatch.setattr(build, "_STEPS", [*build._STEPS[:-1], DerivedStep("test-product", "2", lambda kg: product.append(-1))])
        again = kg.build(data)
        assert again.ingested == [] and again.derived[:3] == ["identity-resolution", "occupation-crosswalk", "test-product"]
        assert product[-1] == -1


def test_examples_only_on_request_and_events_for_a_progress_display(data: Path, product: list[int]) -> None:
    events: list[BuildEvent] = []
    with lermap.open_graph("memory:") as kg:
        kg.build(data, progress=events.append)
        assert {Path(i.source).name for i in kg.sources()} >= {"a.ttl", "onet"} and "b.ttl" not in {Path(i.source).name for i in kg.sources()}
        kinds = [(e.kind, e.name) for e in events if e.kind != "progress"]
        assert kinds[:2] == [("planned", "a.ttl"), ("planned", "onet")]
        assert ("ingested", "onet") in kinds and ("derived", "occupation-crosswalk") in kinds
        events.clear()
        report = kg.build(data, with_examples=True, progress=events.append)
        assert [Path(r.source).name for r in report.ingested] == ["b.ttl"]
        assert ("unchanged", "a.ttl") in [(e.kind, e.name) for e in events] and report.derived  # a new source: derive again


def test_a_refused_dataset_is_reported_and_the_rest_is_built(data: Path, product: list[int]) -> None:
    (data / "broken.ttl").write_text("<not turtle")
    with lermap.open_graph("memory:") as kg:
        report = kg.build(data)
        assert [Path(e.source).name for e in report.refused] == ["broken.ttl"]
        assert {Path(r.source).name for r in report.ingested} == {"a.ttl", "onet"}
        assert "broken.ttl" not in {Path(i.source).name for i in kg.sources()}


def test_a_dataset_that_left_the_folder_leaves_the_graph(data: Path, product: list[int]) -> None:
    with lermap.open_graph("memory:") as kg:
        kg.build(data)
        shutil.rmtree(data / "onet")
        report = kg.build(data)
        assert [Path(i.source).name for i in report.dropped] == ["onet"] and report.derived


def test_the_inputs_digest_ignores_derived_and_personal_graphs() -> None:
    from lermap.graph.store import GraphInfo

    plain = [GraphInfo("g1", "/data/a.ttl", "rdf", sha256="x", ingester_version="1")]
    more = [*plain, GraphInfo("g2", "urn:lermap:derived/x.ttl", "rdf", sha256="y"),
            GraphInfo("g3", "personal:/me.json", "ob3", sha256="z", personal=True)]
    steps = build.derived_steps()
    assert build.inputs_digest(plain, steps) == build.inputs_digest(more, steps)
    assert build.inputs_digest(plain, steps) != build.inputs_digest(plain, steps[:1])


def test_cli_build_draws_a_line_per_dataset(data: Path, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "lermap.cli", "build", "--data", str(data), "--store", f"oxigraph:{tmp_path / 's'}"],
                          capture_output=True, text=True, timeout=300, env={**os.environ, "COLUMNS": "160"})
    assert done.returncode == 0, done.stderr
    for line in ("a.ttl", "onet", "identity-resolution", "occupation-crosswalk", "derived products rebuilt"):
        assert line in done.stdout
