"""A JSON-LD 1.1 context checker: every defect named by context, term and key, and the repairs that are safe.

pyld and pyoxigraph refuse a defective context with a generic sentence ("a term definition must not contain
context") that names neither the context nor the term. :func:`check_context` walks a context value the way the
JSON-LD 1.1 Context Processing and Create Term Definition algorithms do and reports each rule broken, as a
:class:`ContextDefect` that says where (``context "URL" term "participationType"``), which key, which rule, and
whether it has one safe reading. :func:`repair_context` applies exactly those repairs.

The safe readings are keywords written without their ``@``:

* inside an expanded term definition, where no other key is allowed: ``context`` ``id`` ``type`` ``container``
  ``reverse`` ``language`` ``direction`` ``index`` ``nest`` ``prefix`` ``protected`` (unless the ``@`` form is
  there too);
* at the top of a context, ``vocab`` and ``base`` when the context has no ``@vocab`` / ``@base`` (as written they
  define a term named "vocab", and every key the context leaves undefined is silently dropped), and ``version``,
  ``protected``, ``propagate``, ``language``, ``direction`` when their value cannot be a term definition at all
  (``"version": 1.1``, ``"protected": true``, ``"language": "en"``).

``id`` and ``type`` at the top of a context are the usual aliases (``"id": "@id"``) and are left alone.

>>> [d.message() for d in check_context({"p": {"@id": "https://e.org/p", "context": {}}}, "https://e.org/ctx")]
['context "https://e.org/ctx" term "p": unknown key "context" (did you mean "@context"?)']
>>> repair_context({"p": {"@id": "https://e.org/p", "context": {}}})
{'p': {'@id': 'https://e.org/p', '@context': {}}}
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

KEYWORDS = frozenset({
    "@base", "@container", "@context", "@default", "@direction", "@embed", "@explicit", "@graph", "@id", "@import",
    "@included", "@index", "@json", "@language", "@list", "@nest", "@none", "@omitDefault", "@prefix", "@preserve",
    "@propagate", "@protected", "@requireAll", "@reverse", "@set", "@type", "@value", "@version", "@vocab",
})
CONTEXT_KEYS = frozenset({"@base", "@direction", "@import", "@language", "@propagate", "@protected", "@type", "@version",
                          "@vocab"})
TERM_DEFINITION_KEYS = frozenset({"@id", "@reverse", "@container", "@context", "@direction", "@index", "@language",
                                  "@nest", "@prefix", "@protected", "@type"})
CONTAINERS = frozenset({"@list", "@set", "@index", "@language", "@graph", "@id", "@type"})
TYPE_KEYWORDS = frozenset({"@id", "@json", "@none", "@vocab"})
# Context-level keys that read as the keyword only when the value cannot be a term definition (see the docstring).
_CONTEXT_BARE_WHEN_NOT_A_TERM = {"version", "protected", "propagate", "language", "direction"}
_CONTEXT_BARE_WHEN_ABSENT = {"vocab", "base"}
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_RESERVED = re.compile(r"^@[A-Za-z]+$")


@dataclass(frozen=True)
class ContextDefect:
    """One rule a context breaks. ``where`` is the path of terms (``("Achievement", "@context", "name")``)."""

    context: str  # the context's URL, or a description such as "(inline, at @context[1])"
    where: tuple[str, ...]
    key: str | None
    rule: str
    repair: tuple[tuple[str, ...], str, str] | None = None  # (path to the object, key as written, key to read)

    @property
    def repairable(self) -> bool:
        return self.repair is not None

    def place(self) -> str:
        """``context "URL" term "a" › @context › term "b"``"""
        head = f"context {self.context}" if self.context.startswith("(") else f'context "{self.context}"'
        steps = [s if s.startswith("@") else f'term "{s}"' for s in self.where]
        return f"{head} {' › '.join(steps)}" if steps else head

    def message(self) -> str:
        return f"{self.place()}: {self.rule}"

    def repaired(self) -> str:
        """What the lenient read did, for the ingest report."""
        assert self.repair is not None
        _, written, read = self.repair
        return f'{self.place()}: key "{written}" read as "{read}" (a keyword written without its @)'


def check_context(value: Any, context: str) -> list[ContextDefect]:
    """Every defect of a ``@context`` value (an object, a URL string, null, or an array of those).

    URL strings are references, checked when their own document is read; this walks objects, their term
    definitions and their scoped contexts.
    """
    return list(_context(value, context, ()))


def repair_context(value: Any) -> Any:
    """``value`` with every repairable defect repaired (a copy; the value itself is not changed)."""
    return _repaired(value, (), {(d.repair[0], d.repair[1]): d.repair[2] for d in check_context(value, "") if d.repair})


def _repaired(node: Any, path: tuple[str, ...], renames: dict[tuple[tuple[str, ...], str], str]) -> Any:
    if isinstance(node, list):
        return [_repaired(v, (*path, str(i)), renames) for i, v in enumerate(node)]
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            out[renames.get((path, k), k)] = _repaired(v, (*path, k), renames)
        return out
    return node


def _suggest(key: str, allowed: frozenset[str]) -> str:
    close = difflib.get_close_matches(key if key.startswith("@") else "@" + key, sorted(allowed), n=1, cutoff=0.75)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _context(value: Any, context: str, where: tuple[str, ...], path: tuple[str, ...] = ()) -> Iterator[ContextDefect]:
    if value is None or isinstance(value, str):
        if isinstance(value, str) and not value.strip():
            yield ContextDefect(context, where, None, "an empty string is not a context reference")
        return
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, list):
                yield ContextDefect(context, (*where, f"@context[{i}]") if where else (f"@context[{i}]",), None,
                                    "an array inside a context array (JSON-LD allows one level)")
            else:
                yield from _context(item, context, where, (*path, str(i)))
        return
    if not isinstance(value, dict):
        yield ContextDefect(context, where, None, f"a context must be an object, a URL or null, not a JSON {_json_type(value)}")
        return
    for key, item in value.items():
        if key.startswith("@"):
            yield from _context_keyword(key, item, context, where)
        else:
            yield from _term(key, item, value, context, where, path)


def _context_keyword(key: str, value: Any, context: str, where: tuple[str, ...]) -> Iterator[ContextDefect]:
    here = (*where, key)
    if key not in KEYWORDS:
        if not _RESERVED.match(key):
            yield ContextDefect(context, here, key, "a term starting with @ that is not a keyword")
        return  # "@foo": reserved for future keywords, ignored by JSON-LD 1.1 processors
    if key not in CONTEXT_KEYS:
        yield ContextDefect(context, here, key, f"keyword {key} cannot be used or redefined in a context"
                            + _suggest(key, CONTEXT_KEYS - {key}))
        return
    rule = _context_keyword_rule(key, value)
    if rule:
        yield ContextDefect(context, here, key, rule)


def _context_keyword_rule(key: str, value: Any) -> str | None:
    if key == "@version":
        return None if value == 1.1 and not isinstance(value, bool) else f"@version must be the number 1.1, found {value!r}"
    if key in ("@vocab", "@base", "@language"):
        return None if value is None or isinstance(value, str) else f"{key} must be a string or null, not a JSON {_json_type(value)}"
    if key == "@direction":
        return None if value in (None, "ltr", "rtl") else f'@direction must be "ltr", "rtl" or null, found {value!r}'
    if key in ("@propagate", "@protected"):
        return None if isinstance(value, bool) else f"{key} must be true or false, found {value!r}"
    if key == "@import":
        return None if isinstance(value, str) else f"@import must be a URL string, not a JSON {_json_type(value)}"
    # JSON-LD 1.1: only {"@container": "@set"} (and @protected) may be said of @type
    if key == "@type" and (not isinstance(value, dict) or set(value) - {"@container", "@protected"}
                           or value.get("@container") != "@set"):
        return '@type may only be given {"@container": "@set"} (and "@protected")'
    return None


def _term(term: str, definition: Any, ctx: dict[str, Any], context: str, where: tuple[str, ...],
          path: tuple[str, ...]) -> Iterator[ContextDefect]:
    here = (*where, term)
    if term == "":
        yield ContextDefect(context, here, term, "a term must not be the empty string")
        return
    bare = "@" + term
    if term in _CONTEXT_BARE_WHEN_ABSENT and bare not in ctx and isinstance(definition, str):
        yield ContextDefect(context, here, term, f'"{term}" defines a term, not {bare}: every key the context leaves '
                            f'undefined would be dropped (did you mean "{bare}"?)', (path, term, bare))
        return
    if term in _CONTEXT_BARE_WHEN_NOT_A_TERM and bare not in ctx and _context_keyword_rule(bare, definition) is None \
            and not (definition is None or isinstance(definition, dict)) \
            and (term != "language" or (isinstance(definition, str) and _LANGUAGE_TAG.match(definition))) \
            and (term != "direction" or definition in ("ltr", "rtl")):
        yield ContextDefect(context, here, term, f"{definition!r} is not a term definition (did you mean \"{bare}\"?)",
                            (path, term, bare))
        return
    if definition is None or isinstance(definition, str):
        if definition == "@context":
            yield ContextDefect(context, here, term, "@context cannot be aliased")
        return
    if not isinstance(definition, dict):
        yield ContextDefect(context, here, term, f"a term definition must be a string, an object or null, not a JSON "
                            f"{_json_type(definition)}")
        return
    yield from _definition(term, definition, context, here, (*path, term))


def _definition(term: str, d: dict[str, Any], context: str, here: tuple[str, ...],
                path: tuple[str, ...]) -> Iterator[ContextDefect]:
    for key in d:
        if key in TERM_DEFINITION_KEYS:
            continue
        bare = "@" + key
        if bare in TERM_DEFINITION_KEYS and bare not in d:
            yield ContextDefect(context, here, key, f'unknown key "{key}" (did you mean "{bare}"?)', (path, key, bare))
        elif bare in TERM_DEFINITION_KEYS:
            yield ContextDefect(context, here, key, f'unknown key "{key}" beside "{bare}": no safe reading')
        elif key == "@propagate":
            yield ContextDefect(context, here, key, "@propagate belongs in a context, not in a term definition")
        else:
            yield ContextDefect(context, here, key, f'unknown key "{key}"' + _suggest(key, TERM_DEFINITION_KEYS))
    # Rules below read the definition as it will be after repairs (keyword written without @ counted as the keyword).
    get = {k if k.startswith("@") else "@" + k: v for k, v in d.items() if ("@" + k if not k.startswith("@") else k)
           in TERM_DEFINITION_KEYS}
    for rule, key in _definition_rules(term, get):
        yield ContextDefect(context, here, key, rule)
    if "@context" in get:
        yield from _context(get["@context"], context, (*here, "@context"), (*path, "@context" if "@context" in d else "context"))


def _definition_rules(term: str, d: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if "@id" in d and d["@id"] is not None:
        if not isinstance(d["@id"], str):
            yield f"@id must be a string or null, not a JSON {_json_type(d['@id'])}", "@id"
        elif d["@id"] == "@context":
            yield "@context cannot be aliased", "@id"
    if "@reverse" in d:
        if "@id" in d or "@nest" in d:
            yield "@reverse cannot be used with @id or @nest", "@reverse"
        if not isinstance(d["@reverse"], str):
            yield f"@reverse must be a string, not a JSON {_json_type(d['@reverse'])}", "@reverse"
    if "@type" in d:
        t = d["@type"]
        if not isinstance(t, str):
            yield f"@type must be a string, not a JSON {_json_type(t)}", "@type"
        elif t.startswith("@") and t not in TYPE_KEYWORDS:
            yield f"@type {t!r} is not one of @id, @json, @none, @vocab or an IRI" + _suggest(t, TYPE_KEYWORDS), "@type"
        elif t.startswith("_:"):
            yield f"@type {t!r} must not be a blank node", "@type"
    if "@container" in d:
        yield from _container_rules(d)
    if "@language" in d and not (d["@language"] is None or isinstance(d["@language"], str)):
        yield f"@language must be a string or null, not a JSON {_json_type(d['@language'])}", "@language"
    if "@direction" in d and d["@direction"] not in (None, "ltr", "rtl"):
        yield f'@direction must be "ltr", "rtl" or null, found {d["@direction"]!r}', "@direction"
    if "@index" in d and (not isinstance(d["@index"], str) or d["@index"].startswith("@")):
        yield "@index must be a property name (a string that is not a keyword)", "@index"
    if "@nest" in d and (not isinstance(d["@nest"], str) or (d["@nest"].startswith("@") and d["@nest"] != "@nest")):
        yield '@nest must be "@nest" or a term that is not a keyword', "@nest"
    if "@prefix" in d:
        if not isinstance(d["@prefix"], bool):
            yield f"@prefix must be true or false, found {d['@prefix']!r}", "@prefix"
        elif ":" in term or "/" in term:
            yield "@prefix is not allowed on a term that is a compact IRI or an IRI", "@prefix"
    if "@protected" in d and not isinstance(d["@protected"], bool):
        yield f"@protected must be true or false, found {d['@protected']!r}", "@protected"


def _container_rules(d: dict[str, Any]) -> Iterator[tuple[str, str]]:
    raw = d["@container"]
    if raw is None:
        return
    values = raw if isinstance(raw, list) else [raw]
    if not values or not all(isinstance(v, str) for v in values):
        yield "@container must be a keyword or an array of keywords", "@container"
        return
    unknown = [v for v in values if v not in CONTAINERS]
    if unknown:
        yield (f"@container {unknown[0]!r} is not one of {', '.join(sorted(CONTAINERS))}"
               + _suggest(unknown[0], CONTAINERS)), "@container"
        return
    kinds = set(values)
    if "@list" in kinds and len(kinds) > 1:
        yield "@container @list cannot be combined with anything else", "@container"
    elif "@graph" in kinds and kinds - {"@graph", "@id", "@index", "@set"}:
        yield "@container @graph combines only with @id, @index or @set", "@container"
    elif "@graph" not in kinds and len(kinds - {"@set"}) > 1:
        yield f"@container {sorted(kinds)} combines two container kinds", "@container"
    if "@reverse" in d and kinds - {"@set", "@index"}:
        yield "a @reverse term's @container must be @set or @index", "@container"
    if "@type" in kinds and "@type" in d and d["@type"] not in ("@id", "@vocab"):
        yield "a @type container needs @type @id or @vocab on the term", "@container"
    if "@index" in d and "@index" not in kinds:
        yield "@index needs @container @index", "@index"


def _json_type(value: Any) -> str:
    return {bool: "boolean", int: "number", float: "number", str: "string", list: "array", dict: "object"}.get(
        type(value), "null" if value is None else type(value).__name__)
