"""``/occupations`` (job-title search), ``/occupations/suggest`` (its type-ahead, JSON) and ``/occupation?id=IRI``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from lermap.api.deps import GraphDep
from lermap.api.pages.render import html
from lermap.views.pages.occupations import occupation_href, occupation_page, occupations_page

router = APIRouter(include_in_schema=False)
Title = Annotated[str, Query(max_length=200)]


@router.get("/occupations", response_class=HTMLResponse)
def occupations(kg: GraphDep, request: Request, q: Title = "", offset: Annotated[int, Query(ge=0)] = 0) -> HTMLResponse:
    """Every occupation by name, or, with ``q``, the ones the job-title matcher finds for it, best first."""
    query = q.strip()
    if not query:
        return html(request, occupations_page("", None, kg.list_entities("occupations", limit=50, offset=offset)))
    if len(query) < 2:
        return html(request, occupations_page(query, None, None, "type at least two letters"), status_code=422)
    return html(request, occupations_page(query, kg.find_occupations(query, limit=30), None))


@router.get("/occupations/suggest")
def suggest(kg: GraphDep, q: Title = "", limit: Annotated[int, Query(ge=1, le=20)] = 8) -> list[dict[str, Any]]:
    """Type-ahead for job titles: the best occupations for ``q`` with their page (empty below two letters)."""
    query = q.strip()
    if len(query) < 2:
        return []
    return [{"id": h.id, "label": h.label, "scheme": h.scheme_label, "score": h.score, "href": occupation_href(h.id)}
            for h in kg.find_occupations(query, limit=limit)]


@router.get("/occupation", response_class=HTMLResponse)
def occupation(kg: GraphDep, request: Request, id: Annotated[str, Query(max_length=2000)]) -> HTMLResponse:
    """One occupation: what it requires, what it pays (and through which crosswalk), its links to other schemes."""
    return html(request, occupation_page(kg.occupation(id)))
