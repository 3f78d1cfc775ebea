"""One error format across the API: ``{"error": {"type", "message", ...}}`` with the class's HTTP status."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from lermap.errors import LermapError


def error_body(kind: str, message: str, **extra: object) -> dict[str, object]:
    return {"error": {"type": kind, "message": message, **extra}}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LermapError)
    async def _lermap(request: Request, exc: LermapError) -> JSONResponse:
        return JSONResponse(error_body(type(exc).__name__, str(exc), **exc.to_dict()), status_code=exc.http_status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [{"loc": list(map(str, e.get("loc", ()))), "msg": str(e.get("msg", ""))} for e in exc.errors()]
        return JSONResponse(error_body("RequestValidationError", "invalid request", details=details), status_code=422)
