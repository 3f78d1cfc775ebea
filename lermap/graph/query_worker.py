"""One query worker process: checks, evaluates and serialises the queries the server hands it, one at a time.

Started by :class:`lermap.graph.query_pool.QueryPool` as ``python -m lermap.graph.query_worker FD`` (a fresh
interpreter, never a fork of the server), it talks over the socket ``FD``: it says ``ready``, then for each
:class:`Job` answers ``("ok", media_type, body, truncated)`` or ``("refused", error_class_name, message)``.

Each job names the store snapshot to read (a directory, opened read-only, reopened when the name changes); the
worker never writes. Before anything else the worker tries to leave the network: a new user and network namespace
(Linux, where unprivileged namespaces are allowed) has no interface but a downed loopback, so even a federated
query that got past the checks could reach nothing. The server kills the worker at the query's deadline and if
the engine crashes on a query only this process dies.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

_CLONE_NEWUSER, _CLONE_NEWNET = 0x10000000, 0x40000000


@dataclass(frozen=True)
class Job:
    """One query to answer."""

    snapshot: str  # the directory of the store snapshot to read
    query: str
    default_graphs: list[str]
    named_graphs: list[str]
    accept: str
    cap: int
    max_depth: int
    evaluate: bool = True  # False: only the checks (the store is remote and evaluates the query itself)


@dataclass(frozen=True)
class Open:
    """Open this snapshot now (a new worker, before its first query), and say ``opened``."""

    snapshot: str


def leave_network() -> bool:
    """Move this (still single-threaded) process into new user + network namespaces; False where not allowed."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0)
    except (OSError, AttributeError):
        return False


def _take(items: Any, cap: int) -> tuple[list[Any], bool]:
    out: list[Any] = []
    for item in items:
        if len(out) >= cap:
            return out, True
        out.append(item)
    return out, False


class Worker:
    """The state a worker keeps between jobs: the snapshot it has open."""

    def __init__(self) -> None:
        self.path: str | None = None
        self.store: Any = None

    def open(self, path: str) -> Any:
        import pyoxigraph as ox

        if path != self.path:
            self.store = None  # close the old snapshot first
            self.store = ox.Store.read_only(path)
            self.path = path
        return self.store

    def answer(self, job: Job) -> tuple[Any, ...]:
        import pyoxigraph as ox

        from lermap.errors import QueryError
        from lermap.graph.query_checks import check_text
        from lermap.graph.sparql_results import answer_body
        from lermap.graph.store import SelectResult

        try:
            check_text(job.query, job.max_depth)
            if not job.evaluate:
                return ("checked",)
            store = self.open(job.snapshot)
            try:
                res = store.query(job.query, default_graph=[ox.NamedNode(g) for g in job.default_graphs],
                                  named_graphs=[ox.NamedNode(g) for g in job.named_graphs])
            except SyntaxError as exc:
                raise QueryError(f"invalid SPARQL query: {exc}") from None
            truncated = False
            result: SelectResult | bool | list[ox.Triple]
            if isinstance(res, ox.QueryBoolean):
                result = bool(res)
            elif isinstance(res, ox.QuerySolutions):
                variables = [v.value for v in res.variables]
                rows, truncated = _take(res, job.cap)
                result = SelectResult(variables, [[sol[i] for i in range(len(variables))] for sol in rows])
            else:
                result, truncated = _take(res, job.cap)
            media, body = answer_body(result, job.accept)
            return ("ok", media, body, truncated)
        except QueryError as exc:
            return ("refused", type(exc).__name__, str(exc))
        except OSError as exc:
            return ("refused", "QueryError", f"query failed: {exc}")
        except RecursionError:
            return ("refused", "QueryError", "the query is too deeply nested to check")


def serve(conn: Connection) -> None:
    """Answer jobs until the server closes the connection."""
    isolated = leave_network()
    worker = Worker()
    import pyoxigraph  # noqa: F401 - loaded before saying ready, so the first query does not pay for it

    from lermap.graph import sparql_results  # noqa: F401

    conn.send(("ready", os.getpid(), isolated))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if isinstance(job, Open):
            with contextlib.suppress(OSError):  # the first job will say what is wrong
                worker.open(job.snapshot)
            conn.send(("opened",))
            continue
        conn.send(worker.answer(job))


if __name__ == "__main__":
    # run the imported module's serve, so that jobs unpickle to the same classes it checks against (not __main__'s)
    from lermap.graph import query_worker

    query_worker.serve(Connection(int(sys.argv[1])))
