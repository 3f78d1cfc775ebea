"""Load soak: 64 concurrent clients for 60 s against a `lermap serve` started here on loopback.

Builds the default graph from data/ (with the examples), starts the server, runs a bounded thread-per-client load generator (httpx) over
API endpoints and /sparql, samples the server's resident memory every 2 s, and prints a table: requests, errors,
p50 / p99 latency per endpoint and the RSS series. Exits non-zero on any error.

    .venv/bin/python bench/soak.py [--clients 64] [--seconds 60]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.servers import free_port, wait_until_up  # noqa: E402

ENDPOINTS = {
    "health": "/v1/health",
    "sources": "/v1/sources",
    "competencies": "/v1/competencies?limit=20",
    "credentials": "/v1/credentials?limit=20",
    "search": "/v1/search?q=data",
    "alignments": "/v1/alignments?limit=50",
    "sparql": "/sparql?query=SELECT%20%3Fs%20%3Fp%20%3Fo%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20LIMIT%2020",
}


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        store = f"oxigraph:{Path(tmp) / 'store'}"
        import lermap

        with lermap.open_graph(store) as kg:
            kg.build(ROOT / "data", with_examples=True)
        port = free_port()
        log = Path(tmp) / "server.log"
        with log.open("wb") as fh:
            proc = subprocess.Popen([sys.executable, "-m", "lermap.cli", "serve", "--port", str(port), "--store", store],
                                    stdout=fh, stderr=subprocess.STDOUT, cwd=ROOT)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base + "/v1/health", proc)
            return _run(base, proc, args.clients, args.seconds, log)
        finally:
            proc.terminate()
            proc.wait(30)


def _run(base: str, proc: subprocess.Popen[bytes], clients: int, seconds: float, log: Path) -> int:
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    names = list(ENDPOINTS)

    def client(n: int) -> None:
        with httpx.Client(base_url=base, timeout=30.0) as http:
            i = n
            while time.monotonic() < stop:
                name = names[i % len(names)]
                i += 1
                started = time.perf_counter()
                try:
                    r = http.get(ENDPOINTS[name])
                    ok = r.status_code == 200
                    problem = f"HTTP {r.status_code}"
                except httpx.HTTPError as exc:
                    ok, problem = False, type(exc).__name__
                elapsed = time.perf_counter() - started
                with lock:
                    latencies[name].append(elapsed)
                    if not ok:
                        errors[name].append(problem)

    server = psutil.Process(proc.pid)
    rss: list[float] = [server.memory_info().rss / 2**20]
    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        time.sleep(2.0)
        rss.append(server.memory_info().rss / 2**20)
    for t in threads:
        t.join()

    total = sum(len(v) for v in latencies.values())
    failed = sum(len(v) for v in errors.values())
    print(f"\nlermap soak: {clients} clients, {seconds:.0f} s, {total:,} requests ({total / seconds:,.0f}/s), {failed} errors\n")
    print(f"| {'endpoint':<13} | {'requests':>8} | {'errors':>6} | {'p50 ms':>8} | {'p99 ms':>8} |")
    print(f"|{'-' * 15}|{'-' * 10}|{'-' * 8}|{'-' * 10}|{'-' * 10}|")
    for name in names:
        lat = latencies[name]
        print(f"| {name:<13} | {len(lat):>8,} | {len(errors[name]):>6} | {_percentile(lat, 0.5) * 1000:>8.1f} | "
              f"{_percentile(lat, 0.99) * 1000:>8.1f} |")
    everything = [x for v in latencies.values() for x in v]
    print(f"| {'all':<13} | {total:>8,} | {failed:>6} | {_percentile(everything, 0.5) * 1000:>8.1f} | "
          f"{_percentile(everything, 0.99) * 1000:>8.1f} |")
    third = max(len(rss) // 3, 1)
    print(f"\nserver RSS (MiB), sampled every 2 s: start {rss[0]:.0f}, min {min(rss):.0f}, max {max(rss):.0f}, end {rss[-1]:.0f}; "
          f"mean of first third {statistics.mean(rss[:third]):.0f}, of last third {statistics.mean(rss[-third:]):.0f}")
    print("series:", " ".join(f"{x:.0f}" for x in rss))
    if failed:
        kinds = {name: sorted(set(v))[:3] for name, v in errors.items() if v}
        print(f"errors by endpoint: {kinds}")
        print("server log tail:\n" + log.read_text(errors="replace")[-2000:])
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
