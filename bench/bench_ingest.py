"""lermap's ingest of a >= 300k-triple Turtle file vs a raw pyoxigraph bulk load of the same file.

Target: lermap reaches >= 0.7x the raw rate. Each run is a fresh process with a fresh on-disk store.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path
from typing import Any

from bench.common import MEASUREMENT_COLUMNS, measure, rows, table

TRIPLES = 360_000
BUDGET_S = 150


def write_turtle(path: Path, triples: int = TRIPLES, seed: int = 7) -> None:
    """An ESCO-shaped Turtle file: competencies with labels, schemes and broader links."""
    rng = random.Random(seed)
    per_subject = 6
    with path.open("w") as fh:
        fh.write("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n@prefix ceasn: <https://purl.org/ctdlasn/terms/> .\n")
        fh.write("@prefix ex: <http://example.org/skill/> .\n")
        for i in range(triples // per_subject):
            fh.write(
                f'ex:s{i} a ceasn:Competency, skos:Concept ; skos:prefLabel "skill number {i}"@en ;\n'
                f'  skos:altLabel "alternative {rng.randrange(10**6)}"@en ; skos:inScheme ex:scheme ;\n'
                f"  skos:broader ex:s{rng.randrange(max(i, 1))} .\n"
            )


def run(triples: int = TRIPLES) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        ttl = Path(tmp) / "bench.ttl"
        write_turtle(ttl, triples)
        raw = measure(
            "pyoxigraph bulk_load",
            f"import pyoxigraph as ox\nst = ox.Store({str(Path(tmp) / 'raw')!r})\nt = time.perf_counter()\n"
            f"st.bulk_load(path={str(ttl)!r}, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode('http://example.org/g'))\n"
            "st.flush()\nelapsed = time.perf_counter() - t\n",
            triples,
        )
        ours = measure(
            "lermap ingest",
            f"import lermap\nkg = lermap.open_graph('oxigraph:' + {str(Path(tmp) / 'lermap')!r})\nt = time.perf_counter()\n"
            f"r = kg.ingest({str(ttl)!r}, format='rdf')\nkg.close()\nelapsed = time.perf_counter() - t\nassert r[0].triples == {triples}\n",
            triples,
        )
    print(f"\n## Ingest: {triples:,}-triple Turtle file (target: lermap >= 0.7x raw)\n")
    print(table([raw, ours], raw))
    return {"title": f"Ingest: a {triples:,}-triple Turtle file into an on-disk store", "columns": MEASUREMENT_COLUMNS,
            "rows": rows([raw, ours], raw),
            "notes": [f"lermap ingest / pyoxigraph bulk_load of the same file: {ours.rate / raw.rate:.2f}x (target >= 0.7x); "
                      "items are triples; each run a fresh process and a fresh store"]}


def main() -> dict[str, Any]:
    return run()


if __name__ == "__main__":
    main()
