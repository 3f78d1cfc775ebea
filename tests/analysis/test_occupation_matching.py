"""The occupation matcher: profiles from the graph, features, ranking, the held-out-label protocol."""

from __future__ import annotations

from pathlib import Path

import pytest

import lermap
from lermap.analysis.occupations import (
    OccupationMatcher,
    OccupationProfile,
    head_noun,
    label_owners,
    profiles_from_rows,
    read_profiles,
    sample_labels,
    self_trained,
    without_labels,
)
from lermap.ingest.esco.esco import OCCUPATIONS_SCHEME
from lermap.ingest.identifiers import ONET_SOC_SCHEME

ONET_MINI = Path(__file__).resolve().parents[1] / "data" / "onet" / "mini"

PROFILES = [
    OccupationProfile("ex:dev", "Software Developers", ["Programmer", "Application Developer", "Coder"], "Develop software applications.",
                      ["Python", "Java"], "15-1252.00", ["code:151"], ["ex:qa"]),
    OccupationProfile("ex:qa", "Software Quality Assurance Analysts and Testers", ["QA Tester", "Test Engineer"], "Test software.",
                      ["Selenium"], "15-1253.00", ["code:151"], ["ex:dev"]),
    OccupationProfile("ex:rn", "Registered Nurses", ["Staff Nurse", "RN (Registered Nurse)", "Charge Nurse"], "Assess patient health.",
                      [], "29-1141.00", ["code:291"], []),
    OccupationProfile("ex:cook", "Restaurant Cooks", ["Line Cook", "Chef de Partie"], "Prepare food in restaurants.",
                      [], "35-2014.00", ["code:352"], []),
    OccupationProfile("ex:sous", "Sous Chef", ["Kitchen Supervisor"], "Supervise cooks.", [], "35-1011.00", ["code:351", "ex:cook"], []),
]


@pytest.mark.parametrize(
    ("title", "head"),
    [
        ("Director of Operations", "director"),
        ("Accountant, Cost", "accountant"),
        ("Senior Lab Technicians", "technician"),
        ("RN (Registered Nurse)", "rn"),
        ("waiter/waitress", "waiter"),
        ("nurse for elderly care", "nurse"),
        ("", ""),
    ],
)
def test_head_noun(title: str, head: str) -> None:
    assert head_noun(title) == head


@pytest.mark.parametrize(
    ("query", "expected"),
    [("night shift staff nurse", "ex:rn"), ("junior programmer", "ex:dev"), ("prep line cook", "ex:cook"), ("QA test engineer", "ex:qa")],
)
def test_default_blend_ranks_the_right_occupation_first(query: str, expected: str) -> None:
    ranked = OccupationMatcher(PROFILES).rank([query], k=3)[0]
    assert ranked[0][0] == expected
    assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)


def test_candidate_features_have_one_column_per_feature() -> None:
    m = OccupationMatcher(PROFILES)
    qi, oi, x = m.candidate_features(["staff nurse", "coder"])
    assert x.shape == (len(qi), len(m.features))
    assert set(qi.tolist()) == {0, 1}
    col = {name: i for i, name in enumerate(m.features)}
    nurse = x[(qi == 0) & (oi == m.index["ex:rn"])][0]
    assert nurse[col["head_title"]] == 1.0
    assert nurse[col["char_max"]] == pytest.approx(1.0, abs=1e-5)


def test_structure_features_spread_votes_to_parents_and_related() -> None:
    m = OccupationMatcher(PROFILES)
    qi, oi, x = m.candidate_features(["kitchen supervisor"])
    col = {name: i for i, name in enumerate(m.features)}
    cook = x[oi == m.index["ex:cook"]][0]
    assert cook[col["children"]] > 0  # the Sous Chef, below Restaurant Cooks, carries the label
    qi, oi, x = m.candidate_features(["programmer"])
    qa = x[oi == m.index["ex:qa"]][0]
    assert qa[col["related"]] > 0


def test_fit_learns_a_model_and_ranks_with_it() -> None:
    m = OccupationMatcher(PROFILES).fit(["staff nurse", "programmer", "line cook", "QA tester"], [{"ex:rn"}, {"ex:dev"}, {"ex:cook"}, {"ex:qa"}])
    assert m.model is not None
    assert m.rank(["charge nurse"], k=1)[0][0][0] == "ex:rn"


def test_fit_with_one_class_keeps_the_default_blend() -> None:
    m = OccupationMatcher(PROFILES[:1]).fit(["programmer"], [{"ex:dev"}])
    assert m.model is None


def test_held_out_labels_leave_the_index() -> None:
    held = sample_labels(PROFILES, 3, seed=1)
    assert len(held) == 3
    queries = {q for q, _ in held}
    reduced = without_labels(PROFILES, queries)
    remaining = {x.lower() for p in reduced for x in p.labels}
    assert not {q.lower() for q in queries} & remaining
    carriers = {p.iri: {x.lower() for x in p.labels} for p in PROFILES}
    for q, owners in held:
        assert owners == {iri for iri, labels in carriers.items() if q.lower() in labels}


def test_label_owners_lists_every_carrier() -> None:
    profiles = [*PROFILES, OccupationProfile("ex:x", "Developers", ["Coder"])]
    assert label_owners(profiles)["coder"] == {"ex:dev", "ex:x"}


def test_sampling_is_fixed_by_seed_and_excludes() -> None:
    a = sample_labels(PROFILES, 4, seed=3)
    assert a == sample_labels(PROFILES, 4, seed=3)
    b = sample_labels(PROFILES, 4, seed=4, exclude=[q for q, _ in a])
    assert not {q for q, _ in a} & {q for q, _ in b}


def test_sampling_never_draws_a_title() -> None:
    profiles = [*PROFILES, OccupationProfile("ex:x", "Programmer", ["Coder"])]
    assert "Programmer" not in {q for q, _ in sample_labels(profiles, 100, seed=0)}


def test_self_trained_matcher_indexes_every_label() -> None:
    m = self_trained(PROFILES, n=6, seed=2)
    assert len(m.label_texts) == sum(1 + len(p.labels) for p in PROFILES)


def test_profiles_from_rows_gathers_facts() -> None:
    rows = [("ex:a", "title", "Welders"), ("ex:a", "label", "Arc Welder"), ("ex:a", "code", "51-4121.00"), ("ex:a", "task", "Weld."),
            ("ex:a", "text", "Use welding equipment."), ("ex:a", "skill", "AutoCAD"), ("ex:a", "related", "ex:b"), ("ex:b", "label", "no title")]
    (p,) = profiles_from_rows(rows)
    assert (p.iri, p.title, p.labels, p.skills, p.related) == ("ex:a", "Welders", ["Arc Welder"], ["AutoCAD"], ["ex:b"])
    assert p.groups == ["code:514"]
    assert p.text == "Use welding equipment. Weld."


def test_read_profiles_from_an_ingested_onet_release() -> None:
    kg = lermap.open_graph("memory:")
    kg.ingest(ONET_MINI)
    profiles = read_profiles(kg, ONET_SOC_SCHEME.value)
    assert profiles
    assert all(p.title and p.code for p in profiles)
    assert any(p.labels for p in profiles)
    best = OccupationMatcher(profiles).rank([profiles[0].title.lower()], k=1)[0][0][0]
    assert best == profiles[0].iri


def test_read_profiles_of_the_esco_conformance_release(conformance: Path) -> None:
    folder = conformance / "esco" / "v1.2.0-csv"
    kg = lermap.open_graph("memory:")
    kg.ingest(folder / "occupations_en.csv")
    profiles = read_profiles(kg, OCCUPATIONS_SCHEME.value)
    assert len(profiles) > 3000
    assert sum(len(p.labels) for p in profiles) > 25_000
    assert all(any(g.startswith("code:") for g in p.groups) for p in profiles if p.code)


def test_match_occupations_through_the_service_on_the_esco_release(conformance: Path) -> None:
    kg = lermap.open_graph("memory:")
    kg.ingest(conformance / "esco" / "v1.2.0-csv" / "occupations_en.csv")
    rows = kg.match_occupations(["helpdesk agent for ICT", "sous chef"], OCCUPATIONS_SCHEME.value, k=3)
    assert [len(r) for r in rows] == [3, 3]
    assert rows[0][0].label == "ICT help desk agent"
    assert rows[1][0].label == "chef"  # "sous chef" is one of chef's alternative labels
    assert rows[0][0].score >= rows[0][1].score >= rows[0][2].score


def test_match_occupations_refuses_an_unknown_scheme() -> None:
    from lermap.errors import NotFoundError

    kg = lermap.open_graph("memory:")
    kg.ingest(ONET_MINI)
    with pytest.raises(NotFoundError, match="no occupations"):
        kg.match_occupations(["nurse"], "https://example.org/no-such-scheme")
    with pytest.raises(lermap.errors.ConfigError, match="method"):
        kg.match_occupations(["nurse"], ONET_SOC_SCHEME.value, method="magic")


def test_build_matcher_keeps_the_default_blend_when_a_scheme_has_few_labels() -> None:
    from lermap.analysis.occupations import build_matcher, match_titles

    m = build_matcher(PROFILES)
    assert m.model is None
    (row,) = match_titles(m, ["night shift staff nurse"], k=2)
    assert row[0].occupation == "ex:rn" and row[0].label == "Registered Nurses"
