"""Suggested alignments between two occupation schemes, from everything the graph knows about them.

:func:`compute` reads both schemes (:mod:`.schemes`), chains their groups through the graph's group mappings
(:mod:`.structure`) and computes the features (:mod:`.features`); :func:`rank` scores each source occupation's
candidates with a shipped model (:mod:`.ranker`); :func:`suggest_occupations` turns the best ``top_k`` into SSSOM
mappings with a calibrated confidence, a ``semapv:`` justification and a comment naming the evidence that decided
(:mod:`.justify`). The best candidate of every source occupation is always suggested, whatever its confidence; the
others only from ``threshold`` on.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from lermap.analysis.kg import Graph
from lermap.analysis.occupation_align import features as feat
from lermap.analysis.occupation_align.embeddings import cache_for
from lermap.analysis.occupation_align.justify import comment, explain
from lermap.analysis.occupation_align.ranker import Model, candidates, shipped, softmax, stack
from lermap.analysis.occupation_align.schemes import Links, Side, read_links, read_side
from lermap.analysis.occupation_align.structure import Chains, chain
from lermap.ingest.sssom.mapping import CLOSE, Mapping

METHODS = ("lexical", "combined")
TOOL = "https://w3id.org/lermap/matcher/occupation-ranker-v1"  # + "-lexical" / "-combined"


@dataclass
class Computed:
    source: Side
    target: Side
    links: Links
    chains: Chains
    features: feat.Features
    cand: np.ndarray
    timings: dict[str, float] = field(default_factory=dict)


def compute(source: Side, target: Side, links: Links, method: str = "lexical", embedder: Any = None) -> Computed:
    """Every feature of every (source, target) pair, and each source occupation's candidates."""
    t: dict[str, float] = {}
    t0 = time.perf_counter()
    chains = chain(source, target, links)
    f = feat.label_features(source, target)
    t["labels"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    f.update(feat.document_features(source, target))
    f.update(feat.structure_features(source, target, chains))
    t["documents and structure"] = time.perf_counter() - t0
    if method == "combined":
        t0 = time.perf_counter()
        f.update(embedding_features(source, target, embedder))
        t["embeddings"] = time.perf_counter() - t0
    feat.add_gaps(f)
    return Computed(source, target, links, chains, f, candidates(f), t)


def embedding_features(source: Side, target: Side, embedder: Any = None) -> feat.Features:
    """``s_full``: cosine of one short text per occupation (:func:`.features.embedding_texts`), vectors cached on disk."""
    if embedder is None:
        from lermap.analysis.semantic import load_embedder

        embedder = load_embedder()
    cache = cache_for(getattr(embedder, "name", "model"))
    a, b = feat.embedding_texts(source, target)
    return {"s_full": (cache.encode(a, embedder) @ cache.encode(b, embedder).T).astype(np.float32)}


def compute_schemes(kg: Graph, scheme_a: str, scheme_b: str, method: str = "lexical", embedder: Any = None) -> Computed:
    return compute(read_side(kg, scheme_a), read_side(kg, scheme_b), read_links(kg), method, embedder)


def rank(c: Computed, model: Model) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(candidate columns best first, their scores, their softmax probabilities), one row per source occupation."""
    x = stack(c.features, model.features, np.arange(len(c.source)), c.cand)
    scores = x @ model.weights
    order = np.argsort(-scores, axis=1, kind="stable")
    cols = np.take_along_axis(c.cand, order, 1)
    scores = np.take_along_axis(scores, order, 1)
    return cols, scores, softmax(scores)


def _path_words(c: Computed, i: int, j: int) -> str | None:
    path = c.chains.paths.get((i, j))
    code = c.target.codes[j] or c.target.pref[j]
    if path is not None:
        return " → ".join(c.links.name(n) for n in path) + f" (the group of {code})"
    path = c.chains.broad_paths.get((i, j))
    if path is not None:
        return " → ".join(c.links.name(n) for n in path) + f" (in the same parent group as {code}'s group)"
    return None


def suggest_occupations(kg: Graph, scheme_a: str, scheme_b: str, top_k: int = 5, threshold: float = 0.3, method: str = "lexical",
                        embedder: Any = None) -> list[Mapping]:
    """Suggestions from every occupation of ``scheme_a`` to its best ``top_k`` occupations of ``scheme_b``."""
    model = shipped()[method]
    c = compute_schemes(kg, scheme_a, scheme_b, method, embedder)
    return mappings(c, model, top_k, threshold, method)


def mappings(c: Computed, model: Model, top_k: int, threshold: float, method: str) -> list[Mapping]:
    cols, _, prob = rank(c, model)
    conf = model.confidence(prob)
    x_all = stack(c.features, model.features, np.arange(len(c.source)), cols)
    today = date.today().isoformat()
    out = []
    for i in range(len(c.source)):
        for r in range(min(top_k, cols.shape[1])):
            if r > 0 and conf[i, r] < threshold:
                break
            j = int(cols[i, r])
            e = explain(x_all[i], model.weights, model.features, r)
            rival = c.target.pref[int(cols[i, e.rival])] if e.rival != r else None
            alone = c.target.pref[int(cols[i, e.without_crosswalk_top])]
            path = c.chains.paths.get((i, j)) or c.chains.broad_paths.get((i, j))
            note = comment(e, float(prob[i, r]), _path_words(c, i, j), rival, alone)
            out.append(Mapping(
                c.source.iris[i], CLOSE, c.target.iris[j], mapping_justification=e.justification,
                confidence=round(float(conf[i, r]), 4), subject_label=c.source.pref[i], object_label=c.target.pref[j],
                subject_source=c.source.scheme, object_source=c.target.scheme, author_id=f"{TOOL}-{method}", mapping_date=today,
                comment=note, derivation=tuple(path) if e.chained and path else ()))
    return out
