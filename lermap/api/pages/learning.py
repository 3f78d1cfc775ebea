"""``/pathways``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from lermap.api.deps import GraphDep
from lermap.api.pages.render import html
from lermap.views.pages.pathways import pathways_page

router = APIRouter(include_in_schema=False)


@router.get("/pathways", response_class=HTMLResponse)
def pathways(kg: GraphDep, request: Request, target: str | None = None, held: Annotated[list[str] | None, Query()] = None) -> HTMLResponse:
    """A learner's pathway: held credentials → competencies → the occupation's requirements, gaps in red."""
    chosen = [h for h in (held or []) if h]
    occupations = kg.list_entities("occupations", limit=100_000).items
    result = kg.pathway(chosen, target) if target and chosen else None
    return html(request, pathways_page(occupations, target, chosen, result, kg.labels() if result else {}))

