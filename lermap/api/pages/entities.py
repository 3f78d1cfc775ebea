"""``/entity?id=IRI``, ``/search?q=`` and ``/changes``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from lermap.api.deps import GraphDep
from lermap.api.pages.render import html
from lermap.views.pages.entity import entity_page
from lermap.views.pages.lists import changes_page, search_page

router = APIRouter(include_in_schema=False)


@router.get("/entity", response_class=HTMLResponse)
def entity(kg: GraphDep, request: Request, id: Annotated[str, Query(max_length=2000)]) -> HTMLResponse:
    """Everything the graph says about one entity, with the source of each fact."""
    return html(request, entity_page(kg.entity(id)))


@router.get("/search", response_class=HTMLResponse)
def search(kg: GraphDep, request: Request, q: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
    query = q.strip()
    if not query:
        return html(request, search_page("", None))
    if len(query) < 2:
        return html(request, search_page(query, None, "type at least two letters"), status_code=422)
    return html(request, search_page(query, kg.search(query, limit=100)))


@router.get("/changes", response_class=HTMLResponse)
def changes(kg: GraphDep, request: Request) -> HTMLResponse:
    return html(request, changes_page(kg.proposals("approved")))
