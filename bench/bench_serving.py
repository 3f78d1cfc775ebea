"""The cost of isolating queries in worker processes, and the serving stack under load.

**Query isolation.** A one-row SELECT, answered 2,000 times one after the other: (a) the way ``/sparql`` evaluated
until issue 16 — in this process, in a thread of its own, then serialised here — and (b) through the worker pool
(:class:`lermap.graph.query_runner.PooledRunner`: pickled to a worker process, checked, evaluated over the
snapshot, serialised there, bytes back). The added latency is p50(b) - p50(a), target <= 2 ms.

**Serving stack.** ``wrk`` (2 threads; 32 connections, and 64 too with ``--full``, 10 s each) against ``/v1/health``
and ``/v1/alignments`` of: lermap on uvicorn with uvloop + httptools (what ``lermap serve`` runs now); lermap on
asyncio + h11 (what it ran before: uvicorn without its ``standard`` extra); ``lermap serve --workers 2``; and a
bare FastAPI app (:mod:`bench.bare_app`) on uvloop + httptools answering the same two bodies — the reference.
Needs ``wrk`` (Debian package ``wrk``); without it that part is skipped and says so.

    .venv/bin/python bench/run.py serving
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import default_graph, full_sizes  # noqa: E402
from tests.servers import free_port, wait_until_up  # noqa: E402

ONE_ROW = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"
RUNS = 2000
CLIENTS = (32,)  # `make bench`; --full adds 64
FULL_CLIENTS = (32, 64)
BUDGET_S = 300
SECONDS = 10
PATHS = ("/v1/health", "/v1/alignments")
TARGET_MS = 2.0


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def query_overhead(selector: str) -> dict[str, float]:
    """p50/p99 (ms) of a one-row query in process (a thread per query, as before) and through the worker pool."""
    import lermap
    from lermap.graph.query_limits import QueryLimits
    from lermap.graph.query_runner import PooledRunner
    from lermap.graph.sparql_results import answer_body
    from lermap.graph.store import SelectResult

    accept = "application/sparql-results+json"
    with lermap.open_graph(selector) as kg:
        backend = kg.store.backend
        graphs = kg.store.visible_graphs()
        store = backend.store  # type: ignore[attr-defined]

        def in_process() -> bytes:
            box: dict[str, bytes] = {}
            done = threading.Event()

            def work() -> None:
                res = store.query(ONE_ROW, default_graph=graphs, named_graphs=graphs)
                variables = [v.value for v in res.variables]
                rows = [[sol[i] for i in range(len(variables))] for sol in res]
                box["body"] = answer_body(SelectResult(variables, rows), accept)[1]
                done.set()

            threading.Thread(target=work, daemon=True).start()
            done.wait(20)
            return box["body"]

        runner = PooledRunner(kg.store, backend, QueryLimits())  # type: ignore[arg-type]
        runner.start()
        try:
            assert runner.run(ONE_ROW, accept).body == in_process()
            timings: dict[str, list[float]] = {"in process": [], "pool": []}
            for _ in range(200):  # warm both paths
                in_process()
                runner.run(ONE_ROW, accept)
            for _ in range(RUNS // 100):  # interleaved blocks: both see the same machine load
                for name, call in (("in process", in_process), ("pool", lambda: runner.run(ONE_ROW, accept).body)):
                    for _ in range(100):
                        t = time.perf_counter()
                        call()
                        timings[name].append((time.perf_counter() - t) * 1000)
        finally:
            runner.close()
    return {f"{name} {stat}": _pct(v, q) for name, v in timings.items() for stat, q in (("p50", 0.5), ("p99", 0.99))} | {
        "added p50": statistics.median(timings["pool"]) - statistics.median(timings["in process"])}


@contextmanager
def _server(args: list[str], env: dict[str, str], log: Path) -> Iterator[str]:
    port = free_port()
    with log.open("wb") as fh:
        proc = subprocess.Popen([*args, "--port", str(port)], stdout=fh, stderr=subprocess.STDOUT, cwd=ROOT, env={**os.environ, **env},
                                start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/v1/health", proc, 90)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, clients: int) -> dict[str, float]:
    out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{SECONDS}s", "--latency", url], capture_output=True, text=True,
                         timeout=SECONDS + 60).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(bad.group(1)) if bad else 0) + (sum(int(x) for x in sock.groups()) if sock else 0)
    return {"rate": rate, "p50": p50, "p99": p99, "errors": errors}


def serving(selector: str, tmp: Path) -> list[list[Any]]:
    py = sys.executable
    uvicorn = [py, "-m", "uvicorn", "--factory", "--log-level", "warning"]
    stacks = {
        "lermap, uvloop + httptools": ([*uvicorn, "--loop", "uvloop", "--http", "httptools", "lermap.api.app:create_app"], {"LERMAP_STORE": selector}),
        "lermap, asyncio + h11 (before)": ([*uvicorn, "--loop", "asyncio", "--http", "h11", "lermap.api.app:create_app"], {"LERMAP_STORE": selector}),
        "lermap serve --workers 2": ([py, "-m", "lermap.cli", "serve", "--store", selector, "--workers", "2"], {}),
        "bare FastAPI (reference)": ([*uvicorn, "--loop", "uvloop", "--http", "httptools", "bench.bare_app:create_app"], {}),
    }
    payload = tmp / "alignments.json"
    results: dict[tuple[str, str, int], dict[str, float]] = {}
    for name, (args, env) in stacks.items():
        with _server(args, {**env, "BENCH_ALIGNMENTS": str(payload)}, tmp / "server.log") as base:
            if not payload.exists():
                payload.write_bytes(httpx.get(base + "/v1/alignments", timeout=60).content)
            for path in PATHS:
                httpx.get(base + path, timeout=60).raise_for_status()  # warm: projections, caches
                for clients in FULL_CLIENTS if full_sizes() else CLIENTS:
                    results[(name, path, clients)] = r = wrk(base + path, clients)
                    print(f"{name} {path} x{clients}: {r['rate']:,.0f}/s p50 {r['p50']:.1f} ms p99 {r['p99']:.1f} ms, {r['errors']:.0f} errors",
                          flush=True)
    rows = []
    for (name, path, clients), r in results.items():
        ref = results[("bare FastAPI (reference)", path, clients)]
        rows.append([f"{path} — {name}", f"{clients} x {SECONDS} s", round(r["rate"]), round(r["errors"]), round(r["p50"], 1),
                     round(r["p99"], 1), f"{r['rate'] / ref['rate']:.2f}x rate, {r['p99'] / ref['p99']:.2f}x p99"])
    return rows


def main() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        selector = default_graph(tmp)
        cost = query_overhead(selector)
        print({k: round(v, 3) for k, v in cost.items()}, flush=True)
        rows: list[list[Any]] = [
            [f"one-row /sparql query, {name}", f"{RUNS:,} sequential", RUNS, 0, round(cost[f'{name} p50'], 3), round(cost[f'{name} p99'], 3), ""]
            for name in ("in process", "pool")]
        verdict = "meets" if cost["added p50"] <= TARGET_MS else "over"
        rows[1][-1] = f"+{cost['added p50']:.3f} ms at p50 ({verdict} <= {TARGET_MS:g} ms)"
        notes = ["'in process' is /sparql's path before issue 16 (a thread per query in the server, serialised there); 'pool' "
                 "sends the query to a worker process that checks, evaluates over the store snapshot and serialises it"]
        if shutil.which("wrk"):
            rows += serving(selector, tmp)
            notes.append(f"wrk -t2, {SECONDS} s per cell; the last column compares each row with the bare FastAPI app on the same "
                         "path and client count, measured in the same run; wrk and the servers share the machine's cores")
        else:
            notes.append("wrk is not installed (Debian: apt-get install wrk): the serving-stack rows were skipped")
    return {"title": "Query isolation cost and the serving stack",
            "columns": ["measure", "load", "runs, or req/s", "errors", "p50 ms", "p99 ms", "against the reference"],
            "rows": rows, "notes": notes}


if __name__ == "__main__":
    main()
