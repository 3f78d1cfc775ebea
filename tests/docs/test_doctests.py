"""The examples in the docstrings the reference site shows (docs/reference/*.md) run, as doctests."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import lermap.analysis

DOCUMENTED = ["lermap", "lermap.service", "lermap.graph.store", "lermap.errors", "lermap.config",
              *sorted(m.name for m in pkgutil.iter_modules(lermap.analysis.__path__, "lermap.analysis."))]


@pytest.mark.parametrize("name", DOCUMENTED)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False, report=True)
    assert result.failed == 0, f"{result.failed} of {result.attempted} docstring examples of {name} failed (see the output above)"
