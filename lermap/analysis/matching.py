"""Suggested alignments between two schemes: lexical (character n-gram TF-IDF, sparse top-k), or semantic /
combined with the optional extra (:mod:`lermap.analysis.semantic_match`).

The score is the cosine of the label vectors; :func:`calibrate` turns scores into confidences
(estimated precision) by isotonic regression against mappings already known to be right. The SKOS
predicate of a suggestion follows explicit rules (:func:`choose_predicate`).

>>> pairs = match_labels(["Python programming"], ["programming in Python", "welding"], top_k=1)
>>> pairs[0][:2], pairs[0][2] > 0.5
((0, 0), True)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from lermap.analysis.alignment import BROAD, CLOSE, EXACT, NARROW, RELATED, Mapping

LEXICAL = "semapv:LexicalMatching"


def normalise(label: str) -> str:
    """Lower case, accents folded, punctuation as spaces, single spaces."""
    text = unicodedata.normalize("NFKD", label)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[\W_]+", " ", text).strip()


def _vectorizer() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4), preprocessor=normalise, sublinear_tf=True, min_df=1, dtype=np.float32)


def match_labels(left: Sequence[str], right: Sequence[str], top_k: int = 5, threshold: float = 0.3) -> list[tuple[int, int, float]]:
    """For each left label, the ``top_k`` right labels by cosine of char n-gram TF-IDF: (i, j, score)."""
    if not left or not right:
        return []
    from sparse_dot_topn import sp_matmul_topn

    vec = _vectorizer().fit(list(left) + list(right))
    a = vec.transform(left)
    b = vec.transform(right)
    product = sp_matmul_topn(a, b.T.tocsr(), top_n=top_k, threshold=threshold, sort=True)
    coo = product.tocoo()
    out = [(int(i), int(j), float(s)) for i, j, s in zip(coo.row, coo.col, coo.data, strict=True)]
    out.sort(key=lambda t: (t[0], -t[2]))
    return out


def choose_predicate(score: float, same_text: bool, depth_subject: int | None, depth_object: int | None) -> str:
    """The explicit rule: identical normalised labels are exact; high scores close; a large
    hierarchy-depth gap turns a good match into broad (object higher up) or narrow; the rest related."""
    if same_text:
        return EXACT
    if score >= 0.75 and depth_subject is not None and depth_object is not None and abs(depth_subject - depth_object) >= 2:
        return BROAD if depth_object < depth_subject else NARROW
    if score >= 0.75:
        return CLOSE
    return RELATED


@dataclass
class Concept:
    iri: str
    label: str
    preferred: bool = True
    depth: int | None = None
    scheme: str | None = None


_HOW = {
    "lexical": (LEXICAL, "char 3-4-gram TF-IDF cosine"),
    "semantic": ("semapv:SemanticSimilarityThresholdMatching", "all-MiniLM-L6-v2 embedding cosine"),
    "combined": ("semapv:CompositeMatching", "mean of char 3-4-gram TF-IDF cosine and all-MiniLM-L6-v2 embedding cosine"),
}


def suggest(left: Sequence[Concept], right: Sequence[Concept], top_k: int = 5, threshold: float = 0.3,
            author: str | None = None, method: str = "lexical", embedder: Any = None) -> list[Mapping]:
    """Suggestions from every left concept to its best right concepts (one mapping per pair).

    ``method``: ``lexical`` (default), or ``semantic`` / ``combined`` with the optional extra (see
    :mod:`lermap.analysis.semantic_match`). The justification and comment say which was used."""
    from lermap.analysis import semantic_match

    semantic_match.check_method(method)
    a_labels, b_labels = [c.label for c in left], [c.label for c in right]
    if method == "lexical":
        pairs = match_labels(a_labels, b_labels, top_k=top_k, threshold=threshold)
    elif method == "semantic":
        pairs = semantic_match.semantic_pairs(a_labels, b_labels, top_k=top_k, threshold=threshold, embedder=embedder)
    else:
        pairs = semantic_match.combined_pairs(a_labels, b_labels, top_k=top_k, threshold=threshold, embedder=embedder)
    justification, how = _HOW[method]
    author = author or f"https://w3id.org/lermap/matcher/{method}-v1"
    best: dict[tuple[str, str], Mapping] = {}
    today = date.today().isoformat()
    for i, j, score in pairs:
        a, b = left[i], right[j]
        if a.iri == b.iri:
            continue
        same = normalise(a.label) == normalise(b.label)
        pred = choose_predicate(score, same, a.depth, b.depth)
        m = Mapping(a.iri, pred, b.iri, mapping_justification=justification, confidence=round(min(score, 1.0), 4), subject_label=a.label,
                    object_label=b.label, subject_source=a.scheme, object_source=b.scheme, author_id=author, mapping_date=today,
                    comment=how + ("; identical normalised labels" if same else ""))
        old = best.get((a.iri, b.iri))
        if old is None or (old.confidence or 0) < (m.confidence or 0):
            best[(a.iri, b.iri)] = m
    return sorted(best.values(), key=lambda m: (m.subject_id, -(m.confidence or 0)))


def calibrate(suggestions: Sequence[Mapping], known: Sequence[Mapping]) -> list[Mapping]:
    """Confidence as estimated precision: isotonic regression of "is this pair a known mapping" on score.

    ``known`` are mappings taken as right (e.g. harvested exact matches between the two schemes);
    only suggestions whose subject has a known mapping are used to fit. With fewer than 10 such
    suggestions the scores are returned unchanged.
    """
    truth = {(m.subject_id, m.object_id) for m in known} | {(m.object_id, m.subject_id) for m in known}
    subjects = {s for s, _ in truth}
    fit = [(m.confidence or 0.0, 1.0 if (m.subject_id, m.object_id) in truth else 0.0) for m in suggestions if m.subject_id in subjects]
    if len(fit) < 10:
        return list(suggestions)
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit([f[0] for f in fit], [f[1] for f in fit])
    calibrated = iso.predict([m.confidence or 0.0 for m in suggestions])
    from dataclasses import replace

    return [replace(m, confidence=round(float(c), 4), comment=(m.comment or "") + "; confidence calibrated on known mappings")
            for m, c in zip(suggestions, calibrated, strict=True)]


def scheme_concepts(kg: Any, scheme: str) -> list[Concept]:
    """Every label of every concept in ``scheme`` (preferred and alternative) with hierarchy depth."""
    df = kg.run_query("scheme-labels", {"scheme": scheme})
    return [Concept(str(r["concept"]), str(r["label"]), bool(r["preferred"]), int(r["depth"]) if r["depth"] == r["depth"] and r["depth"] is not None else 0, scheme)
            for r in df.to_dict("records")]
