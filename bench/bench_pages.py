"""The pages a policymaker reads (issue 20): how long ``/map`` takes on the first request after a start (cold) and
after (warm), on the default graph and on a synthetic directory of 5,000 nodes, and every other page warm.

Each page is fetched through the whole app in process (``fastapi.testclient``: routing, the service, the views,
the template), so the numbers are the server's own time without a network. "Cold" is the first request of a
freshly created app over a store that ``lermap build`` (or ``kg.derive()``) left: the map's layout is read back
from the store, never computed per request. "First use" is the same on a store that never had its layout derived
(the layout is computed in that request, then stored). Warm numbers are medians of ``REPEAT`` requests. The
reference, measured in the same run, is ``/v1/health`` warm: ratios compare like with like across machines.

Targets (issue 20): /map <= 1.5 s cold and <= 200 ms warm on the default graph; <= 2 s cold on 5,000 nodes; every
other page <= 500 ms warm. Reported, not asserted.

    .venv/bin/python bench/run.py pages
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_api import synthetic_ecosystem  # noqa: E402
from bench.common import default_graph  # noqa: E402

REPEAT = 7
BUDGET_S = 300
COLD_STARTS = 3
SYNTHETIC = 5000
TARGETS = {"map cold": 1.5, "map warm": 0.2, "synthetic cold": 2.0, "page warm": 0.5}


def _get(client: Any, path: str) -> float:
    started = time.perf_counter()
    res = client.get(path, headers={"accept": "text/html"})
    elapsed = time.perf_counter() - started
    assert res.status_code == 200, (path, res.status_code, res.text[:300])
    return elapsed


def _warm(client: Any, path: str) -> float:
    _get(client, path)
    return statistics.median(_get(client, path) for _ in range(REPEAT))


def _cold(selector: str, path: str, times: int = 1) -> float:
    """The first request of a freshly created app (the median of ``times`` fresh apps)."""
    from fastapi.testclient import TestClient

    from lermap.api.app import create_app

    found = []
    for _ in range(times):
        with TestClient(create_app(selector)) as client:
            found.append(_get(client, path))
    return statistics.median(found)


def measure(selector: str, pages: list[str]) -> dict[str, float]:
    from fastapi.testclient import TestClient

    from lermap.api.app import create_app

    out = {"map cold": _cold(selector, "/map", COLD_STARTS)}
    with TestClient(create_app(selector)) as client:
        out["health (reference)"] = _warm(client, "/v1/health")
        for path in ["/map", *pages]:
            out[path] = _warm(client, path)
    return out


def main() -> dict[str, Any]:
    import lermap

    rows: list[list[Any]] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        (tmp / "default").mkdir()
        selector = default_graph(tmp / "default")  # what `lermap build` leaves, copied
        with lermap.open_graph(selector) as kg:
            kg.derive()
            engine = next(h.id for h in kg.suggest("Credential Engine") if h.label == "Credential Engine")
            standard = next(h.id for h in kg.suggest("Open Badges") if h.kind == "standards")
            size = len(kg.map_view().nodes)
        e, s = quote(engine, safe=""), quote(standard, safe="")
        pages = ["/", "/search?q=credential", "/search/suggest?q=cred", f"/entity?id={e}", f"/entity/summary?id={e}",
                 f"/map?focus={e}&hops=2", "/map?q=badge", "/map/export.csv?part=edges", "/map/export.graphml", "/principles",
                 "/principles?sort=privacy-security&kind=tool", f"/principles/compare?id={e}&id={s}"]
        default = measure(selector, pages)
        ref = default["health (reference)"]
        print(f"default graph ({size} map nodes): {default}", flush=True)

        synthetic = f"oxigraph:{tmp / 'synthetic'}"
        with lermap.open_graph(synthetic) as kg:
            kg.ingest_bytes("ecosystem-5000.nt", ox.serialize(synthetic_ecosystem(SYNTHETIC), format=ox.RdfFormat.N_TRIPLES) or b"",
                            format="rdf")
        first_use = _cold(synthetic, "/map")  # no stored layout: computed in this request, then stored
        with lermap.open_graph(synthetic) as kg:
            started = time.perf_counter()
            kg.store.replace_side_graph(ox.NamedNode("https://w3id.org/lermap/derived/ecosystem-map"), [])
            kg.derive()
            derive = time.perf_counter() - started
        big = measure(synthetic, [])
        print(f"synthetic {SYNTHETIC}: first use {first_use:.2f} s, derive {derive:.2f} s, {big}", flush=True)

    def row(name: str, seconds: float, target: float | None) -> list[Any]:
        verdict = "" if target is None else ("meets" if seconds <= target else "OVER") + f" <= {target * 1000:.0f} ms"
        return [name, round(seconds * 1000, 1), f"{seconds / ref:.0f}x", verdict]

    rows.append(row("/v1/health warm (reference)", ref, None))
    rows.append(row(f"/map cold, default graph ({size} nodes)", default["map cold"], TARGETS["map cold"]))
    rows.append(row("/map warm, default graph", default["/map"], TARGETS["map warm"]))
    for path in pages:
        name = path.replace(f"id={s}", "id=<Open Badges>").replace(e, "<Credential Engine>")
        rows.append(row(name + " warm", default[path], TARGETS["page warm"]))
    rows.append(row(f"/map cold, synthetic {SYNTHETIC:,} nodes (layout stored at build)", big["map cold"], TARGETS["synthetic cold"]))
    rows.append(row(f"/map warm, synthetic {SYNTHETIC:,} nodes", big["/map"], None))
    rows.append(row(f"/map first use, synthetic {SYNTHETIC:,} nodes (layout computed in the request)", first_use, None))
    rows.append(row(f"kg.derive() at build, synthetic {SYNTHETIC:,} nodes (projection + grouped layout, stored)", derive, None))
    notes.append("in-process requests through the whole app (fastapi TestClient): routing, service, views, template, gzip; no network")
    notes.append(f"load average at the end of the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (other work on the machine "
                 "slows every row alike; the ratios to /v1/health compare like with like)")
    notes.append(f"cold = the first request of a freshly created app (median of {COLD_STARTS}) over a store whose layout `lermap build` stored; "
                 "the grouped layout (linear, no force simulation) replaced the spring layout that took 24.7 s for 5,000 nodes")
    notes.append(f"warm = median of {REPEAT} requests after one; ratios against /v1/health warm in the same run; targets reported, not asserted")
    return {"title": "Pages: /map cold and warm, and every page warm (issue 20)",
            "columns": ["request", "ms", "x /v1/health", "target"], "rows": rows, "notes": notes}


if __name__ == "__main__":
    main()
