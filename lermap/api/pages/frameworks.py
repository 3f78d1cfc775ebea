"""``/frameworks`` (the catalogue), ``/framework?id=IRI`` (one hierarchy), ``/crosswalk?a=IRI&b=IRI`` (alignments,
decisions and open suggestions between two) and ``/crosswalk/decide`` (a signed-in curator accepts or rejects one)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from lermap.api.deps import GraphDep
from lermap.api.pages.render import SignedInReviewer, html, posted_form
from lermap.errors import ConfigError, NotFoundError, ValidationFailed
from lermap.views.components import page_href
from lermap.views.pages.frameworks import CrosswalkView, crosswalk_page, framework_page, frameworks_page

router = APIRouter(include_in_schema=False)
Iri = Annotated[str | None, Query(max_length=2000)]
DECIDED = {"accepted": "Saved: the alignment is accepted and now counts among the alignments below.",
           "rejected": "Saved: the suggestion is rejected and will not be suggested again."}


@router.get("/frameworks", response_class=HTMLResponse)
def frameworks(kg: GraphDep, request: Request) -> HTMLResponse:
    return html(request, frameworks_page(kg.framework_catalogue()))


@router.get("/framework", response_class=HTMLResponse)
def framework(kg: GraphDep, request: Request, id: Annotated[str, Query(max_length=2000)]) -> HTMLResponse:
    """A framework's hierarchy as a sunburst with drill-down, and the same as an outline."""
    return html(request, framework_page(kg.framework(id), kg.framework_catalogue()))


@router.get("/frameworks/{id:path}")
def framework_by_path(id: str) -> RedirectResponse:
    """The framework page's earlier address (the IRI in the path) moves to ``/framework?id=IRI``."""
    return RedirectResponse("/framework?id=" + quote(id, safe=""), status_code=301)


@router.get("/crosswalk", response_class=HTMLResponse)
def crosswalk(kg: GraphDep, request: Request, a: Iri = None, b: Iri = None, decided: str | None = None) -> HTMLResponse:
    """Alignments between two frameworks, the curators' decisions, and the suggestions still open (decided by a
    signed-in curator on this page)."""
    schemes = kg.schemes()
    known = {s.id for s in schemes}
    if not (a and b):
        return html(request, crosswalk_page(schemes, a, b, None))
    if a not in known or b not in known:
        raise NotFoundError("choose two frameworks of the graph from the lists")
    error = None
    try:
        suggestions, open_count = kg.crosswalk_suggestions(a, b)
    except (ConfigError, NotFoundError) as exc:
        suggestions, open_count, error = [], 0, f"No suggestions: {exc}."
    view = CrosswalkView(kg.find_alignments(between=(a, b)), kg.crosswalk_decisions(a, b), suggestions, open_count, error)
    return html(request, crosswalk_page(schemes, a, b, view, DECIDED.get(decided or "")), csrf=True)


@router.post("/crosswalk/decide")
async def decide(kg: GraphDep, request: Request, who: SignedInReviewer) -> RedirectResponse:
    """Accept or reject one suggested alignment (the service's curation: stored with the curator and the date),
    then back to the crosswalk, where the decision shows at once."""
    form = await posted_form(request)
    fields = {k: form.get(k) for k in ("a", "b", "subject", "object", "predicate", "decision")}
    values = {k: v for k, v in fields.items() if isinstance(v, str) and v and len(v) <= 2000}
    missing = [k for k in fields if k not in values]
    if missing or values["decision"] not in ("accept", "reject"):
        raise ValidationFailed(f"the decision form is incomplete ({', '.join(missing) or 'decision'}); reload the crosswalk and try again")
    accept = values["decision"] == "accept"
    kg.curate(values["subject"], values["object"], accept, who, values["predicate"])
    target = page_href("/crosswalk", a=values["a"], b=values["b"], decided="accepted" if accept else "rejected")
    return RedirectResponse(target + "#suggestions", status_code=303)
