"""Store backends, picked by a selector string (oaklib style); each backend parses its own locator.

A backend is imported only when a selector names it, so opening an embedded store never loads the HTTP client
of the ``sparql:`` backend. The protocol every backend meets is :class:`lermap.graph.store.Backend`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator

from lermap.errors import ConfigError
from lermap.graph.store import Backend


def open_backend(selector: str, read_only: bool = False) -> Backend:
    """Split a selector string and hand the locator to the backend it names (``read_only``: embedded stores on disk)."""
    scheme, sep, locator = selector.partition(":")
    if not sep:
        raise ConfigError(f"store selector {selector!r} needs a scheme: oxigraph:PATH, memory: or sparql:QUERY_URL[,UPDATE_URL][,GSP_URL]")
    if scheme in {"oxigraph", "memory"}:
        from lermap.graph.backends.oxigraph import OxigraphBackend

        if scheme == "memory" and locator:
            raise ConfigError("memory: takes no locator; use oxigraph:PATH for a persistent store")
        return OxigraphBackend(selector, locator or None, read_only=read_only)
    if scheme == "sparql":
        from lermap.graph.backends.sparql import SparqlBackend

        return SparqlBackend(selector, locator)
    raise ConfigError(f"unknown store scheme {scheme!r} in {selector!r}; use oxigraph:, memory: or sparql:")


@contextlib.contextmanager
def snapshot_for_readers(selector: str) -> Iterator[tuple[str, bool]]:
    """A store that several processes can read at once, as ``(selector, read_only)``, for as long as the block runs.

    An embedded store on disk is copied into a snapshot beside it (a checkpoint: hard links, seconds at most) that
    the processes open read-only, and deleted afterwards; the store itself is free again at once (an ingest may run
    while they serve the snapshot). A remote store is shared as it is. An in-memory store cannot be shared."""
    from lermap.graph.backends.oxigraph import OxigraphBackend

    backend = open_backend(selector)
    if not isinstance(backend, OxigraphBackend):
        backend.close()
        yield selector, False
        return
    if backend.path is None:
        raise ConfigError(f"store {selector} lives in one process's memory; serve it with one worker, or use oxigraph:PATH")
    target = backend.path.resolve().parent / f".{backend.path.name}.serving-{os.getpid()}"
    try:
        backend.snapshot(target)
    finally:
        backend.close()
    try:
        yield f"oxigraph:{target}", True
    finally:
        shutil.rmtree(target, ignore_errors=True)
