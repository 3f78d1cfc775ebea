"""The aligner's features: one dense float32 matrix (source occupations x target occupations) per feature.

* label match — every source label (preferred, alternative, hidden) against every target label, character 3–5-gram
  TF-IDF: ``c_vote`` (each source label's best cosine with the target, cubed, summed, divided by √#labels),
  ``c_all_max`` / ``c_pref_max`` (best cosine of any / the preferred label), ``w_all_max`` (the same with word 1–2-grams);
* descriptions and tasks — ``doc``: word TF-IDF cosine of labels + definition + tasks;
* per-source gaps to the best target (``gap_doc``, ``gap_c_vote``): how far a candidate is behind the leader;
* group crosswalk (:mod:`.structure`) — ``chain`` (a chain of group mappings reaches the target's group), ``chain_broad``
  (it reaches the parent group), ``chain_share`` (``chain`` divided by the number of targets the chain allows);
* prior — ``residual``: the target is a residual "…, All Other" / "not elsewhere classified" occupation;
* embedding (``combined`` only, :mod:`.embeddings`) — ``s_full`` / ``gap_s_full``: sentence-embedding cosine of the
  source's first definition sentence and the target's "title. definition".

Label similarity keeps, for each source label, its 60 nearest target labels (``sparse_dot_topn``), and drops from the
source side only the n-grams found in more than 5 % of target labels: 2.4× faster, no loss in the ranker.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import scipy.sparse as sp

from lermap.analysis.lexical import normalise
from lermap.analysis.occupation_align.schemes import Side
from lermap.analysis.occupation_align.structure import Chains

TOP_LABELS = 60
COMMON_DF = 0.05
THREADS = 2
_RESIDUAL = re.compile(r",\s*all other\b|\bnot elsewhere classified\b|\bn\.e\.c\.", re.IGNORECASE)

Features = dict[str, np.ndarray]


class _LabelIndex:
    """The target labels, deduplicated: one row per distinct text, with the occupations that carry it."""

    def __init__(self, groups: list[list[str]]) -> None:
        rows: dict[str, int] = {}
        pairs: set[tuple[int, int]] = set()
        for j, group in enumerate(groups):
            for label in group:
                pairs.add((rows.setdefault(label, len(rows)), j))
        self.texts = list(rows)
        r, c = (np.array(sorted(pairs)).T if pairs else (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)))
        self.owners = sp.csr_matrix((np.ones(len(r), dtype=np.int8), (r, c)), shape=(len(self.texts), len(groups)))
        self.n = len(groups)


def _label_table(q: Any, o: Any, index: _LabelIndex) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(source label, target occupation, best cosine) triples over each source label's nearest target labels."""
    from sparse_dot_topn import sp_matmul_topn

    r = sp_matmul_topn(q, o.T.tocsr(), top_n=min(TOP_LABELS, o.shape[0]), threshold=0.05, n_threads=THREADS).tocoo()
    ptr, owners = index.owners.indptr, index.owners.indices
    cnt = np.diff(ptr)[r.col]
    rep = np.repeat(np.arange(len(r.col)), cnt)
    occ = owners[np.repeat(ptr[r.col], cnt) + np.arange(cnt.sum()) - np.repeat(np.cumsum(cnt) - cnt, cnt)]
    key = r.row[rep].astype(np.int64) * index.n + occ
    val = r.data[rep]
    order = np.lexsort((val, key))
    key, val = key[order], val[order]
    last = np.r_[key[1:] != key[:-1], True] if len(key) else np.zeros(0, dtype=bool)
    key, val = key[last], val[last]
    return key // index.n, key % index.n, val


def _without_common(q: Any, o: Any) -> Any:
    df = np.diff(o.tocsc().indptr) / max(1, o.shape[0])
    q = (q @ sp.diags((df <= COMMON_DF).astype(q.dtype))).tocsr()
    q.eliminate_zeros()
    return q


def _aggregate(rows: np.ndarray, occ: np.ndarray, val: np.ndarray, owner: np.ndarray, shape: tuple[int, int], how: str) -> np.ndarray:
    m = np.zeros(shape, dtype=np.float32)
    if how == "max":
        np.maximum.at(m, (owner[rows], occ), val)
        return m
    np.add.at(m, (owner[rows], occ), val ** 3)
    counts = np.bincount(owner, minlength=shape[0]).astype(np.float32)
    return m / np.sqrt(np.maximum(counts, 1.0))[:, None]


def _vectorizer(kind: str) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    if kind == "char":
        return TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), preprocessor=normalise, sublinear_tf=True, dtype=np.float32)
    if kind == "word":
        return TfidfVectorizer(ngram_range=(1, 2), preprocessor=normalise, sublinear_tf=True, stop_words="english", dtype=np.float32)
    return TfidfVectorizer(preprocessor=normalise, sublinear_tf=True, stop_words="english", min_df=2, max_df=0.5, dtype=np.float32)


def label_features(source: Side, target: Side) -> Features:
    """``c_vote``, ``c_all_max``, ``c_pref_max`` and ``w_all_max``."""
    shape = (len(source), len(target))
    texts = [t for group in source.labels for t in group]
    owner = np.repeat(np.arange(len(source)), [len(g) for g in source.labels])
    first = np.r_[0, np.cumsum([len(g) for g in source.labels])[:-1]].astype(np.int64)
    is_pref = np.zeros(len(texts), dtype=bool)
    is_pref[first] = True
    index = _LabelIndex(target.labels)
    out: Features = {}
    both = _vectorizer("char").fit_transform(texts + index.texts)
    q, o = both[: len(texts)], both[len(texts):]
    r, c, v = _label_table(_without_common(q, o), o, index)
    out["c_all_max"] = _aggregate(r, c, v, owner, shape, "max")
    out["c_vote"] = _aggregate(r, c, v, owner, shape, "vote")
    p = is_pref[r]
    out["c_pref_max"] = _aggregate(r[p], c[p], v[p], owner, shape, "max")
    both = _vectorizer("word").fit_transform(texts + index.texts)
    r, c, v = _label_table(both[: len(texts)], both[len(texts):], index)
    out["w_all_max"] = _aggregate(r, c, v, owner, shape, "max")
    return out


def document_features(source: Side, target: Side) -> Features:
    """``doc``: word TF-IDF cosine of each occupation's labels + definition + tasks."""
    def docs(side: Side) -> list[str]:
        return [" ".join(g) + " . " + d + " " + t for g, d, t in zip(side.labels, side.text, side.tasks, strict=True)]

    a, b = docs(source), docs(target)
    vec = _vectorizer("doc").fit(a + b)
    return {"doc": (vec.transform(a) @ vec.transform(b).T).toarray().astype(np.float32)}


def structure_features(source: Side, target: Side, chains: Chains) -> Features:
    """``chain``, ``chain_broad``, ``chain_share`` and the ``residual`` prior."""
    share = chains.allowed / np.maximum(1.0, chains.allowed.sum(1, keepdims=True))
    residual = np.array([bool(_RESIDUAL.search(t)) for t in target.pref], dtype=np.float32)
    return {"chain": chains.allowed, "chain_broad": chains.broad, "chain_share": share.astype(np.float32),
            "residual": np.broadcast_to(residual, (len(source), len(target)))}


def add_gaps(features: Features, names: tuple[str, ...] = ("c_vote", "doc", "s_full")) -> None:
    """``gap_<name>``: each feature minus its best value for the same source occupation."""
    for name in names:
        if name in features:
            m = features[name]
            features["gap_" + name] = m - (m.max(1, keepdims=True) if m.shape[1] else 0)


def first_sentence(text: str) -> str:
    """The text up to its first full stop, question or exclamation mark.

    >>> first_sentence("Data scientists find data. They merge it.")
    'Data scientists find data.'
    """
    return re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]


def embedding_texts(source: Side, target: Side) -> tuple[list[str], list[str]]:
    """One short text per occupation: what the source occupation does (the first sentence of its definition, else its
    preferred label) and the target's "title. definition" — on the dev set this beat labels on both sides at the same cost."""
    return ([first_sentence(d) or p for p, d in zip(source.pref, source.text, strict=True)],
            [f"{p}. {d}" if d else p for p, d in zip(target.pref, target.text, strict=True)])
