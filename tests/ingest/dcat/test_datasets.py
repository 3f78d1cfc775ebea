"""data/datasets.yaml: the machine-readable list of the default graph's datasets, equal to data/README.md's table
and to the committed files; the `datasets` ingester reads it, refuses a broken one and warns about a changed file."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from lermap.errors import SourceError
from lermap.ingest import registry
from lermap.ingest.base import Source
from tests.conftest import ROOT

DATA = ROOT / "data"
MANIFEST = DATA / "datasets.yaml"


def manifest() -> list[dict[str, Any]]:
    return list(yaml.safe_load(MANIFEST.read_text("utf-8"))["datasets"])


def readme_rows() -> dict[str, list[str]]:
    """The dataset table of data/README.md: first cell (the name) -> the cells, markdown code marks dropped."""
    rows = {}
    for line in (DATA / "README.md").read_text("utf-8").splitlines():
        if line.startswith("| ") and not line.startswith(("| dataset", "|---")):
            cells = [c.strip().replace("`", "") for c in line.strip().strip("|").split("|")]
            rows[cells[0]] = cells
    return rows


def test_the_manifest_and_the_readme_table_say_the_same() -> None:
    rows = readme_rows()
    datasets = manifest()
    assert sorted(d["name"] for d in datasets) == sorted(rows)
    for d in datasets:
        name, publisher, version, licence, files, _reads = rows[d["name"]]
        assert (d["version"] or "—") == version, d["id"]
        assert d["licence"] in licence, d["id"]
        assert d["path"] in files and (d["sha256"] is None or d["sha256"] in files), d["id"]


def test_the_manifest_names_every_committed_dataset_with_its_checksum() -> None:
    committed = {p.relative_to(DATA).as_posix() for p in DATA.rglob("*") if p.suffix in {".zip", ".xz"} and "examples" not in p.parts}
    declared = {d["path"]: d["sha256"] for d in manifest()}
    assert committed <= set(declared)
    for path, sha in declared.items():
        target = DATA / path
        assert target.exists(), path
        if sha is not None:
            assert hashlib.sha256(target.read_bytes()).hexdigest() == sha, path


def test_every_attribution_the_readme_asks_for_is_in_the_manifest() -> None:
    text = " ".join((DATA / "README.md").read_text("utf-8").split())
    for d in manifest():
        if d["id"] in {"onet", "esco"}:  # the wordings their licences require, word for word
            quoted = re.sub(r"\[([^]]+)]\([^)]+\)", r"\1", text)
            assert d["attribution"].split(". ")[1] in quoted, d["id"]


def test_detected_and_read_into_datasets(memory_graph: Any) -> None:
    assert registry.detect(Source.from_path(MANIFEST)).name == "datasets"
    (report,) = memory_graph.ingest(MANIFEST)
    assert report.format == "datasets" and report.warnings == []
    overview = memory_graph.datasets()
    assert len(overview.datasets) == len(manifest()) and overview.built_at is None
    onet = next(d for d in overview.datasets if d.id == "onet")
    assert onet.licence_url == "https://creativecommons.org/licenses/by/4.0/" and not onet.in_graph  # its file not ingested here


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "data.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    path = tmp_path / "datasets.yaml"
    path.write_text(text, encoding="utf-8")
    return path


ONE = """datasets:
  - id: one
    name: One
    publisher: Someone
    version: "1"
    licence: CC0-1.0
    path: data.zip
    sha256: {sha}
    attribution: "From Someone."
"""


def test_a_changed_file_is_a_warning(memory_graph: Any, tmp_path: Path) -> None:
    (report,) = memory_graph.ingest(_write(tmp_path, ONE.format(sha="a" * 64)))
    assert report.warnings == ["datasets[0].sha256: data.zip has changed since the manifest was written (its sha256 differs); update it"]


@pytest.mark.parametrize(("text", "where"), [
    ("datasets: nope\n", "datasets"),
    (ONE.format(sha="a" * 64).replace("id: one", "id: One Two"), "datasets[0].id"),
    (ONE.format(sha="a" * 64).replace("    licence: CC0-1.0\n", ""), "datasets[0].licence"),
    (ONE.format(sha="a" * 64).replace("path: data.zip", "path: ../outside.zip"), "datasets[0].path"),
    (ONE.format(sha="not-a-checksum"), "datasets[0].sha256"),
    (ONE.format(sha="a" * 64) + "    colour: blue\n", "datasets[0]"),
])
def test_a_broken_manifest_is_refused(memory_graph: Any, tmp_path: Path, text: str, where: str) -> None:
    with pytest.raises(SourceError) as info:
        memory_graph.ingest(_write(tmp_path, text), format="datasets")
    assert info.value.location == where and memory_graph.sources() == []
