"""The service as the single path: search, map data and filters, entity views, the one alignment filter, proposals
and curation under the write lock, framework diffs, and derived products kept in the store across restarts."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import lermap
from lermap.analysis.dto import MapFilters
from lermap.errors import ConfigError, NotFoundError, ValidationFailed
from lermap.service import KnowledgeGraph
from lermap.service.derived import PRODUCTS
from tests.conftest import ROOT, TEST_DATA

EX = "http://example.org/"
RELATION = {"kind": "relation", "s": "lcw", "p": "implements", "o": "clr@2.0", "source": "https://lcw.app/"}


@pytest.fixture(scope="module")
def selector(tmp_path_factory: pytest.TempPathFactory) -> str:
    selector = f"oxigraph:{tmp_path_factory.mktemp('service') / 'store'}"
    with lermap.open_graph(selector) as kg:
        kg.ingest(ROOT / "data" / "ecosystem")
        kg.ingest(TEST_DATA / "analysis" / "pathway.ttl", format="rdf")
    return selector


@pytest.fixture()
def kg(selector: str) -> Iterator[KnowledgeGraph]:
    with lermap.open_graph(selector) as graph:
        yield graph


def test_search_ranks_an_exact_name_first(kg: KnowledgeGraph) -> None:
    hits = kg.search("credential engine")
    assert hits[0].label == "Credential Engine" and hits[0].score > hits[1].score
    assert all("credential" in h.label.casefold() and "engine" in h.label.casefold() for h in hits)
    assert kg.search("zzzz-nothing") == [] and len(kg.search("a", limit=3)) == 3


def test_map_view_filters_and_counts_degree_within_the_filter(kg: KnowledgeGraph) -> None:
    everything = kg.map_view()
    kinds = {n.kind for n in everything.nodes}
    assert kinds == {"organization", "standard", "standard-version", "tool", "stakeholder-type"} and everything.edges
    standards = kg.map_view(MapFilters(kinds=("standard",)))
    assert {n.kind for n in standards.nodes} == {"standard"} and 0 < len(standards.nodes) < len(everything.nodes)
    ob = next(iid for iid, label in everything.standards if label.startswith("Open Badges"))
    around = kg.map_view(MapFilters(standard=ob))
    assert ob in {n.id for n in around.nodes} and all(e.source == ob or e.target == ob or
                                                       {e.source, e.target} <= {n.id for n in around.nodes} for e in around.edges)
    found = kg.map_view(MapFilters(q="credential engine"))  # the matches and their neighbours
    matches = {n.id for n in found.nodes if n.state == "match"}
    assert matches and all("credential engine" in n.label.casefold() for n in found.nodes if n.id in matches)
    assert any(n.state == "near" and "credential engine" not in n.label.casefold() for n in found.nodes)
    assert all({e.source, e.target} <= {n.id for n in found.nodes} for e in found.edges)
    assert kg.map_view(MapFilters(standard="https://example.org/not-a-standard")).nodes == []


def test_entity_views_are_typed(kg: KnowledgeGraph) -> None:
    py = kg.entity(EX + "fwA/py")
    assert py.label == "Python programming" and "https://purl.org/ctdlasn/terms/Competency" in py.types
    assert all(f.graph and f.graph.startswith("https://w3id.org/lermap/graph/") for f in py.facts)
    assert {i.subject for i in py.incoming} >= {EX + "badgePy"}
    with pytest.raises(NotFoundError):
        kg.entity(EX + "nothing")
    with pytest.raises(NotFoundError, match="not an absolute IRI"):
        kg.entity("not an iri")
    page = kg.list_entities("competencies", q="python", limit=2)
    assert page.total == 2 and len(page.items) == 2 and all("python" in (i.label or "").casefold() for i in page.items)
    framework = kg.framework(EX + "fwA")
    assert framework.label and framework.tree and kg.label(EX + "fwA") == framework.label
    with pytest.raises(NotFoundError):
        kg.framework(EX + "nothing")


def test_one_alignment_filter(kg: KnowledgeGraph) -> None:
    everything = kg.alignments()
    turned = kg.find_alignments(subject=EX + "fwB/databases")  # the object side: rows turned to start from it
    assert turned and all(m.subject_id == EX + "fwB/databases" for m in turned)
    assert kg.find_alignments(min_confidence=0.5) == everything.filter(min_confidence=0.5).mappings
    between = kg.find_alignments(between=(EX + "fwB", EX + "fwA"))
    assert between and all({m.subject_source, m.object_source} == {EX + "fwA", EX + "fwB"} for m in between)
    with pytest.raises(ConfigError, match="predicate must be one of"):
        kg.find_alignments(predicate="owl:sameAs")


def test_scorecard_and_principle_matrix(kg: KnowledgeGraph) -> None:
    matrix = kg.principle_matrix("standard")
    assert matrix.rows and all(r.kind == "standard" for r in matrix.rows) and len(matrix.principles) == 7
    assert [r.label.casefold() for r in matrix.rows] == sorted(r.label.casefold() for r in matrix.rows)
    assert all(0 <= v <= 3 for r in matrix.rows for v in r.scores)
    card = kg.scorecard(matrix.rows[0].id)
    assert [a.score for a in card.assessments] == matrix.rows[0].scores and card.total == matrix.rows[0].total


def test_proposals_go_through_the_service(tmp_path: Path) -> None:
    with lermap.open_graph("memory:") as kg:
        kg.ingest(ROOT / "data" / "ecosystem")
        p = kg.propose(RELATION, proposer="Ada")
        assert [q.id for q in kg.proposals("pending")] == [p.id]
        with pytest.raises(ValidationFailed):
            kg.propose({"kind": "relation", "s": "lcw", "p": "implements", "o": "clr@2.0"})  # no source
        approved = kg.approve(p.id, "rita")
        assert approved.status == "approved" and kg.proposal(p.id).reviewer == "rita"
        assert [q.id for q in kg.proposals("approved")] == [p.id]


def test_two_threads_approving_one_proposal_land_it_once() -> None:
    with lermap.open_graph("memory:") as kg:
        kg.ingest(ROOT / "data" / "ecosystem")
        p = kg.propose(RELATION)
        outcomes: list[str] = []

        def approve() -> None:
            try:
                kg.approve(p.id, "rita")
                outcomes.append("approved")
            except Exception as exc:  # noqa: BLE001 - the loser's refusal is the point
                outcomes.append(type(exc).__name__)

        threads = [threading.Thread(target=approve) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert outcomes.count("approved") == 1 and len(outcomes) == 4
        assert len([s for s in kg.sources() if s.format == "proposal" or "proposal" in s.source]) == 1


def test_writes_wait_for_the_write_lock(kg: KnowledgeGraph) -> None:
    with lermap.open_graph("memory:") as graph:
        done = threading.Event()
        with graph.writing():
            t = threading.Thread(target=lambda: (graph.ingest(TEST_DATA / "core" / "tiny.ttl", format="rdf"), done.set()))
            t.start()
            time.sleep(0.2)
            assert not done.is_set() and graph.sources() == []  # the ingest waits for the lock holder
        t.join(10)
        assert done.is_set() and len(graph.sources()) == 1


def test_diff_through_the_service() -> None:
    with lermap.open_graph("memory:") as kg:
        kg.ingest(TEST_DATA / "core" / "tiny.ttl", format="rdf")
        kg.ingest(TEST_DATA / "core" / "tiny-v2.ttl", format="rdf")
        a, b = (s.graph for s in kg.sources())
        result = kg.diff(a, b)
        assert result.to_dict() == kg.diff(a, b).to_dict() and (result.added or result.removed or result.reworded)


def test_derived_products_are_kept_in_the_store_across_restarts(tmp_path: Path) -> None:
    selector = f"oxigraph:{tmp_path / 'store'}"
    calls: list[int] = []
    original = PRODUCTS["ecosystem-map"]
    counting = type(original)(original.name, original.version, lambda g: calls.append(1) or original.build(g))
    PRODUCTS["ecosystem-map"] = counting
    try:
        with lermap.open_graph(selector) as kg:
            kg.ingest(ROOT / "data" / "ecosystem")
            state = kg.state()
            first = kg.derive()
            assert [(r.computed, r.stored) for r in first] == [(True, True)] and kg.state() == state  # the side graph is not catalogued
            assert [r.computed for r in kg.derive()] == [False] and calls == [1]
            nodes = len(kg.map_view().nodes)
        with lermap.open_graph(selector) as kg:  # a restarted server: read back, not computed
            assert len(kg.map_view().nodes) == nodes and calls == [1]
            assert "lermap/derived/" not in kg.export("nquads").decode()  # never part of the shared data
            kg.ingest(TEST_DATA / "core" / "tiny.ttl", format="rdf")  # a new state: computed again on first use
            kg.map_view()
            assert calls == [1, 1]
        with lermap.open_graph(selector, read_only=True) as kg:
            assert [(r.computed, r.stored) for r in kg.derive()] == [(False, True)]
    finally:
        PRODUCTS["ecosystem-map"] = original


def test_a_read_only_store_computes_derived_products_in_memory(tmp_path: Path) -> None:
    selector = f"oxigraph:{tmp_path / 'store'}"
    with lermap.open_graph(selector) as kg:
        kg.ingest(ROOT / "data" / "ecosystem")
    with lermap.open_graph(selector, read_only=True) as kg:
        assert [(r.computed, r.stored) for r in kg.derive()] == [(True, False)] and kg.map_view().nodes
