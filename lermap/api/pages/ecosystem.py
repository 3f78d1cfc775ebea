"""``/map`` (filters, focus and hops in the URL), its exports (``/map/export.csv``, ``/map/export.graphml``: the same
URL filters, so they work without the script), ``/principles`` and ``/principles/compare``."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from lermap.analysis.dto import MAP_KINDS, MAX_HOPS, MapFilters, MapView
from lermap.api.deps import GraphDep
from lermap.api.pages.render import html
from lermap.service import KnowledgeGraph
from lermap.views.map_export import edges_csv, graphml, nodes_csv
from lermap.views.pages.map import map_page
from lermap.views.pages.principles import compare_page, principles_page

router = APIRouter(include_in_schema=False)
Text = Annotated[str | None, Query(max_length=2000)]
Kinds = Annotated[list[str] | None, Query(max_length=len(MAP_KINDS) * 2)]
Hops = Annotated[int, Query(ge=1, le=MAX_HOPS)]


def _view(kg: KnowledgeGraph, kind: list[str] | None, role: str | None, standard: str | None, region: str | None, q: str | None,
          focus: str | None, hops: int) -> MapView:
    kinds = tuple(k for k in (kind or MAP_KINDS) if k in MAP_KINDS) or MAP_KINDS
    return kg.map_view(MapFilters(kinds, role or None, standard or None, region or None, (q or "").strip() or None, focus or None, hops))


@router.get("/map", response_class=HTMLResponse)
def ecosystem_map(kg: GraphDep, request: Request, kind: Kinds = None, role: Text = None, standard: Text = None, region: Text = None,
                  q: Text = None, focus: Text = None, hops: Hops = 1) -> HTMLResponse:
    """Organisations, standards, tools and stakeholder types with their typed relations; filters live in the URL."""
    return html(request, map_page(_view(kg, kind, role, standard, region, q, focus, hops)))


@router.get("/map/export.csv")
def map_csv(kg: GraphDep, part: Literal["nodes", "edges"] = "nodes", kind: Kinds = None, role: Text = None, standard: Text = None,
            region: Text = None, q: Text = None, focus: Text = None, hops: Hops = 1) -> Response:
    """The current view's nodes or relations as CSV (the same URL filters as ``/map``)."""
    view = _view(kg, kind, role, standard, region, q, focus, hops)
    body = nodes_csv(view) if part == "nodes" else edges_csv(view)
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="lermap-map-{part}.csv"'})


@router.get("/map/export.graphml")
def map_graphml(kg: GraphDep, kind: Kinds = None, role: Text = None, standard: Text = None, region: Text = None, q: Text = None,
                focus: Text = None, hops: Hops = 1) -> Response:
    """The current view as GraphML (the same URL filters as ``/map``)."""
    view = _view(kg, kind, role, standard, region, q, focus, hops)
    return Response(graphml(view), media_type="application/graphml+xml",
                    headers={"content-disposition": 'attachment; filename="lermap-map.graphml"'})


@router.get("/principles", response_class=HTMLResponse)
def principles(kg: GraphDep, request: Request, kind: Literal["", "organization", "tool", "standard"] = "", role: Text = None,
               sort: Annotated[str, Query(max_length=60, pattern=r"^-?[a-z-]+$")] = "name") -> HTMLResponse:
    """The seven C-BEN principles in words, how a score is computed, and every scored entity in a sortable matrix."""
    matrix = kg.principle_matrix(kind or None, role or None, sort)
    return html(request, principles_page(kg.principles(), matrix, kg.map_view(MapFilters(kinds=("stakeholder-type",))).roles))


@router.get("/principles/compare", response_class=HTMLResponse)
def compare(kg: GraphDep, request: Request, id: Annotated[list[str] | None, Query(max_length=8)] = None) -> HTMLResponse:
    """Two to four entities side by side, principle by principle, with their evidence."""
    chosen = list(dict.fromkeys(i for i in (id or []) if i))
    if not 2 <= len(chosen) <= 4:
        error = f"choose two to four entities to compare (you chose {len(chosen)})"
        return html(request, compare_page(kg.principles(), [], error), status_code=422 if chosen else 200)
    return html(request, compare_page(kg.principles(), [kg.scorecard(i) for i in chosen]))
