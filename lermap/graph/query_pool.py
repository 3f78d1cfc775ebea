"""A pool of query worker processes that the server kills and replaces: no query can crash or hold the server.

**Why processes.** pyoxigraph evaluates a query in native code that cannot be interrupted, and its parser dies of a
stack overflow on a deep enough query (the whole process with it). So the queries a client can shape run in
worker processes (:mod:`lermap.graph.query_worker`), ``size`` of them, each a fresh interpreter started with
``python -m`` (never a fork of a server that holds an open store and threads). A request takes an idle worker,
sends it the job and waits until the query's deadline; past it, the worker is killed (SIGKILL) and the request
answers 503 — the core is free at once and a replacement starts in the background. A worker that dies on a query
(a crash in the engine) is replaced the same way and the request gets a clear 400. Nothing is shared between
requests but the queue of idle workers: no global lock.

**What workers read.** A worker opens a *snapshot* of the store read-only (:class:`Snapshots`): a checkpoint of
an on-disk store (milliseconds: hard links), or for an in-memory store a copy written to a temporary directory.
The server compares the store's state (its list of visible graphs, which changes with every ingest, drop or
approval) with the snapshot's on each query and takes a new snapshot when they differ; a worker reopens when its
next job names a new snapshot; old snapshots are deleted once no worker has them open.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from lermap.config import child_environment
from lermap.graph.backends.oxigraph import OxigraphBackend
from lermap.graph.query_limits import EndpointBusy, QueryCrashed, QueryTimeout
from lermap.graph.query_worker import Job, Open

log = logging.getLogger(__name__)
_STARTUP_S = 60.0
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding the lermap package


class WorkerProcess:
    """One worker process and the socket the server talks to it over."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        env = child_environment()
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
        try:
            self.proc = subprocess.Popen([sys.executable, "-m", "lermap.graph.query_worker", str(theirs.fileno())],
                                         pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, env=env)
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())
        self.snapshot: str | None = None
        self.isolated = False

    def wait_ready(self, timeout: float) -> bool:
        """Wait for the worker's ``ready``; False if it died or took longer than ``timeout``."""
        try:
            if not self.conn.poll(timeout):
                return False
            hello = self.conn.recv()
        except (EOFError, OSError):
            return False
        self.isolated = bool(hello[2])
        return bool(hello[0] == "ready")

    def stop(self) -> int | None:
        """Kill the process (if it still runs) and reap it; its exit status."""
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        self.conn.close()
        return self.proc.wait()


def _describe(status: int | None) -> str:
    if status is not None and status < 0:
        with contextlib.suppress(ValueError):
            return f"signal {signal.Signals(-status).name}"
    return f"exit status {status}"


class QueryPool:
    """Up to ``size`` worker processes (one at :meth:`start`, more as queries overlap), each killed at its query's
    deadline or death and replaced."""

    def __init__(self, size: int, warm: Callable[[], str | None] = lambda: None) -> None:
        self.size = size
        self._warm = warm  # the snapshot a new worker opens before it takes queries, if one is known
        self._idle: queue.Queue[WorkerProcess] = queue.Queue()
        self._live: set[WorkerProcess] = set()
        self._lock = threading.Lock()
        self._count = 0  # workers running or starting; grows to ``size`` as concurrent queries need them
        self._closed = False
        self.replaced = 0  # workers killed at a deadline or found dead, since start
        self.isolated: bool | None = None  # whether the workers run without network (known once one is ready)

    def start(self, wait_s: float = _STARTUP_S) -> bool:
        """Start the first worker and wait until it is ready (more start as concurrent queries need them)."""
        with self._lock:
            if self._count == 0:
                self._count = 1
                self._spawn_later()
        deadline = time.monotonic() + wait_s
        while self._idle.empty() and time.monotonic() < deadline and not self._closed:
            time.sleep(0.01)
        return not self._idle.empty()

    def _grow(self) -> None:
        with self._lock:
            if self._count >= self.size or self._closed:
                return
            self._count += 1
        self._spawn_later()

    def _spawn_later(self) -> None:
        threading.Thread(target=self._spawn, name="lermap-query-worker-start", daemon=True).start()

    def _spawn(self) -> None:
        delay = 0.5
        while not self._closed:
            worker = WorkerProcess()
            with self._lock:
                self._live.add(worker)
            if worker.wait_ready(_STARTUP_S) and self._opened(worker) and not self._closed:
                self.isolated = worker.isolated
                self._idle.put(worker)
                return
            status = self._forget(worker)
            if self._closed:
                return
            log.error("a query worker failed to start (%s); retrying in %.1f s", _describe(status), delay)
            time.sleep(delay)
            delay = min(delay * 2, 30.0)

    def _opened(self, worker: WorkerProcess) -> bool:
        """Have a new worker open the current snapshot, so that its first query does not pay for that."""
        snapshot = self._warm()
        if snapshot is None:
            return True
        try:
            worker.conn.send(Open(snapshot))
            if not worker.conn.poll(_STARTUP_S):
                return False
            worker.conn.recv()
        except (EOFError, OSError):
            return False
        worker.snapshot = snapshot
        return True

    def _forget(self, worker: WorkerProcess) -> int | None:
        with self._lock:
            self._live.discard(worker)
        return worker.stop()

    def _replace(self, worker: WorkerProcess) -> int | None:
        status = self._forget(worker)
        self.replaced += 1
        if not self._closed:
            self._spawn_later()
        return status

    def snapshots_in_use(self) -> set[str]:
        with self._lock:
            return {w.snapshot for w in self._live if w.snapshot is not None}

    def run(self, job: Job, timeout_s: float, spent_s: float = 0.0) -> tuple[Any, ...]:
        """Hand ``job`` to the first idle worker (waiting at most ``timeout_s`` for one) and wait for its reply for
        what is left of ``timeout_s`` after ``spent_s`` (the time the query already took before it got here)."""
        waited_until = time.monotonic() + timeout_s
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                self._grow()
                worker = None
            try:
                worker = worker or self._idle.get(timeout=max(0.0, waited_until - time.monotonic()))
            except queue.Empty:
                raise EndpointBusy(f"every query worker stayed busy for {timeout_s:g} s; try again later") from None
            if worker.proc.poll() is not None:  # it died while idle (killed from outside): the job has not run, take another
                self._replace(worker)
                continue
            try:
                worker.conn.send(job)
            except OSError:
                self._replace(worker)
                continue
            worker.snapshot = job.snapshot
            break
        deadline = time.monotonic() + timeout_s - spent_s
        try:
            ready = worker.conn.poll(max(0.0, deadline - time.monotonic()))
            reply = worker.conn.recv() if ready else None
        except (EOFError, OSError):
            status = self._replace(worker)
            raise QueryCrashed(f"the query stopped the process evaluating it ({_describe(status)}); it was not answered. "
                               "Simplify it (less nesting, fewer terms) and try again") from None
        if reply is None:
            self._replace(worker)
            raise QueryTimeout(f"the query ran longer than {timeout_s:g} s (LERMAP_QUERY_TIMEOUT); add LIMIT or narrow it")
        self._idle.put(worker)
        return tuple(reply)

    def close(self) -> None:
        """Stop every worker (started or starting)."""
        self._closed = True
        with self._lock:
            workers = list(self._live)
            self._live.clear()
        for w in workers:
            w.stop()


class Snapshots:
    """Read-only copies of an embedded store, one per store state, for the query workers to open."""

    def __init__(self, backend: OxigraphBackend, in_use: Callable[[], set[str]]) -> None:
        self.backend = backend
        self._in_use = in_use
        self._lock = threading.Lock()
        self._current: tuple[str, str] | None = None  # (state, directory)
        self._made: list[str] = []
        self._root: Path | None = None
        if backend.path is not None and not backend.writable:
            self._current = ("", str(backend.path))  # a read-only store is never written: it is its own snapshot

    def current(self) -> str | None:
        """The newest snapshot, if any was taken (what a new worker should open)."""
        return self._current[1] if self._current else None

    @property
    def folder(self) -> Path | None:
        """Where this server's snapshots are written (None until the first one)."""
        return self._root

    def _folder(self) -> Path:
        if self._root is None:
            if self.backend.path is not None:  # beside the store: same file system, so the checkpoint hard-links
                parent, name = self.backend.path.resolve().parent, self.backend.path.name
                _remove_stale(parent, name)
                self._root = parent / f".{name}.snapshots-{os.getpid()}-{uuid.uuid4().hex[:8]}"
                self._root.mkdir()
            else:
                self._root = Path(tempfile.mkdtemp(prefix="lermap-snapshots-"))
        return self._root

    def path_for(self, state: Callable[[], str]) -> str:
        """The directory of a snapshot of the store in its current ``state()``, taking one if needed."""
        if self._current is not None and (not self.backend.writable or self._current[0] == state()):
            return self._current[1]
        with self._lock:
            before = state()
            if self._current is not None and self._current[0] == before:
                return self._current[1]
            target = self._folder() / uuid.uuid4().hex[:12]
            self.backend.snapshot(target)
            self._made.append(str(target))
            # a write between the two reads may or may not be in the snapshot: leave it marked stale, take another next time
            self._current = (before if state() == before else "", str(target))
            self.collect()
            return str(target)

    def collect(self) -> None:
        """Delete snapshots that are neither current, nor the one before (a request may be about to send it), nor open."""
        keep = self._in_use() | set(self._made[-2:]) | ({self._current[1]} if self._current else set())
        for path in [p for p in self._made if p not in keep]:
            shutil.rmtree(path, ignore_errors=True)
            self._made.remove(path)

    def close(self) -> None:
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)
        self._made.clear()


_OWNER = re.compile(r"\.snapshots-(\d+)-[0-9a-f]+$")


def _remove_stale(parent: Path, name: str) -> None:
    """Remove snapshot folders beside the store left by server processes that no longer run (after a kill -9)."""
    for folder in parent.glob(f".{name}.snapshots-*"):
        m = _OWNER.search(folder.name)
        if m is None:
            continue
        try:
            os.kill(int(m.group(1)), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except PermissionError:
            continue
