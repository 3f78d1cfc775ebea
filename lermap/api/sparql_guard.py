"""What ``/sparql`` refuses and how it bounds what it runs.

* **Updates** are refused before anything is parsed (``update=`` or a ``application/sparql-update`` body); the
  query itself only ever reaches the engine's *query* entry point, which cannot modify the store.
* **Federation** (``SERVICE``) is refused: pyoxigraph ships an HTTP client and would otherwise call any URL a
  client names. A query whose text (after ``\\uXXXX`` escapes) never says ``service`` cannot hold a SERVICE
  clause and costs nothing; any other query is parsed with rdflib's SPARQL 1.1 parser and refused if its tree
  holds a ``ServiceGraphPattern`` — or if rdflib cannot parse it (fail closed: the word is there, the check
  could not clear it).
* **Size, time and result count.** pyoxigraph has no query timeout or cancellation, so each query runs in a
  worker thread of its own (pyoxigraph releases the GIL while it evaluates): the request waits at most
  ``query_timeout_s`` and answers 503 after that. Rows are pulled one at a time and the worker stops at the
  deadline or at ``result_cap`` rows (the answer is then truncated and says so in ``X-Lermap-Truncated``). A
  query stuck inside one step (a huge ORDER BY or aggregate) cannot be interrupted: its worker keeps its slot
  until the engine returns, and at most ``sparql_workers`` queries run at once, so abandoned queries can
  never take more than that many cores; a request that finds every slot taken for its whole timeout gets 503.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from lermap.errors import QueryError, StoreError
from lermap.graph.store import SelectResult
from lermap.service import KnowledgeGraph


class UpdateRefused(QueryError):
    """A SPARQL update was sent to the read-only endpoint."""

    http_status = 403


class FederationRefused(QueryError):
    """The query asks for SERVICE (federated) evaluation."""

    http_status = 403


class QueryTooLarge(QueryError):
    """The query text is longer than the configured limit."""

    http_status = 413


class QueryTimeout(QueryError):
    """The query ran past the configured timeout."""

    http_status = 503


class EndpointBusy(StoreError):
    """Every query slot stayed taken for the whole timeout."""

    http_status = 503


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_PARSE_LOCK = threading.Lock()


def _unescape(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except ValueError:
            return m.group(0)

    return _ESCAPE.sub(repl, text)


def _has_service(node: Any) -> bool:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name == "ServiceGraphPattern":
                return True
            stack.extend(item.values())
        elif isinstance(item, (ParseResults, list, tuple)):
            stack.extend(item)
    return False


def check_query(query: str, max_bytes: int) -> None:
    """Refuse empty, oversized and federated queries (see the module docstring)."""
    if not query.strip():
        raise QueryError("no query given: send it as `query` (GET or form POST) or as an application/sparql-query body")
    size = len(query.encode("utf-8"))
    if size > max_bytes:
        raise QueryTooLarge(f"the query is {size:,} bytes; this endpoint accepts at most {max_bytes:,} (LERMAP_MAX_QUERY_BYTES)")
    if "service" not in query.lower() and "service" not in _unescape(query).lower():
        return
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        with _PARSE_LOCK:  # pyparsing's packrat cache is shared state
            tree = parseQuery(query)
    except Exception as exc:  # noqa: BLE001 - any parser failure means the SERVICE check could not clear the query
        raise FederationRefused(f"the query mentions SERVICE and could not be checked for federation ({type(exc).__name__}: "
                                f"{str(exc).splitlines()[0][:200]}); federated queries are not allowed here") from None
    if _has_service(tree):
        raise FederationRefused("SERVICE (federated query) is not allowed on this endpoint")


@dataclass
class Answer:
    """What a query gave, bounded: SELECT rows, an ASK boolean or CONSTRUCT/DESCRIBE triples."""

    result: SelectResult | bool | list[ox.Triple]
    truncated: bool = False


class QueryRunner:
    """Runs read-only queries in abandonable worker threads with a timeout, a row cap and a slot limit."""

    def __init__(self, timeout_s: float, cap: int, workers: int) -> None:
        self.timeout_s = timeout_s
        self.cap = cap
        self._slots = threading.BoundedSemaphore(workers)

    def run(self, kg: KnowledgeGraph, query: str, default_graphs: Sequence[str] | None = None,
            named_graphs: Sequence[str] | None = None) -> Answer:
        """Run ``query`` over the shared graphs (or the given subset of them); raise on timeout."""
        deadline = time.monotonic() + self.timeout_s
        # resolve the graphs before taking a slot: only the worker gives a slot back, so nothing may raise in between
        visible = kg.store.visible_graphs()
        default = _subset(visible, default_graphs, "default-graph-uri")
        named = _subset(visible, named_graphs, "named-graph-uri") if named_graphs else (visible if not default_graphs else [])
        if not self._slots.acquire(timeout=self.timeout_s):
            raise EndpointBusy(f"every query slot stayed busy for {self.timeout_s:g} s; try again later")
        done = threading.Event()
        stop = threading.Event()
        box: dict[str, Any] = {}

        def work() -> None:
            try:
                box["answer"] = self._evaluate(kg, query, default, named, deadline, stop)
            except BaseException as exc:  # noqa: BLE001 - handed to the request thread
                box["error"] = exc
            finally:
                self._slots.release()
                done.set()

        threading.Thread(target=work, name="lermap-sparql", daemon=True).start()
        if not done.wait(max(0.0, deadline - time.monotonic())):
            stop.set()
            raise QueryTimeout(f"the query ran longer than {self.timeout_s:g} s (LERMAP_QUERY_TIMEOUT); add LIMIT or narrow it")
        if "error" in box:
            raise box["error"]
        answer: Answer = box["answer"]
        return answer

    def _evaluate(self, kg: KnowledgeGraph, query: str, default: list[ox.NamedNode], named: list[ox.NamedNode],
                  deadline: float, stop: threading.Event) -> Answer:
        from lermap.graph.backends.oxigraph import OxigraphBackend

        backend = kg.store.backend
        if isinstance(backend, OxigraphBackend):
            try:
                res = backend.store.query(query, default_graph=list(default), named_graphs=list(named))
                if isinstance(res, ox.QueryBoolean):
                    return Answer(bool(res))
                if isinstance(res, ox.QuerySolutions):
                    variables = [v.value for v in res.variables]
                    rows, truncated = self._take(res, deadline, stop)
                    return Answer(SelectResult(variables, [[sol[i] for i in range(len(variables))] for sol in rows]), truncated)
                triples, truncated = self._take(res, deadline, stop)
                return Answer(triples, truncated)
            except SyntaxError as exc:
                raise QueryError(f"invalid SPARQL query: {exc}") from None
            except OSError as exc:
                raise QueryError(f"query failed: {exc}") from None
        # a remote store answers in one piece (its own timeout applies); the cap still holds
        result = backend.query(query, None, default, named)
        if isinstance(result, SelectResult) and len(result.rows) > self.cap:
            return Answer(SelectResult(result.variables, result.rows[: self.cap]), True)
        if isinstance(result, list) and len(result) > self.cap:
            return Answer(result[: self.cap], True)
        return Answer(result)

    def _take(self, items: Iterator[Any], deadline: float, stop: threading.Event) -> tuple[list[Any], bool]:
        out: list[Any] = []
        for item in items:
            if len(out) >= self.cap:
                return out, True
            if stop.is_set() or time.monotonic() > deadline:
                return out, True  # nobody is waiting any more
            out.append(item)
        return out, False


def _subset(visible: list[ox.NamedNode], wanted: Sequence[str] | None, param: str) -> list[ox.NamedNode]:
    if not wanted:
        return visible
    known = {g.value: g for g in visible}
    missing = [w for w in wanted if w not in known]
    if missing:
        raise QueryError(f"{param}: no shared graph {missing[0]} (see /v1/sources for the graphs this endpoint serves)")
    return [known[w] for w in wanted]
