"""`lermap build` of the default graph from data/: cold into a fresh store, then warm (nothing changed).

Each build runs in a fresh process (time and peak memory). Cold: every dataset is read out of its archive, mapped
and loaded, then the derived steps run (identity resolution, the occupation crosswalk). Warm: the same command on
the built store, which finds every checksum unchanged and the derived products current. Reference, measured in
the same run: pyoxigraph bulk-loading the built graph's own N-Quads into a fresh store — the engine's floor for
writing the same quads, with no reading, mapping or deriving. ``--full`` adds the cold build as the ``lermap build``
command (process start included).

``python bench/run.py build``
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import full_sizes, measure  # noqa: E402

BUDGET_S = 360


def _build(store: Path) -> str:
    return ("import lermap\nt = time.perf_counter()\n"
            f"with lermap.open_graph('oxigraph:{store}') as kg:\n"
            f"    report = kg.build({str(ROOT / 'data')!r})\n"
            "elapsed = time.perf_counter() - t\n"
            "assert not report.refused, report.refused\n")


def _command(store: Path) -> float:
    """The cold build again, as the `lermap build` command (``--full`` only: it repeats the cold build's minutes)."""
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "lermap.cli", "build", "--data", str(ROOT / "data"), "--store", f"oxigraph:{store}",
                    "--json"], check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - t


def main() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        store = tmp / "store"
        cold = measure("cold build", _build(store), 0)
        warm = measure("warm rebuild (nothing changed)", _build(store), 0)
        import lermap

        with lermap.open_graph(f"oxigraph:{store}") as kg:
            triples = sum(i.triples for i in kg.sources())
            datasets = sum(1 for i in kg.sources() if not i.source.startswith("urn:lermap:derived/"))
            dump = tmp / "graph.nq"
            dump.write_bytes(kg.export("nquads"))
        reference = measure("reference: bulk_load of the same N-Quads", "import pyoxigraph as ox\nt = time.perf_counter()\n"
                            f"ox.Store({str(tmp / 'raw')!r}).bulk_load(path={str(dump)!r}, format=ox.RdfFormat.N_QUADS)\n"
                            "elapsed = time.perf_counter() - t\n", triples)
        shutil.rmtree(tmp / "raw", ignore_errors=True)
        command = _command(tmp / "cli-store") if full_sizes() else None
    rows = [
        [cold.name, round(cold.seconds, 1), round(cold.peak_rss_mb), f"{cold.seconds / reference.seconds:.1f}x"],
        [warm.name, round(warm.seconds, 1), round(warm.peak_rss_mb), f"{warm.seconds / reference.seconds:.2f}x"],
        [reference.name, round(reference.seconds, 1), round(reference.peak_rss_mb), "1.0x"],
    ]
    if command is not None:
        rows.append(["`lermap build` command, cold (process start included)", round(command, 1), "", f"{command / reference.seconds:.1f}x"])
    print(f"\n## bench_build: {datasets} datasets, {triples:,} triples")
    for row in rows:
        print("  " + " | ".join(str(c) for c in row))
    return {"title": "lermap build: the default graph from data/", "columns": ["run", "seconds", "peak RSS MB", "ratio to reference"],
            "rows": rows, "notes": [f"{datasets} datasets and the derived graphs, {triples:,} triples in all",
                                    f"warm rebuild / cold build: {warm.seconds / cold.seconds:.2f}"]}


if __name__ == "__main__":
    main()
