"""How a pages router answers: render a view's :class:`~lermap.views.render.Page` with what only the request knows
(its path, a CSRF token for POST forms, who is signed in), and errors as a page for browsers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData

from lermap.api.security import AuthError
from lermap.api.session import CSRF_FIELD, Sessions
from lermap.errors import LermapError
from lermap.views.render import Page, render_page

API_PREFIXES = ("/v1/", "/sparql", "/openapi.json", "/docs", "/static/")


def html(request: Request, page: Page, status_code: int = 200, csrf: bool = False, status_message: str | None = None) -> HTMLResponse:
    """The page as an HTML response. ``csrf``: the page has a POST form; it gets a token (and its cookie), and the
    response is never stored by caches (it carries a per-browser token)."""
    sessions: Sessions = request.app.state.sessions
    token = sessions.csrf_token(request) if csrf else None
    body = render_page(page, path=request.url.path, csrf_token=token.token if token else None, signed_in=sessions.current(request),
                       status_message=status_message)
    response = HTMLResponse(body, status_code=status_code)
    if token is not None:
        token.set_cookie(request, response)
        response.headers["cache-control"] = "no-store"
    return response


async def posted_form(request: Request) -> FormData:
    """The fields a page's form posted, once its CSRF token checks out (a 403 page in words when it does not).
    Text fields come back as ``str``; an uploaded file as ``UploadFile``."""
    form = await request.form()
    token = form.get(CSRF_FIELD)
    sessions: Sessions = request.app.state.sessions
    sessions.check_csrf(request, token if isinstance(token, str) else None)
    return form


def signed_in_reviewer(request: Request) -> str:
    """The reviewer signed in on this browser (the session cookie); a 401 page asking to sign in otherwise."""
    sessions: Sessions = request.app.state.sessions
    name = sessions.current(request)
    if name is None:
        raise AuthError("sign in with your reviewer token first")
    return name


SignedInReviewer = Annotated[str, Depends(signed_in_reviewer)]


def wants_page(request: Request) -> bool:
    """A browser asking for a page (not the API): errors are then answered as a page in words."""
    accept = request.headers.get("accept", "")
    return "text/html" in accept and not request.url.path.startswith(API_PREFIXES)


def error_page(request: Request, exc: LermapError) -> HTMLResponse:
    """An error as a page: the status in words and the message (escaped like all text), with ways onward."""
    titles = {400: "That request cannot be answered", 401: "Please sign in", 403: "Not allowed", 404: "Not found",
              413: "Too large", 422: "Please check what you entered", 429: "Too many requests", 503: "Please try again shortly"}
    page = Page("pages/message.html", titles.get(exc.http_status, "Something went wrong"),
                {"message": str(exc), "links": [("/", "Go to the home page"), ("/search", "Search the graph")]})
    return HTMLResponse(render_page(page, path=request.url.path), status_code=exc.http_status)
