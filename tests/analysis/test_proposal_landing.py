"""Approved corrections replace values (the name the map reads changes), removals take facts out, reverts put back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import lermap
from lermap.analysis import proposals as P
from lermap.errors import ValidationFailed
from lermap.graph.store import to_term
from tests.conftest import ROOT

PREFIX = "PREFIX lermap: <https://w3id.org/lermap/vocab#> PREFIX schema: <https://schema.org/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
SOURCE = "https://credentialengine.org/about/"


@pytest.fixture()
def kg() -> Iterator[lermap.KnowledgeGraph]:
    graph = lermap.open_graph("memory:")
    graph.ingest(ROOT / "data" / "ecosystem")
    yield graph
    graph.close()


def _iri(kg: lermap.KnowledgeGraph, ent_id: str) -> str:
    return str(kg.select(PREFIX + "SELECT ?e WHERE { ?e schema:identifier ?id }", {"id": ent_id}).rows[0][0].value)


def _names(kg: lermap.KnowledgeGraph, iri: str) -> set[tuple[str, str]]:
    rows = kg.select(PREFIX + "SELECT ?p ?n WHERE { ?e ?p ?n VALUES ?p { skos:prefLabel schema:name } }", {"e": to_term(iri)}).rows
    return {(p.value.rsplit("/", 1)[-1].rsplit("#", 1)[-1], n.value) for p, n in rows}


def test_name_fix_replaces_pref_label_and_revert_restores(kg: lermap.KnowledgeGraph) -> None:
    iri = _iri(kg, "credential-engine")
    before = kg.state()
    p = P.propose(kg, {"kind": "fix", "entity": iri, "field": "name", "value": "Credential Engine Inc.", "source": SOURCE})
    assert kg.entity(iri).label == "Credential Engine"  # pending: nothing changes
    approved = P.approve(kg, p.id, "Rita", comment="matches their about page")
    assert approved.reason == "matches their about page" and approved.replaced and "Credential Engine" in approved.replaced
    assert kg.state() != before  # caches and ETags keyed by the state are invalidated
    assert _names(kg, iri) == {("prefLabel", "Credential Engine Inc."), ("name", "Credential Engine Inc.")}
    assert kg.entity(iri).label == "Credential Engine Inc."
    P.revert(kg, p.id, "Rita")
    assert _names(kg, iri) == {("prefLabel", "Credential Engine"), ("name", "Credential Engine")}


def test_relation_removal_takes_out_the_triple_and_its_statement(kg: lermap.KnowledgeGraph) -> None:
    ask = PREFIX + "ASK { ?s schema:identifier 'credential-engine' ; lermap:maintains ?o . ?o schema:identifier 'ctdl' }"
    statement = PREFIX + """ASK { ?st <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?s ;
        <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> lermap:maintains ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?o .
        ?s schema:identifier 'credential-engine' . ?o schema:identifier 'ctdl' }"""
    assert kg.ask(ask) and kg.ask(statement)
    p = P.propose(kg, {"kind": "removal", "entity": "credential-engine", "p": "maintains", "o": "ctdl",
                       "reason": "the page no longer says so"})
    P.approve(kg, p.id, "R")
    assert not kg.ask(ask) and not kg.ask(statement)
    P.revert(kg, p.id)
    assert kg.ask(ask) and kg.ask(statement)


def test_entity_removal_takes_out_its_facts_and_what_points_at_it(kg: lermap.KnowledgeGraph) -> None:
    iri = _iri(kg, "lumina-foundation")
    p = P.propose(kg, {"kind": "removal", "entity": "lumina-foundation", "reason": "a test removal of a funder"})
    P.approve(kg, p.id, "R")
    assert not kg.ask("ASK WHERE { { ?e ?p ?o } UNION { ?s ?p ?e } }", {"e": to_term(iri)})
    P.revert(kg, p.id)
    assert kg.entity(iri).label == "Lumina Foundation"


@pytest.mark.parametrize(("proposal", "reason"), [
    ({"kind": "removal", "entity": "credential-engine", "reason": "its tools would be orphaned"}, "provides tools"),
    ({"kind": "removal", "entity": "lumina-foundation", "reason": "short"[:3]}, "why this should be removed"),
    ({"kind": "removal", "entity": "lumina-foundation", "p": "funds", "o": "ctdl", "reason": "no such relation here"}, "does not say"),
    ({"kind": "removal", "entity": "lumina-foundation", "p": "eats", "o": "ctdl", "reason": "no such predicate here"}, "use one of"),
    ({"kind": "removal", "entity": "lumina-foundation", "reason": "a fine reason to remove", "source": "javascript:alert(1)"}, "not accepted"),
])
def test_bad_removals_are_refused(kg: lermap.KnowledgeGraph, proposal: dict[str, str], reason: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        P.propose(kg, proposal)
    assert reason in str(err.value)
    assert P.list_proposals(kg) == []
