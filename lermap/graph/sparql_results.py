"""SPARQL answers as bytes: SELECT/ASK in the SPARQL results formats, CONSTRUCT/DESCRIBE as RDF; Accept negotiation.

Used where a query is evaluated for a client (the query workers of :mod:`lermap.graph.query_pool`), so that what
crosses back to the server is the finished body. JSON is written with orjson; XML and CSV through rdflib; TSV
directly (rdflib has no TSV writer).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson
import pyoxigraph as ox

from lermap.errors import QueryError
from lermap.graph.store import SelectResult, Term

RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


def pick(accept: str, options: Mapping[str, object], default: str) -> str:
    """The acceptable media type with the highest q-value (ties: the client's order)."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if media.lower() in options and q > 0:
            ranked.append((-q, i, media.lower()))
    return min(ranked)[2] if ranked else default


def _json_term(t: Term) -> dict[str, str]:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        out = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype is not None and t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = t.datatype.value
        return out
    return {"type": "literal", "value": str(t)}


def results_body(res: SelectResult | bool, fmt: str) -> bytes:
    """SELECT or ASK results in a SPARQL results format: ``json``, ``xml``, ``csv`` or ``tsv``."""
    if fmt == "json":
        if isinstance(res, bool):
            return orjson.dumps({"head": {}, "boolean": res})
        bindings = [{v: _json_term(t) for v, t in zip(res.variables, row, strict=True) if t is not None} for row in res.rows]
        return orjson.dumps({"head": {"vars": res.variables}, "results": {"bindings": bindings}})
    if isinstance(res, bool):
        if fmt != "xml":
            raise QueryError("ASK results are available as JSON or XML only")
    elif fmt == "tsv":  # SPARQL 1.1 TSV: terms in N-Triples syntax
        lines = ["\t".join("?" + v for v in res.variables)]
        lines += ["\t".join("" if t is None else str(t).replace("\t", "\\t") for t in row) for row in res.rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    import rdflib
    import rdflib.query

    from lermap.graph.terms import to_rdflib

    if isinstance(res, bool):
        out = rdflib.query.Result("ASK")
        out.askAnswer = res
    else:
        out = rdflib.query.Result("SELECT")
        variables = [rdflib.Variable(v) for v in res.variables]
        out.vars = variables
        out.bindings = [
            {var: to_rdflib(t) for var, t in zip(variables, row, strict=True) if t is not None and not isinstance(t, ox.Triple)}
            for row in res.rows
        ]
    body = out.serialize(format=fmt)
    return body if isinstance(body, bytes) else str(body).encode("utf-8")


def graph_body(triples: Sequence[ox.Triple], media: str) -> bytes:
    """CONSTRUCT/DESCRIBE triples in the RDF syntax of ``media`` (one of :data:`GRAPH_TYPES`)."""
    from lermap.graph.vocab import PREFIXES

    extra: dict[str, Any] = {"prefixes": PREFIXES} if media == "text/turtle" else {}
    return ox.serialize(triples, format=GRAPH_TYPES[media], **extra) or b""


def answer_body(res: SelectResult | bool | Sequence[ox.Triple], accept: str) -> tuple[str, bytes]:
    """The media type chosen from ``accept`` for this kind of answer, and the answer in it."""
    if isinstance(res, (SelectResult, bool)):
        media = pick(accept, RESULT_TYPES, "application/sparql-results+json")
        return media, results_body(res, RESULT_TYPES[media])
    media = pick(accept, GRAPH_TYPES, "text/turtle")
    return media, graph_body(res, media)
