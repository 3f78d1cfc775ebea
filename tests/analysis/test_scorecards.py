"""C-BEN principle scorecards: three entities of data/ecosystem worked by hand, plus each rule's edge cases.

Hand-worked from data/ecosystem (see docs/principles.md for the rules; score = distinct evidence kinds, max 3):

* tool ``lcw`` (Learner Credential Wallet): implements vc and ob@3.0 (both open; ob@3.0 is current) → Open
  Standards 2; own feature learner-held + vc/ob@3.0 verifiable → Privacy 2; ob's non-formal, skills-based →
  Unlock 2; free + MIT licence, English only → Access 1+1 = 2; no framework → Alignment 0; its only counterpart is
  its provider DCC (academic), one sector → Partnerships 0; vc and ob are international → Global 1.
* standard ``vc``: open, implemented by many, current version 2.0 → 3; features verifiable, learner-held
  (selective-disclosure is only on 2.0) → 2; none → 0; free + W3C licence → 2; nobody uses it as a framework → 0;
  maintained by W3C (nonprofit), versions edited by Digital Bazaar, ConsenSys, Evernym (private) → 2 sectors - 1 = 1;
  international design → 1.
* organisation ``dcc`` (academic, US): provides tools implementing open standards → 1; its tools are learner-held
  (LCW) and verifiable (VerifierPlus, sign-and-verify, fixtures) → 2; none → 0; provides free tools → 1; → 0;
  partner Participate is private (members are academic, like DCC) → 1; members in NL, DE, MX, IT, CA → 1.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import lermap
from lermap.analysis.scorecards import RULES, _score_partnerships, scorecard, scorecard_table, scorecards
from lermap.errors import NotFoundError
from lermap.ingest.identifiers import organisation_iri
from tests.conftest import ROOT, TEST_DATA

ID = "https://w3id.org/lermap/id/"
PRINCIPLES = list(RULES)
EXPECTED = {
    "lcw": (ID + "tool/lcw", [2, 2, 2, 2, 0, 0, 1]),
    "vc": (ID + "standard/vc", [3, 2, 0, 2, 0, 1, 1]),
    "dcc": (organisation_iri("Digital Credentials Consortium").value, [1, 2, 0, 1, 0, 1, 1]),
}


@pytest.fixture(scope="module")
def kg() -> Iterator[lermap.KnowledgeGraph]:
    graph = lermap.open_graph("memory:")
    graph.ingest(ROOT / "data" / "ecosystem")
    yield graph
    graph.close()


@pytest.mark.parametrize("entity", list(EXPECTED))
@pytest.mark.parametrize("principle", PRINCIPLES)
def test_hand_worked_scores(kg: lermap.KnowledgeGraph, entity: str, principle: str) -> None:
    iri, scores = EXPECTED[entity]
    card = scorecard(kg, iri)
    assert card.assessment(principle).score == scores[PRINCIPLES.index(principle)]


def test_evidence_carries_sources(kg: lermap.KnowledgeGraph) -> None:
    card = scorecard(kg, ID + "tool/lcw")
    open_std = card.assessment("open-standards")
    assert ("implements Open Badges 3.0", "https://lcw.app/") in open_std.evidence
    assert open_std.kinds == ["current-version", "implements-open-standard"]
    assert open_std.missing == ["passed a standard's conformance certification"]
    assert all(src.startswith("https://") for a in card.assessments for _, src in a.evidence)


def test_certified_tool(kg: lermap.KnowledgeGraph) -> None:
    card = scorecard(kg, ID + "tool/credly-platform")
    assert card.assessment("open-standards").kinds == ["certified", "implements-open-standard"]
    assert ("certified for Open Badges 2.0", "https://site.imsglobal.org/certifications") in card.assessment("open-standards").evidence


def test_scorecard_of_unknown_entity(kg: lermap.KnowledgeGraph) -> None:
    with pytest.raises(NotFoundError):
        scorecard(kg, "https://nothing.example.org/x")


def test_alignment_counts_mappings_of_its_competencies(memory_graph: lermap.KnowledgeGraph) -> None:
    memory_graph.ingest(TEST_DATA / "directory")
    memory_graph.ingest(TEST_DATA / "scorecards" / "alignment.ttl", format="rdf")
    card = scorecard(memory_graph, organisation_iri("Example Standards Body").value)
    alignment = card.assessment("alignment")
    assert alignment.kinds == ["competencies-aligned", "majority-aligned"]  # 2 of 3 aligned
    assert alignment.score == 2
    assert alignment.evidence[0][0] == "2 of 3 competencies of its frameworks are aligned"


@pytest.mark.parametrize(
    ("kinds", "score"),
    [
        ({"own-sector:public", "sector:public"}, 0),
        ({"own-sector:public", "sector:private", "sector:nonprofit"}, 2),
        ({"own-sector:academic", "sector:public", "sector:private", "sector:nonprofit"}, 3),
        ({"sector:nonprofit"}, 0),
        ({"sector:nonprofit", "sector:private"}, 1),
        (set(), 0),
    ],
)
def test_partnership_rule(kinds: set[str], score: int) -> None:
    assert _score_partnerships(kinds) == score


def test_all_scorecards_at_once(kg: lermap.KnowledgeGraph) -> None:
    cards = {c.entity: c for c in scorecards(kg)}
    assert len(cards) == 220  # 119 organisations + 63 tools + 38 standards
    for iri, scores in EXPECTED.values():
        assert cards[iri].to_dict() == scorecard(kg, iri).to_dict()
        assert [a.score for a in cards[iri].assessments] == scores


def test_scorecard_table(kg: lermap.KnowledgeGraph) -> None:
    table = scorecard_table(kg).set_index("entity")
    assert list(table.columns) == ["label", *PRINCIPLES, "total"]
    assert table.loc[ID + "standard/vc", "total"] == 9
