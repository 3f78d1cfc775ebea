"""Which contexts a JSON-LD document in expanded form was written with, read from the IRIs it uses.

An expanded document carries no ``@context``; to give a reader the compacted tree it knows, lermap compacts it
against the context list a published document of that standard carries. :class:`ContextChoice` lists those
(the combinations publishers use, and the add-ons any of them may carry); :func:`contexts_for` picks the one that
compacts the document's uses — the IRI of each type, and of each property with the kind of value it has.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lermap.graph.jsonld import ContextPolicy, ContextRegistry

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


def expand_term_iri(value: str, prefixes: dict[str, str]) -> str:
    prefix, sep, rest = value.partition(":")
    if sep and not rest.startswith("//") and prefix in prefixes:
        return prefixes[prefix] + rest
    return value


def context_prefixes(c: dict[str, Any], prefixes: dict[str, str]) -> dict[str, str]:
    """``prefixes`` plus the terms of context ``c`` that name a namespace (an IRI ending in ``/`` or ``#``)."""
    local = dict(prefixes)
    for t, d in c.items():
        iri = d.get("@id") if isinstance(d, dict) else d
        if isinstance(iri, str) and iri.endswith(("/", "#")) and ":" in iri:
            local[t] = iri
    return local


def _definitions(ctx: Any, prefixes: dict[str, str]) -> Iterator[Use]:
    """The uses a (inlined) context value can compact, scoped contexts included. By the vocabularies' naming
    convention a term starting with a capital names a class, any other term a property; a ``@vocab`` yields
    ``("vocab", namespace, "")``."""
    for c in ctx if isinstance(ctx, list) else [ctx]:
        if not isinstance(c, dict):
            continue
        local = context_prefixes(c, prefixes)
        if isinstance(c.get("@vocab"), str):
            yield ("vocab", c["@vocab"], "")
        for term, d in c.items():
            if term.startswith("@"):
                continue
            raw = d if isinstance(d, str) else d.get("@id", d.get("@reverse")) if isinstance(d, dict) else None
            if isinstance(raw, str) and not raw.startswith("@"):
                iri = expand_term_iri(raw, local)
                yield ("type", iri, "")
                if not term[:1].isupper():
                    coercion = d.get("@type") if isinstance(d, dict) else None
                    yield ("node", iri, "")
                    if not isinstance(coercion, str):
                        yield ("literal", iri, "")
                    elif not coercion.startswith("@"):
                        yield ("literal", iri, expand_term_iri(coercion, local))
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
