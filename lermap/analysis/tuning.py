"""Adapting the packaged sentence-embedding model to the vocabulary of the graph.

all-MiniLM-L6-v2 knows English, not the naming habits of a classification ("lagger" is an insulation
worker, a "TA" a teaching assistant). The graph already says which strings name the same concept: an
occupation's title and its alternative labels. :func:`tune_embedder` fine-tunes a copy of the model on
those pairs with in-batch and hard negatives (sentence-transformers' ``MultipleNegativesRankingLoss``), so
the labels of one concept move together and away from the others. Nothing leaves the machine: the model
comes from site-packages and the tuned copy is written to a cache folder (:func:`tuned_embedder`; the CLI
and API use ``$LERMAP_CONFIG_DIR/models``).

Tuning is deterministic for a given seed, pair list and thread count; on two CPU cores one epoch over
~38k examples with hard negatives (ESCO's size) takes about 17 minutes, which is why the result is cached
on disk, keyed by a digest of the examples.
"""

from __future__ import annotations

import copy
import hashlib
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from lermap.analysis.semantic import Embedder, load_embedder

Pair = tuple[str, ...]  # (anchor label, positive label[, hard negative label], the concept the first two name)


def label_pairs(concepts: Iterable[tuple[str, Sequence[str]]], seed: int = 0, groups: Mapping[str, str] | None = None) -> list[Pair]:
    """Training examples from (concept, labels with the preferred one first): every other label paired with the
    preferred label, and with one more label of the same concept drawn with ``seed``.

    With ``groups`` (concept -> group, e.g. an ISCO unit group) each example also carries a hard negative: the
    preferred label of another concept of the same group ("spot welder" against "welder"), so tuning learns
    the distinctions a classification draws between close neighbours, not only between unrelated concepts."""
    rng = random.Random(seed)
    named = [(c, list(dict.fromkeys(x for x in labels if x.strip()))) for c, labels in concepts]
    named = [(c, names) for c, names in named if names]
    members: dict[str, list[str]] = {}
    if groups is not None:
        for c, names in named:
            members.setdefault(groups.get(c, ""), []).append(names[0])
    everyone = [names[0] for _, names in named]
    pairs: list[Pair] = []
    for concept, names in named:
        siblings = [t for t in members.get(groups.get(concept, ""), []) if t != names[0]] if groups is not None else []
        for label in names[1:]:
            for positive in (names[0], rng.choice(names)):
                if positive == label:
                    continue
                if groups is None:
                    pairs.append((label, positive, concept))
                else:
                    negative = rng.choice(siblings) if siblings else rng.choice(everyone)
                    while negative == names[0] and len(everyone) > 1:  # no sibling: any other concept
                        negative = rng.choice(everyone)
                    pairs.append((label, positive, negative, concept))
    return pairs


def pairs_digest(pairs: Sequence[Pair], base: str, epochs: int, seed: int) -> str:
    h = hashlib.sha256(f"{base}\n{epochs}\n{seed}\n".encode())
    for pair in pairs:
        h.update(("\t".join(pair) + "\n").encode())
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
            for pair in order[start : start + batch_size]:
                if pair[-1] not in seen:
                    seen.add(pair[-1])
                    batch.append(pair[:-1])
            if len(batch) < 2:
                continue
            features = [model.preprocess([texts[i] for texts in batch]) for i in range(len(batch[0]))]
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
        return load_embedder(str(folder))
    tuned = tune_embedder(base, pairs, epochs=epochs, seed=seed, progress=progress)
    folder.parent.mkdir(parents=True, exist_ok=True)
    partial = folder.with_name(folder.name + ".partial")
    tuned.model.save(str(partial))
    partial.rename(folder)
    return Embedder(tuned.model, folder.name)


def occupation_pairs(profiles: Iterable[Any], seed: int = 0, hard_negatives: bool = True) -> list[Pair]:
    """Examples from occupation profiles (:class:`lermap.analysis.occupations.OccupationProfile`); the hard
    negatives come from the occupation's code group (SOC minor group, ISCO unit group)."""
    found = list(profiles)
    groups = {p.iri: next((g for g in p.groups if g.startswith("code:")), "") for p in found} if hard_negatives else None
    return label_pairs(((p.iri, [p.title, *p.labels]) for p in found), seed, groups)


__all__ = ["Pair", "label_pairs", "occupation_pairs", "pairs_digest", "tune_embedder", "tuned_embedder"]
