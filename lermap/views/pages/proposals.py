"""The pages around edit proposals: the proposer's page (where a request stands), the reviewers' queue (sign-in, a
before → after table per proposal, approve / reject with a comment), the list of approved changes and its Atom feed.

>>> from lermap.analysis.proposals import Proposal
>>> from lermap.analysis.proposal_diff import DiffLine, DirectoryEntry, ProposalChange
>>> ce = DirectoryEntry("credential-engine", "Credential Engine", "organisation", "https://example.org/ce")
>>> p = Proposal("abc", "fix", {"kind": "fix", "field": "name"}, "pending", "2026-12-06T10:00:00+00:00")
>>> summary(ProposalChange(p, ce, [DiffLine("name", "Credential Engine", "Credential Engine Inc.")]))
'Correct the name of Credential Engine'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from lermap.analysis.proposal_diff import DiffLine, ProposalChange
from lermap.views import words
from lermap.views.components import Cell, EntityLink, Field, Form, Link, Table, entity_href
from lermap.views.pages.request_edit import FIELD_WORDS, NEW_TYPES
from lermap.views.render import Page

STATUS_WORDS = {"pending": "Waiting for a reviewer", "approved": "Approved", "rejected": "Not accepted",
                "reverted": "Approved, then taken back"}
ATOM = "http://www.w3.org/2005/Atom"
_NEW_WORDS = dict(NEW_TYPES)
_ENTRY_FIELDS = {"id": "Identifier", "name": "Name", "url": "Website address", "description": "Description", "roles": "Roles",
                 "provider": "Provider", "alt_names": "Other names", "kind": "Kind"}


def _what(line: DiffLine) -> str:
    if line.what in FIELD_WORDS:
        return FIELD_WORDS[line.what]
    if line.what in _ENTRY_FIELDS:
        return _ENTRY_FIELDS[line.what]
    if line.what == "entity":
        return "The entity and all its relations"
    return words.relation(line.what).capitalize() if "/" in line.what or "#" in line.what else line.what


def summary(change: ProposalChange) -> str:
    """The proposal in one line of words: "Correct the name of Credential Engine", "Remove Lumina Foundation"."""
    p, name = change.proposal, change.entity.name if change.entity else "an entity"
    line = change.lines[0] if change.lines else None
    if p.kind == "fix":
        if p.payload.get("field") == "name" and line is not None and line.before:
            name = line.before  # the name it had when the correction was asked for
        return f"Correct the {FIELD_WORDS.get(str(p.payload.get('field')), 'value').lower()} of {name}"
    if p.kind == "entity":
        kind = _NEW_WORDS.get(str(p.payload.get("entity_type")), "entity").split(" (")[0].lower()
        return f"Add a new {kind}: {name}"
    if line is not None and line.what != "entity":
        verb = "Add" if p.kind == "relation" else "Remove"
        other = line.after if p.kind == "relation" else line.before
        return f"{verb}: {name} {words.relation(line.what)} {other}"
    return f"Remove {name}"


def _date(stamp: str | None) -> str | None:
    return stamp[:16].replace("T", " ") + " UTC" if stamp else None


def _entity_cell(change: ProposalChange) -> Cell:
    ent = change.entity
    if ent is None:
        return None
    return EntityLink(ent.iri, ent.name) if change.proposal.kind != "entity" or change.proposal.status == "approved" else ent.name


def diff_table(change: ProposalChange) -> Table:
    rows: list[Sequence[Cell]] = [(_what(line), line.before, line.after if line.after is not None else ("(removed)" if line.before else None))
                                  for line in change.lines]
    return Table("What changes", ["what", "before", "after"], rows, empty="Nothing to compare.")


@dataclass(frozen=True)
class ProposalCard:
    """One proposal as the pages show it: its words, its entity, its table, and (for reviewers) its forms."""

    id: str
    summary: str
    status: str
    status_words: str
    entity: Cell
    diff: Table
    created: str | None
    decided: str | None
    proposer: str | None
    reviewer: str | None
    comment: str | None
    contact: str | None = None
    approve: Form | None = None
    reject: Form | None = None


def card(change: ProposalChange, reviewer_view: bool = False, comment_error: str | None = None) -> ProposalCard:
    p = change.proposal
    approve = reject = None
    if reviewer_view and p.status == "pending":
        approve = Form(f"/review/{p.id}/approve", [Field(f"comment-{p.id}-a", "Comment (optional)", kind="textarea")],
                       submit="Approve", method="post", label=f"Approve: {summary(change)}")
        reject = Form(f"/review/{p.id}/reject", [Field(f"comment-{p.id}-r", "Why not? (shown to the proposer)", kind="textarea",
                                                     error=comment_error)],
                      submit="Reject", method="post", label=f"Reject: {summary(change)}")
    return ProposalCard(p.id, summary(change), p.status, STATUS_WORDS.get(p.status, p.status), _entity_cell(change), diff_table(change),
                        _date(p.created), _date(p.decided_at), p.proposer, p.reviewer, p.reason,
                        p.contact if reviewer_view else None, approve, reject)


def proposal_page(change: ProposalChange) -> Page:
    c = card(change)
    return Page("pages/proposal.html", f"Edit request {change.proposal.id}", {"card": c},
                breadcrumbs=[("/", "Home"), ("/changes", "Changes"), ("", f"Request {change.proposal.id}")])


def sign_in_form(error: str | None = None) -> Form:
    return Form("/review/sign-in", [Field("token", "Reviewer token", kind="password", required=True, autocomplete="current-password",
                                          hint="The token the site's operators gave you (LERMAP_REVIEW_TOKENS).", error=error)],
                submit="Sign in", method="post", label="Sign in to review")


def review_page(reviewer: str | None, pending: Sequence[ProposalChange], decided: Sequence[ProposalChange],
                sign_in: Form | None = None, comment_errors: dict[str, str] | None = None) -> Page:
    """The queue for a signed-in reviewer (pending first, oldest first; then the latest decisions), else the sign-in form."""
    errors = comment_errors or {}
    context = {
        "reviewer": reviewer, "sign_in": sign_in or (sign_in_form() if reviewer is None else None),
        "pending": [card(c, reviewer_view=True, comment_error=errors.get(c.proposal.id)) for c in pending] if reviewer else [],
        "decided": Table("Latest decisions", ["decided", "request", "status", "reviewer"],
                         [(_date(c.proposal.decided_at), Link(f"/proposals/{c.proposal.id}", summary(c)), STATUS_WORDS[c.proposal.status],
                           c.proposal.reviewer) for c in decided], empty="No decisions yet.") if reviewer else None,
    }
    return Page("pages/review.html", "Review edit requests", context, breadcrumbs=[("/", "Home"), ("/review", "Review")])


def changes_page(approved: Sequence[ProposalChange]) -> Page:
    rows: list[Sequence[Cell]] = [
        (_date(c.proposal.decided_at), Link(f"/proposals/{c.proposal.id}", summary(c)), _entity_cell(c), c.proposal.proposer,
         c.proposal.reviewer, c.proposal.reason) for c in approved]
    table = Table(f"{len(rows)} approved edits", ["approved", "change", "entity", "proposed by", "reviewed by", "comment"], rows,
                  empty="No edit has been approved yet.")
    return Page("pages/changes.html", "Changes", {"table": table}, breadcrumbs=[("/", "Home"), ("/changes", "Changes")])


def changes_atom(approved: Sequence[ProposalChange], base_url: str) -> bytes:
    """The approved edits as an Atom 1.0 feed (RFC 4287): newest first, each entry linked to its proposal page."""
    base = base_url.rstrip("/")
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "id", f"{base}/changes")
    sub(feed, "title", "lermap: approved edits")
    sub(feed, "updated", max((c.proposal.decided_at or c.proposal.created for c in approved), default="1970-01-01T00:00:00+00:00"))
    sub(feed, "link", href=f"{base}/changes.atom", rel="self", type="application/atom+xml")
    sub(feed, "link", href=f"{base}/changes", rel="alternate", type="text/html")
    sub(sub(feed, "author"), "name", "lermap reviewers")
    for c in approved:
        p = c.proposal
        entry = sub(feed, "entry")
        sub(entry, "id", f"{base}/proposals/{p.id}")
        sub(entry, "title", summary(c))
        sub(entry, "updated", p.decided_at or p.created)
        sub(entry, "link", href=f"{base}/proposals/{p.id}", rel="alternate", type="text/html")
        sub(sub(entry, "author"), "name", p.proposer or "anonymous")
        lines = [f"{_what(line)}: {line.before or '—'} → {line.after or '(removed)'}" for line in c.lines]
        text = "; ".join(lines) + (f". Reviewed by {p.reviewer}" if p.reviewer else "") + (f": {p.reason}" if p.reason else "")
        sub(entry, "summary", text, type="text")
        if c.entity is not None and p.kind != "entity":
            sub(entry, "link", href=base + entity_href(c.entity.iri), rel="related", type="text/html")
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True))
