"""Shared bench helpers: run a measurement in a fresh process to get its time and peak memory; full or default sizes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GRAPHS = ROOT / ".lermap"  # the default graph built once for the benchmarks that read it, kept between runs

FULL_ENV = "LERMAP_BENCH_FULL"  # set by `python -m bench.run --full`


def full_sizes() -> bool:
    """Whether the heavy benchmarks run at their full sizes (``--full``) rather than the ones that fit `make bench`'s 30 minutes."""
    return os.environ.get(FULL_ENV, "") not in ("", "0")


@dataclass
class Measurement:
    name: str
    seconds: float
    peak_rss_mb: float
    items: int

    @property
    def rate(self) -> float:
        return self.items / self.seconds if self.seconds else float("inf")


def measure(name: str, code: str, items: int) -> Measurement:
    """Run ``code`` (which must set ``elapsed``) in a child Python; report its time and peak RSS."""
    wrapper = (
        "import json, resource, time\n"
        + code
        + "\nprint(json.dumps({'elapsed': elapsed, 'rss_kb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))\n"
    )
    done = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True, check=True)
    out = json.loads(done.stdout.strip().splitlines()[-1])
    return Measurement(name, out["elapsed"], out["rss_kb"] / 1024, items)


def table(rows: list[Measurement], reference: Measurement, unit: str = "triples") -> str:
    lines = [f"| run | seconds | {unit}/s | peak RSS MB | ratio to {reference.name} |", "|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r.name} | {r.seconds:.2f} | {r.rate:,.0f} | {r.peak_rss_mb:.0f} | {r.rate / reference.rate:.2f}x |")
    return "\n".join(lines)


MEASUREMENT_COLUMNS = ["run", "seconds", "items/s", "peak RSS MB", "ratio to reference"]


def rows(runs: list[Measurement], reference: Measurement) -> list[list[object]]:
    """:func:`table`'s rows for BENCHMARKS.md (bench/report.py)."""
    return [[r.name, round(r.seconds, 2), round(r.rate), round(r.peak_rss_mb), f"{r.rate / reference.rate:.2f}x"] for r in runs]


def default_graph(where: Path, with_examples: bool = False) -> str:
    """A store selector of a copy, in ``where``, of the default graph built from data/ (``lermap build``).

    The build is kept under .lermap/ between runs and brought up to date incrementally (seconds when nothing
    changed), so the benchmarks that read the default graph don't each spend minutes building it; the one that
    times the build (bench_build) builds its own. The copy is the caller's to write to.
    """
    import lermap

    cached = GRAPHS / ("bench-graph-examples" if with_examples else "bench-graph") / "store"
    plain = GRAPHS / "bench-graph" / "store"
    if with_examples and not cached.exists() and plain.exists():
        shutil.copytree(plain, cached)  # then only the examples and the derived steps are added
    t = time.perf_counter()
    with lermap.open_graph(f"oxigraph:{cached}") as kg:
        report = kg.build(ROOT / "data", with_examples=with_examples)
    if report.ingested:
        print(f"  built {cached} ({len(report.ingested)} datasets) in {time.perf_counter() - t:.0f} s", flush=True)
    shutil.copytree(cached, where / "store")
    return f"oxigraph:{where / 'store'}"
