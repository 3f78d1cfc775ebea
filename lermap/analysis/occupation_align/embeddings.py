"""Sentence embeddings for the ``combined`` method, cached on disk per (model, text) so that a rerun encodes nothing.

The cache is one folder per model under ``<cache dir>/embeddings/`` (``LERMAP_CACHE_DIR``): ``vectors.npy`` (float32 rows)
and ``keys.json`` (the SHA-256 of each row's text, in row order). Texts already cached are read back; the others are
encoded with :func:`lermap.analysis.semantic.load_embedder` and appended, the two files replaced atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from lermap.config import settings


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class VectorCache:
    """Unit-length vectors of texts for one model, kept in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.keys: dict[str, int] = {}
        self.vectors = np.zeros((0, 0), dtype=np.float32)
        try:
            keys = json.loads((folder / "keys.json").read_text("utf-8"))
            vectors = np.load(folder / "vectors.npy")
            if isinstance(keys, list) and len(keys) == len(vectors):
                self.keys = {k: i for i, k in enumerate(keys)}
                self.vectors = vectors.astype(np.float32)
        except (OSError, ValueError):
            pass  # no cache yet, or a damaged one: start afresh

    def encode(self, texts: Sequence[str], embedder: Any) -> np.ndarray:
        todo = sorted({t for t in texts if _key(t) not in self.keys})
        if todo:
            fresh = np.asarray(embedder.encode(todo, batch_size=128, cache=False), dtype=np.float32)
            start = len(self.keys)
            self.vectors = fresh if not self.keys else np.vstack([self.vectors, fresh])
            for i, t in enumerate(todo):
                self.keys[_key(t)] = start + i
            self._save()
        if not texts:
            return np.zeros((0, self.vectors.shape[1] if self.vectors.size else 0), dtype=np.float32)
        return self.vectors[[self.keys[_key(t)] for t in texts]]

    def _save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for name, write in (("vectors.npy", lambda f: np.save(f, self.vectors)),
                            ("keys.json", lambda f: f.write(json.dumps(sorted(self.keys, key=self.keys.__getitem__)).encode()))):
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=name + ".")
            with os.fdopen(fd, "wb") as f:
                write(f)
            os.replace(tmp, self.folder / name)


def cache_for(model_name: str, root: Path | None = None) -> VectorCache:
    """The vector cache of one model (by its folder name, e.g. ``all-MiniLM-L6-v2``)."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in model_name) or "model"
    return VectorCache((root or settings().cache_dir) / "embeddings" / safe)
