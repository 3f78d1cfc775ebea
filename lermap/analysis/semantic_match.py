"""Semantic and combined matching of labels, and semantic skills-from-text: the optional extra at work.

Built on :mod:`lermap.analysis.semantic` (sentence embeddings from the packaged all-MiniLM-L6-v2, offline).

* :func:`semantic_pairs` — for each left label its ``top_k`` right labels by embedding cosine.
* :func:`combined_pairs` — candidates from both the lexical and the semantic top-k; each pair scored by the
  mean of its character n-gram TF-IDF cosine and its embedding cosine (both computed for every candidate, so a
  pair found by one method is not penalised for being missed by the other's top-k).
* :class:`SemanticExtractor` — text spans (runs of up to ``max_len`` words inside one clause) embedded and
  matched to competency labels; a span is kept when its cosine with a label reaches ``threshold``; the best
  non-overlapping spans win.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np

from lermap.analysis.extract import SkillMention, competency_labels
from lermap.analysis.kg import Graph
from lermap.analysis.lexical import match_labels, normalise
from lermap.analysis.semantic import Embedder, load_embedder, top_k_cosine
from lermap.errors import ConfigError

METHODS = ("lexical", "semantic", "combined")
SEMANTIC = "semapv:SemanticSimilarityThresholdMatching"
COMPOSITE = "semapv:CompositeMatching"


def check_method(method: str) -> str:
    if method not in METHODS:
        raise ConfigError(f"matching method must be one of {', '.join(METHODS)}, not {method!r}")
    return method


def semantic_pairs(left: Sequence[str], right: Sequence[str], top_k: int = 5, threshold: float = 0.5,
                   embedder: Embedder | None = None) -> list[tuple[int, int, float]]:
    """For each left label, the ``top_k`` right labels by embedding cosine: (i, j, score), best first."""
    if not left or not right:
        return []
    emb = embedder or load_embedder()
    a, b = emb.encode(list(left)), emb.encode(list(right))
    idx, val = top_k_cosine(a, b, top_k)
    return [(i, int(j), float(s)) for i in range(len(left)) for j, s in zip(idx[i], val[i], strict=True) if s >= threshold]


def combined_pairs(left: Sequence[str], right: Sequence[str], top_k: int = 5, threshold: float = 0.3,
                   embedder: Embedder | None = None) -> list[tuple[int, int, float]]:
    """Candidates from both methods, scored by the mean of the two cosines: (i, j, score), best first."""
    if not left or not right:
        return []
    emb = embedder or load_embedder()
    candidates = {(i, j) for i, j, _ in match_labels(left, right, top_k=top_k, threshold=0.0)}
    candidates |= {(i, j) for i, j, _ in semantic_pairs(left, right, top_k=top_k, threshold=0.0, embedder=emb)}
    if not candidates:
        return []
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4), preprocessor=normalise, sublinear_tf=True, dtype=np.float32)
    vec.fit(list(left) + list(right))
    pairs = sorted(candidates)
    li = np.array([i for i, _ in pairs])
    rj = np.array([j for _, j in pairs])
    lex_a, lex_b = vec.transform(left), vec.transform(right)
    lexical = np.asarray(lex_a[li].multiply(lex_b[rj]).sum(axis=1)).ravel()
    sem_a, sem_b = emb.encode(list(left)), emb.encode(list(right))
    semantic = np.einsum("ij,ij->i", sem_a[li], sem_b[rj])
    score = (lexical + np.clip(semantic, 0.0, 1.0)) / 2.0
    by_left: dict[int, list[tuple[int, int, float]]] = {}
    for (i, j), s in zip(pairs, score, strict=True):
        if s >= threshold:
            by_left.setdefault(i, []).append((i, j, float(s)))
    out: list[tuple[int, int, float]] = []
    for i in sorted(by_left):
        out += sorted(by_left[i], key=lambda t: -t[2])[:top_k]
    return out


_CLAUSE = re.compile(r"[^.;:,!?\n()\[\]]+")
_WORD = re.compile(r"\w+(?:[+#]+|\.\w+)*", re.UNICODE)


class SemanticExtractor:
    """Competency labels embedded once; :meth:`extract` embeds a text's spans and keeps the close ones."""

    def __init__(self, labels: Iterable[tuple[str, str, bool, str | None]], embedder: Embedder | None = None,
                 threshold: float = 0.8, max_len: int = 6) -> None:
        self.embedder = embedder or load_embedder()
        self.threshold = threshold
        self.max_len = max_len
        self.labels = [row for row in labels if 2 <= len(row[1]) <= 200]
        self.vectors = self.embedder.encode([row[1] for row in self.labels]) if self.labels else np.zeros((0, 1), dtype=np.float32)

    @classmethod
    def from_graph(cls, kg: Graph, embedder: Embedder | None = None) -> SemanticExtractor:
        return cls(competency_labels(kg), embedder)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Every run of 1..max_len words inside one clause (character offsets)."""
        out = []
        for clause in _CLAUSE.finditer(text):
            words = [(clause.start() + m.start(), clause.start() + m.end()) for m in _WORD.finditer(clause.group(0))]
            for i in range(len(words)):
                for n in range(1, min(self.max_len, len(words) - i) + 1):
                    out.append((words[i][0], words[i + n - 1][1]))
        return out

    def extract(self, text: str, min_confidence: float = 0.0) -> list[SkillMention]:
        if not self.labels:
            return []
        spans = [s for s in self.spans(text) if len(text[s[0]:s[1]]) >= 3]
        if not spans:
            return []
        idx, val = top_k_cosine(self.embedder.encode([text[a:b] for a, b in spans], cache=False), self.vectors, 1)
        ranked = sorted(((float(val[k, 0]), spans[k], int(idx[k, 0])) for k in range(len(spans))), key=lambda t: (-t[0], t[1]))
        taken: list[tuple[int, int]] = []
        out: list[SkillMention] = []
        for score, (a, b), j in ranked:
            if score < max(self.threshold, min_confidence):
                break
            if any(a < tb and ta < b for ta, tb in taken):
                continue
            taken.append((a, b))
            competency, label, _, framework = self.labels[j]
            out.append(SkillMention(competency, label, framework, round(score, 4), (a, b), text[a:b]))
        return sorted(out, key=lambda m: m.span)


def combine_mentions(lexical: list[SkillMention], semantic: list[SkillMention]) -> list[SkillMention]:
    """Lexical mentions (exact label matches) first; semantic ones only where they overlap none of them."""
    spans = [m.span for m in lexical]
    extra = [m for m in semantic if not any(m.span[0] < b and a < m.span[1] for a, b in spans)]
    return sorted(lexical + extra, key=lambda m: m.span)
