"""Refusals of invalid JSON-LD that say which node and which rule, not only what the parser said.

pyoxigraph and pyld report a broken document with one sentence ("@value and @id are incompatible",
"Invalid JSON-LD syntax; ..."). :func:`invalid_jsonld` adds where: it looks for the smallest part of the
document whose removal makes the document parse (a bounded search, run only after a failure) and names it by
JSON pointer and by the ``@id`` of the node it sits in. A protected term that a later context redefines is
named with the contexts that define it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

from lermap.errors import SourceError

_MAX_ATTEMPTS = 64
_PYLD_NOISE = re.compile(r"^Invalid JSON-LD syntax; ")


class JsonLdFailure(ValueError):
    """pyld refused a document; ``rule`` is its innermost message, ``term`` the term it named (if any)."""

    def __init__(self, rule: str, term: str | None) -> None:
        self.rule = rule
        self.term = term
        super().__init__(rule)


def pyld_failure(exc: BaseException) -> JsonLdFailure:
    """The innermost cause of a pyld error (pyld chains them; the innermost says what is wrong)."""
    while exc.__cause__ is not None:
        exc = exc.__cause__
    details = getattr(exc, "details", None)
    text = str(exc.args[0]) if exc.args else str(exc)
    code = getattr(exc, "code", None)
    term = details.get("term") if isinstance(details, dict) and isinstance(details.get("term"), str) else None
    rule = _PYLD_NOISE.sub("", text)
    if code and code not in rule:
        rule = f"{rule} [{code}]"
    return JsonLdFailure(rule, term)


def rule_of(exc: BaseException) -> tuple[str, str | None]:
    """(the rule broken, the term it names) for a pyoxigraph ``SyntaxError`` or a :class:`JsonLdFailure`."""
    if isinstance(exc, JsonLdFailure):
        return exc.rule, exc.term
    return str(exc), None


def invalid_jsonld(source: str, inlined: Any, exc: BaseException, parses: Callable[[Any], bool],
                   explain: Callable[[str, str | None], str]) -> SourceError:
    """The refusal of a document that does not expand: source, node (pointer and ``@id``) and rule.

    ``parses(candidate)`` says whether a reduced copy of the (inlined) document expands; ``explain(rule, term)``
    adds what the document's contexts say about the failure (which ones define the term).
    """
    rule, term = rule_of(exc)
    rule = explain(rule, term)
    pointer = _locate(inlined, parses)
    if pointer is None:
        return SourceError(source, "(JSON-LD)", f"invalid JSON-LD: {rule}")
    node = _node_id(inlined, pointer)
    location = (pointer or "/") + (f' (node "{node}")' if node else "")
    return SourceError(source, location, f"invalid JSON-LD: {rule}")


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _get(root: Any, path: list[str | int]) -> Any:
    for step in path:
        root = root[step]
    return root


def _members(node: Any) -> list[str | int]:
    if isinstance(node, dict):
        return [k for k in node if k != "@context"]
    return list(range(len(node))) if isinstance(node, list) else []


def _restricted(root: Any, path: list[str | int], n: int) -> Any:
    """A copy of ``root`` whose container at ``path`` keeps only its first ``n`` members (and its ``@context``);
    only the containers on the path are copied."""
    if not path:
        if isinstance(root, dict):
            keep = set(_members(root)[:n]) | {"@context"}
            return {k: v for k, v in root.items() if k in keep}
        return root[:n]
    head = path[0]
    if isinstance(root, dict):
        return {**root, head: _restricted(root[head], path[1:], n)}
    return [(_restricted(v, path[1:], n) if i == head else v) for i, v in enumerate(root)]


def _locate(doc: Any, parses: Callable[[Any], bool]) -> str | None:
    """JSON pointer of the first member (in document order) that makes ``doc`` fail: at each level, the shortest
    prefix of the members that still fails ends with the culprit, and the search goes on inside it. None when the
    failure is not inside any member (a context, or the top-level shape)."""
    attempts = 0
    path: list[str | int] = []
    current = doc
    while isinstance(_get(current, path), (dict, list)) and attempts < _MAX_ATTEMPTS:
        members = _members(_get(current, path))
        attempts += 1
        if not members or not parses(_restricted(current, path, 0)) or attempts >= _MAX_ATTEMPTS:
            break  # fails even without any member: the culprit is this node's own shape or context
        lo, hi = 0, len(members)  # prefix of lo members parses, prefix of hi members fails
        while hi - lo > 1 and attempts < _MAX_ATTEMPTS:
            mid = (lo + hi) // 2
            attempts += 1
            if parses(_restricted(current, path, mid)):
                lo = mid
            else:
                hi = mid
        if hi - lo > 1:
            break
        current = _restricted(current, path, hi)
        path.append(members[hi - 1])
    if not path:
        return None
    return "".join(f"/{_escape(str(p))}" for p in path)


def _node_id(doc: Any, pointer: str) -> str | None:
    """The ``@id`` (or ``id``) of the innermost node object on the way to ``pointer``."""
    found: str | None = None
    node = doc
    steps = [s.replace("~1", "/").replace("~0", "~") for s in pointer.split("/")[1:]]
    for step in [None, *steps]:
        if step is not None:
            node = node[int(step)] if isinstance(node, list) else node.get(step) if isinstance(node, dict) else None
        if isinstance(node, dict) and "@value" not in node:
            ident = node.get("@id", node.get("id"))
            if isinstance(ident, str):
                found = ident
    return found


def pyoxigraph_parses(base_iri: str | None) -> Callable[[Any], bool]:
    def parses(candidate: Any) -> bool:
        try:
            for _ in ox.parse(json.dumps(candidate), format=ox.RdfFormat.JSON_LD, base_iri=base_iri):
                pass
        except SyntaxError:
            return False
        return True

    return parses
