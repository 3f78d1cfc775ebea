"""Helpers shared by the learner-side credential tests (ob3, clr2, vc, vc-jwt, baked)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph
import rdflib

from lermap.graph.terms import to_rdflib_graph
from lermap.ingest.pipeline import IngestReport

LERMAP_NS = "https://w3id.org/lermap/vocab#"
DATA = Path(__file__).resolve().parents[2] / "data"


def graph_of(kg: Any, report: IngestReport) -> rdflib.Graph:
    """The triples of one ingested source as an rdflib graph (graph names dropped)."""
    quads = pyoxigraph.parse(kg.export("nquads", graph=report.graph), format=pyoxigraph.RdfFormat.N_QUADS)
    return to_rdflib_graph(quads)


def expected_graph(path: Path) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(path, format="turtle")
    return g


def entity_counts(kg: Any, report: IngestReport) -> dict[str, int]:
    """The report's core counts plus endorsements and CLR associations, counted in the stored graph."""
    g = graph_of(kg, report)
    counts = {k: v for k, v in report.counts.items() if k in {"organization", "credential", "assertion", "alignment"}}
    counts["endorsement"] = len(set(g.subjects(rdflib.RDF.type, rdflib.URIRef(LERMAP_NS + "Endorsement"))))
    counts["association"] = len(set(g.subjects(rdflib.URIRef(LERMAP_NS + "associationType"), None)))
    return counts


def positives(conformance: Path, folder: str, *patterns: str) -> list[Path]:
    """The positive documents of a conformance folder (everything outside negative/)."""
    root = conformance / folder
    found = {p for pat in patterns for p in root.glob(pat) if p.is_file()}
    return sorted(p for p in found if "negative" not in p.relative_to(root).parts)
