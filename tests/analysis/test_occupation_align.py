"""The occupation aligner on hand-built schemes: the group crosswalk boosts (never filters), chaining is recorded in the
mapping, confidence is calibrated into [0, 1] and monotone, and only occupations are subjects."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import lermap
from lermap.analysis.occupation_align.align import compute, mappings
from lermap.analysis.occupation_align.justify import CHAINING, LEXICAL
from lermap.analysis.occupation_align.ranker import DEFAULT, Model, shipped
from lermap.analysis.occupation_align.schemes import Links, links_from_rows, side_from_rows
from lermap.analysis.occupation_align.structure import chain
from lermap.ingest.sssom.mapping import Mapping
from lermap.service import KnowledgeGraph
from tests.conftest import TEST_DATA

SKOS = "http://www.w3.org/2004/02/skos/core#"


def _side(scheme: str, occupations: dict[str, tuple[str, list[str], str, str]]) -> list[tuple[str, str, str]]:
    """Facts as the occupation-texts query gives them: iri -> (preferred label, other labels, definition, group)."""
    rows = []
    for iri, (pref, alts, text, group) in occupations.items():
        rows += [(iri, "pref", pref), (iri, "text", text), (iri, "broader", group)] + [(iri, "alt", a) for a in alts]
    return rows


SOURCE = side_from_rows("ex:A", _side("ex:A", {
    "ex:a/nurse": ("ward nurse", ["hospital nurse"], "Cares for patients in a hospital ward.", "ex:g/22"),
    "ex:a/analyst": ("systems analyst", ["business systems analyst"], "Analyses information systems.", "ex:g/25"),
    "ex:a/child": ("senior ward nurse", [], "Leads the nurses of a ward.", "ex:a/nurse"),  # under another occupation
}))
TARGET = side_from_rows("ex:B", _side("ex:B", {
    "ex:b/rn": ("Registered Nurses", ["Staff Nurse"], "Assess patient health problems and needs.", "ex:s/29-1141"),
    "ex:b/vet-nurse": ("Veterinary Nurses", ["Ward Nurse Veterinary"], "Care for animals.", "ex:s/29-2056"),
    "ex:b/sa": ("Computer Systems Analysts", ["Systems Analyst"], "Analyze science, engineering, business systems.", "ex:s/15-1211"),
    "ex:b/other": ("Computer Occupations, All Other", ["Systems Analyst Other"], "All other computer occupations.", "ex:s/15-1299"),
}))
# ISCO-like 22 -> SOC-2010-like 29-1111 -> SOC-2018-like 29-1141; ISCO-like 25 -> 15-1211 (one step)
TRIPLES = [("ex:g/22", SKOS + "narrowMatch", "ex:t/29-1111"), ("ex:t/29-1111", SKOS + "exactMatch", "ex:s/29-1141"),
           ("ex:g/25", SKOS + "exactMatch", "ex:s/15-1211")]
FACTS = [("ex:g/22", "code", "22"), ("ex:g/22", "scheme", "ex:isco"), ("ex:isco", "label", "ISCO"),
         ("ex:t/29-1111", "code", "29-1111"), ("ex:t/29-1111", "scheme", "ex:soc10"), ("ex:soc10", "label", "SOC 2010"),
         ("ex:s/29-1141", "code", "29-1141"), ("ex:s/29-1141", "parent", "ex:s/29-1140"), ("ex:s/29-2056", "parent", "ex:s/29-2050"),
         ("ex:s/15-1211", "parent", "ex:s/15-1210"), ("ex:s/15-1299", "parent", "ex:s/15-1290")]


def test_groups_are_the_nearest_non_occupations_above() -> None:
    assert SOURCE.groups[SOURCE.iris.index("ex:a/child")] == {"ex:g/22"}  # walked up through its parent occupation
    assert SOURCE.groups[SOURCE.iris.index("ex:a/nurse")] == {"ex:g/22"}


def test_a_chain_reaches_the_target_group_through_two_mappings_and_names_the_path() -> None:
    links = links_from_rows(TRIPLES, FACTS)
    c = chain(SOURCE, TARGET, links)
    i, j = SOURCE.iris.index("ex:a/nurse"), TARGET.iris.index("ex:b/rn")
    assert c.allowed[i].tolist() == [1.0 if t == "ex:b/rn" else 0.0 for t in TARGET.iris]
    assert c.paths[(i, j)] == ("ex:g/22", "ex:t/29-1111", "ex:s/29-1141")
    assert c.predicates[(i, j)] == ("skos:narrowMatch", "skos:exactMatch")
    assert " → ".join(links.name(n) for n in c.paths[(i, j)]) == "ISCO 22 → SOC 2010 29-1111 → 29-1141"


def test_no_group_mappings_no_chain_evidence() -> None:
    c = chain(SOURCE, TARGET, Links())
    assert c.allowed.sum() == 0 and c.broad.sum() == 0 and c.paths == {}


def _model(chain_weight: float) -> Model:
    weights = dict(zip(DEFAULT, shipped()["lexical"].weights, strict=True))
    weights["chain"], weights["chain_share"], weights["chain_broad"] = chain_weight, 0.0, 0.0
    return Model(DEFAULT, np.array([weights[n] for n in DEFAULT]), [0.0, 0.5, 1.0], [0.1, 0.4, 0.9])


def _top(maps: list[Mapping], subject: str) -> Mapping:
    return next(m for m in maps if m.subject_id == subject)


def test_the_crosswalk_boost_changes_the_ranking_and_the_mapping_says_it_was_chained() -> None:
    # "ward nurse" reads most like "Veterinary Nurses" (its alternative title is "Ward Nurse Veterinary"); the chain
    # from the nurse's group leads to Registered Nurses only
    without = mappings(compute(SOURCE, TARGET, Links()), _model(0.0), top_k=1, threshold=0.0, method="lexical")
    assert _top(without, "ex:a/nurse").object_id == "ex:b/vet-nurse"
    assert _top(without, "ex:a/nurse").mapping_justification == LEXICAL
    boosted = mappings(compute(SOURCE, TARGET, links_from_rows(TRIPLES, FACTS)), _model(20.0), top_k=1, threshold=0.0, method="lexical")
    top = _top(boosted, "ex:a/nurse")
    assert top.object_id == "ex:b/rn"
    assert top.mapping_justification == CHAINING
    assert "chosen through the group crosswalk ISCO 22 → SOC 2010 29-1111 → 29-1141" in (top.comment or "")
    assert "labels and descriptions alone preferred 'Veterinary Nurses'" in (top.comment or "")
    assert top.derivation == ("ex:g/22", "ex:t/29-1111", "ex:s/29-1141")


def test_a_boost_is_not_a_filter() -> None:
    # the chain allows only Registered Nurses for the nurse's group, yet the other targets stay candidates
    maps = mappings(compute(SOURCE, TARGET, links_from_rows(TRIPLES, FACTS)), _model(1.0), top_k=4, threshold=0.0, method="lexical")
    assert {m.object_id for m in maps if m.subject_id == "ex:a/nurse"} == set(TARGET.iris)


def test_a_win_on_labels_inside_the_chain_is_lexical_and_says_the_chain_allowed_it() -> None:
    maps = mappings(compute(SOURCE, TARGET, links_from_rows(TRIPLES, FACTS)), shipped()["lexical"], top_k=1, threshold=0.0, method="lexical")
    top = _top(maps, "ex:a/analyst")
    assert top.object_id == "ex:b/sa"
    assert top.mapping_justification == LEXICAL
    assert "also allowed by the group crosswalk" in (top.comment or "")


def test_confidence_is_in_0_1_and_follows_the_probability() -> None:
    model = shipped()["lexical"]
    p = np.linspace(0.0, 1.0, 101)
    conf = model.confidence(p)
    assert conf.min() >= 0.0 and conf.max() <= 1.0
    assert (np.diff(conf) >= 0).all()
    assert conf[-1] > conf[0]  # it says something: sure candidates are more often right than unsure ones
    maps = mappings(compute(SOURCE, TARGET, links_from_rows(TRIPLES, FACTS)), model, top_k=4, threshold=0.0, method="lexical")
    for subject in SOURCE.iris:
        confs = [m.confidence or 0.0 for m in maps if m.subject_id == subject]
        assert confs == sorted(confs, reverse=True) and all(0.0 <= c <= 1.0 for c in confs)
        assert all(m.confidence is not None for m in maps)


def test_the_best_candidate_is_always_kept_the_others_only_above_the_threshold() -> None:
    maps = mappings(compute(SOURCE, TARGET, links_from_rows(TRIPLES, FACTS)), shipped()["lexical"], top_k=4, threshold=1.01, method="lexical")
    assert sorted(m.subject_id for m in maps) == sorted(SOURCE.iris)


def test_the_shipped_models_are_complete() -> None:
    models = shipped()
    assert set(models) >= {"lexical"}
    for m in models.values():
        assert len(m.weights) == len(m.features) and np.isfinite(m.weights).all()


@pytest.mark.parametrize("label", ["Computer Occupations, All Other", "Cooks, all other", "Mining workers not elsewhere classified"])
def test_residual_categories_are_recognised(label: str) -> None:
    from lermap.analysis.occupation_align.features import _RESIDUAL

    assert _RESIDUAL.search(label)


class _CountingEmbedder:
    name = "fake-model"

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts: list[str], batch_size: int = 128, cache: bool = True) -> np.ndarray:
        self.encoded += texts
        vectors = np.array([[len(t), 1.0] for t in texts], dtype=np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)  # type: ignore[no-any-return]


def test_embedding_vectors_are_cached_on_disk_per_model_and_text(tmp_path: Path) -> None:
    from lermap.analysis.occupation_align.embeddings import cache_for

    emb = _CountingEmbedder()
    first = cache_for(emb.name, tmp_path).encode(["nurse", "analyst", "nurse"], emb)
    assert sorted(emb.encoded) == ["analyst", "nurse"]
    again = cache_for(emb.name, tmp_path).encode(["analyst", "nurse", "cook"], emb)  # a new process: read from disk
    assert sorted(emb.encoded) == ["analyst", "cook", "nurse"]
    assert np.array_equal(again[0], first[1]) and np.array_equal(again[1], first[0])


@pytest.fixture
def occupation_graph() -> Iterator[KnowledgeGraph]:
    graph = lermap.open_graph("memory:")
    graph.ingest(TEST_DATA / "analysis" / "occupation-schemes.ttl", format="rdf")
    yield graph
    graph.close()


def test_through_the_service_groups_are_never_subjects_and_the_chain_is_read_from_the_graph(occupation_graph: KnowledgeGraph) -> None:
    ex = "http://example.org/occ/"
    found = occupation_graph.suggest_alignments(ex + "A", ex + "B", top_k=3, threshold=0.0).mappings
    assert {m.subject_id for m in found} == {ex + "nurse", ex + "analyst"}  # not the groups g22, g25 listed in scheme A
    to_rn = next(m for m in found if (m.subject_id, m.object_id) == (ex + "nurse", ex + "rn"))
    assert "group crosswalk Groups G 22 → Middle M 29-1111 → Groups H 29-1141" in (to_rn.comment or "")
    assert all(m.author_id == "https://w3id.org/lermap/matcher/occupation-ranker-v1-lexical" for m in found)
    occupation_graph.curate(ex + "nurse", ex + "rn", accept=False, author="https://orcid.org/0000-0002-1825-0097")
    again = occupation_graph.suggest_alignments(ex + "A", ex + "B", top_k=3, threshold=0.0).mappings
    assert (ex + "nurse", ex + "rn") not in {(m.subject_id, m.object_id) for m in again}


def test_competency_frameworks_keep_the_label_matcher(occupation_graph: KnowledgeGraph) -> None:
    from lermap.analysis.occupation_align import is_occupation_scheme

    ex = "http://example.org/occ/"
    assert is_occupation_scheme(occupation_graph, ex + "A") and is_occupation_scheme(occupation_graph, ex + "B")
    assert not is_occupation_scheme(occupation_graph, ex + "G") and not is_occupation_scheme(occupation_graph, ex + "nowhere")


def test_a_chain_to_a_sibling_group_allows_at_the_parent_level_and_keeps_its_path() -> None:
    facts = [*FACTS, ("ex:s/29-2056", "parent", "ex:s/29-1140")]  # make the vet nurses' group a sibling of 29-1141
    c = chain(SOURCE, TARGET, links_from_rows(TRIPLES, facts))
    i, j = SOURCE.iris.index("ex:a/nurse"), TARGET.iris.index("ex:b/vet-nurse")
    assert (c.allowed[i, j], c.broad[i, j]) == (0.0, 1.0)
    assert c.broad_paths[(i, j)] == ("ex:g/22", "ex:t/29-1111", "ex:s/29-1141")


def test_a_target_scheme_whose_occupations_are_the_groups_themselves_is_reached() -> None:
    # aligning to SOC 2018 itself: the chain's last node is the target occupation, not a group above it
    target = side_from_rows("ex:S", _side("ex:S", {"ex:s/29-1141": ("Registered Nurses", [], "", "ex:s/29-1140"),
                                                   "ex:s/15-1211": ("Computer Systems Analysts", [], "", "ex:s/15-1210")}))
    c = chain(SOURCE, target, links_from_rows(TRIPLES, FACTS))
    i = SOURCE.iris.index("ex:a/nurse")
    assert c.allowed[i].tolist() == [0.0, 1.0] and c.paths[(i, 1)] == ("ex:g/22", "ex:t/29-1111", "ex:s/29-1141")
    # an occupation of the schemes being aligned is never a relay: block the middle node by making it a target occupation
    relay = side_from_rows("ex:S", _side("ex:S", {"ex:t/29-1111": ("Nurses 2010", [], "", "ex:x"),
                                                  "ex:s/29-1141": ("Registered Nurses", [], "", "ex:s/29-1140")}))
    c = chain(SOURCE, relay, links_from_rows(TRIPLES, FACTS))
    assert relay.iris == ["ex:s/29-1141", "ex:t/29-1111"]
    assert c.allowed[i].tolist() == [0.0, 1.0]  # the chain ends on the occupation it meets
