"""The three forms of a JSON-LD document, and the one step that turns any of them into the compacted tree a
reader expects.

JSON-LD has three equivalent document forms: *compacted* (terms from a ``@context``, nodes embedded in each
other), *expanded* (full IRIs, every value an array, ``[{"@value": ...}]``, no context) and *flattened* (every
node at the top level, linked by ``@id``); each may be a single object or a top-level array, with or without
``@graph``. The ingesters' readers are written for the compacted tree the standard publishes, so
:func:`compact_tree` brings the other forms to it:

1. expand (offline, contexts checked by :mod:`lermap.graph.jsonld`);
2. when several nodes sit at the top level, embed each node under its first reference in breadth-first order from
   the node nobody references (framing's ``@embed: @once``, shallowest first), and drop the blank-node labels that
   only served the links;
3. compact against the contexts the standard's documents carry, chosen by :func:`contexts_for` from the IRIs the
   document uses, and give the result the contexts' URLs, as a published document has.

Expansion and compaction preserve the RDF, so the native layer (the expanded triples) is the same whatever form
arrived; the core view is the same because the reader sees the tree it knows.
"""

from __future__ import annotations

import copy
import re
from collections import deque
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from lermap.graph.jsonld import ContextPolicy, ContextRegistry, inline_contexts
from lermap.graph.jsonld_errors import JsonLdFailure, invalid_jsonld, pyld_failure

_ABSOLUTE_IRI = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.\-]*://|urn:|did:|_:)")
# A group of contexts of which a document carries one (VC 1.1 or 2.0), or a single context URL.
Candidate = str | tuple[str, ...]


def _is_expanded_key(key: str) -> bool:
    return key.startswith("@") or bool(_ABSOLUTE_IRI.match(key))


def is_expanded(value: Any) -> bool:
    """True for JSON-LD in expanded (or expanded flattened) form: no ``@context`` and only keywords and absolute
    IRIs as keys of the top-level node objects (a ``@graph`` is looked into)."""
    nodes = top_nodes(value)
    if not nodes or any(not isinstance(n, dict) or "@context" in n for n in nodes):
        return False
    if isinstance(value, dict) and "@context" in value:
        return False
    keys = [k for n in nodes for k in n]
    return bool(keys) and all(_is_expanded_key(k) for k in keys) and any(not k.startswith("@") or k == "@type" for k in keys)


def top_nodes(value: Any) -> list[Any]:
    """The top-level node objects: the array's items, the ``@graph``'s, or the object itself."""
    items = value if isinstance(value, list) else [value]
    out: list[Any] = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("@graph"), list) and set(item) <= {"@graph", "@context", "@id"}:
            out.extend(item["@graph"])
        else:
            out.append(item)
    return out


def needs_compacting(value: Any) -> bool:
    """Whether a tree reader needs :func:`compact_tree` first: expanded or flattened input, a top-level array or
    a ``@graph`` (a lone compacted object is already what the reader expects)."""
    if isinstance(value, list):
        return bool(value) and all(isinstance(v, dict) for v in value)
    if not isinstance(value, dict):
        return False
    return "@graph" in value or is_expanded(value)


# -- which contexts -------------------------------------------------------------------------------------------------


def used_iris(expanded: Any) -> frozenset[str]:
    """Every property IRI and type IRI an expanded document uses."""
    found: set[str] = set()
    stack = [expanded]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            for k, v in node.items():
                if k == "@type":
                    found.update(t for t in (v if isinstance(v, list) else [v]) if isinstance(t, str))
                elif k != "@value":
                    if not k.startswith("@"):
                        found.add(k)
                    stack.append(v)
    return frozenset(found)


def _expand_term_iri(value: str, prefixes: dict[str, str]) -> str:
    prefix, sep, rest = value.partition(":")
    if sep and not rest.startswith("//") and prefix in prefixes:
        return prefixes[prefix] + rest
    return value


def _definitions(ctx: Any, prefixes: dict[str, str]) -> Iterator[str]:
    """The IRIs a (inlined) context value defines, scoped contexts included; a ``@vocab`` yields ``prefix*``."""
    for c in ctx if isinstance(ctx, list) else [ctx]:
        if not isinstance(c, dict):
            continue
        local = dict(prefixes)
        local.update({t: d for t, d in c.items() if isinstance(d, str) and d.endswith(("/", "#")) and ":" in d})
        if isinstance(c.get("@vocab"), str):
            yield c["@vocab"] + "*"
        for term, d in c.items():
            if term.startswith("@"):
                continue
            iri = d if isinstance(d, str) else d.get("@id", d.get("@reverse")) if isinstance(d, dict) else None
            if isinstance(iri, str) and not iri.startswith("@"):
                yield _expand_term_iri(iri, local)
            if isinstance(d, dict) and "@context" in d:
                yield from _definitions(d["@context"], local)


@lru_cache(maxsize=256)
def _defined(registry: ContextRegistry, url: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """(exact IRIs, namespace prefixes from ``@vocab``) that context ``url`` defines."""
    ctx = registry.resolve(url, "(compaction context)", "@context", policy=ContextPolicy())
    defs = set(_definitions(ctx, {}))
    return frozenset(d for d in defs if not d.endswith("*")), tuple(d[:-1] for d in defs if d.endswith("*"))


def _covers(registry: ContextRegistry, url: str, iris: frozenset[str]) -> frozenset[str]:
    exact, vocabs = _defined(registry, url)
    return frozenset(i for i in iris if i in exact or any(i.startswith(v) for v in vocabs))


def contexts_for(iris: frozenset[str], candidates: Sequence[Candidate], registry: ContextRegistry) -> list[str]:
    """The contexts, in ``candidates`` order, that a compacted document using ``iris`` carries: each one that
    defines an IRI no earlier one covers; of a group (VC 1.1 or 2.0) the member covering the most."""
    chosen: list[str] = []
    covered: frozenset[str] = frozenset()
    for candidate in candidates:
        group = candidate if isinstance(candidate, tuple) else (candidate,)
        best = max(group, key=lambda url: len(_covers(registry, url, iris - covered)))
        gain = _covers(registry, best, iris - covered)
        if gain:
            chosen.append(best)
            covered |= gain
    return chosen


# -- embedding a flattened node map ---------------------------------------------------------------------------------


def _references(value: Any) -> Iterator[dict[str, Any]]:
    """The node references ``{"@id": ...}`` among a property's values (lists included)."""
    for v in value if isinstance(value, list) else [value]:
        if isinstance(v, dict):
            if set(v) == {"@id"}:
                yield v
            elif "@list" in v:
                yield from _references(v["@list"])


def embed(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flattened node objects (expanded) as trees: each node embedded under its first reference in breadth-first
    order from the unreferenced nodes; returns the roots. Named graphs (``@graph``) are embedded within."""
    by_id = {n["@id"]: copy.deepcopy(n) for n in nodes if isinstance(n.get("@id"), str)}
    counts: dict[str, int] = {}
    for n in by_id.values():
        for k, v in n.items():
            if k not in ("@id", "@type", "@graph"):
                for ref in _references(v):
                    counts[ref["@id"]] = counts.get(ref["@id"], 0) + 1
    order = [n["@id"] for n in nodes if isinstance(n.get("@id"), str)]
    roots = [i for i in order if counts.get(i, 0) == 0] or order[:1]
    placed: set[str] = set(roots)
    queue = deque(by_id[i] for i in roots)
    while True:
        while queue:
            node = queue.popleft()
            if isinstance(node.get("@graph"), list):
                node["@graph"] = embed(node["@graph"])
            for k, v in node.items():
                if k in ("@id", "@type", "@graph"):
                    continue
                for ref in _references(v):
                    target = ref["@id"]
                    if target in by_id and target not in placed:
                        placed.add(target)
                        ref.update(by_id[target])
                        queue.append(ref)
        rest = [i for i in order if i not in placed]  # cycles nobody outside references
        if not rest:
            break
        roots.append(rest[0])
        placed.add(rest[0])
        queue.append(by_id[rest[0]])
    out = [by_id[i] for i in roots] + [n for n in nodes if not isinstance(n.get("@id"), str)]
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


# -- the step -------------------------------------------------------------------------------------------------------


def compact_tree(value: Any, source: str, candidates: Sequence[Candidate], registry: ContextRegistry,
                 policy: ContextPolicy | None = None, base_iri: str | None = None) -> Any:
    """``value`` (JSON-LD in any form) as one compacted tree, against the contexts of ``candidates`` the document
    needs; several unconnected nodes stay under ``@graph``. Contexts are checked as everywhere else."""
    from pyld import jsonld

    policy = policy or ContextPolicy()
    inlined = inline_contexts(value, source, registry, policy)
    options: dict[str, Any] = {"base": base_iri} if base_iri else {}
    try:
        expanded = jsonld.expand(inlined, options)
    except jsonld.JsonLdError as exc:
        raise _refusal(source, inlined, pyld_failure(exc), options) from None
    if not expanded:
        return value  # no node at all: the reader refuses the document's shape in its own words
    if len(expanded) > 1 or any("@graph" in n for n in expanded if isinstance(n, dict)):
        expanded = embed(jsonld.flatten(expanded, None, options))
    urls = contexts_for(used_iris(expanded), candidates, registry)
    context = [registry.resolve(u, source, "@context", policy=policy) for u in urls]
    try:
        out = jsonld.compact(expanded, {"@context": context}, {**options, "compactToRelative": False})
    except jsonld.JsonLdError as exc:
        raise _refusal(source, expanded, pyld_failure(exc), options) from None
    out["@context"] = urls if len(urls) != 1 else urls[0]
    return out


def _refusal(source: str, doc: Any, failure: JsonLdFailure, options: dict[str, Any]) -> Exception:
    from pyld import jsonld

    def parses(candidate: Any) -> bool:
        try:
            jsonld.expand(candidate, options)
        except jsonld.JsonLdError:
            return False
        return True

    return invalid_jsonld(source, doc, failure, parses, lambda rule, term: rule if term is None else f'{rule} (term "{term}")')
