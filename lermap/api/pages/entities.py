"""``/entity?id=IRI`` (with its Request-an-Edit forms) and ``/search?q=``."""

from __future__ import annotations

import dataclasses
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from lermap.api.deps import GraphDep
from lermap.api.pages.render import html
from lermap.service import KnowledgeGraph
from lermap.views.pages.entity import entity_page
from lermap.views.pages.lists import search_page
from lermap.views.pages.request_edit import RequestEdit, request_edit

router = APIRouter(include_in_schema=False)


@router.get("/entity", response_class=HTMLResponse)
def entity(kg: GraphDep, request: Request, id: Annotated[str, Query(max_length=2000)]) -> HTMLResponse:
    """Everything the graph says about one entity, with the source of each fact, and the Request-an-Edit forms."""
    return render_entity(kg, request, id)


def render_entity(kg: KnowledgeGraph, request: Request, iri: str, edit: RequestEdit | None = None, status_code: int = 200) -> HTMLResponse:
    """The entity page; ``edit``: its Request-an-Edit forms as sent back with their problems (else empty forms)."""
    detail = kg.entity(iri)
    page = entity_page(detail)
    edit = edit or request_edit(iri, detail.label or iri, kg.edit_target(iri), kg.directory_entries())
    page = dataclasses.replace(page, context={**page.context, "request_edit": edit})
    return html(request, page, status_code=status_code, csrf=True)


@router.get("/search", response_class=HTMLResponse)
def search(kg: GraphDep, request: Request, q: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
    query = q.strip()
    if not query:
        return html(request, search_page("", None))
    if len(query) < 2:
        return html(request, search_page(query, None, "type at least two letters"), status_code=422)
    return html(request, search_page(query, kg.search(query, limit=100)))
