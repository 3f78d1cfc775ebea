"""Binding values into SPARQL safely: an inline ``VALUES`` block of serialised terms.

Values are serialised by the RDF library (escaping included) and placed in a ``VALUES`` block at the
start of the query's ``WHERE`` group, which for the queries lermap ships behaves like substitution:
aggregates, OPTIONALs and FILTERs all see the bound value. Nothing a user types is ever pasted into
the query text as syntax.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox

from lermap.errors import QueryError

_MASK = re.compile(r'<[^<>"{}|^`\\\s]*>|"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*')
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def read_query(name: str) -> str:
    """The text of a shipped SPARQL file ``lermap/graph/queries/<name>.rq``."""
    from importlib import resources

    return (resources.files("lermap.graph") / "queries" / f"{name}.rq").read_text("utf-8")


def bind_values(query: str, bindings: Mapping[str, ox.NamedNode | ox.Literal | ox.BlankNode | ox.Triple]) -> str:
    """``query`` with ``bindings`` (variable name → term) placed as VALUES at the start of its WHERE group."""
    if not bindings:
        return query
    masked = _MASK.sub(lambda m: " " * len(m.group(0)), query)
    match = _WHERE.search(masked)
    if match is None:
        raise QueryError("values can only be bound in a query with an explicit WHERE { ... } clause")
    names = []
    values = []
    for name, term in bindings.items():
        if not _VAR.match(name):
            raise QueryError(f"invalid variable name {name!r}")
        if not isinstance(term, (ox.NamedNode, ox.Literal)):
            raise QueryError(f"?{name}: only IRIs and literals can be bound, not {type(term).__name__}")
        names.append(f"?{name}")
        values.append(str(term))
    block = f" VALUES ({' '.join(names)}) {{ ({' '.join(values)}) }} "
    return query[: match.end()] + block + query[match.end() :]
