"""One list + detail pair per resource (organisations, standards, tools, frameworks, competencies,
credentials, occupations, CTDL pathways, concept schemes), plus framework trees and requirements."""

from __future__ import annotations

from typing import Annotated, Any

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from lermap.api.deps import GraphDep
from lermap.api.errors import errors
from lermap.api.pages import page, table
from lermap.api.resources import RESOURCES, Resource, entity_detail, entity_triples, framework_tree, list_entities
from lermap.api.schemas import EntityDetail, Page, TreeNode
from lermap.errors import NotFoundError
from lermap.graph.vocab import PREFIXES

router = APIRouter()

Limit = Annotated[int, Query(ge=1, le=500, description="page size")]
Offset = Annotated[int, Query(ge=0, description="items to skip")]


def _page_url(request: Request, offset: int) -> str:
    return str(request.url.include_query_params(offset=offset))


def _add(resource: Resource) -> None:
    tag = resource.name

    def list_items(kg: GraphDep, request: Request, q: str | None = None, scheme: str | None = None,
                   sort: Annotated[str, Query(pattern="^-?(label|id)$")] = "label", limit: Limit = 50, offset: Offset = 0) -> Page:
        items, total = list_entities(kg, resource, q, scheme, sort, limit, offset)
        nxt = _page_url(request, offset + limit) if offset + limit < total else None
        return Page(items=items, total=total, limit=limit, offset=offset, next=nxt)  # type: ignore[arg-type]

    def get_item(kg: GraphDep, id: str) -> EntityDetail:
        detail = entity_detail(kg, id)
        if resource.cls.value not in detail["types"]:
            raise NotFoundError(f"{id} is not one of the {resource.name}")
        return EntityDetail(**detail)

    list_items.__doc__ = f"{resource.title}: filter by label (`q`) or scheme, sort, page."
    get_item.__doc__ = f"One of the {resource.title.lower()}: every fact with the graph (source) it comes from."
    router.add_api_route(f"/{resource.name}", list_items, methods=["GET"], response_model=Page, tags=[tag],
                         operation_id=f"list_{resource.name.replace('-', '_')}")
    router.add_api_route(f"/{resource.name}/{{id:path}}", get_item, methods=["GET"], response_model=EntityDetail, tags=[tag],
                         operation_id=f"get_{resource.name.replace('-', '_')}", responses=errors(404))


@router.get("/frameworks/{id:path}/tree", response_model=list[TreeNode], tags=["frameworks"], operation_id="framework_tree",
            responses=errors(404))
def get_framework_tree(kg: GraphDep, id: str) -> list[TreeNode]:
    """A framework's competencies as a tree (children under their broader competency)."""
    tree = framework_tree(kg, id)
    if not tree:
        raise NotFoundError(f"no framework {id} with competencies in the graph")
    return [TreeNode(**n) for n in tree]


@router.get("/occupations/{id:path}/requirements", tags=["occupations"], operation_id="occupation_requirements")
def get_requirements(kg: GraphDep, id: str) -> list[dict[str, object]]:
    """The competencies an occupation requires: essential / importance / level."""
    rows: list[dict[str, object]] = [dict(r.items()) for r in kg.rows("occupation-requirements", {"occupation": id})]
    return rows


_RDF_MEDIA = {"text/turtle": ox.RdfFormat.TURTLE, "application/ld+json": ox.RdfFormat.JSON_LD,
              "application/n-triples": ox.RdfFormat.N_TRIPLES, "application/rdf+xml": ox.RdfFormat.RDF_XML}


@router.get("/entities/{id:path}", tags=["entities"], operation_id="get_entity", response_model=EntityDetail,
            responses={200: {"content": {m: {} for m in [*_RDF_MEDIA, "text/html"]}}, **errors(404)})
def get_entity(kg: GraphDep, id: str, request: Request) -> Response:
    """Any entity, dereferenced with content negotiation: JSON (default), JSON-LD, Turtle, N-Triples, RDF/XML or HTML."""
    accept = request.headers.get("accept", "")
    for part in accept.split(","):
        media = part.split(";")[0].strip().lower()
        if media in _RDF_MEDIA:
            triples = entity_triples(kg, id)
            body = ox.serialize(triples, format=_RDF_MEDIA[media], prefixes=PREFIXES if media == "text/turtle" else None)
            return Response(body or b"", media_type=media)
        if media == "text/html":
            return HTMLResponse(entity_page(entity_detail(kg, id)))
        if media in {"application/json", "*/*", ""}:
            break
    return JSONResponse(EntityDetail(**entity_detail(kg, id)).model_dump())


def entity_page(detail: dict[str, Any]) -> str:
    facts = table(["property", "value", "source graph"],
                  [(f["predicate"].rsplit("#", 1)[-1].rsplit("/", 1)[-1], f["object_label"] or f["object"], f["graph"])
                   for f in detail["facts"]], "Facts")
    incoming = table(["from", "property"], [(i["subject_label"] or i["subject"], i["predicate"].rsplit("#", 1)[-1])
                                            for i in detail["incoming"]], "Pointing here")
    return page(str(detail["label"] or detail["id"]), facts + incoming)


for _resource in RESOURCES.values():
    _add(_resource)
