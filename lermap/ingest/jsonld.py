"""JSON-LD documents as publishers ship them: the reading step every JSON-LD ingester shares.

* :func:`read_json_values` — the JSON text, strict by default; with ``IngestOptions.lenient`` the defects that have
  one safe reading (comments, trailing and missing commas, several values where the format allows them) are repaired
  by :mod:`lermap.graph.jsontext`, one warning per repair;
* :func:`context_policy` — how defective ``@context`` documents are treated in this run (refused, or repaired
  leniently with a warning each) by :mod:`lermap.graph.jsonld`; every expansion an ingester asks for passes it;
* :func:`compacted` — a document in expanded or flattened form, or a top-level array or ``@graph``, turned into the
  compacted tree of the standard (:func:`lermap.graph.jsonld_forms.compact_tree`), so the readers written for the
  published form read every form the same way;
* :func:`jsonld_head`, :func:`vocabulary_score` — the first bytes of a JSON object or array, and whether an
  expanded document's nodes are typed in a vocabulary, for ``sniff``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from lermap.graph.context_choice import ContextChoice
from lermap.graph.jsonld import ContextPolicy, default_registry
from lermap.graph.jsonld_forms import compact_tree, needs_compacting
from lermap.graph.jsontext import JsonTextError, read_json_text
from lermap.ingest.base import IngestContext, Source, check_json_depth

_MAX_REPAIR_WARNINGS = 20


def jsonld_head(source: Source, n: int = 8192) -> str:
    """The first ``n`` bytes as text when the source starts like a JSON object or array, else ''."""
    head = source.head(n).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith((b"{", b"[")):
        return ""
    return head.decode("utf-8", "replace")


_TYPES = re.compile(r'"@type"\s*:\s*(\[[^\]]*\]|"[^"]*")')


def _type_list(text: str) -> list[str]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return []
    return [t for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)]


def _root_types(head: str) -> list[str]:
    """The ``@type`` of the first top-level node (the object, or the first object of the array), read from the
    first bytes by following the nesting outside strings: expanded documents need not write ``@type`` first."""
    depth, root, i, n = 0, 0, 0, len(head)
    while i < n:
        c = head[i]
        if c == '"':
            end = i + 1
            while end < n and head[end] != '"':
                end += 2 if head[end] == "\\" else 1
            if depth == root and head.startswith('"@type"', i) and (found := _TYPES.match(head, i)) is not None:
                return _type_list(found.group(1))
            i = end + 1
            continue
        if c in "{[":
            depth += 1
            if not root and c == "{":
                root = depth  # the first object opened is the first node (inside a top-level array or not)
        elif c in "}]":
            depth -= 1
            if root and depth < root:
                return []
        i += 1
    return []


def vocabulary_score(head: str, namespace: str, first: float, anywhere: float) -> float:
    """For a document without ``@context`` (expanded JSON-LD): ``first`` when its first node has a type in
    ``namespace``, ``anywhere`` when another node in the first bytes has (a flattened document lists blank nodes
    first), else 0."""
    if '"@context"' in head:
        return 0.0
    if any(t.startswith(namespace) for t in _root_types(head)):
        return first
    types = (t for found in _TYPES.finditer(head) for t in _type_list(found.group(1)))
    return anywhere if any(t.startswith(namespace) for t in types) else 0.0


def context_policy(ctx: IngestContext) -> ContextPolicy:
    """Defective contexts in this run: refused, or with ``lenient`` repaired and reported once each as a warning."""

    def report(location: str, message: str) -> None:
        text = f"{location}: {message}" if location else message
        if text not in ctx.warnings:
            ctx.warn(location, message)

    return ContextPolicy(lenient=ctx.options.lenient, report=report)


def read_json_values(source: Source, ctx: IngestContext, several: bool = False) -> list[Any]:
    """The JSON value(s) of the source; ``several`` accepts values one after another (leniently only)."""
    text = source.text(source.limits.max_json_bytes)
    try:
        values, repairs = read_json_text(text, lenient=ctx.options.lenient, several=several)
    except RecursionError:
        ctx.fail("(document)", "JSON nested too deeply to read")
    except JsonTextError as exc:
        if exc.repairable:
            ctx.fail(exc.location, f"not strict JSON: {exc.defect}; read it with the lenient option (--lenient, "
                                   "IngestOptions.lenient=True), which repairs it")
        ctx.fail(exc.location, f"{'unreadable even leniently' if ctx.options.lenient else 'invalid JSON'}: {exc.defect}")
    for r in repairs[:_MAX_REPAIR_WARNINGS]:
        ctx.warn(f"line {r.line}, column {r.column}", f"non-strict JSON read leniently: {r.defect} repaired")
    if len(repairs) > _MAX_REPAIR_WARNINGS:
        ctx.warn("(document)", f"non-strict JSON read leniently: {len(repairs) - _MAX_REPAIR_WARNINGS} more repairs")
    for value in values:
        check_json_depth(value, source.key, source.limits.max_json_depth)
    return values


def read_json_document(source: Source, ctx: IngestContext) -> Any:
    """The one JSON value of the source (see :func:`read_json_values`)."""
    return read_json_values(source, ctx)[0]


def compacted(value: Any, ctx: IngestContext, choice: ContextChoice, base_iri: str | None = None) -> Any:
    """``value`` as the compacted tree a reader expects: as it is when it already is one, otherwise expanded and
    compacted against the contexts of ``choice`` the document uses (see :mod:`lermap.graph.jsonld_forms`)."""
    if not needs_compacting(value):
        return value
    return compact_tree(value, ctx.source.key, choice, default_registry(), context_policy(ctx), base_iri, ctx.warn)
