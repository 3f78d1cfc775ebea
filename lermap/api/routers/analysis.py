"""The calls apps make: alignments, skills from text, pathways, scorecards, search."""

from __future__ import annotations

import io
import json
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import PlainTextResponse

from lermap.analysis.language import LanguagePreference
from lermap.api.deps import GraphDep, LangDep, Limit, Offset, label_languages, next_page
from lermap.api.errors import errors
from lermap.api.schemas import (
    AlignmentPage,
    AlignmentPublic,
    ExtractRequest,
    OccupationMatchPublic,
    OccupationMatchRequest,
    PathwayRequest,
    SearchHit,
    SearchPage,
    SkillMentionPublic,
    TitleMatches,
)
from lermap.errors import ConfigError
from lermap.ingest.sssom.mapping import Mapping, MappingSet
from lermap.ingest.sssom.write import write_sssom_tsv
from lermap.service import KnowledgeGraph

router = APIRouter()


def _public(m: Mapping, kg: KnowledgeGraph | None = None, lang: LanguagePreference | None = None) -> AlignmentPublic:
    """An alignment as the API shows it; with ``kg`` and ``lang``, the languages of its labels too."""
    data = asdict(m)
    data["derivation"] = list(m.derivation)
    if kg is not None and lang is not None:
        subject, obj = kg.label_in(m.subject_id, lang), kg.label_in(m.object_id, lang)
        data["subject_label_lang"] = subject.lang if subject else None
        data["object_label_lang"] = obj.lang if obj else None
    return AlignmentPublic(**{k: v for k, v in data.items() if k in AlignmentPublic.model_fields})


def alignment_page(kg: KnowledgeGraph, request: Request, response: Response, rows: list[Mapping], lang: LanguagePreference,
                    limit: int, offset: int) -> AlignmentPage:
    items = [_public(m, kg, lang) for m in rows[offset : offset + limit]]
    label_languages(response, (t for i in items for t in (i.subject_label_lang, i.object_label_lang)))
    return AlignmentPage(items=items, total=len(rows), limit=limit, offset=offset, next=next_page(request, response, offset, limit, len(rows)))


@router.get("/alignments", response_model=AlignmentPage, tags=["alignments"], operation_id="list_alignments", responses=errors(400))
def list_alignments(kg: GraphDep, request: Request, response: Response, lang: LangDep, subject: str | None = None, object: str | None = None,
                    scheme: str | None = None, predicate: Annotated[str | None, Query(description="skos:exactMatch, skos:closeMatch, ...")] = None,
                    min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None, limit: Limit = 100, offset: Offset = 0) -> AlignmentPage:
    """Alignments with predicate, confidence, justification and provenance, paged (`next`), labels in `lang`. ``subject``
    matches either side (the row is turned so the subject comes first); chained or suggested rows carry their derivation."""
    rows = kg.find_alignments(subject, object, scheme, predicate, min_confidence, lang=lang)
    return alignment_page(kg, request, response, rows, lang, limit, offset)


class TsvResponse(PlainTextResponse):
    media_type = "text/tab-separated-values"


@router.get("/alignments.sssom.tsv", response_class=TsvResponse, tags=["alignments"], operation_id="download_sssom")
def download_sssom(kg: GraphDep, scheme: str | None = None, min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None) -> TsvResponse:
    """Every alignment (optionally of one scheme) as an SSSOM TSV file."""
    buf = io.StringIO()
    write_sssom_tsv(MappingSet(kg.find_alignments(scheme=scheme, min_confidence=min_confidence)), buf)
    return TsvResponse(buf.getvalue(), headers={"content-disposition": 'attachment; filename="lermap-alignments.sssom.tsv"'})


@router.get("/competencies/{id:path}/alignments", response_model=AlignmentPage, tags=["competencies"],
            operation_id="competency_alignments", responses=errors(400, 404))
def competency_alignments(kg: GraphDep, id: str, request: Request, response: Response, lang: LangDep,
                          min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None, limit: Limit = 100,
                          offset: Offset = 0) -> AlignmentPage:
    """A competency's alignments across frameworks (both directions, turned to start from it), paged (`next`), labels in `lang`."""
    rows = kg.find_alignments(subject=id, min_confidence=min_confidence, lang=lang)
    return alignment_page(kg, request, response, rows, lang, limit, offset)


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


@router.get("/search", response_model=SearchPage, tags=["search"], operation_id="search", responses=errors(400))
def search(kg: GraphDep, request: Request, response: Response, lang: LangDep, q: Annotated[str, Query(min_length=2, max_length=200)],
           limit: Annotated[int, Query(ge=1, le=100)] = 20, offset: Annotated[int, Query(ge=0, le=10_000)] = 0) -> SearchPage:
    """Entities whose label (in `lang`) contains the words of ``q`` (all of them), best matches first, paged (`next`)."""
    hits = kg.search(q, limit + 1, lang=lang, offset=offset)  # one more than the page: is there a next page?
    items = [SearchHit(**asdict(h)) for h in hits[:limit]]
    label_languages(response, (h.label_lang for h in items))
    more = offset + limit + (1 if len(hits) > limit else 0)
    return SearchPage(items=items, total=None, limit=limit, offset=offset, next=next_page(request, response, offset, limit, more))
