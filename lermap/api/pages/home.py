"""``/`` and ``/about``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from lermap.api.deps import GraphDep
from lermap.api.pages.render import html
from lermap.views.pages.home import home
from lermap.views.pages.lists import about_page

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def index(kg: GraphDep, request: Request) -> HTMLResponse:
    return html(request, home(kg.kind_counts(), kg.datasets()))


@router.get("/about", response_class=HTMLResponse)
def about(kg: GraphDep, request: Request) -> HTMLResponse:
    return html(request, about_page(kg.sources(), kg.datasets()))
