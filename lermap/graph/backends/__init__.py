"""Store backends, picked by a selector string (oaklib style); each backend parses its own locator.

A backend is imported only when a selector names it, so opening an embedded store never loads the HTTP client
of the ``sparql:`` backend. The protocol every backend meets is :class:`lermap.graph.store.Backend`.
"""

from __future__ import annotations

from lermap.errors import ConfigError
from lermap.graph.store import Backend


def open_backend(selector: str) -> Backend:
    """Split a selector string and hand the locator to the backend it names."""
    scheme, sep, locator = selector.partition(":")
    if not sep:
        raise ConfigError(f"store selector {selector!r} needs a scheme: oxigraph:PATH, memory: or sparql:QUERY_URL[,UPDATE_URL][,GSP_URL]")
    if scheme in {"oxigraph", "memory"}:
        from lermap.graph.backends.oxigraph import OxigraphBackend

        if scheme == "memory" and locator:
            raise ConfigError("memory: takes no locator; use oxigraph:PATH for a persistent store")
        return OxigraphBackend(selector, locator or None)
    if scheme == "sparql":
        from lermap.graph.backends.sparql import SparqlBackend

        return SparqlBackend(selector, locator)
    raise ConfigError(f"unknown store scheme {scheme!r} in {selector!r}; use oxigraph:, memory: or sparql:")
