"""``/pathways``: a learner's pathway, chosen by search (GET, works without JavaScript) or with an uploaded OB3 / CLR
file (POST, CSRF-protected, read in memory and never stored)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import UploadFile

from lermap.api.deps import GraphDep
from lermap.api.pages.render import html, posted_form
from lermap.config import settings
from lermap.errors import LermapError, NotFoundError, SourceError, UnsupportedFormatError
from lermap.service import KnowledgeGraph
from lermap.views.pages.pathways import Choice, PathwayState, Picker, held_picker, occupation_picker, pathways_page

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Query(max_length=200)]
Iri = Annotated[str | None, Query(max_length=2000)]
MAX_HELD = 100
# the largest file the page reads: below Starlette's 1 MiB spool, so an upload stays in memory and never touches disk
UPLOAD_BYTES = 512 * 1024
FORM_OVERHEAD_BYTES = 64 * 1024  # the form's other fields, on top of the file (the body limit of the route)


def upload_limit() -> int:
    return min(UPLOAD_BYTES, settings().max_upload_bytes)


def _state(kg: KnowledgeGraph, held: list[str], names: list[str], current: str | None, target: str | None) -> PathwayState:
    """The learner's choices with their names: the graph's, else the name an uploaded file gave (kept in the URL)."""
    chosen: list[Choice] = []
    for i, iri in enumerate(dict.fromkeys(h for h in held if h)):
        if len(chosen) >= MAX_HELD:
            break
        given = names[i] if i < len(names) else ""
        chosen.append(Choice(iri, _name(kg, iri) or given or "something from your file"))
    return PathwayState(tuple(chosen), _occupation(kg, current), _occupation(kg, target))


def _name(kg: KnowledgeGraph, iri: str) -> str | None:
    try:
        return kg.label(iri)
    except NotFoundError:  # not an IRI: nothing in the graph
        return None


def _occupation(kg: KnowledgeGraph, iri: str | None) -> Choice | None:
    label = _name(kg, iri) if iri else None
    return Choice(iri, label) if iri and label else None


def _render(kg: KnowledgeGraph, request: Request, state: PathwayState, hq: str = "", cq: str = "", tq: str = "",
            upload_error: str | None = None, notice: str | None = None, status_code: int = 200) -> HTMLResponse:
    hq, cq, tq = hq.strip(), cq.strip(), tq.strip()
    pickers: list[Picker] = [
        held_picker(state, hq, [(h.id, h.label or h.id, h.kind) for h in kg.find_held(hq)] if len(hq) >= 2 else None,
                    upload_limit(), upload_error),
        occupation_picker(state, "current", cq, [(h.id, h.label, h.scheme_label) for h in kg.find_occupations(cq, 10)] if len(cq) >= 2 else None),
        occupation_picker(state, "target", tq, [(h.id, h.label, h.scheme_label) for h in kg.find_occupations(tq, 10)] if len(tq) >= 2 else None),
    ]
    result, wage_from, error = None, None, None
    if state.target is not None:
        try:
            result, wage_iri = kg.plan_pathway([c.id for c in state.held], state.target.id, state.current.id if state.current else None)
        except NotFoundError:
            error = f"The graph lists no requirements for {state.target.label}, so there is no pathway to show. Choose another occupation."
            status_code = 422
        else:
            wage_from = next((c for c in (state.current, *state.held) if c is not None and c.id == wage_iri), None)
    names = kg.labels() if result is not None else {}
    lines = kg.requirement_lines(state.target.id) if result is not None and state.target else []
    page = pathways_page(state, pickers, result, {**names, **{c.id: c.label for c in state.held}}, lines=lines, wage_from=wage_from,
                         error=error, notice=notice)
    return html(request, page, status_code=status_code, csrf=True)


@router.get("/pathways", response_class=HTMLResponse)
def pathways(kg: GraphDep, request: Request, held: Annotated[list[str] | None, Query()] = None, name: Annotated[list[str] | None, Query()] = None,
             current: Iri = None, target: Iri = None, hq: Text = "", cq: Text = "", tq: Text = "") -> HTMLResponse:
    """Pick what you hold, where you work now and where you aim by search; the pathway when a target is chosen."""
    return _render(kg, request, _state(kg, held or [], name or [], current, target), hq, cq, tq)


@router.post("/pathways", response_class=HTMLResponse)
async def upload(kg: GraphDep, request: Request) -> HTMLResponse:
    """Read an uploaded OB 3.0 / CLR 2.0 file in memory (never stored) and add what it certifies to what is held."""
    form = await posted_form(request)
    state = _state(kg, [v for v in form.getlist("held") if isinstance(v, str)], [v for v in form.getlist("name") if isinstance(v, str)],
                   _text(form.get("current")), _text(form.get("target")))
    document = form.get("document")
    if not isinstance(document, UploadFile) or not document.filename:
        return _render(kg, request, state, upload_error="choose a file to upload", status_code=422)
    limit = upload_limit()
    data = await document.read(limit + 1)
    filename = document.filename[:200]
    if len(data) > limit:
        return _render(kg, request, state, upload_error=f"{filename} is larger than {limit // 1024:,} KiB, the largest file read here",
                       status_code=413)
    if not data.strip():
        return _render(kg, request, state, upload_error=f"{filename} is empty", status_code=422)
    try:
        items = kg.read_held_document(data)
    except LermapError as exc:
        return _render(kg, request, state, upload_error=f"{filename} could not be read: {unreadable(exc)}", status_code=422)
    if not items:
        return _render(kg, request, state, upload_error=f"{filename} was read, but it certifies no achievement or skill the pathway can use",
                       status_code=422)
    known = {c.id for c in state.held}
    added = [Choice(i.id, i.label or "something from your file") for i in items if i.id not in known]
    notice = f"Read {filename} (not kept): added {len(added)} item{'s' if len(added) != 1 else ''} — " + ", ".join(c.label for c in added[:8])
    return _render(kg, request, PathwayState((*state.held, *added), state.current, state.target), notice=notice)


def unreadable(exc: LermapError) -> str:
    """Why an uploaded file could not be read, in words (the place in the file when the reader names one)."""
    if isinstance(exc, UnsupportedFormatError):
        return "it is not a file lermap reads as a badge or learner record (Open Badges 2.0 or 3.0, CLR 2.0, a verifiable credential, in JSON)"
    if isinstance(exc, SourceError):
        where = "" if exc.location in ("", "(document)") else f" (at {exc.location})"
        return f"{exc.reason}{where}"
    return str(exc)


def _text(value: object) -> str | None:
    return value[:2000] if isinstance(value, str) and value else None
