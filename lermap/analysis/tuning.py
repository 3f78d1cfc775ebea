"""Adapting the packaged sentence-embedding model to the vocabulary of the graph.

all-MiniLM-L6-v2 knows English, not the naming habits of a classification ("lagger" is an insulation
worker, a "TA" a teaching assistant). The graph already says which strings name the same concept: an
occupation's title and its alternative labels. :func:`tune_embedder` fine-tunes a copy of the model on
those pairs with in-batch negatives (sentence-transformers' ``MultipleNegativesRankingLoss``), so the
labels of one concept move together and away from the others. Nothing leaves the machine: the model
comes from site-packages and the tuned copy is written under the store's folder (:func:`tuned_embedder`).

Tuning is deterministic for a given seed, pair list and thread count; on two CPU cores one epoch over
~38k label pairs (ESCO's size) takes about ten minutes, which is why the result is cached on disk, keyed by a
digest of the pairs.
"""

from __future__ import annotations

import copy
import hashlib
import random
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from lermap.analysis.semantic import Embedder, load_embedder

Pair = tuple[str, str, str]  # (anchor label, positive label, the concept both name)


def label_pairs(concepts: Iterable[tuple[str, Sequence[str]]], seed: int = 0) -> list[Pair]:
    """Training pairs from (concept, labels with the preferred one first): every other label paired with the
    preferred label, and with one more label of the same concept drawn with ``seed``."""
    rng = random.Random(seed)
    pairs: list[Pair] = []
    for concept, labels in concepts:
        names = list(dict.fromkeys(x for x in labels if x.strip()))
        for label in names[1:]:
            pairs.append((label, names[0], concept))
            other = rng.choice(names)
            if other != label:
                pairs.append((label, other, concept))
    return pairs


def pairs_digest(pairs: Sequence[Pair], base: str, epochs: int, seed: int) -> str:
    h = hashlib.sha256(f"{base}\n{epochs}\n{seed}\n".encode())
    for a, b, c in pairs:
        h.update(f"{a}\t{b}\t{c}\n".encode())
    return h.hexdigest()[:16]


def tune_embedder(embedder: Embedder, pairs: Sequence[Pair], epochs: int = 1, batch_size: int = 64, learning_rate: float = 5e-5,
                  seed: int = 0, progress: Callable[[int, int], None] | None = None) -> Embedder:
    """A fine-tuned copy of ``embedder`` (the original is left untouched).

    A batch never holds two pairs of one concept: their labels would be each other's false negatives."""
    import torch
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

    torch.manual_seed(seed)
    model = copy.deepcopy(embedder.model)
    loss_fn = MultipleNegativesRankingLoss(model)
    optimiser = torch.optim.AdamW(model.parameters(), lr=learning_rate)
    order = list(pairs)
    rng = random.Random(seed)
    steps = epochs * (len(order) // batch_size)
    done = 0
    model.train()
    for _ in range(epochs):
        rng.shuffle(order)
        for start in range(0, len(order) - batch_size + 1, batch_size):
            seen: set[str] = set()
            batch = []
            for anchor, positive, concept in order[start : start + batch_size]:
                if concept not in seen:
                    seen.add(concept)
                    batch.append((anchor, positive))
            if len(batch) < 2:
                continue
            features = [model.preprocess([a for a, _ in batch]), model.preprocess([p for _, p in batch])]
            loss = loss_fn(features, None)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            done += 1
            if progress is not None:
                progress(done, steps)
    model.eval()
    return Embedder(model, f"{embedder.name}-tuned")


def tuned_embedder(pairs: Sequence[Pair], cache_dir: str | Path, epochs: int = 1, seed: int = 0, max_pairs: int = 40_000,
                   progress: Callable[[int, int], None] | None = None) -> Embedder:
    """The packaged model tuned on ``pairs``, read from ``cache_dir`` when this exact tuning was done before.

    At most ``max_pairs`` pairs (drawn with ``seed``) are used: beyond ESCO's size, more pairs mostly cost time."""
    if len(pairs) > max_pairs:
        pairs = random.Random(seed).sample(list(pairs), max_pairs)
    base = load_embedder()
    folder = Path(cache_dir) / f"{base.name}-{pairs_digest(pairs, base.name, epochs, seed)}"
    if (folder / "config.json").exists():
        found = load_embedder(str(folder))
        return Embedder(found.model, folder.name)
    tuned = tune_embedder(base, pairs, epochs=epochs, seed=seed, progress=progress)
    folder.parent.mkdir(parents=True, exist_ok=True)
    partial = folder.with_name(folder.name + ".partial")
    tuned.model.save(str(partial))
    partial.rename(folder)
    return Embedder(tuned.model, folder.name)


def occupation_pairs(profiles: Iterable[Any], seed: int = 0) -> list[Pair]:
    """Pairs from occupation profiles (:class:`lermap.analysis.occupations.OccupationProfile`)."""
    return label_pairs(((p.iri, [p.title, *p.labels]) for p in profiles), seed)


__all__ = ["Pair", "label_pairs", "occupation_pairs", "pairs_digest", "tune_embedder", "tuned_embedder"]
