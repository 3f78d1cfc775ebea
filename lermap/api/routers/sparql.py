"""``/sparql``: a read-only SPARQL 1.1 Protocol endpoint over the shared graphs.

GET ``?query=``, POST form-encoded ``query=`` and POST ``application/sparql-query`` bodies; ``default-graph-uri``
and ``named-graph-uri`` pick among the shared graphs. Results as SPARQL JSON, XML, CSV or TSV; CONSTRUCT and
DESCRIBE as Turtle, N-Triples, JSON-LD or RDF/XML. Updates and SERVICE are refused; size, time and result count
are bounded (see :mod:`lermap.api.sparql_guard`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Annotated, Any
from urllib.parse import parse_qs

import pyoxigraph as ox
import rdflib
import rdflib.query
from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from lermap.api.deps import GraphDep
from lermap.api.errors import errors
from lermap.api.sparql_guard import QueryRunner, QueryTooLarge, UpdateRefused, check_query
from lermap.errors import QueryError
from lermap.graph.store import SelectResult, Term
from lermap.graph.terms import to_rdflib
from lermap.service import KnowledgeGraph

router = APIRouter(tags=["sparql"], responses=errors(400, 403, 413))

_RESULTS = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
_GRAPHS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
_READ_ONLY = "this endpoint is read-only: SPARQL updates are refused"


def _pick(accept: str, options: Mapping[str, object], default: str) -> str:
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
    """SELECT or ASK results in a SPARQL results format (JSON directly, the others through rdflib)."""
    if fmt == "json":
        if isinstance(res, bool):
            return json.dumps({"head": {}, "boolean": res}).encode("utf-8")
        bindings = [{v: _json_term(t) for v, t in zip(res.variables, row, strict=True) if t is not None} for row in res.rows]
        return json.dumps({"head": {"vars": res.variables}, "results": {"bindings": bindings}}, ensure_ascii=False).encode("utf-8")
    if isinstance(res, bool):
        if fmt != "xml":
            raise QueryError("ASK results are available as JSON or XML only")
    elif fmt == "tsv":  # SPARQL 1.1 TSV: terms in N-Triples syntax (rdflib has no TSV writer)
        lines = ["\t".join("?" + v for v in res.variables)]
        lines += ["\t".join("" if t is None else str(t).replace("\t", "\\t") for t in row) for row in res.rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
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


def _runner(request: Request) -> QueryRunner:
    runner: QueryRunner = request.app.state.sparql_runner
    return runner


def answer(kg: KnowledgeGraph, runner: QueryRunner, query: str, accept: str, max_bytes: int,
           default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()) -> Response:
    """Check, run (bounded) and serialise one query."""
    check_query(query, max_bytes)
    got = runner.run(kg, query, list(default_graphs), list(named_graphs))
    headers = {"x-lermap-result-cap": str(runner.cap)}
    if got.truncated:
        headers["x-lermap-truncated"] = "true"
    res = got.result
    if isinstance(res, list):
        media = _pick(accept, _GRAPHS, "text/turtle")
        from lermap.graph.vocab import PREFIXES

        extra: dict[str, Any] = {"prefixes": PREFIXES} if media == "text/turtle" else {}
        body = ox.serialize(res, format=_GRAPHS[media], **extra) or b""
        return Response(body, media_type=media, headers=headers)
    media = _pick(accept, _RESULTS, "application/sparql-results+json")
    return Response(results_body(res, _RESULTS[media]), media_type=media, headers=headers)


_DESCRIPTION = {"description": "SPARQL results (SELECT/ASK) or RDF (CONSTRUCT/DESCRIBE), negotiated with Accept",
                "content": {m: {} for m in [*_RESULTS, *_GRAPHS]}}


@router.get("/sparql", operation_id="sparql_get", responses={200: _DESCRIPTION})
def sparql_get(kg: GraphDep, request: Request, query: Annotated[str | None, Query(description="a SPARQL query")] = None,
               default_graph_uri: Annotated[list[str] | None, Query(alias="default-graph-uri")] = None,
               named_graph_uri: Annotated[list[str] | None, Query(alias="named-graph-uri")] = None) -> Response:
    """SPARQL 1.1 Protocol query via GET (read-only: updates and SERVICE are refused)."""
    if "update" in request.query_params:
        raise UpdateRefused(_READ_ONLY)
    return answer(kg, _runner(request), query or "", request.headers.get("accept", ""), request.app.state.config.max_query_bytes,
                  default_graph_uri or (), named_graph_uri or ())


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise QueryTooLarge(f"the request body is {int(declared):,} bytes; this endpoint accepts at most {limit:,}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise QueryTooLarge(f"the request body is over {limit:,} bytes; this endpoint accepts at most {limit:,}")
        chunks.append(chunk)
    return b"".join(chunks)


@router.post("/sparql", operation_id="sparql_post", responses={200: _DESCRIPTION},
             openapi_extra={"requestBody": {"content": {
                 "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"query": {"type": "string"}}}},
                 "application/sparql-query": {"schema": {"type": "string"}}}}})
async def sparql_post(kg: GraphDep, request: Request) -> Response:
    """SPARQL 1.1 Protocol query via POST (form-encoded or ``application/sparql-query``); updates are refused."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    config = request.app.state.config
    if ctype == "application/sparql-update" or "update" in request.query_params:
        raise UpdateRefused(_READ_ONLY)
    # a form carries the query percent-encoded (up to 3 bytes per character) plus a few protocol parameters
    body = await _read_body(request, config.max_query_bytes * 3 + 4096)
    params = _multi(request.query_params.multi_items())
    if ctype == "application/sparql-query":
        try:
            query = body.decode("utf-8")
        except UnicodeDecodeError:
            raise QueryError("the query body is not UTF-8") from None
    elif ctype == "application/x-www-form-urlencoded":
        form = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
        if "update" in form:
            raise UpdateRefused(_READ_ONLY)
        query = (form.get("query") or [""])[0]
        for key in ("default-graph-uri", "named-graph-uri"):
            params.setdefault(key, []).extend(form.get(key, []))
    else:
        raise QueryError("POST a query as application/x-www-form-urlencoded (query=...) or as an application/sparql-query body")
    return await run_in_threadpool(answer, kg, _runner(request), query, request.headers.get("accept", ""), config.max_query_bytes,
                                   params.get("default-graph-uri", []), params.get("named-graph-uri", []))


def _multi(items: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in items:
        out.setdefault(k, []).append(v)
    return out
