"""One list + detail pair per resource (organisations, standards, tools, frameworks, competencies,
credentials, occupations, CTDL pathways, concept schemes), plus framework trees and requirements."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from lermap.api import paths  # noqa: F401 - registers the entity_id path convertor used below
from lermap.api.deps import GraphDep
from lermap.api.errors import errors
from lermap.api.schemas import EntityDetail, Page, TreeNode
from lermap.errors import NotFoundError
from lermap.graph.vocab import PREFIXES
from lermap.service.entities import RESOURCES, Resource

router = APIRouter()

Limit = Annotated[int, Query(ge=1, le=500, description="page size")]
Offset = Annotated[int, Query(ge=0, description="items to skip")]


def _add(resource: Resource) -> None:
    tag = resource.name

    def list_items(kg: GraphDep, request: Request, q: str | None = None, scheme: str | None = None,
                   sort: Annotated[str, Query(pattern="^-?(label|id)$")] = "label", limit: Limit = 50, offset: Offset = 0) -> Page:
        found = kg.list_entities(resource.name, q, scheme, sort, limit, offset)
        nxt = str(request.url.include_query_params(offset=offset + limit)) if offset + limit < found.total else None
        return Page.model_validate({**asdict(found), "next": nxt})

    def get_item(kg: GraphDep, id: str) -> EntityDetail:
        detail = kg.entity(id)
        if resource.cls.value not in detail.types:
            raise NotFoundError(f"{id} is not one of the {resource.name}")
        return EntityDetail.model_validate(asdict(detail))

    list_items.__doc__ = f"{resource.title}: filter by label (`q`) or scheme, sort, page."
    get_item.__doc__ = f"One of the {resource.title.lower()}: every fact with the graph (source) it comes from."
    router.add_api_route(f"/{resource.name}", list_items, methods=["GET"], response_model=Page, tags=[tag],
                         operation_id=f"list_{resource.name.replace('-', '_')}")
    router.add_api_route(f"/{resource.name}/{{id:entity_id}}", get_item, methods=["GET"], response_model=EntityDetail, tags=[tag],
                         operation_id=f"get_{resource.name.replace('-', '_')}", responses=errors(404))


@router.get("/frameworks/{id:path}/tree", response_model=list[TreeNode], tags=["frameworks"], operation_id="framework_tree",
            responses=errors(404))
def get_framework_tree(kg: GraphDep, id: str) -> list[TreeNode]:
    """A framework's competencies as a tree (children under their broader competency)."""
    tree = kg.framework_tree(id)
    if not tree:
        raise NotFoundError(f"no framework {id} with competencies in the graph")
    return [TreeNode.model_validate(asdict(n)) for n in tree]


@router.get("/occupations/{id:path}/requirements", tags=["occupations"], operation_id="occupation_requirements")
def get_requirements(kg: GraphDep, id: str) -> list[dict[str, object]]:
    """The competencies an occupation requires: essential / importance / level."""
    return [dict(r.items()) for r in kg.occupation_requirements(id)]


_RDF_MEDIA = {"text/turtle": ox.RdfFormat.TURTLE, "application/ld+json": ox.RdfFormat.JSON_LD,
              "application/n-triples": ox.RdfFormat.N_TRIPLES, "application/rdf+xml": ox.RdfFormat.RDF_XML}


@router.get("/entities/{id:entity_id}", tags=["entities"], operation_id="get_entity", response_model=EntityDetail,
            responses={200: {"content": {m: {} for m in _RDF_MEDIA}}, 303: {"description": "HTML: the entity's page, /entity?id=IRI"},
                       **errors(404)})
def get_entity(kg: GraphDep, id: str, request: Request) -> Response:
    """Any entity, dereferenced with content negotiation: JSON (default), JSON-LD, Turtle, N-Triples or RDF/XML; a
    browser (HTML) is sent to the entity's page."""
    accept = request.headers.get("accept", "")
    for part in accept.split(","):
        media = part.split(";")[0].strip().lower()
        if media in _RDF_MEDIA:
            body = ox.serialize(kg.entity_triples(id), format=_RDF_MEDIA[media], prefixes=PREFIXES if media == "text/turtle" else None)
            return Response(body or b"", media_type=media)
        if media == "text/html":
            kg.entity(id)  # 404 here, for an entity the graph does not hold
            return RedirectResponse("/entity?id=" + quote(id, safe=""), status_code=303)
        if media in {"application/json", "*/*", ""}:
            break
    return JSONResponse(EntityDetail.model_validate(asdict(kg.entity(id))).model_dump())


for _resource in RESOURCES.values():
    _add(_resource)
