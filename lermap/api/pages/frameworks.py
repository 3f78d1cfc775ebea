"""``/frameworks`` (the list), ``/framework?id=IRI`` (one hierarchy) and ``/crosswalk?a=IRI&b=IRI``."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from lermap.api.deps import GraphDep
from lermap.api.pages.render import html
from lermap.views.pages.frameworks import crosswalk_page, framework_page, frameworks_page

router = APIRouter(include_in_schema=False)


@router.get("/frameworks", response_class=HTMLResponse)
def frameworks(kg: GraphDep, request: Request, offset: Annotated[int, Query(ge=0)] = 0) -> HTMLResponse:
    return html(request, frameworks_page(kg.list_entities("frameworks", limit=50, offset=offset), kg.schemes()))


@router.get("/framework", response_class=HTMLResponse)
def framework(kg: GraphDep, request: Request, id: Annotated[str, Query(max_length=2000)]) -> HTMLResponse:
    """A framework's hierarchy as a sunburst with drill-down, and the same as an outline."""
    return html(request, framework_page(kg.framework(id)))


@router.get("/frameworks/{id:path}")
def framework_by_path(id: str) -> RedirectResponse:
    """The framework page's earlier address (the IRI in the path) moves to ``/framework?id=IRI``."""
    return RedirectResponse("/framework?id=" + quote(id, safe=""), status_code=301)


@router.get("/crosswalk", response_class=HTMLResponse)
def crosswalk(kg: GraphDep, request: Request, a: str | None = None, b: str | None = None) -> HTMLResponse:
    """Alignments between two frameworks: counts by predicate and confidence band, then the mappings."""
    mappings = kg.find_alignments(between=(a, b)) if a and b else None
    return html(request, crosswalk_page(kg.schemes(), a, b, mappings))
