"""Offline JSON-LD: bundled contexts, user-registered contexts, and JSON-LD → quads.

Nothing here touches the network. A context URL is looked up in the package's bundled contexts
(``graph/contexts/index.json``) and then in the user's registered ones (``<config>/contexts``); an
unknown URL is refused with an error that names it and says how to register a local copy.

pyoxigraph parses JSON-LD fast but cannot load remote contexts, so :func:`inline_contexts` replaces
every remote context reference (at any depth, in documents and inside contexts) by its bundled
content before parsing. Resolved contexts are cached per URL: context processing is the cost.

Every context is checked on the way in (:mod:`lermap.graph.context_check`, and :mod:`lermap.graph.jsontext`
for its JSON text): a defect is refused with the context's URL, the term and the key — unless the caller's
:class:`ContextPolicy` is lenient and the defect has one safe reading, in which case it is repaired and the
repair reported to the policy. JSON-LD that is still invalid is refused with the node where it fails.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from lermap.config import settings
from lermap.errors import ContextError, SourceError
from lermap.graph.context_check import ContextDefect, check_context, repair_context
from lermap.graph.jsonld_errors import JsonLdFailure, invalid_jsonld, pyld_failure, pyoxigraph_parses
from lermap.graph.jsontext import JsonTextError, TextRepair, read_json_text

BUNDLED_INDEX = "index.json"


def _bundled_dir() -> Path:
    return Path(str(resources.files("lermap.graph") / "contexts"))


def _normalise_url(url: str) -> str:
    return url.strip()


@dataclass
class ContextPolicy:
    """What to do with a defective context during one run: refuse it (strict, the default) or, when ``lenient``,
    repair the defects that have one safe reading and tell ``report(location, message)`` about each, once."""

    lenient: bool = False
    report: Callable[[str, str], None] | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)

    def repaired(self, location: str, message: str) -> None:
        if (location, message) in self.notes:
            return
        self.notes.append((location, message))
        if self.report is not None:
            self.report(location, message)


def _refuse_or_repair(value: Any, defects: list[ContextDefect], policy: ContextPolicy, source: str, location: str,
                      url: str | None) -> Any:
    """``value`` repaired under a lenient policy; a :class:`ContextError` for anything else."""
    if not defects:
        return value
    blocking = [d for d in defects if not d.repairable] if policy.lenient else defects
    if blocking:
        first = blocking[0]
        hint = (f"; ingest with --lenient to read it as {first.repair[2]!r}" if first.repair and not policy.lenient
                else "")
        listed = f": `lermap contexts check {url}`" if url else ""
        more = f" (and {len(defects) - 1} more{listed})" if len(defects) > 1 else ""
        raise ContextError(source, location, f"{first.message()}{hint}{more}")
    for d in defects:
        policy.repaired(location, d.repaired())
    return repair_context(value)


class ContextRegistry:
    """Maps context URLs to local files: the package's own, then the user's."""

    def __init__(self, user_dir: Path | None = None) -> None:
        self.user_dir = user_dir if user_dir is not None else settings().contexts_dir
        self._loaded: dict[str, tuple[Any, list[TextRepair], Path]] = {}
        self._resolved: dict[tuple[str, bool], tuple[Any, list[tuple[str, str]]]] = {}

    def _index(self, folder: Path) -> dict[str, str]:
        index = folder / BUNDLED_INDEX
        if not index.is_file():
            return {}
        data = json.loads(index.read_text("utf-8"))
        return {k: v for k, v in data.items() if isinstance(v, str)}

    def bundled(self) -> dict[str, str]:
        return self._index(_bundled_dir())

    def user(self) -> dict[str, str]:
        return self._index(self.user_dir)

    def urls(self) -> dict[str, str]:
        """Every known context URL and where its document lives ("bundled" or the user file)."""
        out = {url: "bundled" for url in self.bundled()}
        out.update({url: str(self.user_dir / f) for url, f in self.user().items()})
        return out

    def path(self, url: str) -> Path | None:
        """The file holding the document of context ``url`` (the user's copy first), or None."""
        if (name := self.user().get(url)) is not None:
            return self.user_dir / name
        if (name := self.bundled().get(url)) is not None:
            return _bundled_dir() / name
        return None

    def _load(self, url: str, source: str, location: str) -> tuple[Any, list[TextRepair], Path]:
        """The context document for ``url``, and the repairs its JSON text needed (none for valid JSON)."""
        url = _normalise_url(url)
        if url in self._loaded:
            return self._loaded[url]
        path = self.path(url)
        if path is None:
            raise ContextError(
                source,
                location,
                f"JSON-LD context {url} is not available offline; register a local copy with "
                f"`lermap contexts add {url} FILE`",
            )
        try:
            text = path.read_text("utf-8")
            try:
                (doc,), repairs = read_json_text(text)
            except JsonTextError as exc:
                if not exc.repairable:
                    raise
                (doc,), repairs = read_json_text(text, lenient=True)
        except (OSError, UnicodeDecodeError, JsonTextError, RecursionError) as exc:
            raise ContextError(source, location, f'the local copy of context "{url}" ({path}) is unreadable: {exc}') from None
        self._loaded[url] = (doc, repairs, path)
        return doc, repairs, path

    def document(self, url: str, source: str = "(context)", location: str = "@context",
                 policy: ContextPolicy | None = None) -> Any:
        """The context document (the whole JSON, with its top-level ``@context``) for ``url``.

        Its JSON text must be strict, or the ``policy`` lenient (each repair is then reported to it).
        """
        policy = policy or ContextPolicy()
        doc, repairs, path = self._load(url, source, location)
        if repairs and not policy.lenient:
            first = repairs[0]
            more = f" (and {len(repairs) - 1} more)" if len(repairs) > 1 else ""
            raise ContextError(source, location, f'context "{url}" ({path.name}): not strict JSON at {first}{more}; '
                                                 "ingest with --lenient to repair it (`lermap contexts check` lists all)")
        for r in repairs:
            policy.repaired(location, f'context "{url}": {r} repaired (non-strict JSON)')
        return doc

    def add(self, url: str, file: Path) -> Path:
        """Register ``file`` as the document of context ``url`` (``lermap contexts add``).

        A file whose JSON text has defects with one safe reading (a trailing or missing comma) is registered as it
        is: strict ingests refuse it and lenient ones repair it, as for a published document."""
        try:
            (content,), _ = read_json_text(file.read_text("utf-8"), lenient=True)
        except (OSError, UnicodeDecodeError, JsonTextError, RecursionError) as exc:
            raise SourceError(str(file), "(document)", f"not a readable JSON file: {exc}") from None
        if not isinstance(content, dict) or "@context" not in content:
            raise SourceError(str(file), "(document)", "a JSON-LD context document needs a top-level @context")
        self.user_dir.mkdir(parents=True, exist_ok=True)
        index = self.user()
        name = index.get(url) or f"ctx-{len(index) + 1:04d}.jsonld"
        shutil.copyfile(file, self.user_dir / name)
        index[url] = name
        (self.user_dir / BUNDLED_INDEX).write_text(json.dumps(index, indent=2, sort_keys=True), "utf-8")
        self._loaded.pop(url, None)
        for key in [k for k in self._resolved if k[0] == url]:
            del self._resolved[key]
        return self.user_dir / name

    def resolve(self, url: str, source: str, location: str, seen: tuple[str, ...] = (),
                policy: ContextPolicy | None = None) -> Any:
        """The inlined, checked ``@context`` value of ``url`` with its own remote references resolved."""
        policy = policy or ContextPolicy()
        if url in seen:
            raise SourceError(source, location, f"JSON-LD context cycle: {' -> '.join((*seen, url))}")
        key = (_normalise_url(url), policy.lenient)
        if key not in self._resolved:
            collected = ContextPolicy(lenient=policy.lenient)
            doc = self.document(url, source, location, collected)
            ctx = doc.get("@context") if isinstance(doc, dict) else None
            if ctx is None:
                raise ContextError(source, location, f"context document {url} has no @context")
            ctx = _refuse_or_repair(ctx, check_context(ctx, url), collected, source, location, url)
            inlined = _inline_value(ctx, self, source, location, (*seen, url), collected)
            self._resolved[key] = (inlined, list(collected.notes))
        inlined, notes = self._resolved[key]
        for note in notes:
            policy.repaired(location, note[1])
        return inlined

    def loader(self, source: str = "(document)") -> Callable[[str, Any], dict[str, Any]]:
        """A pyld document loader that serves only registered contexts and never fetches."""

        def load(url: str, options: Any = None) -> dict[str, Any]:
            return {"contextUrl": None, "documentUrl": url, "document": self.document(url, source)}

        return load


def _inline_value(ctx: Any, reg: ContextRegistry, source: str, location: str, seen: tuple[str, ...],
                  policy: ContextPolicy) -> Any:
    """Resolve a (checked) ``@context`` value: strings become the referenced context, objects are walked."""
    if isinstance(ctx, str):
        return reg.resolve(ctx, source, location, seen, policy)
    if isinstance(ctx, list):
        # A referenced context may itself be an array; JSON-LD forbids arrays inside a context array, so splice it.
        out_list: list[Any] = []
        for i, c in enumerate(ctx):
            value = _inline_value(c, reg, source, f"{location}/{i}", seen, policy)
            out_list.extend(value if isinstance(value, list) else [value])
        return out_list
    if isinstance(ctx, dict):
        out: dict[str, Any] = {}
        for k, v in ctx.items():
            if k == "@import" and isinstance(v, str):
                imported = reg.resolve(v, source, f"{location}/@import", seen, policy)
                if not isinstance(imported, dict):
                    raise SourceError(source, location, f"@import of {v} must be a single context object")
                merged = dict(imported)
                merged.update({ik: iv for ik, iv in ctx.items() if ik != "@import"})
                return _inline_value(merged, reg, source, location, seen, policy)
            where = f"{location}/{k}"
            out[k] = (_inline_value(v, reg, source, where, seen, policy) if k == "@context"
                      else _walk(v, reg, source, where, seen, policy, in_document=False))
        return out
    return ctx


def _walk(node: Any, reg: ContextRegistry, source: str, location: str, seen: tuple[str, ...], policy: ContextPolicy,
          in_document: bool = True) -> Any:
    """Inline every ``@context`` under ``node``; those written in the document itself are checked first (those
    inside a referenced context were checked with it)."""
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for k, v in node.items():
            where = f"{location}/{k}"
            if k == "@context":
                if in_document:
                    v = _checked_inline(v, policy, source, where)
                out[k] = _inline_value(v, reg, source, where, seen, policy)
            else:
                out[k] = _walk(v, reg, source, where, seen, policy, in_document)
        return out
    if isinstance(node, list):
        return [_walk(v, reg, source, f"{location}/{i}", seen, policy, in_document) for i, v in enumerate(node)]
    return node


def _checked_inline(value: Any, policy: ContextPolicy, source: str, where: str) -> Any:
    """A ``@context`` written in the document, checked (each entry of an array at its own place)."""
    if isinstance(value, list):
        return [_checked_inline(v, policy, source, f"{where}/{i}") if isinstance(v, dict) else v for i, v in enumerate(value)]
    return _refuse_or_repair(value, check_context(value, f"(inline, at {where})"), policy, source, where, None)


def inline_contexts(doc: Any, source: str, registry: ContextRegistry | None = None,
                    policy: ContextPolicy | None = None) -> Any:
    """A copy of ``doc`` in which every remote ``@context`` reference is replaced by its checked content."""
    return _walk(doc, registry or default_registry(), source, "", (), policy or ContextPolicy())


_SCOPED: dict[int, frozenset[str]] = {}


def _scoped_terms(ctx: Any) -> frozenset[str]:
    """Terms that carry a scoped ``@context`` anywhere in an (inlined) context value; cached per
    resolved context object, which the registry shares between documents."""
    key = id(ctx)
    if key not in _SCOPED:
        found: set[str] = set()
        stack = [ctx]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                for term, definition in item.items():
                    if isinstance(definition, dict) and "@context" in definition:
                        found.add(term)
                        stack.append(definition["@context"])
        _SCOPED[key] = frozenset(found)
        if len(_SCOPED) > 4096:
            _SCOPED.clear()
    return _SCOPED[key]


def _multi_scoped_types(node: Any, scoped: frozenset[str]) -> bool:
    """True when a node has two or more types that each bring a scoped context: pyoxigraph 0.5 then
    applies only the last one and drops triples (tests/graph/test_contexts.py pins the bug)."""
    if isinstance(node, dict):
        if "@context" in node:
            ctx = node["@context"]
            scoped = scoped | (frozenset().union(*(_scoped_terms(c) for c in ctx)) if isinstance(ctx, list) else _scoped_terms(ctx))
        types = node.get("type", node.get("@type"))
        if isinstance(types, list) and sum(1 for t in types if isinstance(t, str) and t in scoped) >= 2:
            return True
        return any(_multi_scoped_types(v, scoped) for k, v in node.items() if k != "@context")
    if isinstance(node, list):
        return any(_multi_scoped_types(v, scoped) for v in node)
    return False


def _valid_quads(nquads: str) -> Iterator[ox.Quad]:
    """pyld's N-Quads, leaving out statements whose IRIs RDF does not allow (pyld lets them through;
    pyoxigraph's own JSON-LD parser drops such values too)."""
    try:
        yield from list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    except SyntaxError:
        for line in nquads.splitlines():
            try:
                yield from list(ox.parse(line, format=ox.RdfFormat.N_QUADS))
            except SyntaxError:
                continue


def _pyld_nquads(inlined: Any, base_iri: str | None) -> list[ox.Quad]:
    from pyld import jsonld

    options: dict[str, Any] = {"format": "application/n-quads"}
    if base_iri:
        options["base"] = base_iri
    try:
        nquads = jsonld.to_rdf(inlined, options)
    except jsonld.JsonLdError as exc:
        raise pyld_failure(exc) from None
    quads = _valid_quads(str(nquads))
    if not base_iri:  # pyld resolves relative IRIs against a placeholder base; pyoxigraph drops them
        quads = (q for q in quads if not any(str(t).startswith("<" + jsonld.DEFAULT_BASE_IRI) for t in (q.subject, q.predicate, q.object)))
    return list(quads)


def _pyld_parses(base_iri: str | None) -> Callable[[Any], bool]:
    def parses(candidate: Any) -> bool:
        try:
            _pyld_nquads(candidate, base_iri)
        except JsonLdFailure:
            return False
        return True

    return parses


def _top_contexts(doc: Any, registry: ContextRegistry, source: str) -> list[tuple[str, dict[str, Any]]]:
    """(name, inlined context object) for each entry of the document's top-level ``@context``."""
    out: list[tuple[str, dict[str, Any]]] = []
    contexts = doc.get("@context") if isinstance(doc, dict) else None
    for c in contexts if isinstance(contexts, list) else [contexts]:
        if isinstance(c, str):
            value = registry.resolve(c, source, "@context")
            out.extend((f'"{c}"', v) for v in (value if isinstance(value, list) else [value]) if isinstance(v, dict))
        elif isinstance(c, dict):
            out.append(("(inline)", c))
    return out


def _iri_of(definition: Any, ctx: dict[str, Any]) -> Any:
    """A term definition's IRI with a compact IRI's prefix expanded (enough to compare two definitions)."""
    iri = definition.get("@id") if isinstance(definition, dict) else definition
    if isinstance(iri, str) and ":" in iri:
        prefix, _, rest = iri.partition(":")
        if isinstance(ctx.get(prefix), str) and not rest.startswith("//"):
            iri = ctx[prefix] + rest
    rest_of = {k: v for k, v in definition.items() if k not in ("@id", "@protected")} if isinstance(definition, dict) else {}
    return iri, json.dumps(rest_of, sort_keys=True)


def _explainer(doc: Any, registry: ContextRegistry, source: str) -> Callable[[str, str | None], str]:
    """Adds the contexts involved to a rule: which define the term, or which protected term a later one redefines."""

    def explain(rule: str, term: str | None) -> str:
        contexts = _top_contexts(doc, registry, source)
        if term is not None:
            names = [name for name, c in contexts if term in c]
            return f'{rule} (term "{term}"' + (f" defined in {', '.join(names)})" if names else ")")
        if "protected term" not in rule:
            return rule
        protected: dict[str, tuple[str, Any]] = {}
        for name, c in contexts:
            for t, d in c.items():
                if t.startswith("@"):
                    continue
                if t in protected and protected[t][1] != _iri_of(d, c):
                    return f'{rule} (term "{t}": protected in {protected[t][0]}, redefined by {name})'
                on = d.get("@protected", c.get("@protected", False)) if isinstance(d, dict) else c.get("@protected", False)
                if on is True and t not in protected:
                    protected[t] = (name, _iri_of(d, c))
        return rule

    return explain


def _parse(doc: Any, source: str, registry: ContextRegistry | None, base_iri: str | None,
           policy: ContextPolicy | None = None) -> Iterator[ox.Quad]:
    """pyoxigraph's fast parser, or pyld (slower, exact) for the documents pyoxigraph gets wrong."""
    registry = registry or default_registry()
    inlined = inline_contexts(doc, source, registry, policy)  # refuses unknown and defective contexts by URL
    by_pyld = _multi_scoped_types(inlined, frozenset())
    try:
        if by_pyld:
            yield from _pyld_nquads(inlined, base_iri)
            return
        yield from ox.parse(json.dumps(inlined), format=ox.RdfFormat.JSON_LD, base_iri=base_iri)
    except (SyntaxError, JsonLdFailure) as exc:
        parses = _pyld_parses(base_iri) if by_pyld else pyoxigraph_parses(base_iri)
        raise invalid_jsonld(source, inlined, exc, parses, _explainer(doc, registry, source)) from None


def iter_triples(doc: Any, source: str, registry: ContextRegistry | None = None, base_iri: str | None = None,
                 policy: ContextPolicy | None = None) -> Iterator[tuple[Any, ox.NamedNode, Any]]:
    """Expand a JSON-LD document offline and yield its triples (graph names dropped, duplicates kept:
    the store keeps each triple once, and hashing quads to drop them here costs more than it saves)."""
    for q in _parse(doc, source, registry, base_iri, policy):
        yield q.subject, q.predicate, q.object


def to_quads(doc: Any, source: str, registry: ContextRegistry | None = None, base_iri: str | None = None,
             policy: ContextPolicy | None = None) -> list[ox.Quad]:
    """Expand a JSON-LD document to quads offline (duplicates removed, order kept)."""
    return list(dict.fromkeys(_parse(doc, source, registry, base_iri, policy)))


@lru_cache(maxsize=1)
def _default_registry_for(user_dir: str) -> ContextRegistry:
    return ContextRegistry(Path(user_dir))


def default_registry() -> ContextRegistry:
    """The registry for the current settings (bundled + the user's config directory)."""
    return _default_registry_for(str(settings().contexts_dir))
