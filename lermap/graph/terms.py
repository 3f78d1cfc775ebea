"""Small helpers to build RDF terms for the embedded engine, and to bridge to rdflib."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import TypeAlias

import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Triple, serialize

from lermap.graph.vocab import LERMAP_ID_BASE, XSD

Subject: TypeAlias = NamedNode | BlankNode
Object: TypeAlias = NamedNode | BlankNode | Literal
TripleTuple: TypeAlias = tuple[Subject, NamedNode, Object]
# A plain Python value read from the graph: IRIs and other literals as str, numbers, booleans; None for unbound.
Value: TypeAlias = str | int | float | bool | None

_INTEGERS = frozenset({"integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger"})
_DECIMALS = frozenset({"decimal", "double", "float"})

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def is_iri(value: str) -> bool:
    """True when ``value`` is an absolute IRI that N-Triples can carry (and pyoxigraph accepts)."""
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", value) or _IRI_FORBIDDEN.search(value):
        return False
    try:  # the characters are fine; the structure (e.g. an unclosed IPv6 host "http://[::1") may still not be
        NamedNode(value)
    except ValueError:
        return False
    return True


def iri(value: str) -> NamedNode:
    """A named node; raises ``ValueError`` for text that is not an absolute IRI."""
    if not is_iri(value):
        raise ValueError(f"not an absolute IRI: {value!r}")
    return NamedNode(value)


def minted(kind: str, *parts: str) -> NamedNode:
    """A stable lermap IRI for an entity that has no IRI of its own, derived from ``parts``."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]
    return NamedNode(f"{LERMAP_ID_BASE}{kind}/{digest}")


def lit(value: object, lang: str | None = None, datatype: NamedNode | None = None) -> Literal:
    """A literal from a Python value: bool, int, float, date and datetime get their XSD type."""
    if lang:
        return Literal(str(value), language=lang.lower())
    if datatype is not None:
        return Literal(str(value), datatype=datatype)
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype=XSD.boolean)
    if isinstance(value, int):
        return Literal(str(value), datatype=XSD.integer)
    if isinstance(value, float):
        return Literal(repr(value), datatype=XSD.double)
    if isinstance(value, datetime):
        return Literal(value.isoformat(), datatype=XSD.dateTime)
    if isinstance(value, date):
        return Literal(value.isoformat(), datatype=XSD.date)
    return Literal(str(value))


def to_rdflib(term: NamedNode | BlankNode | Literal) -> rdflib.term.Identifier:
    """Convert an oxigraph term to its rdflib twin."""
    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    dt: str | None = term.datatype.value if term.datatype is not None else None
    if dt == XSD.string.value:
        dt = None
    return rdflib.Literal(term.value, datatype=dt)


def from_rdflib(term: rdflib.term.Node) -> NamedNode | BlankNode | Literal:
    """Convert an rdflib term to its oxigraph twin."""
    if isinstance(term, rdflib.URIRef):
        return NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return Literal(str(term), language=term.language)
        if term.datatype:
            return Literal(str(term), datatype=NamedNode(str(term.datatype)))
        return Literal(str(term))
    raise TypeError(f"unsupported rdflib term {term!r}")


def sorted_turtle(triples: Iterable[TripleTuple]) -> bytes:
    """Triples as Turtle, sorted, so equal sets of triples give equal bytes (derived graphs compare by checksum)."""
    data = serialize(sorted((Triple(*t) for t in triples), key=str), format=RdfFormat.TURTLE)
    assert data is not None
    return data


def to_rdflib_graph(triples: Iterable[Triple | Quad | TripleTuple]) -> rdflib.Graph:
    """An rdflib graph of the given triples (quads lose their graph name); for tests and exports."""
    g = rdflib.Graph()
    for t in triples:
        s, p, o = (t.subject, t.predicate, t.object) if isinstance(t, (Triple, Quad)) else t
        g.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))  # type: ignore[arg-type]
    return g


def python_value(term: NamedNode | BlankNode | Literal | Triple | None) -> Value:
    """A plain Python value for a term: IRIs as str, numbers, booleans, other literals as str, unbound as None.

    >>> python_value(Literal("3", datatype=XSD.integer)), python_value(NamedNode("https://ex.org/a")), python_value(None)
    (3, 'https://ex.org/a', None)
    """
    if term is None:
        return None
    if isinstance(term, Literal):
        dt = term.datatype.value.rsplit("#", 1)[-1] if term.datatype is not None else "string"
        try:
            if dt in _INTEGERS:
                return int(term.value)
            if dt in _DECIMALS:
                return float(term.value)
            if dt == "boolean":
                return term.value in {"true", "1"}
        except ValueError:
            return term.value
        return term.value
    if isinstance(term, Triple):
        return str(term)
    return term.value
