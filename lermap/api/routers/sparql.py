"""``/sparql``: a read-only SPARQL 1.1 Protocol endpoint over the shared graphs.

GET ``?query=``, POST form-encoded ``query=`` and POST ``application/sparql-query`` bodies; ``default-graph-uri``
and ``named-graph-uri`` pick among the shared graphs. Results as SPARQL JSON, XML, CSV or TSV; CONSTRUCT and
DESCRIBE as Turtle, N-Triples, JSON-LD or RDF/XML. Updates are refused here, before anything is parsed; the query
then goes to the runner (:mod:`lermap.graph.query_runner`), which bounds size, nesting, federation, time and rows
and evaluates it where a crash or an overrun cannot reach the server.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from lermap.api.errors import errors
from lermap.errors import QueryError
from lermap.graph.query_limits import UpdateRefused
from lermap.graph.query_runner import QueryRunner
from lermap.graph.sparql_results import GRAPH_TYPES, RESULT_TYPES

router = APIRouter(tags=["sparql"], responses=errors(400, 403, 413))
_READ_ONLY = "this endpoint is read-only: SPARQL updates are refused"


def _runner(request: Request) -> QueryRunner:
    runner: QueryRunner = request.app.state.sparql_runner
    return runner


def answer(runner: QueryRunner, query: str, accept: str, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()) -> Response:
    """Run one query through the runner and wrap its finished answer."""
    got = runner.run(query, accept, default_graphs, named_graphs)
    headers = {"x-lermap-result-cap": str(runner.limits.cap)}
    if got.truncated:
        headers["x-lermap-truncated"] = "true"
    return Response(got.body, media_type=got.media_type, headers=headers)


_DESCRIPTION = {"description": "SPARQL results (SELECT/ASK) or RDF (CONSTRUCT/DESCRIBE), negotiated with Accept",
                "content": {m: {} for m in [*RESULT_TYPES, *GRAPH_TYPES]}}


@router.get("/sparql", operation_id="sparql_get", responses={200: _DESCRIPTION})
def sparql_get(request: Request, query: Annotated[str | None, Query(description="a SPARQL query")] = None,
               default_graph_uri: Annotated[list[str] | None, Query(alias="default-graph-uri")] = None,
               named_graph_uri: Annotated[list[str] | None, Query(alias="named-graph-uri")] = None) -> Response:
    """SPARQL 1.1 Protocol query via GET (read-only: updates and SERVICE are refused)."""
    if "update" in request.query_params:
        raise UpdateRefused(_READ_ONLY)
    return answer(_runner(request), query or "", request.headers.get("accept", ""), default_graph_uri or (), named_graph_uri or ())


async def _read_body(request: Request) -> bytes:
    # the body-limit middleware has already refused anything over this route's limit
    return b"".join([chunk async for chunk in request.stream()])


@router.post("/sparql", operation_id="sparql_post", responses={200: _DESCRIPTION},
             openapi_extra={"requestBody": {"content": {
                 "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"query": {"type": "string"}}}},
                 "application/sparql-query": {"schema": {"type": "string"}}}}})
async def sparql_post(request: Request) -> Response:
    """SPARQL 1.1 Protocol query via POST (form-encoded or ``application/sparql-query``); updates are refused."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/sparql-update" or "update" in request.query_params:
        raise UpdateRefused(_READ_ONLY)
    body = await _read_body(request)
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
    return await run_in_threadpool(answer, _runner(request), query, request.headers.get("accept", ""),
                                   params.get("default-graph-uri", []), params.get("named-graph-uri", []))


def _multi(items: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in items:
        out.setdefault(k, []).append(v)
    return out
