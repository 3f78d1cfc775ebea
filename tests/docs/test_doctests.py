"""The modules whose docstrings the reference site shows (docs/reference/*.md); their examples run as doctests
through pytest's --doctest-modules (pyproject.toml)."""

from __future__ import annotations

import pkgutil
from pathlib import Path

import lermap.analysis

DOCUMENTED = ["lermap", "lermap.service", "lermap.graph.store", "lermap.errors", "lermap.config",
              *sorted(m.name for m in pkgutil.iter_modules(lermap.analysis.__path__, "lermap.analysis."))]


def test_every_module_tested_here_is_in_the_reference() -> None:
    pages = "".join(p.read_text(encoding="utf-8") for p in (Path(__file__).resolve().parents[2] / "docs" / "reference").glob("*.md"))
    targets = [line.split()[1] for line in pages.splitlines() if line.startswith("::: ")]
    shown = {t if t in DOCUMENTED else t.rsplit(".", 1)[0] for t in targets}  # lermap.service.open_graph: lermap.service
    assert set(DOCUMENTED) <= shown
