"""Offline JSON-LD: bundled contexts, user-registered contexts, and JSON-LD → quads.

Nothing here touches the network. A context URL is looked up in the package's bundled contexts
(``graph/contexts/index.json``) and then in the user's registered ones (``<config>/contexts``); an
unknown URL is refused with an error that names it and says how to register a local copy.

pyoxigraph parses JSON-LD fast but cannot load remote contexts, so :func:`inline_contexts` replaces
every remote context reference (at any depth, in documents and inside contexts) by its bundled
content before parsing. Resolved contexts are cached per URL: context processing is the cost.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from lermap.config import settings
from lermap.errors import ContextError, SourceError

BUNDLED_INDEX = "index.json"


def _bundled_dir() -> Path:
    return Path(str(resources.files("lermap.graph") / "contexts"))


def _normalise_url(url: str) -> str:
    return url.strip()


class ContextRegistry:
    """Maps context URLs to local files: the package's own, then the user's."""

    def __init__(self, user_dir: Path | None = None) -> None:
        self.user_dir = user_dir if user_dir is not None else settings().contexts_dir
        self._cache: dict[str, Any] = {}

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

    def document(self, url: str, source: str = "(context)", location: str = "@context") -> Any:
        """The context document (the whole JSON, with its top-level ``@context``) for ``url``."""
        url = _normalise_url(url)
        if url in self._cache:
            return self._cache[url]
        path: Path | None = None
        if (name := self.user().get(url)) is not None:
            path = self.user_dir / name
        elif (name := self.bundled().get(url)) is not None:
            path = _bundled_dir() / name
        if path is None:
            raise ContextError(
                source,
                location,
                f"JSON-LD context {url} is not available offline; register a local copy with "
                f"`lermap contexts add {url} FILE`",
            )
        try:
            doc = json.loads(path.read_text("utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ContextError(source, location, f"the local copy of context {url} ({path}) is unreadable: {exc}") from None
        self._cache[url] = doc
        return doc

    def add(self, url: str, file: Path) -> Path:
        """Register ``file`` as the document of context ``url`` (``lermap contexts add``)."""
        try:
            content = json.loads(file.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SourceError(str(file), "(document)", f"not a readable JSON file: {exc}") from None
        if not isinstance(content, dict) or "@context" not in content:
            raise SourceError(str(file), "(document)", "a JSON-LD context document needs a top-level @context")
        self.user_dir.mkdir(parents=True, exist_ok=True)
        index = self.user()
        name = index.get(url) or f"ctx-{len(index) + 1:04d}.jsonld"
        shutil.copyfile(file, self.user_dir / name)
        index[url] = name
        (self.user_dir / BUNDLED_INDEX).write_text(json.dumps(index, indent=2, sort_keys=True), "utf-8")
        self._cache.pop(url, None)
        return self.user_dir / name

    def resolve(self, url: str, source: str, location: str, seen: tuple[str, ...] = ()) -> Any:
        """The inlined ``@context`` value of ``url`` with its own remote references resolved."""
        if url in seen:
            raise SourceError(source, location, f"JSON-LD context cycle: {' -> '.join((*seen, url))}")
        key = "\0resolved\0" + url
        if key not in self._cache:
            doc = self.document(url, source, location)
            ctx = doc.get("@context") if isinstance(doc, dict) else None
            if ctx is None:
                raise ContextError(source, location, f"context document {url} has no @context")
            self._cache[key] = _inline_value(ctx, self, source, location, (*seen, url))
        return self._cache[key]

    def loader(self, source: str = "(document)") -> Callable[[str, Any], dict[str, Any]]:
        """A pyld document loader that serves only registered contexts and never fetches."""

        def load(url: str, options: Any = None) -> dict[str, Any]:
            return {"contextUrl": None, "documentUrl": url, "document": self.document(url, source)}

        return load


def _inline_value(ctx: Any, reg: ContextRegistry, source: str, location: str, seen: tuple[str, ...]) -> Any:
    """Resolve a ``@context`` value: strings become the referenced context, objects are walked."""
    if isinstance(ctx, str):
        return reg.resolve(ctx, source, location, seen)
    if isinstance(ctx, list):
        # A referenced context may itself be an array; JSON-LD forbids arrays inside a context array, so splice it.
        out_list: list[Any] = []
        for c in ctx:
            value = _inline_value(c, reg, source, location, seen)
            out_list.extend(value if isinstance(value, list) else [value])
        return out_list
    if isinstance(ctx, dict):
        out: dict[str, Any] = {}
        for k, v in ctx.items():
            if k == "@import" and isinstance(v, str):
                imported = reg.resolve(v, source, f"{location}/@import", seen)
                if not isinstance(imported, dict):
                    raise SourceError(source, location, f"@import of {v} must be a single context object")
                merged = dict(imported)
                merged.update({ik: iv for ik, iv in ctx.items() if ik != "@import"})
                return _inline_value(merged, reg, source, location, seen)
            out[k] = _inline_value(v, reg, source, f"{location}/{k}", seen) if k == "@context" else _walk(v, reg, source, f"{location}/{k}", seen)
        return out
    return ctx


def _walk(node: Any, reg: ContextRegistry, source: str, location: str, seen: tuple[str, ...]) -> Any:
    if isinstance(node, dict):
        return {
            k: (_inline_value(v, reg, source, f"{location}/{k}", seen) if k == "@context" else _walk(v, reg, source, f"{location}/{k}", seen))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_walk(v, reg, source, f"{location}/{i}", seen) for i, v in enumerate(node)]
    return node


def inline_contexts(doc: Any, source: str, registry: ContextRegistry | None = None) -> Any:
    """A copy of ``doc`` in which every remote ``@context`` reference is replaced by its content."""
    return _walk(doc, registry or default_registry(), source, "", ())


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


def _innermost(exc: BaseException) -> str:
    """pyld chains its errors; the innermost one says what is wrong."""
    while exc.__cause__ is not None:
        exc = exc.__cause__
    details = getattr(exc, "details", None)
    text = str(exc.args[0]) if exc.args else str(exc)
    if isinstance(details, dict) and "term" in details:
        return f"{text} (term {details['term']!r})"
    return text


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


def _parse(doc: Any, source: str, registry: ContextRegistry | None, base_iri: str | None) -> Iterator[ox.Quad]:
    """pyoxigraph's fast parser, or pyld (slower, exact) for the documents pyoxigraph gets wrong."""
    inlined = inline_contexts(doc, source, registry or default_registry())  # refuses unknown contexts by URL
    try:
        if _multi_scoped_types(inlined, frozenset()):
            from pyld import jsonld

            options: dict[str, Any] = {"documentLoader": (registry or default_registry()).loader(source), "format": "application/n-quads"}
            if base_iri:
                options["base"] = base_iri
            try:
                nquads = jsonld.to_rdf(inlined, options)
            except jsonld.JsonLdError as exc:
                raise SourceError(source, "(JSON-LD)", f"invalid JSON-LD: {_innermost(exc)}") from None
            quads = _valid_quads(str(nquads))
            if not base_iri:  # pyld resolves relative IRIs against a placeholder base; pyoxigraph drops them
                quads = (q for q in quads if not any(str(t).startswith("<" + jsonld.DEFAULT_BASE_IRI) for t in (q.subject, q.predicate, q.object)))
            yield from quads
            return
        yield from ox.parse(json.dumps(inlined), format=ox.RdfFormat.JSON_LD, base_iri=base_iri)
    except SyntaxError as exc:
        raise SourceError(source, "(JSON-LD)", f"invalid JSON-LD: {exc}") from None


def iter_triples(doc: Any, source: str, registry: ContextRegistry | None = None,
                 base_iri: str | None = None) -> Iterator[tuple[Any, ox.NamedNode, Any]]:
    """Expand a JSON-LD document offline and yield its triples (graph names dropped, duplicates kept:
    the store keeps each triple once, and hashing quads to drop them here costs more than it saves)."""
    for q in _parse(doc, source, registry, base_iri):
        yield q.subject, q.predicate, q.object


def to_quads(doc: Any, source: str, registry: ContextRegistry | None = None, base_iri: str | None = None) -> list[ox.Quad]:
    """Expand a JSON-LD document to quads offline (duplicates removed, order kept)."""
    return list(dict.fromkeys(_parse(doc, source, registry, base_iri)))


@lru_cache(maxsize=1)
def _default_registry_for(user_dir: str) -> ContextRegistry:
    return ContextRegistry(Path(user_dir))


def default_registry() -> ContextRegistry:
    """The registry for the current settings (bundled + the user's config directory)."""
    return _default_registry_for(str(settings().contexts_dir))
