"""Flattened JSON-LD (every node at the top, linked by ``@id``) back into the node trees publishers write."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import Any

# -- embedding a flattened node map ---------------------------------------------------------------------------------


def _references(value: Any) -> Iterator[dict[str, Any]]:
    """The node references ``{"@id": ...}`` among a property's values (lists included)."""
    for v in value if isinstance(value, list) else [value]:
        if isinstance(v, dict):
            if set(v) == {"@id"}:
                yield v
            elif "@list" in v:
                yield from _references(v["@list"])


def _links(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The node references among all of a node's property values."""
    for k, v in node.items():
        if k not in ("@id", "@type", "@graph"):
            yield from _references(v)


def _depths(start: str, edges: dict[str, list[str]], allowed: set[str]) -> dict[str, int]:
    depth = {start: 0}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        for nxt in edges[current]:
            if nxt in allowed and nxt not in depth:
                depth[nxt] = depth[current] + 1
                queue.append(nxt)
    return depth


def _roots(order: list[str], edges: dict[str, list[str]], unplaced: set[str]) -> list[str]:
    """The next roots: the unplaced nodes no other unplaced node references; when every one is referenced (a
    cycle: a credential and the endorsement whose subject it is), the node that reaches the most of them in the
    shallowest tree, as the document that was flattened had it."""
    referenced = {t for i in unplaced for t in edges[i] if t != i and t in unplaced}
    free = [i for i in order if i in unplaced and i not in referenced]
    if free:
        return free
    def score(i: str) -> tuple[int, int]:
        depth = _depths(i, edges, unplaced)
        return len(depth), -sum(depth.values())
    return [max((i for i in order if i in unplaced), key=score)]


def _graph_refs(nodes: list[Any]) -> set[str]:
    """Ids referenced from inside the named graphs among ``nodes`` (at any depth)."""
    found: set[str] = set()
    stack = [n["@graph"] for n in nodes if isinstance(n, dict) and isinstance(n.get("@graph"), list)]
    while stack:
        for node in stack.pop():
            if isinstance(node, dict):
                found.update(r["@id"] for r in _links(node))
                if isinstance(node.get("@graph"), list):
                    stack.append(node["@graph"])
    return found


def embed(nodes: list[dict[str, Any]], pool: dict[str, dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Flattened node objects (expanded) as trees, the way publishers write them: each node embedded whole at its
    first reference in breadth-first order from the roots (see :func:`_roots`); every other reference to it (a
    second mention, a link back to an ancestor or to itself) gets the node's own values without its links, so a
    reader finds the issuer's name wherever the issuer is named. Nothing is copied twice in full, so a crafted
    graph cannot blow up. Named graphs (``@graph``) are embedded within; flattening lists every named graph at the
    top, so one referred to from inside another graph (the proof of a credential inside a presentation) goes back
    there. Returns the roots."""
    if pool is None:
        pool = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str) and set(n) == {"@id", "@graph"}}
        inside = _graph_refs(nodes) & set(pool)
        nodes = [n for n in nodes if n.get("@id") not in inside]
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    order = [n["@id"] for n in nodes if isinstance(n.get("@id"), str)]
    for n in nodes:  # named graphs this scope refers to, embedded here rather than at the top
        for ref in _links(n):
            if ref["@id"] in pool and ref["@id"] not in by_id:
                by_id[ref["@id"]] = pool[ref["@id"]]
    edges = {i: [r["@id"] for r in _links(n) if r["@id"] in by_id and r["@id"] != i] for i, n in by_id.items()}
    counts: dict[str, int] = {}
    for targets in edges.values():
        for t in targets:
            counts[t] = counts.get(t, 0) + 1
    home: dict[str, tuple[str, str, int]] = {}  # node -> (referrer, property, position) where it is embedded whole
    roots: list[str] = []
    seen: set[str] = set()
    while set(order) - seen:
        level = [i for i in _roots(order, edges, set(order) - seen) if i not in seen]
        roots.extend(level)
        seen.update(level)
        queue = deque(level)
        while queue:
            current = queue.popleft()
            for key, value in by_id[current].items():
                if key in ("@id", "@type", "@graph") or not isinstance(value, list):
                    continue
                for pos, item in enumerate(value):
                    for ref in _references(item):
                        target = ref["@id"]
                        if target in by_id and target not in seen:
                            seen.add(target)
                            home[target] = (current, key, pos)
                            queue.append(target)

    def leaf(ident: str) -> dict[str, Any]:
        return {k: v for k, v in by_id[ident].items()
                if k in ("@id", "@type") or (k != "@graph" and not any(True for _ in _references(v)))}

    def place(item: Any, owner: str, key: str, pos: int) -> Any:
        if isinstance(item, dict) and isinstance(item.get("@list"), list):
            return {**item, "@list": [place(x, owner, key, pos) for x in item["@list"]]}
        if not (isinstance(item, dict) and set(item) == {"@id"} and item["@id"] in by_id):
            return item
        target = item["@id"]
        return build(target) if home.get(target) == (owner, key, pos) else leaf(target)

    def build(ident: str) -> dict[str, Any]:
        node: dict[str, Any] = {}
        for k, v in by_id[ident].items():
            if k == "@graph" and isinstance(v, list):
                node[k] = embed(v, pool)
            elif k in ("@id", "@type") or not isinstance(v, list):
                node[k] = v
            else:
                node[k] = [place(item, ident, k, pos) for pos, item in enumerate(v)]
        return node

    out = [build(i) for i in roots] + [n for n in nodes if not isinstance(n.get("@id"), str)]
    for root in out:
        _drop_link_labels(root, counts)
    return out


def _drop_link_labels(node: Any, counts: dict[str, int]) -> None:
    """Remove blank-node labels that only linked a node to its one referrer (a compacted tree has none)."""
    if isinstance(node, list):
        for v in node:
            _drop_link_labels(v, counts)
    elif isinstance(node, dict):
        ident = node.get("@id")
        if isinstance(ident, str) and ident.startswith("_:") and counts.get(ident, 0) <= 1 and len(node) > 1:
            del node["@id"]
        for k, v in node.items():
            if k not in ("@id", "@type", "@value"):
                _drop_link_labels(v, counts)
