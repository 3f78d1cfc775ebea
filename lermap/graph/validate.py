"""SHACL validation of the store's core view with pyshacl (``lermap validate``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import rdflib

from lermap.graph.store import GraphStore
from lermap.graph.terms import to_rdflib


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[dict[str, str]] = field(default_factory=list)
    shapes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"conforms": self.conforms, "violations": self.violations, "shapes": self.shapes}

    def summary(self) -> str:
        if self.conforms:
            return f"conforms ({len(self.shapes)} shape files)"
        lines = [f"{len(self.violations)} violation(s):"]
        lines += [f"  {v['focus']} {v['path']}: {v['message']}" for v in self.violations[:50]]
        if len(self.violations) > 50:
            lines.append(f"  ... and {len(self.violations) - 50} more")
        return "\n".join(lines)


def shapes_graph() -> tuple[rdflib.Graph, list[str]]:
    """Every shipped shape file merged into one graph, and their names."""
    g = rdflib.Graph()
    names = []
    for entry in sorted((resources.files("lermap.graph") / "shapes").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".ttl"):
            g.parse(data=entry.read_text("utf-8"), format="turtle")
            names.append(entry.name)
    return g, names


def validate_graph(data: rdflib.Graph) -> ValidationReport:
    """Validate an rdflib graph against the shipped shapes."""
    import pyshacl

    shapes, names = shapes_graph()
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    violations = []
    for r in results.subjects(rdflib.RDF.type, sh.ValidationResult):
        violations.append(
            {
                "focus": str(results.value(r, sh.focusNode)),
                "path": str(results.value(r, sh.resultPath) or ""),
                "message": str(results.value(r, sh.resultMessage) or ""),
                "severity": str(results.value(r, sh.resultSeverity) or "").rsplit("#", 1)[-1],
            }
        )
    return ValidationReport(bool(conforms), sorted(violations, key=lambda v: (v["focus"], v["path"])), names)


def validate_store(store: GraphStore) -> ValidationReport:
    """Validate every shared graph of the store together (the core view spans sources)."""
    data = rdflib.Graph()
    for g in store.visible_graphs():
        for t in store.graph_triples(g.value):
            data.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
    return validate_graph(data)
