"""BENCHMARKS.md, section by section: a run rewrites the sections of the benchmarks it ran and keeps the others.

Each section names its module and says when, on what machine and at what sizes it was measured, so a report
assembled over several runs says which numbers come from where. A benchmark's ``main()`` returns either
``{"title", "columns", "rows", "notes"?, "chart"?}`` or a flat mapping of names to numbers; ``chart`` is
``{"label": str, "points": [(name, value), ...]}``, drawn as a small hand-built SVG
(``bench/benchmarks-chart.svg``: no browser or image library needed).
"""

from __future__ import annotations

import html
import os
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "BENCHMARKS.md"
CHART = ROOT / "bench" / "benchmarks-chart.svg"
HEADER = [
    "# Benchmarks",
    "",
    "Written by `make bench` (`python -m bench.run`; `python -m bench.run <name>` reruns one benchmark and rewrites only its "
    "section). Each section says when and on what machine it was measured; ratios are against a reference measured in the "
    "same run.",
    "",
]


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def section(name: str, result: dict[str, Any], seconds: float, full: bool, load: float | None = None) -> list[str]:
    """The lines of one benchmark's section, its measuring date and machine (and the load average when it started:
    the machine may be shared) under the title."""
    sizes = "full sizes" if full else "default sizes (`python -m bench.run --full` for the full ones)"
    busy = f", load average {load:.1f} at the start" if load is not None else ""
    lines = [f"## {result.get('title', name)}", "",
             f"`bench/{name}.py` — measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}{busy}, in {seconds:.0f} s, {sizes}.", ""]
    if "columns" in result and "rows" in result:
        lines += table(result["columns"], result["rows"])
    else:
        flat = [[k, v] for k, v in result.items() if isinstance(v, (int, float, str))]
        lines += table(["measure", "value"], flat)
    lines += [f"- {note}" for note in result.get("notes", [])]
    return lines


def update(name: str, lines: list[str], chart: dict[str, Any] | None = None, path: Path = REPORT) -> None:
    """Put one benchmark's section into the report (in module order), keeping every other section as it was."""
    sections = sections_of(path)
    sections[name] = lines
    drawn = f"({Path(os.path.relpath(CHART, path.parent)).as_posix()})"
    old = path.read_text().splitlines() if path.exists() else []
    chart_line = next((line for line in old if line.startswith("![") and line.endswith(drawn)), None)
    if chart is not None:
        CHART.write_text(svg_bars(chart["label"], [(str(k), float(v)) for k, v in chart["points"]]))
        chart_line = f"![{chart['label']}]{drawn}"
    out = list(HEADER)
    for key in sorted(sections):
        out += [*sections[key], ""]
    if chart_line and CHART.exists():
        out += ["## Chart", "", chart_line, ""]
    path.write_text("\n".join(out))


def sections_of(path: Path) -> dict[str, list[str]]:
    """The sections of an existing report, by benchmark module name (``## title`` then a line ``bench/<name>.py``)."""
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
        if line.startswith("`bench/") and ".py`" in line and len(current) <= 3:
            out[line[len("`bench/"):line.index(".py`")]] = current
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


def table(columns: list[str], rows: list[list[Any]]) -> list[str]:
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
