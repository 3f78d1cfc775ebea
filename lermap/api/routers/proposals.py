"""Edit proposals over HTTP: anyone proposes (rate-limited, size-limited, text as data); reviewers with a bearer
token list, approve, reject and revert. The checks themselves live in :mod:`lermap.analysis.proposals`."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from lermap.analysis.proposals import Proposal
from lermap.api.deps import GraphDep
from lermap.api.errors import errors
from lermap.api.security import RateLimiter, Reviewers, client_id
from lermap.errors import ValidationFailed

router = APIRouter(prefix="/proposals", tags=["proposals"])


class ProposalPublic(BaseModel):
    id: str
    kind: str
    payload: dict[str, Any]
    status: str = Field(description="pending, approved, rejected or reverted")
    created: str
    proposer: str | None = None
    reviewer: str | None = None
    decided_at: str | None = None
    graph: str | None = Field(None, description="the named graph an approved proposal landed in (see /v1/sources)")
    reason: str | None = None


class ProposalRequest(BaseModel):
    proposal: dict[str, Any] = Field(description="an entity, relation or fix (see lermap.analysis.proposals)", examples=[
        {"kind": "relation", "s": "org-id", "p": "implements", "o": "standard-id", "source": "https://example.org/page"}])
    proposer: str | None = Field(None, max_length=300, description="a name to credit; public once approved")
    contact: str | None = Field(None, max_length=300, description="for the reviewers only; never published")


class RejectRequest(BaseModel):
    reason: str | None = Field(None, max_length=1000)


def reviewer(request: Request) -> str:
    """The authenticated reviewer's name (bearer token from LERMAP_REVIEW_TOKENS)."""
    reviewers: Reviewers = request.app.state.reviewers
    return reviewers.authenticate(request.headers.get("authorization"))


Reviewer = Annotated[str, Depends(reviewer)]


def _public(p: Proposal) -> ProposalPublic:
    return ProposalPublic(**p.to_dict())


@router.post("", status_code=201, response_model=ProposalPublic, operation_id="create_proposal", responses=errors(413, 422, 429),
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": ProposalRequest.model_json_schema()}}}})
async def create_proposal(kg: GraphDep, request: Request) -> ProposalPublic:
    """Propose a new entity, a sourced relation or a fix; it waits in the moderation queue until a reviewer decides."""
    limiter: RateLimiter = request.app.state.proposal_limiter
    limiter.hit(client_id(request))
    raw = await request.body()  # at most MAX_BODY: the body-limit middleware refused anything longer before this ran
    try:
        body = ProposalRequest.model_validate(json.loads(raw))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationFailed(f"send a JSON object {{\"proposal\": {{...}}, \"proposer\"?, \"contact\"?}}: {str(exc).splitlines()[0][:300]}") from None
    p = await run_in_threadpool(kg.propose, body.proposal, body.proposer, body.contact)
    return _public(p)


@router.get("", response_model=list[ProposalPublic], operation_id="list_proposals", responses=errors(401))
def list_proposals(kg: GraphDep, who: Reviewer, status: str | None = None) -> list[ProposalPublic]:
    """The moderation queue, oldest first (reviewers only)."""
    return [_public(p) for p in kg.proposals(status)]


@router.get("/{proposal_id}", response_model=ProposalPublic, operation_id="get_proposal", responses=errors(401, 404))
def get_proposal(kg: GraphDep, who: Reviewer, proposal_id: str) -> ProposalPublic:
    """One proposal and where it stands (reviewers only)."""
    return _public(kg.proposal(proposal_id))


@router.post("/{proposal_id}/approve", response_model=ProposalPublic, operation_id="approve_proposal", responses=errors(401, 404))
def approve_proposal(kg: GraphDep, who: Reviewer, proposal_id: str) -> ProposalPublic:
    """Land a pending proposal as its own named graph with its provenance (reviewers only)."""
    return _public(kg.approve(proposal_id, who))


@router.post("/{proposal_id}/reject", response_model=ProposalPublic, operation_id="reject_proposal", responses=errors(400, 401, 404))
def reject_proposal(kg: GraphDep, who: Reviewer, proposal_id: str, body: RejectRequest | None = None) -> ProposalPublic:
    """Close a pending proposal without landing it (reviewers only)."""
    return _public(kg.reject(proposal_id, who, body.reason if body else None))


@router.post("/{proposal_id}/revert", response_model=ProposalPublic, operation_id="revert_proposal", responses=errors(401, 404))
def revert_proposal(kg: GraphDep, who: Reviewer, proposal_id: str) -> ProposalPublic:
    """Take an approved proposal's graph out of the store again (reviewers only)."""
    return _public(kg.revert(proposal_id, who))
