"""Running a client's query under one deadline: the entry point of the public SPARQL endpoint.

:func:`open_runner` picks how, by backend:

* **embedded (pyoxigraph)** — :class:`PooledRunner`: everything after the size test (depth and federation checks,
  evaluation over a snapshot, serialisation) happens in a worker process of a :class:`~lermap.graph.query_pool.QueryPool`
  that is killed at the deadline; a crash takes only the worker.
* **remote (``sparql:``)** — :class:`RemoteRunner`: the remote engine evaluates, through an HTTP call with its
  own timeout, so no engine runs here; the checks still run in a worker (the federation check may need a slow
  parse), and at most ``workers`` remote calls run at once.

Both answer with finished bytes (:class:`~lermap.graph.query_limits.Answer`) or raise one of the errors of
:mod:`lermap.graph.query_limits`. **One deadline**: a query's own life — size test, graph lookup, snapshot,
checks, evaluation, serialisation — gets ``timeout_s`` in all, counted from the request's arrival less only the
wait for a free worker, which is bounded by ``timeout_s`` of its own (503 ``EndpointBusy`` after it): a request
is answered within twice the limit at worst, and a query never runs past it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import Any, Protocol

import pyoxigraph as ox

from lermap.errors import QueryError
from lermap.graph.backends.oxigraph import OxigraphBackend
from lermap.graph.query_checks import check_size
from lermap.graph.query_limits import REFUSALS, Answer, EndpointBusy, QueryLimits, QueryTimeout
from lermap.graph.query_pool import QueryPool, Snapshots
from lermap.graph.query_worker import Job
from lermap.graph.sparql_results import answer_body
from lermap.graph.store import GraphStore, SelectResult


class QueryRunner(Protocol):
    """Answers a client's query over the shared graphs (or a subset), within :attr:`limits`."""

    limits: QueryLimits

    def start(self) -> None:
        """Start the first worker process and wait until it is ready (so the first query does not wait for it)."""

    def run(self, query: str, accept: str, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()) -> Answer: ...

    def close(self) -> None: ...


def open_runner(store: GraphStore, limits: QueryLimits) -> QueryRunner:
    """The runner for ``store``'s backend (see the module docstring)."""
    if isinstance(store.backend, OxigraphBackend):
        return PooledRunner(store, store.backend, limits)
    return RemoteRunner(store, limits)


def _graphs(store: GraphStore, default_graphs: Sequence[str], named_graphs: Sequence[str]) -> tuple[list[str], list[str]]:
    visible = [g.value for g in store.visible_graphs()]
    default = _subset(visible, default_graphs, "default-graph-uri")
    named = _subset(visible, named_graphs, "named-graph-uri") if named_graphs else (visible if not default_graphs else [])
    return default, named


def _subset(visible: list[str], wanted: Sequence[str], param: str) -> list[str]:
    if not wanted:
        return visible
    missing = [w for w in wanted if w not in visible]
    if missing:
        raise QueryError(f"{param}: no shared graph {missing[0]} (see /v1/sources for the graphs this endpoint serves)")
    return list(wanted)


def _raise_refusal(reply: tuple[Any, ...]) -> None:
    if reply[0] == "refused":
        raise REFUSALS.get(reply[1], QueryError)(reply[2])


class PooledRunner:
    """Embedded store: checks, evaluation and serialisation in killable worker processes over a snapshot."""

    def __init__(self, store: GraphStore, backend: OxigraphBackend, limits: QueryLimits) -> None:
        self.store = store
        self.limits = limits
        self.pool = QueryPool(limits.workers, warm=lambda: self.snapshots.current())
        self.snapshots = Snapshots(backend, self.pool.snapshots_in_use)

    def start(self) -> None:
        self.snapshots.path_for(self._state)  # the first worker opens it before it says ready
        self.pool.start()

    def _state(self) -> str:
        return "|".join(g.value for g in self.store.visible_graphs())

    def run(self, query: str, accept: str, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()) -> Answer:
        started = time.monotonic()
        check_size(query, self.limits.max_bytes)
        default, named = _graphs(self.store, default_graphs, named_graphs)
        job = Job(self.snapshots.path_for(self._state), query, default, named, accept, self.limits.cap, self.limits.max_depth)
        reply = self.pool.run(job, self.limits.timeout_s, time.monotonic() - started)
        _raise_refusal(reply)
        self.snapshots.collect()
        return Answer(reply[1], reply[2], reply[3])

    def close(self) -> None:
        self.pool.close()
        self.snapshots.close()


class RemoteRunner:
    """Remote store: checks in a worker, evaluation by the remote engine, at most ``workers`` calls at once."""

    def __init__(self, store: GraphStore, limits: QueryLimits) -> None:
        self.store = store
        self.limits = limits
        self.pool = QueryPool(limits.workers)
        self._slots = threading.BoundedSemaphore(limits.workers)

    def start(self) -> None:
        self.pool.start()

    def run(self, query: str, accept: str, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()) -> Answer:
        started = time.monotonic()
        check_size(query, self.limits.max_bytes)
        default, named = _graphs(self.store, default_graphs, named_graphs)
        check = Job("", query, [], [], "", 0, self.limits.max_depth, evaluate=False)
        _raise_refusal(self.pool.run(check, self.limits.timeout_s, time.monotonic() - started))
        deadline = started + self.limits.timeout_s
        if not self._slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise EndpointBusy(f"every query slot stayed busy for {self.limits.timeout_s:g} s; try again later")
        done = threading.Event()
        box: dict[str, Any] = {}

        def work() -> None:  # a thread of its own, so the request stops waiting at the deadline; the HTTP timeout ends it
            try:
                result = self.store.backend.query(query, None, [ox.NamedNode(g) for g in default], [ox.NamedNode(g) for g in named])
                box["answer"] = self._answer(result, accept)
            except BaseException as exc:  # noqa: BLE001 - handed to the request thread
                box["error"] = exc
            finally:
                self._slots.release()
                done.set()

        threading.Thread(target=work, name="lermap-remote-query", daemon=True).start()
        if not done.wait(max(0.0, deadline - time.monotonic())):
            raise QueryTimeout(f"the query ran longer than {self.limits.timeout_s:g} s (LERMAP_QUERY_TIMEOUT); add LIMIT or narrow it")
        if "error" in box:
            raise box["error"]
        answer: Answer = box["answer"]
        return answer

    def _answer(self, result: SelectResult | bool | list[ox.Triple], accept: str) -> Answer:
        cap, truncated = self.limits.cap, False
        if isinstance(result, SelectResult) and len(result.rows) > cap:
            result, truncated = SelectResult(result.variables, result.rows[:cap]), True
        elif isinstance(result, list) and len(result) > cap:
            result, truncated = result[:cap], True
        media, body = answer_body(result, accept)
        return Answer(media, body, truncated)

    def close(self) -> None:
        self.pool.close()
