"""One list + detail pair per resource (organisations, standards, tools, frameworks, competencies,
credentials, occupations, CTDL pathways, concept schemes), plus framework trees and requirements.

Every detail route (and ``/v1/entities/{iri}``) is negotiated (:mod:`lermap.api.negotiation`): JSON, JSON-LD, Turtle,
N-Triples, RDF/XML, or a browser's page. Every route that labels takes ``lang=``; every list pages with ``next``."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from lermap.api import paths  # noqa: F401 - registers the entity_id path convertor used below
from lermap.api.deps import GraphDep, LangDep, Limit, Offset, label_languages, next_page
from lermap.api.errors import errors
from lermap.api.negotiation import JSON, Negotiated, represent
from lermap.api.negotiation import responses as negotiated_responses
from lermap.api.schemas import EntityDetail, Page, RequirementPage, TreeNode
from lermap.errors import NotFoundError
from lermap.service.entities import RESOURCES, Resource

router = APIRouter()


def _detail(kg: GraphDep, iri: str, rep: Negotiated, lang: LangDep, resource: str | None) -> Response:
    if rep is not JSON:
        return represent(rep, iri, lambda: kg.describe(iri, resource))
    detail = kg.entity(iri, lang=lang)
    if resource is not None and kg.resource(resource).cls.value not in detail.types:
        raise NotFoundError(f"{iri} is not one of the {resource}")
    headers = {"content-language": detail.label_lang} if detail.label_lang else None
    return JSONResponse(EntityDetail.model_validate(asdict(detail)).model_dump(), headers=headers)


def _add(resource: Resource) -> None:
    tag = resource.name

    def list_items(kg: GraphDep, request: Request, response: Response, lang: LangDep, q: str | None = None, scheme: str | None = None,
                   sort: Annotated[str, Query(pattern="^-?(label|id)$")] = "label", limit: Limit = 50, offset: Offset = 0) -> Page:
        found = kg.list_entities(resource.name, q, scheme, sort, limit, offset, lang=lang)
        label_languages(response, (i.label_lang for i in found.items))
        return Page.model_validate({**asdict(found), "next": next_page(request, response, offset, limit, found.total)})

    def get_item(kg: GraphDep, id: str, rep: Negotiated, lang: LangDep) -> Response:
        return _detail(kg, id, rep, lang, resource.name)

    list_items.__doc__ = f"{resource.title}: filter by label (`q`) or scheme, sort, page (`next`), labels in `lang`."
    get_item.__doc__ = (f"One of the {resource.title.lower()}: every fact with the graph (source) it comes from, as JSON (default), "
                        "JSON-LD, Turtle, N-Triples or RDF/XML by `Accept` or `?format=`.")
    router.add_api_route(f"/{resource.name}", list_items, methods=["GET"], response_model=Page, tags=[tag],
                         operation_id=f"list_{resource.name.replace('-', '_')}", responses=errors(400))
    router.add_api_route(f"/{resource.name}/{{id:entity_id}}", get_item, methods=["GET"], response_model=EntityDetail, tags=[tag],
                         operation_id=f"get_{resource.name.replace('-', '_')}", responses={**negotiated_responses(), **errors(400, 404, 406)})


@router.get("/frameworks/{id:path}/tree", response_model=list[TreeNode], tags=["frameworks"], operation_id="framework_tree",
            responses=errors(400, 404))
def get_framework_tree(kg: GraphDep, id: str, response: Response, lang: LangDep) -> list[TreeNode]:
    """A framework's competencies as a tree (children under their broader competency), labels in `lang`."""
    tree = kg.framework_tree(id, lang=lang)
    if not tree:
        raise NotFoundError(f"no framework {id} with competencies in the graph")
    nodes = [TreeNode.model_validate(asdict(n)) for n in tree]

    def tags(ns: list[TreeNode]) -> list[str | None]:
        return [t for n in ns for t in (n.label_lang, *tags(n.children))]

    label_languages(response, tags(nodes))
    return nodes


@router.get("/occupations/{id:path}/requirements", response_model=RequirementPage, tags=["occupations"],
            operation_id="occupation_requirements", responses=errors(400, 404))
def get_requirements(kg: GraphDep, id: str, request: Request, response: Response, lang: LangDep, limit: Limit = 100,
                     offset: Offset = 0) -> RequirementPage:
    """The competencies an occupation requires: essential / importance / level, labels in `lang`, paged (`next`)."""
    rows = kg.occupation_requirements(id, lang=lang)
    page = rows[offset : offset + limit]
    label_languages(response, (str(r["label_lang"]) if r["label_lang"] else None for r in page))
    return RequirementPage.model_validate({"items": page, "total": len(rows), "limit": limit, "offset": offset,
                                           "next": next_page(request, response, offset, limit, len(rows))})


@router.get("/entities/{id:entity_id}", tags=["entities"], operation_id="get_entity", response_model=EntityDetail,
            responses={**negotiated_responses(), **errors(400, 404, 406)})
def get_entity(kg: GraphDep, id: str, rep: Negotiated, lang: LangDep) -> Response:
    """Any entity, dereferenced with content negotiation (`Accept` or `?format=`): JSON (default), JSON-LD, Turtle,
    N-Triples or RDF/XML; a browser (HTML) is sent to the entity's page."""
    return _detail(kg, id, rep, lang, None)


for _resource in RESOURCES.values():
    _add(_resource)
