"""Sources are named without the server's file paths, and still replace themselves on re-ingest."""

from __future__ import annotations

from pathlib import Path

import pytest

import lermap
from lermap.graph.source_names import source_name
from tests.conftest import TEST_DATA

ROOTS = [(Path("/srv/lermap/data"), "data"), (Path("/home/u/.cache/lermap"), "cache"), (Path("/srv/lermap"), "")]


@pytest.mark.parametrize(("key", "name"), [
    ("/srv/lermap/data/onet/Skills.txt", "data/onet/Skills.txt"),
    ("/home/u/.cache/lermap/esco/1.2.0/skills_en.csv", "cache/esco/1.2.0/skills_en.csv"),
    ("/srv/lermap/tests/data/core/tiny.ttl", "tests/data/core/tiny.ttl"),
    ("personal:/srv/lermap/data/me.json", "personal:data/me.json"),
    ("https://example.org/framework.json", "https://example.org/framework.json"),
    ("upload.json", "upload.json"),
    ("proposal/abc123", "proposal/abc123"),
])
def test_names_are_relative_or_unchanged(key: str, name: str) -> None:
    assert source_name(key, ROOTS) == name


def test_a_file_elsewhere_is_named_without_its_folders_and_stays_distinct() -> None:
    a, b = source_name("/tmp/x/one/tiny.ttl", ROOTS), source_name("/tmp/x/two/tiny.ttl", ROOTS)
    assert a.startswith("tiny.ttl~") and b.startswith("tiny.ttl~") and a != b and "/tmp" not in a


def test_no_path_in_the_catalogue_and_reingest_still_replaces(tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere" / "tiny.ttl"
    copy.parent.mkdir()
    copy.write_bytes((TEST_DATA / "core" / "tiny.ttl").read_bytes())
    with lermap.open_graph("memory:") as kg:
        kg.ingest(copy, format="rdf")
        kg.ingest(copy, format="rdf")  # the same file again: replaces, never duplicates
        (info,) = kg.sources()
        assert str(tmp_path) not in info.source and info.source.startswith("tiny.ttl~")
        catalogue = kg.store.export("nquads", "https://w3id.org/lermap/graph/catalog").decode()
        assert str(tmp_path) not in catalogue and "file:" not in catalogue
        assert kg.store.find(str(copy)).graph == info.graph  # the CLI still finds it by its path
        kg.drop(str(copy))
        assert kg.sources() == []
