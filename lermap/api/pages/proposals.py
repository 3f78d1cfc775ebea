"""Request an Edit over the pages: the entity page's forms post to ``/proposals``; the proposer's page
``/proposals/{id}``; the reviewers' queue ``/review`` (sign in with a reviewer token → a session cookie; every form
carries its CSRF token); ``/changes`` and its Atom feed ``/changes.atom``. Checks live in the service
(:mod:`lermap.analysis.proposals`); a refusal comes back as the same page with the message next to its field."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from lermap.api.deps import GraphDep
from lermap.api.pages.entities import render_entity
from lermap.api.pages.render import SignedInReviewer, html, posted_form
from lermap.api.security import AuthError, RateLimiter, Reviewers, client_id
from lermap.api.session import CSRF_FIELD, Sessions
from lermap.errors import ValidationFailed
from lermap.service import KnowledgeGraph
from lermap.views.pages.proposals import changes_atom, changes_page, proposal_page, review_page, sign_in_form, summary
from lermap.views.pages.request_edit import FORMS, FormProblems, field_error, payload_from_form, request_edit

router = APIRouter(include_in_schema=False)
ProposalId = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9-]+$")]


def _fields(form: FormData) -> dict[str, str | list[str]]:
    out: dict[str, str | list[str]] = {}
    for key in dict.fromkeys(form.keys()):
        if key == CSRF_FIELD:
            continue
        values = [v for v in form.getlist(key) if isinstance(v, str)]
        out[key] = values[0] if len(values) == 1 else values
    return out


@router.post("/proposals", response_class=HTMLResponse)
async def send_proposal(kg: GraphDep, request: Request) -> Response:
    """A Request-an-Edit form from an entity page: queued, then the proposer's page; or the entity page again, with
    the form's problems next to its fields (422) and nothing stored."""
    form = await posted_form(request)
    action, entity = form.get("action"), form.get("entity")
    if action not in FORMS or not isinstance(action, str) or not isinstance(entity, str) or not entity:
        raise ValidationFailed("this form is incomplete; open the entity page again and send it from there")
    limiter: RateLimiter = request.app.state.proposal_limiter
    limiter.hit(client_id(request))
    fields = _fields(form)
    try:
        payload, proposer, contact = payload_from_form(action, entity, fields)
        proposal = await run_in_threadpool(kg.propose, payload, proposer, contact)
    except FormProblems as exc:
        errors = exc.problems
    except ValidationFailed as exc:
        errors = dict([field_error(str(exc), action)])
    else:
        return RedirectResponse(f"/proposals/{proposal.id}?sent=1", status_code=303)
    values = {k: v if isinstance(v, str) else "\n".join(v) for k, v in fields.items()}
    label = kg.entity(entity).label or entity
    edit = request_edit(entity, label, kg.edit_target(entity), kg.directory_entries(), values, errors, action)
    return render_entity(kg, request, entity, edit, status_code=422)


@router.get("/proposals/{proposal_id}", response_class=HTMLResponse)
def proposal(kg: GraphDep, request: Request, proposal_id: ProposalId, sent: bool = False) -> HTMLResponse:
    """Where an edit request stands: waiting, approved or not accepted (with the reviewer's comment)."""
    message = "Thank you: your request was sent. A reviewer will look at it; this page shows where it stands." if sent else None
    return html(request, proposal_page(kg.proposal_change(proposal_id)), status_message=message)


def _review(kg: KnowledgeGraph, request: Request, who: str | None, *, status_code: int = 200, message: str | None = None,
            sign_in_error: str | None = None, comment_errors: dict[str, str] | None = None) -> HTMLResponse:
    pending = kg.proposal_changes("pending") if who else []
    decided = [c for c in kg.proposal_changes(newest_first=True) if c.proposal.status != "pending"][:20] if who else []
    page = review_page(who, pending, decided, sign_in_form(sign_in_error) if sign_in_error else None, comment_errors)
    return html(request, page, status_code=status_code, csrf=True, status_message=message)


@router.get("/review", response_class=HTMLResponse)
def review(kg: GraphDep, request: Request, decided: Annotated[str | None, Query(max_length=40)] = None) -> HTMLResponse:
    """The reviewers' queue (the sign-in form when nobody is signed in on this browser)."""
    sessions: Sessions = request.app.state.sessions
    who = sessions.current(request)
    message = None
    if who and decided:
        change = next((c for c in kg.proposal_changes() if c.proposal.id == decided), None)
        message = f"{change.proposal.status.capitalize()}: {summary(change)}" if change else None
    return _review(kg, request, who, message=message)


@router.post("/review/sign-in", response_class=HTMLResponse)
async def sign_in(kg: GraphDep, request: Request) -> Response:
    form = await posted_form(request)
    limiter: RateLimiter = request.app.state.sign_in_limiter
    limiter.hit(client_id(request))
    token = form.get("token")
    if not isinstance(token, str) or not token.strip():
        return _review(kg, request, None, status_code=401, sign_in_error="Enter your reviewer token")
    reviewers: Reviewers = request.app.state.reviewers
    try:
        name = reviewers.authenticate("Bearer " + token.strip())
    except AuthError as exc:
        return _review(kg, request, None, status_code=401, sign_in_error=str(exc))
    response = RedirectResponse("/review", status_code=303)
    sessions: Sessions = request.app.state.sessions
    sessions.sign_in(request, response, name)
    return response


@router.post("/review/sign-out")
async def sign_out(request: Request) -> Response:
    await posted_form(request)
    response = RedirectResponse("/review", status_code=303)
    sessions: Sessions = request.app.state.sessions
    sessions.sign_out(request, response)
    return response


@router.post("/review/{proposal_id}/{decision}", response_class=HTMLResponse)
async def decide(kg: GraphDep, request: Request, who: SignedInReviewer, proposal_id: ProposalId,
                 decision: Annotated[str, Path(pattern="^(approve|reject)$")]) -> Response:
    """Approve or reject one pending request, with an optional comment; back to the queue."""
    form = await posted_form(request)
    name = f"comment-{proposal_id}-{decision[0]}"
    comment = form.get(name)
    comment = comment.strip() if isinstance(comment, str) and comment.strip() else None
    try:
        if decision == "approve":
            await run_in_threadpool(kg.approve, proposal_id, who, comment)
        else:
            await run_in_threadpool(kg.reject, proposal_id, who, comment)
    except ValidationFailed as exc:
        return _review(kg, request, who, status_code=422, comment_errors={proposal_id: str(exc)},
                       message=f"Request {proposal_id} was not changed: {exc}")
    return RedirectResponse(f"/review?decided={proposal_id}", status_code=303)


@router.get("/changes", response_class=HTMLResponse)
def changes(kg: GraphDep, request: Request) -> HTMLResponse:
    """Approved edits, newest first: who proposed, who approved, when, what, with the reviewer's comment."""
    return html(request, changes_page(kg.proposal_changes("approved", newest_first=True)))


@router.get("/changes.atom")
def changes_feed(kg: GraphDep, request: Request) -> Response:
    """The approved edits as an Atom 1.0 feed."""
    body = changes_atom(kg.proposal_changes("approved", newest_first=True), str(request.base_url))
    return Response(body, media_type="application/atom+xml")
