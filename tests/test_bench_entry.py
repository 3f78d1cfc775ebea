"""Every benchmark runs alone under ``python -m bench.run <name>``: its ``main()`` needs no arguments and never reads
``sys.argv`` (which then holds bench.run's own arguments); command-line options belong in ``if __name__ == "__main__"``.
The benchmarks themselves are not run here (they are long and measure, they do not test)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
MODULES = sorted(BENCH.glob("bench_*.py"))


def _main(path: Path) -> ast.FunctionDef:
    tree = ast.parse(path.read_text("utf-8"))
    mains = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "main"]
    assert mains, f"{path.name} has no main() for bench.run to call"
    return mains[0]


@pytest.mark.parametrize("path", MODULES, ids=[p.stem for p in MODULES])
def test_main_takes_no_required_arguments(path: Path) -> None:
    args = _main(path).args
    assert len(args.args) + len(args.posonlyargs) == len(args.defaults), f"{path.name}: main() has required arguments"


@pytest.mark.parametrize("path", MODULES, ids=[p.stem for p in MODULES])
def test_main_does_not_read_the_command_line(path: Path) -> None:
    argv = [n for n in ast.walk(_main(path)) if isinstance(n, ast.Attribute) and n.attr == "argv"]
    assert not argv, f"{path.name}: main() reads sys.argv, so `python -m bench.run {path.stem[6:]}` would hand it bench.run's arguments"
