"""Every ingester's smallest real fixture, and the way to put a hostile variant of it where the ingester reads it.

A :class:`Target` names an ingester, its fixture (a file, or a folder the ingester reads as a whole) and, for a
folder, the one file inside it that the hostile variants replace. ``place(tmp, content)`` writes a copy of the
fixture with that file's bytes replaced and returns the path to ingest.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import TEST_DATA

SOAK = os.environ.get("LERMAP_SOAK", "") not in ("", "0")  # `make soak` sets it: more cases, more examples


@dataclass(frozen=True)
class Target:
    """An ingester, its fixture, and the file within it that hostile variants replace."""

    format: str
    fixture: Path
    member: str | None = None  # for a folder fixture: the file replaced
    family: str = "json"  # json | jsonld | text | svg | csv | tsv | yaml | turtle

    @property
    def main_file(self) -> Path:
        return self.fixture / self.member if self.member else self.fixture

    def original(self) -> bytes:
        return self.main_file.read_bytes()

    def place(self, tmp: Path, content: bytes | Callable[[Path], None]) -> Path:
        """A copy of the fixture under ``tmp`` whose main file holds ``content`` (or is written by it)."""
        if self.member:
            root = tmp / self.fixture.name
            shutil.copytree(self.fixture, root)
            target = root / self.member
            result = root
        else:
            target = tmp / self.fixture.name
            result = target
            if self.format == "tabular":  # the mapping names its data file: keep it beside the mapping
                shutil.copy(self.fixture.parent / "widgets.csv", tmp / "widgets.csv")
        if callable(content):
            content(target)
        else:
            target.write_bytes(content)
        return result


def _vc_jwt(tmp: Path) -> Path:
    from tests.ingest.credentials.test_vc_jwt import tiny_jwt

    path = tmp / "tiny.jwt"
    path.write_text(tiny_jwt())
    return path


_JWT_DIR = TEST_DATA.parent / ".generated"  # never written: the vc-jwt fixture is built per test, see jwt_fixture()

TARGETS: dict[str, Target] = {
    t.format: t
    for t in [
        Target("ob3", TEST_DATA / "ob3" / "tiny-ob3.json", family="jsonld"),
        Target("clr2", TEST_DATA / "clr2" / "tiny-clr.json", family="jsonld"),
        Target("vc", TEST_DATA / "vc" / "tiny-vc1.json", family="jsonld"),
        Target("vc-jwt", _JWT_DIR / "tiny.jwt", family="text"),
        Target("baked", TEST_DATA / "baked" / "tiny-ob3.svg", family="svg"),
        Target("ob2", TEST_DATA / "ob2" / "assertion.json", family="json"),
        Target("elm", TEST_DATA / "elm" / "credential.jsonld", family="jsonld"),
        Target("ler-rs", TEST_DATA / "ler-rs" / "resume.json", family="json"),
        Target("ctdl", TEST_DATA / "ctdl" / "credential-small.json", family="jsonld"),
        Target("ctdl-asn", TEST_DATA / "ctdl-asn" / "framework-small.json", family="jsonld"),
        Target("case", TEST_DATA / "case" / "tiny-case.json", family="json"),
        Target("case-csv", TEST_DATA / "case" / "tiny-generic.csv", family="csv"),
        Target("rsd", TEST_DATA / "rsd" / "tiny-rsd.json", family="json"),
        Target("rsd-csv", TEST_DATA / "rsd" / "tiny-rsd.csv", family="csv"),
        Target("esco", TEST_DATA / "esco" / "v1.1.1-mini", member="skills_en.csv", family="csv"),
        Target("onet", TEST_DATA / "onet" / "mini", member="Skills.txt", family="tsv"),
        Target("tabular", TEST_DATA / "tabular" / "widgets.lermap.yaml", family="yaml"),
        Target("ler-map", TEST_DATA / "ler-map" / "stakeholders-list.yml", family="yaml"),
        Target("dcc-registry", TEST_DATA / "dcc-registry" / "registry.json", family="json"),
        Target("directory", TEST_DATA / "directory", member="standards.yaml", family="yaml"),
        Target("rdf", TEST_DATA / "core" / "tiny.ttl", family="turtle"),
    ]
}


def original_bytes(target: Target, tmp: Path) -> bytes:
    """The fixture's main file (the vc-jwt fixture is generated, the others are read)."""
    if target.format == "vc-jwt":
        return _vc_jwt(tmp).read_bytes()
    return target.original()


def placed(target: Target, tmp: Path, content: bytes | Callable[[Path], None]) -> Path:
    """``target.place`` with the generated vc-jwt fixture handled."""
    if target.format == "vc-jwt":
        path = tmp / "tiny.jwt"
        if callable(content):
            content(path)
        else:
            path.write_bytes(content)
        return path
    return target.place(tmp, content)


JSON_FORMATS = [t.format for t in TARGETS.values() if t.family in ("json", "jsonld")]
JSONLD_FORMATS = [t.format for t in TARGETS.values() if t.family == "jsonld"]
YAML_FORMATS = [t.format for t in TARGETS.values() if t.family == "yaml"]
TABLE_FORMATS = [t.format for t in TARGETS.values() if t.family in ("csv", "tsv")]
