"""The checks a client's query passes before evaluation: not empty, not too long, not too deep, no federation.

:func:`check_size` is a length test, cheap enough for the server itself. :func:`check_text` reads the whole text
(:func:`lermap.graph.sparql_scan.scan`, linear) and, only when that scan cannot be sure about a ``SERVICE``
keyword, parses the query with rdflib's SPARQL 1.1 parser — which can be slow on a huge query, so it runs where
the evaluation runs: in a query worker, inside the query's time limit (:mod:`lermap.graph.query_worker`). A query
the parser cannot read is refused there (fail closed: the word is in it, and nothing could clear it).
"""

from __future__ import annotations

from typing import Any

from lermap.errors import QueryError
from lermap.graph.query_limits import FederationRefused, QueryTooDeep, QueryTooLarge
from lermap.graph.sparql_scan import scan


def check_size(query: str, max_bytes: int) -> None:
    """Refuse an empty query and one longer than ``max_bytes`` (UTF-8)."""
    if not query.strip():
        raise QueryError("no query given: send it as `query` (GET or form POST) or as an application/sparql-query body")
    size = len(query.encode("utf-8"))
    if size > max_bytes:
        raise QueryTooLarge(f"the query is {size:,} bytes; this endpoint accepts at most {max_bytes:,} (LERMAP_MAX_QUERY_BYTES)")


def check_text(query: str, max_depth: int) -> None:
    """Refuse a query nested deeper than ``max_depth`` or holding a SERVICE clause (see the module docstring)."""
    found = scan(query)
    if found.depth > max_depth:
        raise QueryTooDeep(f"the query nests brackets {found.depth:,} deep; this endpoint accepts at most {max_depth:,} "
                           "levels (LERMAP_MAX_QUERY_DEPTH)")
    if found.service:
        raise FederationRefused("SERVICE (federated query) is not allowed on this endpoint")
    if found.service_unclear and _parsed_has_service(query):
        raise FederationRefused("SERVICE (federated query) is not allowed on this endpoint")


def _parsed_has_service(query: str) -> bool:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    if "\\u" in query or "\\U" in query:  # rdflib reads escapes everywhere, pyoxigraph only in strings: they could disagree
        raise FederationRefused("the query mentions SERVICE and uses \\u escapes, so it cannot be cleared of federation; "
                                "federated queries are not allowed here")
    try:
        tree: Any = parseQuery(query)
    except Exception as exc:  # noqa: BLE001 - any parser failure means the check could not clear the query
        raise FederationRefused(f"the query mentions SERVICE and could not be checked for federation ({type(exc).__name__}: "
                                f"{str(exc).splitlines()[0][:200] if str(exc) else ''}); federated queries are not allowed here") from None
    stack = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name == "ServiceGraphPattern":
                return True
            stack.extend(item.values())
        elif isinstance(item, (ParseResults, list, tuple)):
            stack.extend(item)
    return False
