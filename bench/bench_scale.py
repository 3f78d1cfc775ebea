"""Scale series against a remote engine: lermap on the Oxigraph server at 1x, 3x and 10x a synthetic ESCO.

The dataset is ``bench_esco.write_synthetic_esco`` (the ESCO v1.2 CSV layout) at ``BASE`` x 1, 3 and 10
of the full ESCO size. For each size, a fresh ``oxigraph serve`` on loopback and, measured in the same run:

* **ingest** -- ``kg.ingest(folder, format="esco")`` into ``sparql:`` (streamed GSP chunks), in a fresh
  process: seconds, triples/s, the client's peak RSS and the server's peak RSS;
* **query** -- the median of 31 runs of two per-entity queries over the whole store (``entity-facts.rq``
  for one skill, ``mappings.rq`` bound to one occupation), entities of the same shape at every size, so
  latency should not grow with the unrelated data around them;
* at the largest size, the **reference**: the same triples (exported from the store, untimed) POSTed
  as one N-Triples file to a fresh server's Graph Store endpoint with ``no_transaction`` -- the server's
  own bulk loader, its fastest path (lermap's chunks use the same flag).

Reports the growth exponent of each measure (slope of log(measure) against log(size); 1.0 is linear,
0 is flat) and the ratio lermap / reference (target >= 0.5x).
"""

from __future__ import annotations

import csv
import math
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench.bench_esco import write_synthetic_esco
from bench.common import Measurement, measure
from tests.servers import free_port, oxigraph_binary, wait_until_up

BASE = 0.1  # of the full ESCO download (~14k skills, 3k occupations, 126k relations)
SIZES = (1, 3, 10)
QUERY_RUNS = 31
BUDGET_S = 240


@contextmanager
def server(folder: Path) -> Iterator[tuple[str, int]]:
    """A fresh `oxigraph serve` on a free loopback port: (base URL, pid)."""
    binary = oxigraph_binary()
    if binary is None:
        raise SystemExit("bench_scale needs the Oxigraph server: pip install 'oxigraph>=0.5.3,<0.6'")
    port = free_port()
    proc = subprocess.Popen([binary, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/", proc)
        yield base, proc.pid
    finally:
        proc.terminate()
        proc.wait(30)


def peak_rss_mb(pid: int) -> float:
    """A process's peak resident memory (VmHWM) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def first_row(path: Path, column: str) -> str:
    with path.open(newline="", encoding="utf-8") as fh:
        return next(csv.DictReader(fh))[column]


def exponent(sizes: list[float], values: list[float]) -> float:
    """Slope of log(value) against log(size): how a measure grows with the data."""
    xs, ys = [math.log(s) for s in sizes], [math.log(max(v, 1e-9)) for v in values]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def _query_latency(selector: str, skill: str, occupation: str) -> tuple[float, float, float]:
    """Medians in ms: entity-facts, mappings, and an empty ``ASK {}`` (the HTTP round trip alone)."""
    import lermap

    with lermap.open_graph(selector) as kg:
        for _ in range(5):  # warm the connection and the engine's caches
            kg.run_query("entity-facts", {"entity": skill})
            kg.run_query("mappings", {"subject": occupation})
        facts, maps, trip = [], [], []
        for _ in range(QUERY_RUNS):
            t = time.perf_counter()
            rows = kg.run_query("entity-facts", {"entity": skill})
            facts.append(time.perf_counter() - t)
            t = time.perf_counter()
            kg.run_query("mappings", {"subject": occupation})
            maps.append(time.perf_counter() - t)
            t = time.perf_counter()
            kg.sparql("ASK {}")
            trip.append(time.perf_counter() - t)
        assert len(rows) > 0, f"{skill} not found"
    return statistics.median(facts) * 1000, statistics.median(maps) * 1000, statistics.median(trip) * 1000


def _reference(tmp: Path, nt: Path, triples: int) -> Measurement:
    """The server's own bulk path: the whole N-Triples file in one GSP POST to a fresh server."""
    with server(tmp / "reference-store") as (base, pid):
        t = time.perf_counter()
        with nt.open("rb") as fh:
            resp = httpx.post(f"{base}/store", params={"graph": "http://example.org/g", "no_transaction": ""}, content=fh,
                              headers={"Content-Type": "application/n-triples"}, timeout=3600)
        resp.raise_for_status()
        elapsed = time.perf_counter() - t
        return Measurement("server GSP POST of the file", elapsed, peak_rss_mb(pid), triples)


def run(base_scale: float = BASE, sizes: tuple[int, ...] = SIZES) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    reference: Measurement | None = None
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for size in sizes:
            folder = tmp / f"esco-{size}x"
            write_synthetic_esco(folder, base_scale * size)
            # the first skill and occupation of each size: entities of the same shape, with more unrelated data around them
            skill = first_row(folder / "skills_en.csv", "conceptUri")
            occupation = first_row(folder / "occupations_en.csv", "conceptUri")
            counted = tmp / "count"
            with server(tmp / f"store-{size}x") as (base, pid):
                selector = f"sparql:{base}/query,{base}/update"
                ours = measure(
                    f"lermap ingest {size}x",
                    f"import lermap\nkg = lermap.open_graph({selector!r})\nt = time.perf_counter()\n"
                    f"(r,) = kg.ingest({str(folder)!r}, format='esco')\nelapsed = time.perf_counter() - t\n"
                    f"open({str(counted)!r}, 'w').write(r.graph + ' ' + str(r.triples))\nkg.close()\n",
                    0,
                )
                graph, triples = counted.read_text().split()
                server_rss = peak_rss_mb(pid)
                facts_ms, maps_ms, trip_ms = _query_latency(selector, skill, occupation)
                if size == sizes[-1]:
                    nt = tmp / "reference.nt"
                    with httpx.stream("GET", f"{base}/store", params={"graph": graph}, headers={"Accept": "application/n-triples"},
                                      timeout=600) as resp, nt.open("wb") as fh:
                        for chunk in resp.iter_bytes():
                            fh.write(chunk)
            if size == sizes[-1]:
                reference = _reference(tmp, nt, int(triples))
                nt.unlink()
            rows.append({"size": size, "triples": int(triples), "ingest_s": ours.seconds, "rate": int(triples) / ours.seconds,
                         "client_rss_mb": ours.peak_rss_mb, "server_rss_mb": server_rss, "facts_ms": facts_ms, "mappings_ms": maps_ms, "roundtrip_ms": trip_ms})
            print(f"{size}x: {rows[-1]}", flush=True)
    assert reference is not None
    sizes_f = [float(r["triples"]) for r in rows]
    growth = {key: exponent(sizes_f, [r[key] for r in rows]) for key in ("ingest_s", "client_rss_mb", "server_rss_mb", "facts_ms", "mappings_ms", "roundtrip_ms")}
    ratio = rows[-1]["rate"] / reference.rate
    print(f"\n## Scale series: lermap on the Oxigraph server (sparql: store), {', '.join(f'{s}x' for s in sizes)} of {base_scale:g} ESCO\n")
    print("| size | triples | ingest s | triples/s | client peak RSS MB | server peak RSS MB | entity-facts ms | mappings ms | ASK {} ms |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['size']}x | {r['triples']:,} | {r['ingest_s']:.2f} | {r['rate']:,.0f} | {r['client_rss_mb']:.0f} | "
              f"{r['server_rss_mb']:.0f} | {r['facts_ms']:.1f} | {r['mappings_ms']:.1f} | {r['roundtrip_ms']:.1f} |")
    print("| growth exponent | | " + " | ".join(
        [f"{growth['ingest_s']:.2f}", "", f"{growth['client_rss_mb']:.2f}", f"{growth['server_rss_mb']:.2f}",
         f"{growth['facts_ms']:.2f}", f"{growth['mappings_ms']:.2f}", f"{growth['roundtrip_ms']:.2f}"]) + " |")
    print(f"\n{sizes[-1]}x: lermap ingest {rows[-1]['rate']:,.0f} triples/s vs {reference.name} {reference.rate:,.0f} triples/s "
          f"({reference.seconds:.2f}s): **{ratio:.2f}x** (target >= 0.5x)")
    return {
        "title": "Scale series on the Oxigraph server (sparql: store)",
        "columns": ["size", "triples", "ingest s", "triples/s", "client RSS MB", "server RSS MB", "entity-facts ms", "mappings ms", "ASK {} ms"],
        "rows": [[f"{r['size']}x", r["triples"], round(r["ingest_s"], 2), round(r["rate"]), round(r["client_rss_mb"]),
                  round(r["server_rss_mb"]), round(r["facts_ms"], 1), round(r["mappings_ms"], 1), round(r["roundtrip_ms"], 1)] for r in rows],
        "chart": {"label": "ingest seconds by size", "points": [(f"{r['size']}x", r["ingest_s"]) for r in rows]},
        "notes": ["growth exponents (1.0 linear, 0 flat): " + ", ".join(f"{k} {v:.2f}" for k, v in growth.items()),
                  f"{sizes[-1]}x ingest vs the server's GSP POST of the same file: {ratio:.2f}x (target >= 0.5x)"],
        "ratio_vs_server_bulk": ratio,
        "growth": growth,
    }


def main() -> dict[str, Any]:
    return run()


if __name__ == "__main__":
    main()
