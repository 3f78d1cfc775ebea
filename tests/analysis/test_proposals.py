"""Edit proposals at the service level: propose → approve → visible with provenance → revert, and refusals."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

import lermap
from lermap.analysis import proposals as P
from lermap.errors import NotFoundError, ValidationFailed
from tests.conftest import ROOT

PREFIX = "PREFIX lermap: <https://w3id.org/lermap/vocab#> PREFIX schema: <https://schema.org/> "
LCW_CLR = PREFIX + "ASK WHERE { ?t schema:identifier 'lcw' ; lermap:implements <https://w3id.org/lermap/id/standard/clr/2.0> }"
RELATION = {"kind": "relation", "s": "lcw", "p": "implements", "o": "clr@2.0", "source": "https://lcw.app/"}


@pytest.fixture()
def kg() -> Iterator[lermap.KnowledgeGraph]:
    graph = lermap.open_graph("memory:")
    graph.ingest(ROOT / "data" / "ecosystem")
    yield graph
    graph.close()


def test_propose_approve_revert(kg: lermap.KnowledgeGraph) -> None:
    p = P.propose(kg, RELATION, proposer="Ada", contact="ada@example.org")
    assert p.status == "pending"
    assert not kg.sparql(LCW_CLR)  # pending proposals are invisible to queries

    approved = P.approve(kg, p.id, reviewer="Reviewer One")
    assert approved.status == "approved" and approved.reviewer == "Reviewer One"
    assert kg.sparql(LCW_CLR)
    prov = kg.sparql(PREFIX + """SELECT ?proposer ?reviewer ?at ?source WHERE { GRAPH ?g {
        ?g lermap:proposalId ?id ; lermap:proposedBy ?proposer ; lermap:reviewedBy ?reviewer ; lermap:reviewedAt ?at .
        ?st lermap:relationSource ?source } }""", {"id": p.id})
    assert list(prov["proposer"]) == ["Ada"]
    assert list(prov["reviewer"]) == ["Reviewer One"]
    assert list(prov["source"]) == ["https://lcw.app/"]
    info = kg.store.find(p.source_key)
    assert info.format == "proposal" and info.graph == approved.graph
    assert b"ada@example.org" not in kg.export("nquads")  # the contact stays in the moderation queue

    reverted = P.revert(kg, p.id, reviewer="Reviewer One")
    assert reverted.status == "reverted"
    assert not kg.sparql(LCW_CLR)
    assert [x.status for x in P.list_proposals(kg)] == ["reverted"]


def test_new_tool_lands_with_provider(kg: lermap.KnowledgeGraph) -> None:
    entity = {"id": "new-wallet", "name": "New Wallet", "provider": "dcc", "url": "https://wallet.example.org/",
              "description": "A wallet written for this test.", "features": ["learner-held"]}
    p = P.propose(kg, json.dumps({"kind": "entity", "entity_type": "tool", "entity": entity}))
    P.approve(kg, p.id, reviewer="R")
    df = kg.sparql(PREFIX + "SELECT ?provider WHERE { ?t schema:identifier 'new-wallet' ; schema:provider/schema:identifier ?provider }")
    assert list(df["provider"]) == ["dcc"]


def test_fix_replaces_the_value_as_a_sourced_statement(kg: lermap.KnowledgeGraph) -> None:
    p = P.propose(kg, {"kind": "fix", "entity": "lcw", "field": "description", "value": "A better description.",
                       "source": "https://lcw.app/"})
    P.approve(kg, p.id, reviewer="R")
    df = kg.sparql(PREFIX + "SELECT ?d WHERE { ?t schema:identifier 'lcw' ; schema:description ?d }")
    assert set(df["d"]) == {"A better description."}  # replaced, not added
    assert kg.sparql(PREFIX + "ASK { ?st a <http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement> ; lermap:relationSource <https://lcw.app/> }")


def test_rejected_proposal_cannot_be_approved(kg: lermap.KnowledgeGraph) -> None:
    p = P.propose(kg, RELATION)
    assert P.reject(kg, p.id, reviewer="R", reason="not on that page").status == "rejected"
    with pytest.raises(ValidationFailed):
        P.approve(kg, p.id, reviewer="R")
    with pytest.raises(ValidationFailed):
        P.revert(kg, p.id)


def test_unknown_proposal(kg: lermap.KnowledgeGraph) -> None:
    with pytest.raises(NotFoundError):
        P.approve(kg, "nope", reviewer="R")


@pytest.mark.parametrize(
    ("proposal", "reason"),
    [
        pytest.param("{not json", "not valid JSON", id="malformed"),
        pytest.param("[1, 2]", "a JSON object", id="not-object"),
        pytest.param({"kind": "delete-everything"}, "kind must be one of", id="unknown-kind"),
        pytest.param("x" * 20_000, "the limit is 16,384", id="oversized"),
        pytest.param({**RELATION, "note": "n" * 1500}, "the limit is 1000", id="long-note"),
        pytest.param({**RELATION, "source": None}, "public web page", id="no-source"),
        pytest.param({**RELATION, "source": "javascript:alert(1)"}, "markup or script", id="script-url"),
        pytest.param({**RELATION, "note": "<script>alert(1)</script>"}, "markup or script", id="script-tag"),
        pytest.param({**RELATION, "note": "<img src=x onerror=alert(1)>"}, "markup or script", id="img-onerror"),
        pytest.param({**RELATION, "o": "lcw"}, "goes from", id="wrong-object-kind"),
        pytest.param({**RELATION, "s": "no-such-thing"}, "no directory entity", id="unknown-id"),
        pytest.param({**RELATION, "p": "owns"}, "use one of", id="unknown-predicate"),
        pytest.param({"kind": "entity", "entity_type": "organisation", "entity": {"id": "w3c-2", "name": "World Wide Web Consortium",
                      "url": "https://www.w3.org/"}}, "already in the graph", id="duplicate-name"),
        pytest.param({"kind": "entity", "entity_type": "organisation", "entity": {"id": "lcw", "name": "Other",
                      "url": "https://o.example.org/"}}, "already in the directory", id="duplicate-id"),
        pytest.param({"kind": "entity", "entity_type": "organisation", "entity": {"id": "x", "name": "X", "url": "ftp://x"}},
                     "not a web address", id="bad-url"),
        pytest.param({"kind": "entity", "entity_type": "organisation", "entity": {"id": "x", "name": "X",
                      "url": "https://x.example.org/", "roles": ["pirates"]}}, "unknown stakeholder type", id="bad-role"),
        pytest.param({"kind": "entity", "entity_type": "tool", "entity": {"id": "t", "name": "T", "url": "https://t.example.org/",
                      "provider": "ob"}}, "must be an organisation", id="provider-not-org"),
    ],
)
def test_bad_proposals_are_refused(kg: lermap.KnowledgeGraph, proposal: object, reason: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        P.propose(kg, proposal)  # type: ignore[arg-type]
    assert reason in str(err.value)
    assert P.list_proposals(kg) == []


def test_control_characters_are_neutralised(kg: lermap.KnowledgeGraph) -> None:
    p = P.propose(kg, {**RELATION, "note": "stated\x00 on the\x1b home page"})
    assert p.payload["note"] == "stated on the home page"
