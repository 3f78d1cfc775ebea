"""Benchmark: lermap's OB 3.0 ingest rate against pyoxigraph parsing the same JSON-LD alone.

Generates 1,000 OpenBadgeCredentials from the conformance examples (ids, names and alignments varied),
then measures in one run:

* lermap — parse + context check + privacy scrub + map + write into an in-memory store: the ob3 ingester
  writing straight into a pyoxigraph store, and the public API (``KnowledgeGraph.ingest_bytes``: one named
  graph per credential, committed with its provenance and catalogue entry);
* pyoxigraph — ``pyoxigraph.parse`` of the same documents as JSON-LD to quads, contexts inlined beforehand
  (pyoxigraph cannot fetch them), nothing else.

Prints both rates and their ratio (target: lermap >= 0.5x pyoxigraph). Not a timed test.

    .venv/bin/python bench/bench_ob3.py [N]
"""

from __future__ import annotations

import copy
import json
import sys
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox

CONFORMANCE = Path(__file__).resolve().parents[1].parent / "shared" / "conformance" / "ob3"
TEMPLATES = [
    "obspec-fullOpenBadge-01-Complete-OpenBadgeCredential.json",
    "obspec-achievementAlignmentCe-01-Achievement-alignment-Credential-Engine.json",
    "obspec-achievementAlignmentCase-01-Achievement-alignment-CASE.json",
    "obspec-skillAssertionCtdl-01-Skill-Assertion-Credential-Registry.json",
    "dvalidator-simple.json",
]
BUDGET_S = 240


def generate(n: int) -> list[dict[str, Any]]:
    """``n`` credentials varied from the templates: new credential/achievement ids, names and alignments."""
    templates = [json.loads((CONFORMANCE / name).read_text("utf-8")) for name in TEMPLATES]
    docs = []
    for i in range(n):
        doc = copy.deepcopy(templates[i % len(templates)])
        doc["id"] = f"https://bench.test/credentials/{i}"
        doc["name"] = f"Benchmark badge {i}"
        subject = doc["credentialSubject"]
        subject["id"] = f"did:example:learner-{i}"
        achievement = subject.get("achievement")
        if isinstance(achievement, dict):
            achievement["id"] = f"https://bench.test/achievements/{i % 250}"
            achievement["name"] = f"Skill {i % 250}"
            achievement["alignment"] = [
                {"type": ["Alignment"], "targetName": f"Competency {i % 97}", "targetFramework": "Bench Framework",
                 "targetUrl": f"https://case.test/uri/{i % 97}", "targetType": "CFItem"},
                {"type": ["Alignment"], "targetName": f"CTDL {i % 31}", "targetType": "ceterms:Credential",
                 "targetCode": f"ce-{i % 31:08d}-0000-4000-8000-000000000000",
                 "targetUrl": f"https://credentialfinder.org/credential/{i % 31}"},
            ]
        docs.append(doc)
    return docs


def bench_lermap(payloads: list[bytes]) -> float:
    import lermap

    kg = lermap.open_graph("memory:")
    start = time.perf_counter()
    for i, data in enumerate(payloads):
        kg.ingest_bytes(f"bench:{i}.json", data, format="ob3")
    elapsed = time.perf_counter() - start
    kg.close()
    return len(payloads) / elapsed


def bench_ingester(payloads: list[bytes]) -> float:
    """The ob3 ingester's parse + map, written straight into one pyoxigraph store (no per-source catalogue)."""
    from lermap.ingest import registry
    from lermap.ingest.base import IngestContext, Source

    ingester = registry.get("ob3")
    store = ox.Store()
    graph = ox.NamedNode("https://bench.test/graph")
    start = time.perf_counter()
    for i, data in enumerate(payloads):
        source = Source.from_bytes(f"bench:{i}.json", data)
        store.bulk_extend(ox.Quad(s, p, o, graph) for s, p, o in ingester.run(source, IngestContext(source)))
    elapsed = time.perf_counter() - start
    return len(payloads) / elapsed


def bench_pyoxigraph(inlined: list[str]) -> float:
    start = time.perf_counter()
    for text in inlined:
        list(ox.parse(text, format=ox.RdfFormat.JSON_LD))
    elapsed = time.perf_counter() - start
    return len(inlined) / elapsed


def main(n: int = 1000) -> dict[str, Any]:
    """``n`` credentials (``python bench/bench_ob3.py 5000``); under ``python -m bench.run`` the default."""
    from lermap.graph.jsonld import inline_contexts

    docs = generate(n)
    payloads = [json.dumps(d).encode("utf-8") for d in docs]
    inlined = [json.dumps(inline_contexts(d, "bench")) for d in docs]  # not timed: pyoxigraph cannot fetch
    bench_lermap(payloads[:20])  # warm-up: context files read and cached once
    oxi = bench_pyoxigraph(inlined)
    ing = bench_ingester(payloads)
    ler = bench_lermap(payloads)
    rows = [["pyoxigraph alone: JSON-LD -> quads (reference)", round(oxi), "1.00x"],
            ["lermap ob3 ingester -> store (parse + map + write)", round(ing), f"{ing / oxi:.2f}x"],
            ["lermap public API (+ a graph per source, the catalogue)", round(ler), f"{ler / oxi:.2f}x"]]
    print(f"{'OB 3.0 credentials':<58}{n:>8,}")
    for name, rate, ratio in rows:
        print(f"{name:<58}{rate:>8,} docs/s {ratio:>7}")
    print("target: lermap >= 0.50x pyoxigraph")
    return {"title": f"Open Badges 3.0: {n:,} credentials ingested", "columns": ["run", "docs/s", "vs pyoxigraph"], "rows": rows,
            "notes": ["credentials varied from the conformance examples (ids, names, alignments); contexts inlined beforehand "
                      "for pyoxigraph, which cannot fetch them; target: lermap >= 0.50x pyoxigraph"]}


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
