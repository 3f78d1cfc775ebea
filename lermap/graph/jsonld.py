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


def iter_triples(doc: Any, source: str, registry: ContextRegistry | None = None,
                 base_iri: str | None = None) -> Iterator[tuple[Any, ox.NamedNode, Any]]:
    """Expand a JSON-LD document offline and yield its triples (graph names dropped, duplicates kept:
    the store keeps each triple once, and hashing quads to drop them here costs more than it saves)."""
    text = json.dumps(inline_contexts(doc, source, registry))
    try:
        for q in ox.parse(text, format=ox.RdfFormat.JSON_LD, base_iri=base_iri):
            yield q.subject, q.predicate, q.object
    except SyntaxError as exc:
        raise SourceError(source, "(JSON-LD)", f"invalid JSON-LD: {exc}") from None


def to_quads(doc: Any, source: str, registry: ContextRegistry | None = None, base_iri: str | None = None) -> list[ox.Quad]:
    """Expand a JSON-LD document to quads offline (duplicates removed, order kept)."""
    inlined = inline_contexts(doc, source, registry)
    try:
        quads = ox.parse(json.dumps(inlined), format=ox.RdfFormat.JSON_LD, base_iri=base_iri)
        return list(dict.fromkeys(quads))
    except SyntaxError as exc:
        raise SourceError(source, "(JSON-LD)", f"invalid JSON-LD: {exc}") from None


@lru_cache(maxsize=1)
def _default_registry_for(user_dir: str) -> ContextRegistry:
    return ContextRegistry(Path(user_dir))


def default_registry() -> ContextRegistry:
    """The registry for the current settings (bundled + the user's config directory)."""
    return _default_registry_for(str(settings().contexts_dir))
