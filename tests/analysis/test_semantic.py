"""Semantic matching: the optional extra, offline model, clear error without it."""

from __future__ import annotations

import os

import numpy as np
import pytest

from lermap.analysis import semantic
from lermap.errors import ConfigError

needs_extra = pytest.mark.skipif(not semantic.available() and not os.environ.get("LERMAP_REQUIRE_SEMANTIC"),
                                 reason="the [semantic] extra is not installed (set LERMAP_REQUIRE_SEMANTIC=1 to make this a failure)")


def test_top_k_cosine_orders_by_similarity() -> None:
    items = np.eye(4, dtype=np.float32)
    queries = np.asarray([[0.9, 0.1, 0.0, 0.0], [0.0, 0.0, 0.6, 0.8]], dtype=np.float32)
    idx, val = semantic.top_k_cosine(queries, items, k=2, chunk=1)
    assert idx.tolist() == [[0, 1], [3, 2]]
    assert val[0, 0] == pytest.approx(0.9)


def test_missing_extra_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(semantic, "available", lambda: False)
    semantic.load_embedder.cache_clear()
    with pytest.raises(ConfigError, match=r"lermap\[semantic\]"):
        semantic.load_embedder()


@needs_extra
def test_missing_model_folder_is_a_config_error(tmp_path: object) -> None:
    with pytest.raises(ConfigError, match="not found"):
        semantic.load_embedder(str(tmp_path) + "/absent")


@needs_extra
def test_packaged_model_embeds_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    emb = semantic.load_embedder()
    vectors = emb.encode(["registered nurse", "staff nurse", "welder"])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


@needs_extra
def test_matcher_with_embeddings_finds_a_synonym() -> None:
    from lermap.analysis.occupations import FEATURES_SEMANTIC, OccupationMatcher, OccupationProfile

    profiles = [OccupationProfile("ex:judge", "judge", ["magistrate"]), OccupationProfile("ex:tailor", "tailor", ["dressmaker"]),
                OccupationProfile("ex:adjuster", "loss adjuster", ["claims adjuster"])]
    m = OccupationMatcher(profiles, embedder=semantic.load_embedder())
    assert set(FEATURES_SEMANTIC) <= set(m.features)
    assert m.rank(["seamstress"], k=1)[0][0][0] == "ex:tailor"


@needs_extra
def test_extracting_from_a_text_does_not_grow_the_embedding_cache() -> None:
    from lermap.analysis.semantic_match import SemanticExtractor

    emb = semantic.Embedder(semantic.load_embedder().model, "fresh")
    ex = SemanticExtractor([("x:py", "Python programming", True, "x:fw")], emb, threshold=0.7)
    kept = len(emb._cache)
    found = ex.extract("We are hiring: programming in Python, three years")
    assert [m.competency for m in found] == ["x:py"]
    assert len(emb._cache) == kept == 1
    again = emb.encode(["Python programming", "an unseen text"], cache=False)
    assert again.shape == (2, 384) and len(emb._cache) == 1
    assert np.allclose(again[0], emb.encode(["Python programming"])[0], atol=1e-5)
