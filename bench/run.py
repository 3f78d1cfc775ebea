"""`make bench`: every benchmark, each printing ratios measured in one run against a reference.

A benchmark module's ``main()`` may return a dict of results; they are collected into ``BENCHMARKS.md``
at the repository root (one table per benchmark) with one chart, a small hand-built SVG
(``bench/benchmarks-chart.svg``: no browser or image library needed). A result dict is either
``{"title", "columns", "rows", "notes"?, "chart"?}`` or a flat mapping of names to numbers; ``chart`` is
``{"label": str, "points": [(name, value), ...]}`` and the first one found is drawn.

``python -m bench.run scale esco`` runs only the benchmarks whose names contain those words.
"""

from __future__ import annotations

import html
import importlib
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CHART = ROOT / "bench" / "benchmarks-chart.svg"


def main() -> None:
    names = sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    if len(sys.argv) > 1:
        names = [n for n in names if any(arg in n for arg in sys.argv[1:])]
    results: dict[str, dict[str, Any]] = {}
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        if not callable(getattr(module, "main", None)):
            print(f"\n{name}: no main(), skipped (run it as a script)")
            continue
        result = module.main()
        if isinstance(result, dict):
            results[name] = result
    if results:
        write_report(results, ROOT / "BENCHMARKS.md")
        print(f"\nwrote {ROOT / 'BENCHMARKS.md'}")


def write_report(results: dict[str, dict[str, Any]], path: Path) -> None:
    """BENCHMARKS.md: one section and table per benchmark, and the first chart any of them offers."""
    lines = [
        "# Benchmarks",
        "",
        f"Written by `python -m bench.run` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}. Ratios are against a reference measured in the same run.",
        "",
    ]
    chart: dict[str, Any] | None = None
    for name, kept in _earlier_sections(path).items():  # a partial run keeps the other benchmarks' last results
        if name not in results:
            lines += [*kept, ""]
    for name, result in results.items():
        lines += [f"## {result.get('title', name)}", "", f"`bench/{name}.py`", ""]
        if "columns" in result and "rows" in result:
            lines += _table(result["columns"], result["rows"])
        else:
            flat = [(k, v) for k, v in result.items() if isinstance(v, (int, float, str))]
            lines += _table(["measure", "value"], [[k, v] for k, v in flat])
        for note in result.get("notes", []):
            lines.append(f"- {note}")
        lines.append("")
        if chart is None and isinstance(result.get("chart"), dict):
            chart = result["chart"]
    if chart is not None:
        CHART.write_text(svg_bars(chart["label"], [(str(k), float(v)) for k, v in chart["points"]]))
        lines += ["## Chart", "", f"![{chart['label']}]({CHART.relative_to(path.parent).as_posix()})", ""]
    path.write_text("\n".join(lines))


def _earlier_sections(path: Path) -> dict[str, list[str]]:
    """The sections of an existing report, by benchmark module name (``## title`` then ``bench/<name>.py``)."""
    if not path.exists():
        return {}
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in path.read_text().splitlines():
        if line.startswith("## "):
            current = [line] if line != "## Chart" else None
            continue
        if current is None:
            continue
        current.append(line)
        if line.startswith("`bench/") and line.endswith(".py`") and len(current) <= 3:
            out[line[len("`bench/"):-len(".py`")]] = current
    for lines in out.values():
        while lines and not lines[-1].strip():
            lines.pop()
    return out


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _table(columns: list[str], rows: list[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    out += ["| " + " | ".join(_fmt(v) for v in row) + " |" for row in rows]
    return out + [""]


def svg_bars(label: str, points: list[tuple[str, float]], width: int = 480, bar_height: int = 28) -> str:
    """A horizontal bar chart as standalone SVG text."""
    left, right, top = 70, 90, 34
    height = top + len(points) * (bar_height + 10) + 10
    top_value = max((v for _, v in points), default=1.0) or 1.0
    span = width - left - right
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="13">',
        f'<text x="{left}" y="20" font-weight="bold">{html.escape(label)}</text>',
    ]
    for i, (name, value) in enumerate(points):
        y = top + i * (bar_height + 10)
        w = max(1.0, span * value / top_value)
        parts += [
            f'<text x="{left - 8}" y="{y + bar_height * 0.65:.0f}" text-anchor="end">{html.escape(name)}</text>',
            f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_height}" fill="#4a7ab5"/>',
            f'<text x="{left + w + 6:.1f}" y="{y + bar_height * 0.65:.0f}">{value:,.2f}</text>',
        ]
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    main()
