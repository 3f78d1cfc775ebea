"""Pathway queries on the default graph (O*NET, ESCO, the crosswalks, OEWS wages).

The store is a copy of the default graph that bench/common.py builds from ``data/`` and keeps under ``.lermap/``
(later runs find it up to date). For 20 O*NET occupations that have requirements, a statistical assistant (O*NET-SOC 43-9111.00, what that
occupation requires counting as held) asks for the pathway: coverage, gap, the plan and the wage delta. The first
query of a store state builds the projections (requirements, offers, alignment graph, wages) and is reported apart;
the rest are the ones apps make. Reference: a one-row SPARQL SELECT on the same store, in the same run.

``python bench/run.py pathway``
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import default_graph  # noqa: E402

BUDGET_S = 240
CURRENT = "https://www.onetonline.org/link/summary/43-9111.00"
TARGETS = """PREFIX lermap: <https://w3id.org/lermap/vocab#>
SELECT DISTINCT ?occupation WHERE { ?r lermap:requiredBy ?occupation } ORDER BY ?occupation LIMIT 400"""
REFERENCE = "SELECT ?s WHERE { ?s a <https://schema.org/Occupation> } LIMIT 1"


def _ms(values: list[float]) -> str:
    return f"{1000 * statistics.median(values):.1f}"


def main() -> dict[str, Any]:
    import lermap

    with tempfile.TemporaryDirectory() as tmp:
        return _measure(lermap.open_graph(default_graph(Path(tmp))))


def _measure(kg: Any) -> dict[str, Any]:
    try:
        occupations = [str(r["occupation"]) for r in kg.sparql(TARGETS).to_dict("records")][::20][:20]
        held = [CURRENT]
        triples = sum(info.triples for info in kg.sources())
        t = time.perf_counter()
        kg.pathway(held, occupations[0], current=CURRENT)
        first = time.perf_counter() - t
        times, sizes = [], []
        for occ in occupations:
            t = time.perf_counter()
            result = kg.pathway(held, occ, current=CURRENT)
            times.append(time.perf_counter() - t)
            sizes.append(len(result.gap))
        ref = []
        for _ in range(20):
            t = time.perf_counter()
            kg.sparql(REFERENCE)
            ref.append(time.perf_counter() - t)
    finally:
        kg.close()
    p95 = sorted(times)[max(0, int(0.95 * len(times)) - 1)]
    rows = [
        ["first query (builds the projections)", f"{1000 * first:.0f}", "", ""],
        [f"pathway, {len(times)} targets (median / p95)", _ms(times), f"{1000 * p95:.1f}", f"{statistics.median(times) / statistics.median(ref):.1f}x"],
        ["one-row SPARQL SELECT (reference)", _ms(ref), "", "1.0x"],
    ]
    print(f"\n## bench_pathway: {triples:,} triples; gap sizes {min(sizes)}-{max(sizes)} requirements")
    for row in rows:
        print("  " + " | ".join(str(c) for c in row))
    return {"title": "Pathway queries on the default graph", "columns": ["query", "median ms", "p95 ms", "ratio to reference"],
            "rows": rows, "notes": [f"{triples:,} triples; gap sizes {min(sizes)}-{max(sizes)} requirements; from the occupation {CURRENT}"]}


if __name__ == "__main__":
    main()
