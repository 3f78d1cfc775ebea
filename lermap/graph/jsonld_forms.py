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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rdflib.compare import isomorphic

from lermap.graph.jsonld import ContextPolicy, ContextRegistry, inline_contexts
from lermap.graph.jsonld_errors import JsonLdFailure, invalid_jsonld, pyld_failure

_ABSOLUTE_IRI = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.\-]*://|urn:|did:|_:)")


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

# How a document uses an IRI: ("type", iri, ""), ("node", iri, "") for a property whose values are nodes, or
# ("literal", iri, datatype) for a property with literal values ("" for plain and language-tagged strings).
Use = tuple[str, str, str]


def used_iris(expanded: Any) -> frozenset[Use]:
    """How an expanded document uses IRIs: its types, and its properties with the kind of value each has."""
    found: set[Use] = set()
    stack: list[tuple[str | None, Any]] = [(None, expanded)]
    while stack:
        prop, node = stack.pop()
        if isinstance(node, list):
            stack.extend((prop, v) for v in node)
        elif isinstance(node, dict):
            if "@value" in node:
                if prop is not None:
                    dt = node.get("@type")
                    found.add(("literal", prop, dt if isinstance(dt, str) and "@language" not in node else ""))
                continue
            if "@list" in node or "@set" in node:
                stack.append((prop, node.get("@list", node.get("@set"))))
                continue
            if prop is not None:
                found.add(("node", prop, ""))
            for k, v in node.items():
                if k == "@type":
                    found.update(("type", t, "") for t in (v if isinstance(v, list) else [v]) if isinstance(t, str))
                elif k in ("@graph", "@included"):
                    stack.append((None, v))
                elif k == "@reverse" and isinstance(v, dict):
                    stack.extend((rk, rv) for rk, rv in v.items())
                elif not k.startswith("@"):
                    stack.append((k, v))
    return frozenset(found)


def _expand_term_iri(value: str, prefixes: dict[str, str]) -> str:
    prefix, sep, rest = value.partition(":")
    if sep and not rest.startswith("//") and prefix in prefixes:
        return prefixes[prefix] + rest
    return value


def _definitions(ctx: Any, prefixes: dict[str, str]) -> Iterator[Use]:
    """The uses a (inlined) context value can compact, scoped contexts included. By the vocabularies' naming
    convention a term starting with a capital names a class, any other term a property; a ``@vocab`` yields
    ``("vocab", namespace, "")``."""
    for c in ctx if isinstance(ctx, list) else [ctx]:
        if not isinstance(c, dict):
            continue
        local = dict(prefixes)
        for t, d in c.items():
            iri = d.get("@id") if isinstance(d, dict) else d
            if isinstance(iri, str) and iri.endswith(("/", "#")) and ":" in iri:
                local[t] = iri
        if isinstance(c.get("@vocab"), str):
            yield ("vocab", c["@vocab"], "")
        for term, d in c.items():
            if term.startswith("@"):
                continue
            raw = d if isinstance(d, str) else d.get("@id", d.get("@reverse")) if isinstance(d, dict) else None
            if isinstance(raw, str) and not raw.startswith("@"):
                iri = _expand_term_iri(raw, local)
                yield ("type", iri, "")
                if not term[:1].isupper():
                    coercion = d.get("@type") if isinstance(d, dict) else None
                    yield ("node", iri, "")
                    if not isinstance(coercion, str):
                        yield ("literal", iri, "")
                    elif not coercion.startswith("@"):
                        yield ("literal", iri, _expand_term_iri(coercion, local))
            if isinstance(d, dict) and "@context" in d:
                yield from _definitions(d["@context"], local)


@lru_cache(maxsize=256)
def _defined(registry: ContextRegistry, url: str) -> tuple[frozenset[Use], tuple[str, ...]]:
    """(the uses context ``url`` compacts, the namespaces of its ``@vocab``s)."""
    ctx = registry.resolve(url, "(compaction context)", "@context", policy=ContextPolicy())
    defs = set(_definitions(ctx, {}))
    return frozenset(d for d in defs if d[0] != "vocab"), tuple(d[1] for d in defs if d[0] == "vocab")


def _covers(registry: ContextRegistry, url: str, used: frozenset[Use]) -> frozenset[Use]:
    exact, vocabs = _defined(registry, url)
    return frozenset(u for u in used if u in exact or (u[2] == "" and any(u[1].startswith(v) for v in vocabs)))


@dataclass(frozen=True)
class ContextChoice:
    """The contexts a standard's documents carry: ``bases`` are the published combinations (a VC envelope with
    matching versions of the standard's contexts, in document order), ``addons`` the contexts any of them may add
    (proof suites, status lists, examples); an add-on may be a group of versions of which one is taken."""

    bases: tuple[tuple[str, ...], ...]
    addons: tuple[str | tuple[str, ...], ...] = ()


def contexts_for(used: frozenset[Use], choice: ContextChoice, registry: ContextRegistry) -> list[str]:
    """The contexts a compacted document with these uses carries.

    The base that compacts the most of the uses no add-on compacts (the one with fewer contexts, then the first, on
    a tie): the IRIs that tell VC 1.1 from 2.0 and one version of a context from another decide. Then, greedily, the
    add-on that compacts the most of what is still uncovered, until none adds anything; add-ons follow the base in
    the order they are listed.
    """
    def cover(url: str) -> frozenset[Use]:
        return _covers(registry, url, used)

    members = [u for a in choice.addons for u in (a if isinstance(a, tuple) else (a,))]
    by_addons = frozenset().union(*(cover(u) for u in members))
    ranked = sorted(enumerate(choice.bases), key=lambda ib: (
        -len(frozenset().union(*(cover(u) for u in ib[1])) - by_addons), len(ib[1]), ib[0]))
    base = ranked[0][1] if ranked else ()
    covered = frozenset().union(*(cover(u) for u in base))
    picked: set[str] = set()
    while True:
        gains = [(len(cover(u) - covered), -members.index(u), u) for u in members if u not in picked
                 and not any(u in a and picked & set(a) for a in choice.addons if isinstance(a, tuple))]
        best = max(gains, default=(0, 0, ""))
        if best[0] == 0:
            break
        picked.add(best[2])
        covered |= cover(best[2])
    return [*base, *(u for u in members if u in picked)]


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


# -- choosing between terms that share an IRI ------------------------------------------------------------------------


def _terms_by_iri(ctx: Any, prefixes: dict[str, str], out: dict[str, set[str]], aliases: set[str]) -> None:
    for c in ctx if isinstance(ctx, list) else [ctx]:
        if not isinstance(c, dict):
            continue
        local = dict(prefixes)
        for t, d in c.items():
            iri = d.get("@id") if isinstance(d, dict) else d
            if isinstance(iri, str) and iri.endswith(("/", "#")) and ":" in iri:
                local[t] = iri
        for term, d in c.items():
            raw = d if isinstance(d, str) else d.get("@id") if isinstance(d, dict) else None
            if raw in ("@id", "@type"):
                aliases.add(term)
            elif isinstance(raw, str) and not term.startswith("@") and not raw.startswith("@"):
                out.setdefault(_expand_term_iri(raw, local), set()).add(term)
            if isinstance(d, dict) and "@context" in d:
                _terms_by_iri(d["@context"], local, out, aliases)


def _conventional(tree: Any, context: list[Any]) -> Any:
    """A copy of a compacted ``tree`` in which a term shared by a class and a property (OB 3.0.0 maps both
    "Achievement" and "achievement" to obv:Achievement, 3.0.x "GeoCoordinates" and "geo" to obv:GeoCoordinates) is
    the one the vocabulary's convention gives: a capital for a type, lower case for a property. JSON-LD compaction
    picks the shorter or lexicographically first term, which a reader written for the published form does not know.
    """
    by_iri: dict[str, set[str]] = {}
    aliases: set[str] = {"@type"}
    _terms_by_iri(context, {}, by_iri, aliases)
    iris_of: dict[str, set[str]] = {}
    for iri, terms in by_iri.items():
        for t in terms:
            iris_of.setdefault(t, set()).add(iri)
    prefixes = {t: iri for iri, terms in by_iri.items() for t in terms if iri.endswith(("/", "#"))}

    def pick(term: str, want_upper: bool) -> str:
        if term in iris_of and term[:1].isupper() == want_upper:
            return term
        # a term of the other kind, or a compact IRI or IRI left where no term had the value's coercion
        # (OB 3.0.0 coerces node values to classes); several scopes may give one term several IRIs
        iris = iris_of.get(term) or ({_expand_term_iri(term, prefixes)} if ":" in term else set())
        options = {t for iri in iris for t in by_iri.get(iri, ()) if t[:1].isupper() == want_upper and ":" not in t}
        if term.lower() in {o.lower() for o in options}:
            return next(o for o in options if o.lower() == term.lower())
        return options.pop() if len(options) == 1 else term

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(v) for v in node]
        if not isinstance(node, dict) or "@value" in node:
            return node
        out: dict[str, Any] = {}
        for k, v in node.items():
            if k in aliases:
                out[k] = [pick(t, True) if isinstance(t, str) else t for t in v] if isinstance(v, list) else (
                    pick(v, True) if isinstance(v, str) else v)
            elif k.startswith("@"):
                out[k] = v if k == "@context" else walk(v)
            else:
                out[pick(k, False)] = walk(v)
        return out

    return walk(tree)


def _graph(doc: Any, options: dict[str, Any]) -> Any:
    """An rdflib graph of a JSON-LD document (contexts inline), for comparing two forms of it."""
    import pyoxigraph as ox
    from pyld import jsonld

    from lermap.graph.terms import to_rdflib_graph

    nquads = str(jsonld.to_rdf(doc, {**options, "format": "application/n-quads"}))
    return to_rdflib_graph((q.subject, q.predicate, q.object) for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS))


def _islands(tree: Any, context: list[Any], urls: list[str], options: dict[str, Any]) -> Any:
    """Subtrees compaction left in IRIs because a property resets the context (VC 2.0's ``verifiableCredential``
    has ``"@context": null``: an embedded credential brings its own), compacted again with their own ``@context``,
    as a presentation embeds a credential."""
    from pyld import jsonld

    def walk(node: Any, top: bool) -> Any:
        if isinstance(node, list):
            return [walk(v, False) for v in node]
        if not isinstance(node, dict) or "@value" in node:
            return node
        keys = [k for k in node if not k.startswith("@")]
        bare = "@type" in node or "@id" in node  # no alias for them: no context is active here
        if not top and bare and (keys or "@type" in node) and all(_ABSOLUTE_IRI.match(k) for k in keys):
            try:
                inner = jsonld.compact(node, {"@context": context}, {**options, "compactToRelative": False})
            except jsonld.JsonLdError:
                return node
            inner["@context"] = urls if len(urls) != 1 else urls[0]
            return inner
        return {k: (v if k == "@context" else walk(v, False)) for k, v in node.items()}

    return walk(tree, True)


def _expands(tree: Any) -> bool:
    from pyld import jsonld

    try:
        jsonld.expand(tree)
    except jsonld.JsonLdError:
        return False
    return True


def _reads_as(tree: Any, wanted: Any, options: dict[str, Any]) -> bool:
    """Whether a compacted tree expands to the graph ``wanted`` (a tree pyld cannot even expand does not)."""
    from pyld import jsonld

    try:
        return bool(isomorphic(_graph(tree, options), wanted))
    except jsonld.JsonLdError:
        return False


def _ground(graph: Any) -> set[Any]:
    from rdflib import BNode

    return {t for t in graph if not any(isinstance(x, BNode) for x in t)}


# -- the step -------------------------------------------------------------------------------------------------------


def compact_tree(value: Any, source: str, choice: ContextChoice, registry: ContextRegistry,
                 policy: ContextPolicy | None = None, base_iri: str | None = None,
                 warn: Callable[[str, str], None] | None = None) -> Any:
    """``value`` (JSON-LD in any form) as one compacted tree, against the contexts of ``choice`` the document
    needs; several unconnected nodes stay under ``@graph``. Contexts are checked as everywhere else; ``warn`` hears
    of statements the compacted tree cannot carry."""
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
    urls = contexts_for(used_iris(expanded), choice, registry)
    context: list[Any] = []
    for u in urls:  # a context document may hold an array of contexts: JSON-LD wants them spliced in
        resolved = registry.resolve(u, source, "@context", policy=policy)
        context.extend(resolved if isinstance(resolved, list) else [resolved])
    try:
        out = jsonld.compact(expanded, {"@context": context}, {**options, "compactToRelative": False})
    except jsonld.JsonLdError as exc:
        raise _refusal(source, expanded, pyld_failure(exc), options) from None
    # pyld's compaction is not always lossless (a type term that a type-scoped context defines is chosen inside a
    # node where that context no longer applies), and the reader's view must carry every statement: the tree with the
    # conventional terms is kept when it expands to the same graph as the input, else the exact one if it does.
    out = _islands(out, context, urls, options)
    conventional = _conventional(out, context)
    wanted = _graph(expanded, options)
    for tree in (conventional, out) if conventional != out else (out,):
        if _reads_as(tree, wanted, options):
            out = tree
            break
    else:
        out = conventional
        if warn is not None:
            lost = _ground(wanted) - (_ground(_graph(conventional, options)) if _expands(conventional) else set())
            what = f"{len(lost)} of its statements" if lost else "statements about its blank nodes"
            warn("(JSON-LD)", f"compacted against {', '.join(urls)}, the document reads with {what} left out (JSON-LD "
                              "compaction cannot express them with these contexts); --format rdf keeps them all")
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
