"""The three forms of a JSON-LD document, and the one step that turns any of them into the compacted tree a
reader expects.

JSON-LD has three equivalent document forms: *compacted* (terms from a ``@context``, nodes embedded in each
other), *expanded* (full IRIs, every value an array, ``[{"@value": ...}]``, no context) and *flattened* (every
node at the top level, linked by ``@id``); each may be a single object or a top-level array, with or without
``@graph``. The ingesters' readers are written for the compacted tree the standard publishes, so
:func:`compact_tree` brings the other forms to it:

1. expand (offline, contexts checked by :mod:`lermap.graph.jsonld`);
2. when several nodes sit at the top level (flattened form), embed them back into trees
   (:func:`lermap.graph.jsonld_embed.embed`);
3. compact against the context list a published document of the standard carries, chosen from the IRIs the
   document uses (:mod:`lermap.graph.context_choice`), and give the result the contexts' URLs;
4. where a class and a property share an IRI, put back the term the vocabulary's convention gives each, and keep
   the result only if it expands to the same graph as the input (pyld's compaction is not always lossless).

The readers then see the tree they know, and the native layer they expand from it is the document's graph.
Flattening merges objects that share an ``@id`` (a profile written twice, an endorsement whose subject is the
credential), so a flattened document can describe such a node with more than its compacted original did.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from rdflib.compare import isomorphic

from lermap.graph.context_choice import ContextChoice, context_prefixes, contexts_for, expand_term_iri, used_iris
from lermap.graph.jsonld import ContextPolicy, ContextRegistry, inline_contexts
from lermap.graph.jsonld_embed import embed
from lermap.graph.jsonld_errors import JsonLdFailure, invalid_jsonld, pyld_failure

_ABSOLUTE_IRI = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.\-]*://|urn:|did:|_:)")


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def is_expanded(value: Any) -> bool:
    """True for JSON-LD in expanded (or expanded flattened) form: no ``@context``, every key of the top-level node
    objects a keyword or an IRI (``scheme:...``; a ``@graph`` is looked into), and at least one of them, or of their
    types, a full ``scheme://`` IRI — which tells it from a context-less document of compact IRIs
    (``ceterms:name``) that relies on a context it does not name."""
    nodes = top_nodes(value)
    if not nodes or any(not isinstance(n, dict) or "@context" in n for n in nodes):
        return False
    if isinstance(value, dict) and "@context" in value:
        return False
    keys = [k for n in nodes for k in n]
    if not keys or not all(k.startswith("@") or _SCHEME.match(k) for k in keys):
        return False
    types = [t for n in nodes for t in (n.get("@type") if isinstance(n.get("@type"), list) else [n.get("@type")])]
    return any("://" in k for k in keys) or any(isinstance(t, str) and "://" in t for t in types)


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


# -- choosing between terms that share an IRI ------------------------------------------------------------------------


def _terms_by_iri(ctx: Any, prefixes: dict[str, str], out: dict[str, set[str]], aliases: set[str]) -> None:
    for c in ctx if isinstance(ctx, list) else [ctx]:
        if not isinstance(c, dict):
            continue
        local = context_prefixes(c, prefixes)
        for term, d in c.items():
            raw = d if isinstance(d, str) else d.get("@id") if isinstance(d, dict) else None
            if raw in ("@id", "@type"):
                aliases.add(term)
            elif isinstance(raw, str) and not term.startswith("@") and not raw.startswith("@"):
                out.setdefault(expand_term_iri(raw, local), set()).add(term)
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
        iris = iris_of.get(term) or ({expand_term_iri(term, prefixes)} if ":" in term else set())
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
