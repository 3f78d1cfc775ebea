"""Request bodies capped before anything reads them: one limit per route, 413 with the limit in words.

A pure ASGI middleware, outside everything else: a request whose ``Content-Length`` is over its route's limit is
answered 413 at once, without reading a byte of the body (and the connection is closed, so the client stops
sending); a body without a length (chunked) is counted while it streams and refused the moment it passes the
limit, before the application has parsed any of it. The limits come from what each route accepts (its schema's own
bounds) or from settings (``LERMAP_MAX_UPLOAD_BYTES`` for a credential document, ``LERMAP_MAX_QUERY_BYTES`` for
``/sparql``); any other route gets a small default.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import orjson
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lermap.api.errors import error_body
from lermap.api.security import BodyTooLarge

DEFAULT_LIMIT = 64 * 1024


@dataclass(frozen=True)
class BodyLimit:
    """The largest body a route accepts, and what its body is, for the refusal."""

    path: re.Pattern[str]
    limit: int
    what: str


def size_in_words(n: int) -> str:
    """``4,194,304 bytes (4 MiB)``: exact, and readable."""
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return f"{n:,} bytes ({n / size:.4g} {unit})"
    return f"{n:,} bytes"


class BodyLimits:
    """Refuse a request body over its route's limit, by its declared length or while it streams."""

    def __init__(self, app: ASGIApp, routes: Sequence[BodyLimit], default: int = DEFAULT_LIMIT) -> None:
        self.app = app
        self.routes = list(routes)
        self.default = default

    def limit_for(self, path: str) -> tuple[int, str]:
        for route in self.routes:
            if route.path.fullmatch(path):
                return route.limit, route.what
        return self.default, "a request body here"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, what = self.limit_for(scope["path"])
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > limit:
            message = f"{what} is {size_in_words(int(declared))}; the limit is {size_in_words(limit)}"
            await _refuse(send, message)
            return
        received, started, refused = 0, False, False

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 is sent; whatever the application makes of the cut-off body goes nowhere
            started = started or message["type"] == "http.response.start"
            await send(message)

        async def counting_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    if not started:
                        await _refuse(send, f"{what} is over {size_in_words(limit)}; the limit is {size_in_words(limit)}")
                    refused = True
                    return {"type": "http.disconnect"}  # the application stops reading, as if the client had gone
            return message

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not refused:
                raise


async def _refuse(send: Send, message: str) -> None:
    body = orjson.dumps(error_body(BodyTooLarge.__name__, message))
    await send({"type": "http.response.start", "status": 413, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), (b"connection", b"close"),
        (b"x-content-type-options", b"nosniff")]})
    await send({"type": "http.response.body", "body": body})
