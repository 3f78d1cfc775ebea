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


def test_a_run_rewrites_only_its_own_sections_each_dated_with_its_machine(tmp_path: Path) -> None:
    from bench import report

    path = tmp_path / "BENCHMARKS.md"
    first = {"title": "Alpha", "columns": ["run", "seconds"], "rows": [["a", 1.5]], "notes": ["alpha note"]}
    report.update("bench_alpha", report.section("bench_alpha", first, 12.0, full=False, load=1.25), path=path)
    report.update("bench_beta", report.section("bench_beta", {"rate": 3}, 4.0, full=True), path=path)
    text = path.read_text()
    assert text.index("## Alpha") < text.index("## bench_beta") and "- alpha note" in text and "| rate | 3 |" in text
    assert text.count(report.machine()) == 2 and "load average 1.2 at the start, in 12 s, default sizes" in text
    assert "in 4 s, full sizes" in text

    again = {"title": "Alpha", "columns": ["run", "seconds"], "rows": [["a", 9.25]]}
    report.update("bench_alpha", report.section("bench_alpha", again, 30.0, full=False), path=path)
    text = path.read_text()
    assert "| a | 9.25 |" in text and "| a | 1.50 |" not in text and "- alpha note" not in text  # alpha replaced whole
    assert "| rate | 3 |" in text and "in 4 s, full sizes" in text  # beta kept as it was
    assert text.count("## Alpha") == 1 and text.count("## bench_beta") == 1


@pytest.mark.parametrize("path", MODULES, ids=[p.stem for p in MODULES])
def test_every_benchmark_has_its_time_budget_within_the_runs_30_minutes(path: Path) -> None:
    from bench import run

    budgets = [n for n in ast.parse(path.read_text("utf-8")).body if isinstance(n, ast.Assign)
               and any(isinstance(t, ast.Name) and t.id == "BUDGET_S" for t in n.targets)]
    assert budgets, f"{path.name} has no BUDGET_S: bench.run would give it {run.DEFAULT_BUDGET_S} s"
    assert 0 < run.budget(path.stem) <= run.TOTAL_BUDGET_S <= 30 * 60
