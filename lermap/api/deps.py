"""Dependencies shared by the routers (``Annotated`` aliases): the graph, the label language, paging."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from fastapi import Depends, Query, Request, Response

from lermap.analysis.language import LanguagePreference, content_language
from lermap.service import KnowledgeGraph


def get_graph(request: Request) -> KnowledgeGraph:
    kg: KnowledgeGraph = request.app.state.kg
    return kg


GraphDep = Annotated[KnowledgeGraph, Depends(get_graph)]

LangParam = Annotated[str | None, Query(max_length=200, description=(
    "the labels' language: BCP 47 tags in order of preference (`de,en`); `en` matches `en-GB` too. Without a match: an "
    "untagged label, then English, then any. The chosen languages come back in `Content-Language` and `label_lang`"),
    examples=["en", "de,en"])]


def language(lang: LangParam = None) -> LanguagePreference:
    """The ``lang`` parameter as a preference (400 naming ``lang`` for a malformed tag)."""
    return LanguagePreference.parse(lang, "lang")


LangDep = Annotated[LanguagePreference, Depends(language)]

MAX_PAGE = 1000
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"page size (at most {MAX_PAGE})")]
Offset = Annotated[int, Query(ge=0, description="items to skip (follow `next` rather than counting)")]


def next_page(request: Request, response: Response, offset: int, limit: int, total: int) -> str | None:
    """The URL of the next page (same query, offset moved on), also sent as ``Link: <...>; rel="next"``; None on the last."""
    if offset + limit >= total:
        return None
    url = str(request.url.include_query_params(offset=offset + limit, limit=limit))
    response.headers["link"] = f'<{url}>; rel="next"'
    return url


def label_languages(response: Response, tags: Iterable[str | None]) -> None:
    """Say in ``Content-Language`` which languages the answer's labels are in (when any is tagged)."""
    header = content_language(tags)
    if header:
        response.headers["content-language"] = header
