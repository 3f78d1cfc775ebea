"""`make bench`: every benchmark, each printing ratios measured in one run against a reference, in ≤ 30 minutes.

``python -m bench.run`` runs them all; ``python -m bench.run scale esco`` only those whose names contain those words;
``--full`` runs the heavy ones at their full sizes (longer than the 30 minutes); ``--list`` names them with their
time budgets.

Each benchmark runs in a process of its own (fresh memory, and nothing it started outlives it) under its time
budget — ``BUDGET_S`` in its module, and never past what is left of :data:`TOTAL_BUDGET_S` — and its section of
``BENCHMARKS.md`` is written as soon as it finishes (bench/report.py), so a benchmark that fails or runs out of time
costs only its own section, which keeps its last results; the run then exits 1 naming it.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import report  # noqa: E402
from bench.common import FULL_ENV, full_sizes  # noqa: E402

TOTAL_BUDGET_S = 29 * 60  # `make bench` in 30 minutes on the 2-CPU machine, process starts included
DEFAULT_BUDGET_S = 180


def names() -> list[str]:
    return sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))


def budget(name: str) -> int:
    return int(getattr(importlib.import_module(f"bench.{name}"), "BUDGET_S", DEFAULT_BUDGET_S))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("words", nargs="*", help="run only the benchmarks whose names contain one of these")
    parser.add_argument("--full", action="store_true", help="full sizes for the heavy benchmarks (no overall time budget)")
    parser.add_argument("--list", action="store_true", help="name the benchmarks and their budgets, run nothing")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: run one benchmark here, write its result to --result
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        return _run_here(args.one, Path(args.result))
    if args.full:
        os.environ[FULL_ENV] = "1"
    selected = [n for n in names() if not args.words or any(w in n for w in args.words)]
    if not selected:
        parser.error(f"no benchmark matches {' '.join(args.words)}; they are: {', '.join(names())}")
    if args.list:
        for name in selected:
            print(f"{name:<20} budget {budget(name):>4} s")
        return 0
    started = time.monotonic()
    selected.sort(key=budget)  # the quick ones first: one that runs long then costs only itself
    failed = [name for name in selected if not _run_child(name, started)]
    total = time.monotonic() - started
    print(f"\n{len(selected) - len(failed)} of {len(selected)} benchmarks written to {report.REPORT} in {total / 60:.1f} min")
    if failed:
        print(f"failed or out of time (their sections keep their last results): {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


def _run_child(name: str, started: float) -> bool:
    """Run one benchmark in a child process under its budget; write its section. True when it was written."""
    limit = float(budget(name))
    if not full_sizes():
        left = TOTAL_BUDGET_S - (time.monotonic() - started)
        if left < 20:
            print(f"\n{name}: not started, the run's {TOTAL_BUDGET_S / 60:.0f} minutes are spent", file=sys.stderr)
            return False
        limit = min(limit, left)
    print(f"\n=== {name} (budget {limit:.0f} s) ===", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        result_file = Path(tmp) / "result.json"
        t, load = time.monotonic(), os.getloadavg()[0]
        # a session of its own: on time-out, the servers and workers the benchmark started go with it
        proc = subprocess.Popen([sys.executable, "-m", "bench.run", "--one", name, "--result", str(result_file)], cwd=ROOT,
                                start_new_session=True)
        try:
            code = proc.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            _stop(proc)
            print(f"{name}: out of time after {limit:.0f} s", file=sys.stderr)
            return False
        except KeyboardInterrupt:
            _stop(proc)
            raise
        seconds = time.monotonic() - t
        if code != 0:
            print(f"{name}: failed (exit status {code})", file=sys.stderr)
            return False
        if not result_file.exists():
            print(f"{name}: finished in {seconds:.0f} s with no table for BENCHMARKS.md (its main() returns none)", file=sys.stderr)
            return False
        result: dict[str, Any] = json.loads(result_file.read_text())
    report.update(name, report.section(name, result, seconds, full_sizes(), load), result.get("chart"))
    print(f"{name}: {seconds:.0f} s, its section of {report.REPORT.name} written", flush=True)
    return True


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """The benchmark and everything it started: asked to stop, then, 15 s later, killed."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(15)


def _run_here(name: str, result_file: Path) -> int:
    result = importlib.import_module(f"bench.{name}").main()
    if isinstance(result, dict):
        result_file.write_text(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
