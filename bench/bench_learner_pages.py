"""Warm latency of the occupation, pathway and framework pages on the default graph, against ``/about`` measured in
the same run (a page of the same app that reads only the catalogue).

Builds the default graph from ``data/`` (``KnowledgeGraph.build``), opens the app in-process (FastAPI's TestClient:
no network, the whole ASGI stack with its middleware), requests each page once to warm it (the job-title matcher,
the pathway projections, the wage index and the crosswalk suggestions are built on first use and kept per state of
the store), then ``REPEAT`` times; reports the first (cold) request, the median and the worst warm request, and the
median's ratio to ``/about``'s. Target: every page <= 500 ms warm (reported, not asserted).

    .venv/bin/python -m bench.run learner
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from lermap.views.components import page_href

ROOT = Path(__file__).resolve().parents[1]
REPEAT = 15
TARGET_MS = 500.0
ONET = "https://www.onetonline.org/link/summary/"
ESCO_NURSE = "http://data.europa.eu/esco/occupation/8d3e8aaa-791b-4c75-a465-f3f827028f50"
CONTENT_MODEL_LABEL, ESCO_SKILLS = "O*NET Content Model", "http://data.europa.eu/esco/concept-scheme/skills"


BUDGET_S = 300  # make bench: this benchmark's time budget (bench/run.py)

def pages(content_model: str) -> dict[str, str]:
    return {
        "/about (reference)": "/about",
        "/occupations?q=nurse": page_href("/occupations", q="nurse"),
        "/occupations/suggest?q=nurse": page_href("/occupations/suggest", q="nurse"),
        "/occupation (O*NET Registered Nurses)": page_href("/occupation", id=ONET + "29-1141.00"),
        "/occupation (ESCO, wage via crosswalk)": page_href("/occupation", id=ESCO_NURSE),
        "/pathways (two searches)": page_href("/pathways", hq="patient care", tq="nurse"),
        "/pathways (nursing assistant -> RN)": page_href("/pathways", current=ONET + "31-1131.00", target=ONET + "29-1141.00"),
        "/frameworks": "/frameworks",
        "/framework (O*NET Content Model)": page_href("/framework", id=content_model),
        "/crosswalk (Content Model x ESCO skills)": page_href("/crosswalk", a=content_model, b=ESCO_SKILLS),
    }


def time_pages(selector: str) -> dict[str, dict[str, float]]:
    """name → cold, median and worst warm request (ms) of each page."""
    from fastapi.testclient import TestClient

    from lermap.api.app import create_app

    out: dict[str, dict[str, float]] = {}
    with TestClient(create_app(selector)) as client:
        schemes = {s.label: s.id for s in client.app.state.kg.schemes()}  # type: ignore[attr-defined]
        for name, path in pages(schemes[CONTENT_MODEL_LABEL]).items():
            start = time.perf_counter()
            first = client.get(path)
            cold = (time.perf_counter() - start) * 1000
            assert first.status_code == 200, f"{path}: {first.status_code}"
            warm = []
            for _ in range(REPEAT):
                start = time.perf_counter()
                client.get(path)
                warm.append((time.perf_counter() - start) * 1000)
            out[name] = {"cold": cold, "median": statistics.median(warm), "worst": max(warm)}
            print(f"{name}: cold {cold:,.0f} ms, warm median {out[name]['median']:.0f} ms, worst {out[name]['worst']:.0f} ms", flush=True)
    return out


def main() -> dict[str, Any]:
    import lermap

    with tempfile.TemporaryDirectory() as tmpdir:
        selector = f"oxigraph:{Path(tmpdir) / 'store'}"
        with lermap.open_graph(selector) as kg:
            kg.build(ROOT / "data")
        timings = time_pages(selector)
    ref = timings["/about (reference)"]["median"]
    rows = [[name, round(t["cold"]), round(t["median"], 1), round(t["worst"], 1), f"{t['median'] / ref:.1f}x",
             "" if name.startswith("/about") else ("meets" if t["median"] <= TARGET_MS else "over")] for name, t in timings.items()]
    return {
        "title": "Occupation, pathway and framework pages on the default graph (warm)",
        "columns": ["page", "first request ms", "warm median ms", "warm worst ms", "median / about", f"<= {TARGET_MS:g} ms"],
        "rows": rows,
        "notes": [f"{REPEAT} warm requests each after one cold one, in-process (TestClient); /about is the reference of the same run",
                  "first requests build what is kept per state of the store: the job-title matcher (O*NET-SOC and ESCO), the pathway "
                  "projections, the wage index, the harvested alignments and the crosswalk suggestions"],
    }


if __name__ == "__main__":
    main()
