"""Shared bench helpers: run a measurement in a fresh process to get its time and peak memory."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass


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
