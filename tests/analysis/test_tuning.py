"""Fine-tuning the packaged embedder on the graph's own label pairs."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from lermap.analysis import semantic, tuning
from lermap.analysis.occupations import OccupationProfile

needs_extra = pytest.mark.skipif(not semantic.available() and not os.environ.get("LERMAP_REQUIRE_SEMANTIC"),
                                 reason="the [semantic] extra is not installed (set LERMAP_REQUIRE_SEMANTIC=1 to make this a failure)")

# made-up trade names the packaged model cannot know: only tuning can tie them to their occupation
CONCEPTS = [
    ("ex:insulation", ["insulation worker", "lagger", "pipe lagger"]),
    ("ex:valet", ["parking valet", "car jockey", "valet parker"]),
    ("ex:hygienist", ["dental hygienist", "orthodontic therapist", "tooth cleaner"]),
    ("ex:roofer", ["roofer", "slater", "thatcher"]),
]


def test_label_pairs_tie_every_label_to_the_preferred_one() -> None:
    pairs = tuning.label_pairs(CONCEPTS, seed=3)
    titles = {c: labels[0] for c, labels in CONCEPTS}
    assert {a for a, b, c in pairs if b == titles[c]} == {label for _, labels in CONCEPTS for label in labels[1:]}
    assert all(a in labels and b in labels for a, b, c in pairs for labels in [dict(CONCEPTS)[c]])
    assert all(a != b for a, b, _ in pairs)
    assert tuning.label_pairs(CONCEPTS, seed=3) == pairs
    assert tuning.label_pairs([("ex:x", ["only a title"])]) == []


def test_occupation_pairs_use_titles_and_labels() -> None:
    p = OccupationProfile("ex:1", "Roofers", ["slater", "Roofers"])
    assert {e[:2] for e in tuning.occupation_pairs([p])} >= {("slater", "Roofers")}


def test_digest_changes_with_pairs_and_settings() -> None:
    pairs = tuning.label_pairs(CONCEPTS)
    d = tuning.pairs_digest(pairs, "m", 1, 0)
    assert d == tuning.pairs_digest(list(pairs), "m", 1, 0)
    assert len({d, tuning.pairs_digest(pairs[1:], "m", 1, 0), tuning.pairs_digest(pairs, "m", 2, 0), tuning.pairs_digest(pairs, "m", 1, 1)}) == 4


def _similarity(emb: semantic.Embedder, a: str, b: str) -> float:
    va, vb = emb.encode([a, b])
    return float(np.dot(va, vb))


@needs_extra
def test_tuning_pulls_the_labels_of_one_concept_together_and_leaves_the_original_alone() -> None:
    base = semantic.load_embedder()
    pairs = tuning.label_pairs(CONCEPTS)
    before = {(a, b): _similarity(base, a, b) for a, b, _ in pairs}
    vector = base.encode(["lagger"]).copy()
    tuned = tuning.tune_embedder(base, pairs, epochs=15, batch_size=4, learning_rate=1e-4, seed=0)
    after = {(a, b): _similarity(tuned, a, b) for a, b, _ in pairs}
    gained = [after[k] - before[k] for k in before]
    assert np.mean(gained) > 0.1 and sum(g > 0 for g in gained) >= 0.8 * len(gained)
    # "lagger" now ranks its own occupation's title first among the four
    titles = [labels[0] for _, labels in CONCEPTS]
    assert int(np.argmax(tuned.encode(titles) @ tuned.encode(["lagger"])[0])) == 0
    base._cache.clear()
    assert np.allclose(base.encode(["lagger"]), vector, atol=1e-6)
    assert tuned.name.endswith("-tuned")


@needs_extra
def test_tuned_embedder_is_cached_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pairs = tuning.label_pairs(CONCEPTS)[:6]
    first = tuning.tuned_embedder(pairs, tmp_path)
    (folder,) = [p for p in tmp_path.iterdir()]
    assert folder.name == first.name and not folder.name.endswith(".partial")

    def no_training(*args: object, **kwargs: object) -> None:
        raise AssertionError("tuned again instead of reading the cache")

    monkeypatch.setattr(tuning, "tune_embedder", no_training)
    again = tuning.tuned_embedder(pairs, tmp_path)
    assert again.name == first.name
    assert np.allclose(again.encode(["lagger", "slater"]), first.encode(["lagger", "slater"]), atol=1e-5)


@needs_extra
def test_max_pairs_samples_before_tuning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []

    def count(embedder: semantic.Embedder, pairs: list[tuning.Pair], **kwargs: object) -> semantic.Embedder:
        seen.append(len(pairs))
        return embedder

    monkeypatch.setattr(tuning, "tune_embedder", count)
    tuning.tuned_embedder(tuning.label_pairs(CONCEPTS), tmp_path, max_pairs=5)
    assert seen == [5]


def test_hard_negatives_come_from_the_same_group() -> None:
    groups = {"ex:insulation": "g1", "ex:roofer": "g1", "ex:valet": "g2", "ex:hygienist": "g3"}
    examples = tuning.label_pairs(CONCEPTS, seed=1, groups=groups)
    assert examples and all(len(e) == 4 for e in examples)
    title = {c: labels[0] for c, labels in CONCEPTS}
    for _, _, negative, concept in examples:
        assert negative != title[concept]
        if concept in {"ex:insulation", "ex:roofer"}:  # a sibling in the group: always the sibling
            assert negative == title["ex:roofer" if concept == "ex:insulation" else "ex:insulation"]
    profiles = [OccupationProfile(c, labels[0], labels[1:], groups=[f"code:{groups[c]}"]) for c, labels in CONCEPTS]
    assert tuning.occupation_pairs(profiles, seed=1) == examples
    assert all(len(e) == 3 for e in tuning.occupation_pairs(profiles, hard_negatives=False))


@needs_extra
def test_tuning_takes_examples_with_hard_negatives() -> None:
    groups = {c: "all" for c, _ in CONCEPTS}
    tuned = tuning.tune_embedder(semantic.load_embedder(), tuning.label_pairs(CONCEPTS, groups=groups), epochs=2, batch_size=4)
    assert tuned.encode(["lagger"]).shape == (1, 384)
