"""``/map`` (filters in the URL) and ``/principles``."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from lermap.analysis.dto import MAP_KINDS, MapFilters
from lermap.api.deps import GraphDep
from lermap.api.pages.render import html
from lermap.views.pages.map import map_page
from lermap.views.pages.principles import principles_page

router = APIRouter(include_in_schema=False)


@router.get("/map", response_class=HTMLResponse)
def ecosystem_map(kg: GraphDep, request: Request, kind: Annotated[list[str] | None, Query()] = None, role: str | None = None,
                  standard: str | None = None, region: str | None = None, q: str | None = None) -> HTMLResponse:
    """Organisations, standards, tools and stakeholder types with their typed relations; filters live in the URL."""
    kinds = tuple(k for k in (kind or MAP_KINDS) if k in MAP_KINDS)
    view = kg.map_view(MapFilters(kinds, role or None, standard or None, region or None, q or None))
    return html(request, map_page(view))


@router.get("/principles", response_class=HTMLResponse)
def principles(kg: GraphDep, request: Request, kind: Literal["organization", "tool", "standard"] = "organization",
               limit: Annotated[int, Query(ge=1, le=500)] = 60) -> HTMLResponse:
    """Entities × C-BEN's seven principles, each cell an evidence-backed score (see the scorecard API)."""
    return html(request, principles_page(kg.principle_matrix(kind, limit)))
