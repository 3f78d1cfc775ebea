"""The format registry: lermap's own table, formats other packages add through the ``lermap.ingesters`` entry
points (a real ``.dist-info`` on ``sys.path``, as pip would install it), and ``register()``."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

import lermap
from lermap.errors import ConfigError, UnsupportedFormatError
from lermap.ingest import registry
from lermap.ingest.rdf import RdfIngester

ROOT = Path(__file__).resolve().parents[2]

DEMO_MODULE = '''
from pyoxigraph import Literal, NamedNode

from lermap.ingest.base import Ingester

LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


class DemoLinesIngester(Ingester):
    name = "demo-lines"
    title = "Demo lines"

    def sniff(self, source):
        return 0.95 if source.suffix == ".demolines" else 0.0

    def parse(self, source, ctx):
        return [line for line in source.text(10_000).splitlines() if line.strip()]

    def map(self, parsed, ctx):
        for i, line in enumerate(parsed):
            yield NamedNode(f"https://example.org/demo/{i}"), LABEL, Literal(line)
'''


def _install_demo(where: Path, entry_points: str) -> None:
    """What ``pip install`` leaves for a package declaring ``[project.entry-points."lermap.ingesters"]``."""
    (where / "lermap_demo_format").mkdir()
    (where / "lermap_demo_format" / "__init__.py").write_text(DEMO_MODULE)
    info = where / "lermap_demo_format-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: lermap-demo-format\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[lermap.ingesters]\n{entry_points}\n")


@pytest.fixture
def fresh_registry() -> Iterator[None]:
    registry.reload()
    yield
    registry.reload()


@pytest.fixture
def demo_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_registry: None) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    _install_demo(site, "demo-lines = lermap_demo_format:DemoLinesIngester\nrdf = lermap_demo_format:DemoLinesIngester")
    monkeypatch.syspath_prepend(str(site))
    registry.reload()
    return site


def test_pyproject_declares_exactly_the_registry_table(fresh_registry: None) -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["entry-points"][registry.ENTRY_POINT_GROUP]
    own = {name: target for name, target in registry.targets().items() if registry.origin(name) == "lermap"}
    assert list(declared.items()) == list(own.items())


def test_every_builtin_format_loads_under_its_name(fresh_registry: None) -> None:
    for name in registry.names():
        assert registry.get(name).name == name


def test_a_package_adds_a_format_through_its_entry_point(demo_package: Path, tmp_path: Path) -> None:
    assert "demo-lines" in registry.names() and "demo-lines" in registry.available()
    assert registry.origin("demo-lines") == "lermap-demo-format"
    doc = tmp_path / "notes.demolines"
    doc.write_text("first line\n\nsecond line\n")
    with lermap.open_graph("memory:") as kg:
        (report,) = kg.ingest(doc)  # detected by the package's own sniff
        assert report.format == "demo-lines"
        labels = sorted(r["o"] for r in kg.select("SELECT ?o WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?o }").records())
    assert labels == ["first line", "second line"]


def test_a_package_cannot_take_over_a_builtin_name(demo_package: Path) -> None:
    assert isinstance(registry.get("rdf"), RdfIngester)
    assert registry.origin("rdf") == "lermap"


def test_lermap_formats_lists_the_package_format(demo_package: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(demo_package), str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-m", "lermap.cli", "formats"], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "demo-lines\tDemo lines\tlermap-demo-format" in done.stdout.splitlines()
    assert "rdf\tRDF\tlermap" in done.stdout.splitlines()


def test_an_entry_point_whose_package_is_missing_is_listed_but_not_available(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                            fresh_registry: None) -> None:
    _install_demo(tmp_path, "ghost = lermap_no_such_package.sub:Ghost")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry.reload()
    assert "ghost" in registry.names() and "ghost" not in registry.available()
    with pytest.raises(ConfigError, match="not installed"):
        registry.get("ghost")


def test_register_adds_and_replaces_at_run_time(demo_package: Path, tmp_path: Path) -> None:
    registry.register("lines", "lermap_demo_format:DemoLinesIngester")
    assert registry.origin("lines") == "register()" and registry.get("lines").title == "Demo lines"
    registry.register("demo-lines", "lermap.ingest.rdf:RdfIngester")
    assert isinstance(registry.get("demo-lines"), RdfIngester)
    with pytest.raises(ConfigError, match="module:Class"):
        registry.register("bad", "no-colon")
    doc = tmp_path / "x.unknown"
    doc.write_text("?")
    with lermap.open_graph("memory:") as kg, pytest.raises(UnsupportedFormatError):
        kg.ingest(doc)
