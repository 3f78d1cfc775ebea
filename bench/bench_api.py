"""API latency under load, and the time to build the ``/map`` figure for a large ecosystem.

**Latency.** Copies the default graph with the examples (bench/common.py builds it from ``data/`` as ``lermap build``
does and keeps it under ``.lermap/``), starts
``lermap serve`` on a free loopback port and, one after the other, drives each of three endpoints with
``CLIENTS`` threads (httpx, one connection each) for ``SECONDS`` s, measuring requests/s, p50 and p99:

* (a) ``GET /v1/competencies/{id}/alignments``, cycling over every competency that has alignments;
* (b) ``GET /sparql`` with a typical query (a SELECT with a FILTER and LIMIT 50);
* (c) ``GET /v1/health``, the trivial endpoint of the same app: the reference;
* (d) ``GET /static/favicon.svg``, the floor of the HTTP stack (no graph access, no ETag): (c) is not free, it
  queries the catalogue on every call and, like every /v1 read, gets an ETag.

Reports p99(a)/p99(c) and p99(b)/p99(c) against the target <= 3x (reported, not asserted), and the same against (d).
The load generator shares the machine's cores with the server: absolute numbers are a floor, ratios compare like with like.

**Map build.** A synthetic ecosystem of 2,000 nodes (and 5,000 with ``--full``) (organisations, standards and their versions,
tools, stakeholder types, with typed and sourced relations in the lermap vocabulary, ~2.5 relations a node)
is written to a fresh store; each is timed: the graph projection (``ecosystem.ecosystem_graph``) and the force
layout (``ecosystem.layout``) alone, ``kg.derive()`` (both, stored in the store, as ``lermap build`` does), then the
``/map`` page through the service and the views on a fresh graph object (a restarted server: the stored product is
read back), and again warm. Reference: the default map of ``data/``.

    .venv/bin/python bench/run.py api
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import default_graph, full_sizes  # noqa: E402
from bench.soak import _percentile  # noqa: E402
from tests.servers import free_port, wait_until_up  # noqa: E402

CLIENTS = 32
SECONDS = 15.0
TARGET = 3.0
MAP_SIZES = (2000,)  # `make bench`; --full adds 5,000 nodes
FULL_MAP_SIZES = (2000, 5000)
BUDGET_S = 300
SPARQL = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?s ?label WHERE { ?s skos:prefLabel ?label "
          'FILTER(CONTAINS(LCASE(STR(?label)), "data")) } ORDER BY ?label LIMIT 50')
COMPETENCY = "https://purl.org/ctdlasn/terms/Competency"


@contextmanager
def serve(store: str, log: Path) -> Iterator[str]:
    """``lermap serve`` on a free loopback port (as bench/soak.py starts it); yields the base URL."""
    port = free_port()
    with log.open("wb") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "lermap.cli", "serve", "--port", str(port), "--store", store],
                                stdout=fh, stderr=subprocess.STDOUT, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/v1/health", proc, 60)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def load(base: str, paths: list[str], clients: int = CLIENTS, seconds: float = SECONDS) -> dict[str, float]:
    """``clients`` threads, each with its own connection, GET ``paths`` in turn for ``seconds``: rate and latency."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    with httpx.Client(base_url=base, timeout=30.0) as http:  # warm: caches, connections, the alignment projection
        for path in paths[:20]:
            http.get(path).raise_for_status()
    stop = time.monotonic() + seconds

    def client(n: int) -> None:
        mine: list[float] = []
        bad: list[str] = []
        with httpx.Client(base_url=base, timeout=30.0) as http:
            i = n
            while time.monotonic() < stop:
                started = time.perf_counter()
                try:
                    r = http.get(paths[i % len(paths)])
                    if r.status_code != 200:
                        bad.append(f"HTTP {r.status_code}")
                except httpx.HTTPError as exc:
                    bad.append(type(exc).__name__)
                mine.append(time.perf_counter() - started)
                i += 1
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return {"requests": len(latencies), "errors": len(errors), "rate": len(latencies) / elapsed,
            "p50_ms": _percentile(latencies, 0.5) * 1000, "p99_ms": _percentile(latencies, 0.99) * 1000}


def synthetic_ecosystem(n: int, seed: int = 7) -> list[ox.Triple]:
    """An ecosystem of ``n`` nodes in the directory's shape: kinds, labels, regions, roles, typed sourced relations."""
    from lermap.graph.vocab import DCTERMS, LERMAP, LERMAP_ID_BASE, RDF, SCHEMA, SKOS

    rng = random.Random(seed)
    base = LERMAP_ID_BASE + "bench/"
    roles = [ox.NamedNode(f"{base}stakeholder/{i}") for i in range(10)]
    rest = n - len(roles)
    n_std, n_ver, n_tool = rest * 15 // 100, rest * 15 // 100, rest * 25 // 100
    orgs = [ox.NamedNode(f"{base}org/{i}") for i in range(rest - n_std - n_ver - n_tool)]
    stds = [ox.NamedNode(f"{base}standard/{i}") for i in range(n_std)]
    vers = [ox.NamedNode(f"{base}standard/{i % n_std}/v{i}") for i in range(n_ver)]
    tools = [ox.NamedNode(f"{base}tool/{i}") for i in range(n_tool)]
    regions = [ox.Literal(r) for r in ("North America", "Europe", "Asia", "Africa", "Oceania", "Global")]
    out: list[ox.Triple] = []

    def node(iri: ox.NamedNode, cls: ox.NamedNode, label: str) -> None:
        out.extend([ox.Triple(iri, RDF.type, cls), ox.Triple(iri, SKOS.prefLabel, ox.Literal(label))])

    def relate(s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode) -> None:  # direct triple + sourced statement
        stmt = ox.NamedNode(f"{base}relation/{len(out)}")
        out.extend([ox.Triple(s, p, o), ox.Triple(stmt, RDF.type, RDF.Statement), ox.Triple(stmt, RDF.subject, s),
                    ox.Triple(stmt, RDF.predicate, p), ox.Triple(stmt, RDF.object, o),
                    ox.Triple(stmt, LERMAP.relationSource, ox.NamedNode(f"https://example.org/source/{len(out) % 97}"))])

    for i, o in enumerate(orgs):
        node(o, SCHEMA.Organization, f"Organisation {i}")
        out.append(ox.Triple(o, LERMAP.region, rng.choice(regions)))
        for role in rng.sample(roles, rng.randint(1, 2)):
            out.append(ox.Triple(o, LERMAP.stakeholderRole, role))
        relate(o, rng.choice([LERMAP.implements, LERMAP.supports, LERMAP.issuesCredentials]), rng.choice(stds + vers))
        if rng.random() < 0.3:
            relate(o, rng.choice([LERMAP.memberOf, LERMAP.partnerWith, LERMAP.convenes]), rng.choice(orgs))
    for i, s in enumerate(stds):
        node(s, LERMAP.Standard, f"Standard {i}")
        relate(rng.choice(orgs), rng.choice([LERMAP.develops, LERMAP.maintains]), s)
    for i, v in enumerate(vers):
        node(v, LERMAP.StandardVersion, f"Standard {i % n_std} version {i}")
        relate(v, DCTERMS.isVersionOf, stds[i % n_std])
    for i, t in enumerate(tools):
        node(t, LERMAP.Tool, f"Tool {i}")
        out.append(ox.Triple(t, LERMAP.stakeholderRole, roles[0]))
        relate(t, SCHEMA.provider, rng.choice(orgs))
        for std in rng.sample(stds + vers, rng.randint(1, 2)):
            relate(t, rng.choice([LERMAP.implements, LERMAP.certifiedFor, LERMAP.usesFramework]), std)
    return out


def time_map(selector: str) -> dict[str, float]:
    """Timings (s) of the /map pieces on the store at ``selector``, each on a fresh graph object: the projection and
    the layout alone; ``kg.derive()`` (what ``lermap build`` runs: both, written to the store); the first /map page of
    a fresh server (the stored product read back, filtered, drawn and rendered) and the next one (warm)."""
    import lermap
    from lermap.analysis import ecosystem
    from lermap.views.pages.map import map_page
    from lermap.views.render import render_page

    def render(kg: Any) -> str:
        return render_page(map_page(kg.map_view()), path="/map")

    with lermap.open_graph(selector) as kg:
        t = time.perf_counter()
        g = ecosystem.ecosystem_graph(kg)
        projection = time.perf_counter() - t
        t = time.perf_counter()
        ecosystem.layout(g)
        layout = time.perf_counter() - t
    with lermap.open_graph(selector) as kg:
        t = time.perf_counter()
        kg.store.replace_side_graph(ox.NamedNode("https://w3id.org/lermap/derived/ecosystem-map"), [])  # as if never derived
        kg.derive()
        derive = time.perf_counter() - t
    with lermap.open_graph(selector) as kg:  # a restarted server: nothing in memory, the product in the store
        t = time.perf_counter()
        html = render(kg)
        cold = time.perf_counter() - t
        t = time.perf_counter()
        render(kg)
        warm = time.perf_counter() - t
    assert 'id="summary"' in html
    return {"nodes": g.number_of_nodes(), "edges": g.number_of_edges(), "projection": projection, "layout": layout,
            "derive": derive, "cold": cold, "warm": warm}


def main() -> dict[str, Any]:
    import lermap

    rows: list[list[Any]] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        selector = default_graph(tmp, with_examples=True)  # the examples' framework gives competencies with alignments
        with lermap.open_graph(selector) as kg:
            ids = {i for m in kg.alignments().mappings for i in (m.subject_id, m.object_id)}
            competencies = sorted(ids & {str(c) for c in kg.sparql(f"SELECT ?c WHERE {{ ?c a <{COMPETENCY}> }}")["c"]})
        assert competencies, "no competency with alignments in data/"
        scenarios = {
            "(a) competency alignments": [f"/v1/competencies/{c}/alignments" for c in competencies],
            "(b) /sparql SELECT FILTER LIMIT 50": ["/sparql?query=" + quote(SPARQL)],
            "(c) /v1/health (reference)": ["/v1/health"],
            "(d) static file (HTTP floor)": ["/static/favicon.svg"],
        }
        results: dict[str, dict[str, float]] = {}
        with serve(selector, tmp / "server.log") as base:
            for name, paths in scenarios.items():
                results[name] = load(base, paths)
                r = results[name]
                print(f"{name}: {r['requests']:,.0f} requests ({r['rate']:,.0f}/s), {r['errors']:.0f} errors, "
                      f"p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms", flush=True)
        ref = results["(c) /v1/health (reference)"]["p99_ms"]
        floor = results["(d) static file (HTTP floor)"]["p99_ms"]
        for name, r in results.items():
            ratio = r["p99_ms"] / ref
            verdict = "" if name[1] in "cd" else (" (meets <= 3x)" if ratio <= TARGET else " (over 3x)")
            rows.append([name, f"{CLIENTS} x {SECONDS:.0f} s", round(r["requests"]), round(r["errors"]), round(r["rate"], 1),
                         round(r["p50_ms"], 1), round(r["p99_ms"], 1), f"{ratio:.2f}x{verdict}"])
        notes.append(f"(a) cycles over the {len(competencies)} competencies of data/ that have alignments; (b) is `{SPARQL}`")
        notes.append(f"p99 ratios against /v1/health: (a) {results['(a) competency alignments']['p99_ms'] / ref:.2f}x, "
                     f"(b) {results['(b) /sparql SELECT FILTER LIMIT 50']['p99_ms'] / ref:.2f}x (target <= {TARGET:g}x, reported, not asserted); "
                     f"against the static-file floor: (a) {results['(a) competency alignments']['p99_ms'] / floor:.2f}x, "
                     f"(b) {results['(b) /sparql SELECT FILTER LIMIT 50']['p99_ms'] / floor:.2f}x, (c) {ref / floor:.2f}x")
        notes.append("one `lermap serve` process (uvicorn, one worker) and the load generator share the machine's cores")

        maps: list[tuple[str, dict[str, float]]] = [("data/ (reference)", time_map(selector))]
        for size in FULL_MAP_SIZES if full_sizes() else MAP_SIZES:
            store = f"oxigraph:{tmp / f'eco-{size}'}"
            with lermap.open_graph(store) as kg:
                kg.ingest_bytes(f"ecosystem-{size}.nt", ox.serialize(synthetic_ecosystem(size), format=ox.RdfFormat.N_TRIPLES) or b"",
                                format="rdf")
            maps.append((f"synthetic {size:,}", time_map(store)))
            print(f"map {size:,}: {maps[-1][1]}", flush=True)
    ref_map = maps[0][1]["cold"]
    map_rows = [[f"/map build: {name}", f"{int(m['nodes']):,} nodes, {int(m['edges']):,} relations", "", "", "",
                 "", "", f"projection {m['projection']:.2f} s, layout {m['layout']:.2f} s, derive (at build) {m['derive']:.2f} s; "
                 f"first /map after a restart {m['cold']:.2f} s ({m['cold'] / ref_map:.1f}x the data/ map), warm {m['warm']:.2f} s"]
                for name, m in maps]
    notes.append("map rows: seconds, each on a fresh graph object; `lermap build` runs kg.derive() (projection + layout, stored in the "
                 "store), so the first /map of a restarted server reads the stored product: no layout per request")
    return {
        "title": f"API latency at {CLIENTS} clients, and /map build time",
        "columns": ["measure", "load", "requests", "errors", "req/s", "p50 ms", "p99 ms", "p99 / health p99, or map timings"],
        "rows": rows + map_rows,
        "notes": notes,
    }


if __name__ == "__main__":
    main()
