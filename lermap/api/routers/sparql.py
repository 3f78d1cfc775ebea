"""``/sparql``: a read-only SPARQL 1.1 Protocol endpoint over the shared graphs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

import pyoxigraph as ox
import rdflib
import rdflib.query
from fastapi import APIRouter, Form, Query, Request, Response

from lermap.api.deps import GraphDep
from lermap.errors import QueryError
from lermap.graph.store import SelectResult
from lermap.graph.terms import to_rdflib
from lermap.service import KnowledgeGraph

router = APIRouter(tags=["sparql"])

_RESULTS = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
_GRAPHS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


def _pick(accept: str, options: Mapping[str, object], default: str) -> str:
    for part in accept.split(","):
        media = part.split(";")[0].strip().lower()
        if media in options:
            return media
    return default


def results_body(res: SelectResult | bool, fmt: str) -> bytes:
    """SELECT or ASK results in a SPARQL results format, serialised by rdflib."""
    if isinstance(res, bool):
        if fmt not in {"json", "xml"}:
            raise QueryError("ASK results are available as JSON or XML only")
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


def _answer(kg: KnowledgeGraph, query: str, accept: str) -> Response:
    if not query.strip():
        raise QueryError("no query given")
    res = kg.query(query)
    if isinstance(res, list):
        media = _pick(accept, _GRAPHS, "text/turtle")
        return Response(ox.serialize(res, format=_GRAPHS[media]) or b"", media_type=media)
    media = _pick(accept, _RESULTS, "application/sparql-results+json")
    return Response(results_body(res, _RESULTS[media]), media_type=media)


@router.get("/sparql", operation_id="sparql_get")
def sparql_get(kg: GraphDep, request: Request, query: Annotated[str, Query(description="a SPARQL query")]) -> Response:
    """SPARQL 1.1 Protocol query via GET."""
    return _answer(kg, query, request.headers.get("accept", ""))


@router.post("/sparql", operation_id="sparql_post")
async def sparql_post(kg: GraphDep, request: Request, query: Annotated[str | None, Form()] = None) -> Response:
    """SPARQL 1.1 Protocol query via POST (form-encoded or ``application/sparql-query``)."""
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("application/sparql-query"):
        query = (await request.body()).decode("utf-8")
    if ctype.startswith("application/sparql-update") or "update" in (await request.form() if "form" in ctype else {}):
        raise QueryError("this endpoint is read-only: updates are refused")
    return _answer(kg, query or "", request.headers.get("accept", ""))
