"""Derived products: projections of the graph that are too slow to compute per request (the map's layout), computed
once per state of the store and kept in the store, so a restarted server does not compute them again.

A product is a function from the graph to a JSON value, registered with :func:`product` under a name and a version.
:meth:`DerivedOps.derived` answers it from, in order: this process's cache; the store's side graph
``https://w3id.org/lermap/derived/<name>`` when it was computed for the current state and version; a fresh
computation, then written back to that side graph (when the store is writable). :meth:`DerivedOps.derive` computes
every registered product ahead of time; ``lermap build`` calls it. Side graphs are not catalogued, so writing one
never changes the store's state (nor the caches and ETags keyed by it), and queries never see them.

>>> import lermap
>>> kg = lermap.open_graph("memory:")
>>> [(r.name, r.computed, r.stored) for r in kg.derive()]
[('ecosystem-map', True, True)]
>>> [(r.name, r.computed) for r in kg.derive()]  # idempotent: the stored product is current
[('ecosystem-map', False)]
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from lermap.analysis.dto import DerivedReport
from lermap.analysis.kg import Graph
from lermap.graph.terms import TripleTuple
from lermap.graph.vocab import LERMAP, RDF
from lermap.service.core import GraphCore

DERIVED_GRAPH_BASE = "https://w3id.org/lermap/derived/"


@dataclass(frozen=True)
class Product:
    """A derived product: ``build(graph)`` returns a JSON value; bump ``version`` when what it computes changes."""

    name: str
    version: str
    build: Callable[[Graph], Any]

    @property
    def graph(self) -> ox.NamedNode:
        return ox.NamedNode(DERIVED_GRAPH_BASE + self.name)


PRODUCTS: dict[str, Product] = {}


def product(name: str, version: str) -> Callable[[Callable[[Graph], Any]], Callable[[Graph], Any]]:
    """Register the decorated function as the derived product ``name`` (its layout, its tables...)."""

    def register(build: Callable[[Graph], Any]) -> Callable[[Graph], Any]:
        PRODUCTS[name] = Product(name, version, build)
        return build

    return register


class DerivedOps(GraphCore):
    """Derived products of the graph, computed once per state and kept in the store."""

    def state_key(self) -> str:
        """A short hash of the store's state (the catalogued graphs)."""
        return hashlib.sha256("\n".join(self.state()).encode("utf-8")).hexdigest()[:32]

    def _stored(self, p: Product, state: str) -> Any | None:
        found: dict[str, str] = {}
        for t in self.store.graph_triples(p.graph.value):
            if t.subject == p.graph and isinstance(t.object, ox.Literal):
                found[t.predicate.value] = t.object.value
        if found.get(LERMAP.derivedState.value) != state or found.get(LERMAP.derivedVersion.value) != p.version:
            return None
        payload = found.get(RDF.value.value)
        return json.loads(payload) if payload is not None else None

    def _compute(self, p: Product, state: str) -> tuple[Any, bool]:
        value = p.build(self)
        if not self.store.writable:
            return value, False
        triples: list[TripleTuple] = [(p.graph, RDF.type, LERMAP.DerivedProduct), (p.graph, LERMAP.derivedState, ox.Literal(state)),
                   (p.graph, LERMAP.derivedVersion, ox.Literal(p.version)),
                   (p.graph, RDF.value, ox.Literal(json.dumps(value, separators=(",", ":")), datatype=RDF.JSON))]
        with self.writing():
            self.store.replace_side_graph(p.graph, triples)
        return value, True

    def derived(self, name: str) -> Any:
        """The product ``name`` for the store's current state: cached, stored, or computed now (then stored)."""
        p = PRODUCTS[name]

        def load() -> Any:
            state = self.state_key()
            stored = self._stored(p, state)
            return stored if stored is not None else self._compute(p, state)[0]

        return self.cached(f"derived:{name}:{p.version}", load)

    def _remember(self, key: str, value: Any) -> None:
        self.cached(key, lambda: value)

    def derive(self, names: Iterable[str] | None = None) -> list[DerivedReport]:
        """Compute every registered product (or those named) that the store does not hold for its current state."""
        reports = []
        for name in names if names is not None else sorted(PRODUCTS):
            p = PRODUCTS[name]
            started, state = time.perf_counter(), self.state_key()
            value = self._stored(p, state)
            computed = stored = False
            if value is None:
                value, stored = self._compute(p, state)
                computed = True
            else:
                stored = True
            self._remember(f"derived:{name}:{p.version}", value)
            reports.append(DerivedReport(name, state, computed, stored, round(time.perf_counter() - started, 3)))
        return reports
