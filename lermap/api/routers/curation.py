"""Suggested alignments between two schemes, and their curation by reviewers (bearer token, like moderation)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import AfterValidator, BaseModel, Field
from starlette.concurrency import run_in_threadpool

from lermap.api.deps import GraphDep, LangDep, Offset
from lermap.api.errors import errors
from lermap.api.routers.analysis import _public, alignment_page
from lermap.api.routers.proposals import Reviewer
from lermap.api.schemas import AlignmentPage, AlignmentPublic
from lermap.graph.terms import is_iri

router = APIRouter(tags=["alignments"])


def _iri(value: str) -> str:
    if not is_iri(value):
        raise ValueError("must be an absolute IRI")
    return value


Iri = Annotated[str, AfterValidator(_iri)]


class CurationRequest(BaseModel):
    subject_id: Iri = Field(max_length=2000, examples=["http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"])
    object_id: Iri = Field(max_length=2000)
    decision: Literal["accept", "reject"]
    predicate_id: Literal["skos:exactMatch", "skos:closeMatch", "skos:broadMatch", "skos:narrowMatch", "skos:relatedMatch"] | None = Field(
        None, description="correct the predicate when accepting (default: the suggested or recorded one)")


@router.get("/suggestions", response_model=AlignmentPage, operation_id="suggest_alignments", responses=errors(400, 404))
def suggest_alignments(kg: GraphDep, request: Request, response: Response, lang: LangDep,
                       a: Annotated[str, Query(description="IRI of the scheme to map from")],
                       b: Annotated[str, Query(description="IRI of the scheme to map to")],
                       method: Literal["lexical", "semantic", "combined"] = "lexical",
                       top_k: Annotated[int, Query(ge=1, le=20)] = 5, threshold: Annotated[float, Query(ge=0, le=1)] = 0.3,
                       limit: Annotated[int, Query(ge=1, le=5000)] = 500, offset: Offset = 0) -> AlignmentPage:
    """Suggested alignments from scheme ``a`` to scheme ``b``, each with its justification and calibrated confidence,
    paged (`next`), labels in `lang`; pairs a reviewer already decided on are left out. ``semantic`` and ``combined``
    need the semantic extra."""
    found = kg.suggest_alignments(a, b, top_k=top_k, threshold=threshold, method=method)
    return alignment_page(kg, request, response, [kg.relabel(m, lang) for m in found.mappings], lang, limit, offset)


@router.post("/curations", response_model=AlignmentPublic, operation_id="curate_alignment", status_code=201,
             responses=errors(400, 401, 404, 413))
async def curate_alignment(kg: GraphDep, body: CurationRequest, who: Reviewer) -> AlignmentPublic:
    """Accept or reject an alignment (reviewers only): stored as manual curation with the reviewer and the date."""
    made = await run_in_threadpool(kg.curate, body.subject_id, body.object_id, body.decision == "accept", who, body.predicate_id)
    return _public(made)
