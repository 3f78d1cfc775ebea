"""The SHACL shapes of ``lermap/graph/shapes/*.ttl`` as readable tables, read with rdflib at build time."""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, SH, Graph, Literal, Node, URIRef
from rdflib.collection import Collection

import lermap.graph
from markdown_text import cell, code, text

SHAPES_DIR = Path(lermap.graph.__file__).parent / "shapes"


def shapes_markdown(folder: Path = SHAPES_DIR) -> str:
    """One section per shapes file, one table per node shape, in the order the file declares them."""
    lines = [
        "# SHACL shapes",
        "",
        "The rules `lermap validate` (and `KnowledgeGraph.validate()`) checks the core view against, read from the shape "
        "files in `lermap/graph/shapes/` when this site is built. Every rule below is a SHACL violation when broken.",
        "",
    ]
    prefixes: dict[str, str] = {}
    for path in sorted(folder.glob("*.ttl")):
        source = path.read_text(encoding="utf-8")
        graph = Graph().parse(data=source, format="turtle")
        prefixes.update({p: str(ns) for p, ns in graph.namespace_manager.namespaces() if f"@prefix {p}:" in source})
        lines += [f"## `{path.name}`", ""]
        intro = _leading_comment(source)
        if intro:
            lines += [text(intro), ""]
        shapes = sorted(graph.subjects(RDF.type, SH.NodeShape), key=lambda s: _position(source, graph, s))
        for shape in shapes:
            lines += _shape(source, graph, shape)
    lines += ["## Prefixes", "", "| prefix | namespace |", "|---|---|"]
    lines += [f"| `{p}:` | `{ns}` |" for p, ns in sorted(prefixes.items())]
    return "\n".join(lines) + "\n"


def _leading_comment(source: str) -> str:
    """The comment block after the prefixes: each file's own explanation of what it checks."""
    block: list[str] = []
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            block.append(stripped.lstrip("#").strip())
        elif stripped and not stripped.startswith("@prefix"):
            break
    return " ".join(block)


def _position(source: str, graph: Graph, node: Node) -> tuple[int, str]:
    name = _name(graph, node)
    index = source.find(name if name.startswith("<") else f"{name} ")
    return (index if index >= 0 else len(source), name)


def _name(graph: Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        return graph.namespace_manager.normalizeUri(node)
    if isinstance(node, Literal):
        return f'"{node}"' if node.datatype is None else str(node)
    return node.n3()


def _shape(source: str, graph: Graph, shape: Node) -> list[str]:
    name = _name(graph, shape)
    lines = [f"### {code(name)}", ""]
    targets = [f"every {code(_name(graph, c))}" for c in graph.objects(shape, SH.targetClass)]
    targets += [f"every subject of {code(_name(graph, p))}" for p in graph.objects(shape, SH.targetSubjectsOf)]
    targets += [f"every object of {code(_name(graph, p))}" for p in graph.objects(shape, SH.targetObjectsOf)]
    targets += [code(_name(graph, n)) for n in graph.objects(shape, SH.targetNode)]
    if targets:
        lines += ["Applies to " + ", ".join(sorted(targets)) + ".", ""]
    alternatives = list(graph.objects(shape, SH["or"]))
    for alternative in alternatives:
        options = [" and ".join(_values(graph, member)) for member in Collection(graph, alternative)]
        lines += ["Each must be " + " or ".join(options) + ".", ""]
    for message in graph.objects(shape, SH.message):
        lines += [f"Message: {text(str(message))}", ""]
    start = _position(source, graph, shape)[0]
    properties = sorted(graph.objects(shape, SH.property), key=lambda p: _path_position(source, graph, p, start))
    if properties:
        lines += ["| property | how many | values | message |", "|---|---|---|---|"]
        for prop in properties:
            path = graph.value(prop, SH.path)
            lines.append(f"| {code(_name(graph, path)) if path is not None else ''} | {_count(graph, prop)} "
                         f"| {'; '.join(_values(graph, prop))} | {cell(str(graph.value(prop, SH.message) or ''))} |")
        lines.append("")
    return lines


def _path_position(source: str, graph: Graph, prop: Node, start: int) -> tuple[int, str]:
    """Property shapes are blank nodes: order them by where their path first appears after their shape's name."""
    path = graph.value(prop, SH.path)
    name = _name(graph, path) if path is not None else ""
    index = source.find(f"sh:path {name}", start)
    return (index if index >= 0 else len(source), name)


def _count(graph: Graph, prop: Node) -> str:
    low, high = graph.value(prop, SH.minCount), graph.value(prop, SH.maxCount)
    lo = int(low.toPython()) if isinstance(low, Literal) else 0
    hi = int(high.toPython()) if isinstance(high, Literal) else None
    if hi is not None and lo == hi:
        return f"exactly {lo}"
    if hi is not None:
        return f"at most {hi}" if lo == 0 else f"{lo} to {hi}"
    return f"at least {lo}" if lo else "any"


def _values(graph: Graph, node: Node) -> list[str]:
    found = []
    kind = graph.value(node, SH.nodeKind)
    if kind is not None:
        kinds: dict[Node, str] = {SH.IRI: "an IRI", SH.Literal: "a literal", SH.BlankNode: "a blank node"}
        found.append(kinds.get(kind, code(_name(graph, kind))))
    for datatype in graph.objects(node, SH.datatype):
        found.append("a " + code(_name(graph, datatype)))
    for klass in graph.objects(node, SH["class"]):
        found.append("a " + code(_name(graph, klass)))
    for values in graph.objects(node, SH["in"]):
        found.append("one of " + ", ".join(code(_name(graph, v)) for v in Collection(graph, values)))
    for pattern in graph.objects(node, SH.pattern):
        found.append("matching " + code(str(pattern)))
    low, high = graph.value(node, SH.minInclusive), graph.value(node, SH.maxInclusive)
    if low is not None and high is not None:
        found.append(f"from {low} to {high}")
    elif low is not None:
        found.append(f"at least {low}")
    elif high is not None:
        found.append(f"at most {high}")
    return found
