"""The examples in the docstrings the reference site shows (docs/reference/*.md) run, as doctests."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import lermap.analysis

DOCUMENTED = ["lermap", "lermap.service", "lermap.graph.store", "lermap.errors", "lermap.config",
              *sorted(m.name for m in pkgutil.iter_modules(lermap.analysis.__path__, "lermap.analysis."))]


@pytest.mark.parametrize("name", DOCUMENTED)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False, report=True)
    assert result.failed == 0, f"{result.failed} of {result.attempted} docstring examples of {name} failed (see the output above)"


def test_every_module_tested_here_is_in_the_reference() -> None:
    pages = "".join(p.read_text(encoding="utf-8") for p in (Path(__file__).resolve().parents[2] / "docs" / "reference").glob("*.md"))
    targets = [line.split()[1] for line in pages.splitlines() if line.startswith("::: ")]
    shown = {t if t in DOCUMENTED else t.rsplit(".", 1)[0] for t in targets}  # lermap.service.open_graph: lermap.service
    assert set(DOCUMENTED) <= shown
