"""Cross-cutting HTTP behaviour, as one pure ASGI middleware: ETags and caching on reads, security headers.

**ETags without running the handler.** Every read answer is a function of the store's state (the list of
catalogued graphs changes on every ingest, drop, approval or revert), the request (path, query string, Accept)
and this process (a salt drawn at start-up, so a restart or upgrade never serves a stale 304). The ETag is a hash
of those, computed *before* the handler runs: a matching ``If-None-Match`` gets its 304 without any query (a
tag can only match if this process answered 200 with it, for this path, in this state). ``If-None-Match: *``
names no tag, so the handler runs and only an existing resource (a 200) turns into a 304; an unknown route or
entity keeps its 404.

**HEAD** is answered on every GET route (:class:`HeadAsGet`): the request runs as a GET and the body is dropped,
so status and headers (``Content-Length`` included) are the GET's.

**Security headers.** ``nosniff`` and a referrer policy on everything; on HTML a Content-Security-Policy that
allows only this origin's scripts (plotly.min.js and lermap.js are served here; figures travel as JSON data
elements, never inline script) and refuses framing. ``style-src 'unsafe-inline'`` is there because plotly.js
writes its own style elements and attributes while it draws.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# img-src blob:: Plotly draws the map's PNG download from a blob: URL of its SVG (images only; scripts stay 'self')
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
READ_CACHE_CONTROL = "public, no-cache"  # keep it, but ask again each time: the 304 is cheap
_NOT_CACHED = ("/v1/proposals", "/static/", "/proposals", "/review")
_NO_STORE = ("/v1/proposals", "/proposals", "/review")  # the moderation queue changes without the store's state changing


def cacheable(path: str) -> bool:
    return not path.startswith(_NOT_CACHED)


class HttpHeaders:
    """ETag / 304 / Cache-Control on GET and HEAD, ``no-store`` on the moderation API, security headers everywhere."""

    def __init__(self, app: ASGIApp, state: Callable[[Scope], str], salt: str) -> None:
        self.app = app
        self.state = state
        self.salt = salt

    def etag(self, scope: Scope, headers: Headers) -> str:
        key = "\x1f".join([self.salt, self.state(scope), scope["path"], scope.get("query_string", b"").decode("latin-1"),
                           headers.get("accept", "")])
        return 'W/"' + hashlib.blake2b(key.encode("utf-8"), digest_size=16).hexdigest() + '"'

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        etag = None
        if scope["method"] in {"GET", "HEAD"} and cacheable(path):
            headers = Headers(scope=scope)
            etag = self.etag(scope, headers)
            wanted = {t.strip() for t in (headers.get("if-none-match") or "").split(",") if t.strip()}
            if etag in wanted:
                await _not_modified(send, etag)
                return
            star = "*" in wanted
        else:
            star = False
        swallowing = False

        async def send_with_headers(message: Message) -> None:
            nonlocal swallowing
            if swallowing:  # a 304 went out instead: drop the body, end the response once
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b""})
                return
            if star and etag is not None and message["type"] == "http.response.start" and message["status"] == 200:
                swallowing = True
                await send(_not_modified_start(etag))
                return
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                out.setdefault("x-content-type-options", "nosniff")
                out.setdefault("referrer-policy", "same-origin")
                if out.get("content-type", "").startswith("text/html"):
                    out.setdefault("content-security-policy", CSP)
                    out.setdefault("x-frame-options", "DENY")
                if path.startswith(_NO_STORE):
                    out["cache-control"] = "no-store"
                elif etag is not None and message["status"] == 200:
                    out["etag"] = etag
                    out.setdefault("cache-control", READ_CACHE_CONTROL)
                    out.add_vary_header("Accept")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _not_modified_start(etag: str) -> Message:
    return {"type": "http.response.start", "status": 304, "headers": [
        (b"etag", etag.encode()), (b"cache-control", READ_CACHE_CONTROL.encode()), (b"vary", b"Accept, Accept-Encoding"),
        (b"x-content-type-options", b"nosniff")]}


async def _not_modified(send: Send, etag: str) -> None:
    await send(_not_modified_start(etag))
    await send({"type": "http.response.body", "body": b""})


class HeadAsGet:
    """Answer HEAD on every GET route: run the GET, send its status and headers, drop its body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b""})
                return
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)
