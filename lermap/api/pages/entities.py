"""``/entity?id=IRI`` (with its Request-an-Edit forms; its brief form for the map's side panel is
``/entity/summary``), ``/search?q=`` (grouped by kind) and the type-ahead's ``/search/suggest?q=``."""

from __future__ import annotations

import dataclasses
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse

from lermap.analysis.scorecards import Scorecard
from lermap.api.deps import GraphDep
from lermap.api.pages.render import html
from lermap.service import KnowledgeGraph
from lermap.views.pages.entity import SCORED_KINDS, entity_page, entity_summary
from lermap.views.pages.lists import search_page, suggestions
from lermap.views.pages.request_edit import RequestEdit, request_edit

router = APIRouter(include_in_schema=False)
Id = Annotated[str, Query(max_length=2000)]
Q = Annotated[str, Query(max_length=200)]


def _card(kg: KnowledgeGraph, iri: str, kind: str | None) -> Scorecard | None:
    return kg.scorecard(iri) if kind in SCORED_KINDS else None


@router.get("/entity", response_class=HTMLResponse)
def entity(kg: GraphDep, request: Request, id: Id) -> HTMLResponse:
    """What the graph says about one entity, in words, with the source of each relation, its principle scorecard and
    the Request-an-Edit forms."""
    return render_entity(kg, request, id)


def render_entity(kg: KnowledgeGraph, request: Request, iri: str, edit: RequestEdit | None = None, status_code: int = 200) -> HTMLResponse:
    """The entity page; ``edit``: its Request-an-Edit forms as sent back with their problems (else empty forms)."""
    profile = kg.entity_profile(iri)
    page = entity_page(profile, _card(kg, iri, profile.map_kind))
    edit = edit or request_edit(iri, profile.label or iri, kg.edit_target(iri), kg.directory_entries())
    page = dataclasses.replace(page, context={**page.context, "request_edit": edit})
    return html(request, page, status_code=status_code, csrf=True)


@router.get("/entity/summary")
def summary(kg: GraphDep, id: Id) -> JSONResponse:
    """The entity in brief, for the map's side panel (the script writes it as text, never as markup)."""
    profile = kg.entity_profile(id)
    return JSONResponse(entity_summary(profile, _card(kg, id, profile.map_kind)))


@router.get("/search", response_class=HTMLResponse)
def search(kg: GraphDep, request: Request, q: Q = "") -> HTMLResponse:
    query = q.strip()
    if not query:
        return html(request, search_page("", None, kg.kind_counts()))
    if len(query) < 2:
        return html(request, search_page(query, None, kg.kind_counts(), "type at least two letters"), status_code=422)
    return html(request, search_page(query, kg.find(query, limit=50), kg.kind_counts()))


@router.get("/search/suggest")
def suggest(kg: GraphDep, q: Q = "") -> JSONResponse:
    """The search box's type-ahead: up to eight names that contain every word typed, with their kind and page."""
    query = q.strip()
    return JSONResponse(suggestions(kg.suggest(query) if len(query) >= 2 else []), headers={"cache-control": "no-store"})
