"""One error format across the API: ``{"error": {"type", "message", ...}}`` with the class's HTTP status.

The OpenAPI schema says so too: an operation lists the error statuses it can answer with ``responses=errors(...)``,
every one in this shape; FastAPI's own 422 (``{"detail": [...]}``, which this app never sends) is replaced by it,
and every operation documents 503 (the store unavailable, or the endpoint busy).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from lermap.api.negotiation import NotAcceptable
from lermap.api.pages.render import error_page, wants_page
from lermap.api.schemas import ErrorBody
from lermap.api.security import AuthError, RateLimited
from lermap.errors import LermapError

_MEANING = {
    400: "The request is not one the operation can answer (e.g. a malformed query or body)",
    401: "A reviewer bearer token is required, or the one given is not valid",
    403: "Refused (e.g. a SPARQL update or federated query)",
    404: "Not in the graph",
    406: "No representation the request accepts (Accept or ?format=); the error lists those there are",
    413: "The request is over its size limit",
    422: "The request (or its body) is invalid",
    429: "Too many requests from this client; see Retry-After",
    503: "The store is unavailable, or the endpoint is busy or the query timed out; see Retry-After",
}
_ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the error statuses an operation answers with, all in the one error shape."""
    return {status: {"model": ErrorBody, "description": _MEANING[status]} for status in statuses}


def _document_errors(app: FastAPI) -> None:
    """Wrap ``app.openapi``: 422 in the app's error shape, 503 on every operation, 413 on every operation that takes a
    body (the body caps apply to all of them) — built once, like FastAPI's."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        body = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(body.pop("$defs", {}))
        components.setdefault("ErrorBody", body)
        content = {"application/json": {"schema": _ERROR_REF}}
        for item in schema.get("paths", {}).values():
            for operation in item.values():
                responses = operation.setdefault("responses", {})
                if "422" in responses:
                    responses["422"] = {"description": _MEANING[422], "content": content}
                responses["503"] = {"description": _MEANING[503], "content": content}
                if "requestBody" in operation:
                    responses["413"] = {"description": _MEANING[413], "content": content}
        used = json.dumps(schema.get("paths", {}))
        if '"#/components/schemas/HTTPValidationError"' not in used:  # FastAPI's 422 models, now unused
            components.pop("HTTPValidationError", None)
            if '"#/components/schemas/ValidationError"' not in used + json.dumps(components):
                components.pop("ValidationError", None)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def error_body(kind: str, message: str, **extra: object) -> dict[str, object]:
    return {"error": {"type": kind, "message": message, **extra}}


def _headers(exc: LermapError) -> dict[str, str]:
    if isinstance(exc, AuthError):
        return {"www-authenticate": 'Bearer realm="lermap-review"'}
    if isinstance(exc, RateLimited):
        return {"retry-after": str(exc.retry_after)}
    if isinstance(exc, NotAcceptable):
        return {"vary": "Accept"}
    if exc.http_status == 503:
        return {"retry-after": "5"}
    return {}


def install_error_handlers(app: FastAPI) -> None:
    _document_errors(app)

    @app.exception_handler(LermapError)
    async def _lermap(request: Request, exc: LermapError) -> Response:
        if wants_page(request):  # a browser on a page: the message in words, in the site's layout
            return error_page(request, exc)
        return JSONResponse(error_body(type(exc).__name__, str(exc), **exc.to_dict()), status_code=exc.http_status, headers=_headers(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [{"loc": list(map(str, e.get("loc", ()))), "msg": str(e.get("msg", ""))} for e in exc.errors()]
        return JSONResponse(error_body("RequestValidationError", "invalid request", details=details), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # routing errors (unknown path, wrong method) in the same shape as everything else
        return JSONResponse(error_body("HTTPException", str(exc.detail)), status_code=exc.status_code, headers=exc.headers)
