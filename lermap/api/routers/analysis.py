"""The calls apps make: alignments, skills from text, pathways, scorecards, search."""

from __future__ import annotations

import io
import json
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse

from lermap.api.deps import GraphDep
from lermap.api.errors import errors
from lermap.api.schemas import (
    AlignmentPage,
    AlignmentPublic,
    ExtractRequest,
    OccupationMatchPublic,
    OccupationMatchRequest,
    PathwayRequest,
    SearchHit,
    SkillMentionPublic,
    TitleMatches,
)
from lermap.errors import ConfigError
from lermap.ingest.sssom.mapping import Mapping, MappingSet
from lermap.ingest.sssom.write import write_sssom_tsv

router = APIRouter()


def _public(m: Mapping) -> AlignmentPublic:
    data = asdict(m)
    data["derivation"] = list(m.derivation)
    return AlignmentPublic(**{k: v for k, v in data.items() if k in AlignmentPublic.model_fields})


@router.get("/alignments", response_model=AlignmentPage, tags=["alignments"], operation_id="list_alignments", responses=errors(400))
def list_alignments(kg: GraphDep, request: Request, subject: str | None = None, object: str | None = None, scheme: str | None = None,
                    predicate: Annotated[str | None, Query(description="skos:exactMatch, skos:closeMatch, ...")] = None,
                    min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
                    limit: Annotated[int, Query(ge=1, le=1000)] = 100, offset: Annotated[int, Query(ge=0)] = 0) -> AlignmentPage:
    """Alignments with predicate, confidence, justification and provenance. ``subject`` matches either
    side (the row is turned so the subject comes first); chained or suggested rows carry their derivation."""
    rows = kg.find_alignments(subject, object, scheme, predicate, min_confidence)
    nxt = str(request.url.include_query_params(offset=offset + limit)) if offset + limit < len(rows) else None
    return AlignmentPage(items=[_public(m) for m in rows[offset : offset + limit]], total=len(rows), limit=limit, offset=offset, next=nxt)


class TsvResponse(PlainTextResponse):
    media_type = "text/tab-separated-values"


@router.get("/alignments.sssom.tsv", response_class=TsvResponse, tags=["alignments"], operation_id="download_sssom")
def download_sssom(kg: GraphDep, scheme: str | None = None, min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None) -> TsvResponse:
    """Every alignment (optionally of one scheme) as an SSSOM TSV file."""
    buf = io.StringIO()
    write_sssom_tsv(MappingSet(kg.find_alignments(scheme=scheme, min_confidence=min_confidence)), buf)
    return TsvResponse(buf.getvalue(), headers={"content-disposition": 'attachment; filename="lermap-alignments.sssom.tsv"'})


@router.get("/competencies/{id:path}/alignments", response_model=list[AlignmentPublic], tags=["competencies"],
            operation_id="competency_alignments")
def competency_alignments(kg: GraphDep, id: str, min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None) -> list[AlignmentPublic]:
    """A competency's alignments across frameworks (both directions, turned to start from it)."""
    return [_public(m) for m in kg.find_alignments(subject=id, min_confidence=min_confidence)]


@router.post("/extract", response_model=list[SkillMentionPublic], tags=["skills"], operation_id="extract_skills", responses=errors(400, 413))
def extract_skills(kg: GraphDep, body: ExtractRequest) -> list[SkillMentionPublic]:
    """The competencies a text mentions, with confidence, the matched span and the framework."""
    return [SkillMentionPublic(**asdict(m)) for m in kg.extract(body.text, body.min_confidence, body.method)]


@router.post("/occupations/match", response_model=list[TitleMatches], tags=["occupations"], operation_id="match_occupations",
             responses=errors(400, 404, 413))
def match_occupations(kg: GraphDep, body: OccupationMatchRequest) -> list[TitleMatches]:
    """The occupations of a scheme that best fit free-text job titles (the ranker trains itself on the scheme's
    own alternative labels on the first request)."""
    found = kg.match_occupations(body.titles, body.scheme, body.top, body.method)
    return [TitleMatches(title=t, matches=[OccupationMatchPublic(**asdict(m)) for m in row]) for t, row in zip(body.titles, found, strict=True)]


@router.post("/pathways", tags=["pathways"], operation_id="compute_pathway", responses=errors(400, 404, 413))
def compute_pathway(kg: GraphDep, body: PathwayRequest) -> dict[str, Any]:
    """Coverage of a target occupation by what a learner holds (IRIs, or an OB3/CLR document read
    without storing it), the gap ranked by importance, the credential set that closes it, evidence paths."""
    held = list(body.held)
    if body.document is not None:
        held += kg.held_from_document(json.dumps(body.document).encode("utf-8"))
    if not held:
        raise ConfigError("give `held` IRIs or a `document`")
    return asdict(kg.pathway(held, body.target, current=body.current))


@router.get("/scorecards/{id:path}", tags=["scorecards"], operation_id="get_scorecard", responses=errors(404))
def get_scorecard(kg: GraphDep, id: str) -> dict[str, Any]:
    """An entity's assessment against C-BEN's seven interoperability principles, with evidence and gaps."""
    return kg.scorecard(id).to_dict()


@router.get("/search", response_model=list[SearchHit], tags=["search"], operation_id="search")
def search(kg: GraphDep, q: Annotated[str, Query(min_length=2, max_length=200)], limit: Annotated[int, Query(ge=1, le=100)] = 20) -> list[SearchHit]:
    """Entities whose label contains the words of ``q`` (all of them), best matches first."""
    return [SearchHit(**asdict(h)) for h in kg.search(q, limit)]
