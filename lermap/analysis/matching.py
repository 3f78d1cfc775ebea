"""Suggested alignments between two schemes: lexical (:mod:`lermap.analysis.lexical`), or semantic /
combined with the optional extra (:mod:`lermap.analysis.semantic_match`).

The score is the cosine of the label vectors; :func:`calibrate` turns scores into confidences
(estimated precision) by isotonic regression against mappings already known to be right. The SKOS
predicate of a suggestion follows explicit rules (:func:`choose_predicate`).

>>> choose_predicate(0.9, same_text=False, depth_subject=3, depth_object=1)
'skos:broadMatch'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from lermap.analysis import semantic_match
from lermap.analysis.kg import Graph, number
from lermap.analysis.lexical import LEXICAL, match_labels, normalise
from lermap.ingest.sssom.mapping import BROAD, CLOSE, EXACT, NARROW, RELATED, Mapping


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
    return [replace(m, confidence=round(float(c), 4), comment=(m.comment or "") + "; confidence calibrated on known mappings")
            for m, c in zip(suggestions, calibrated, strict=True)]


def scheme_concepts(kg: Graph, scheme: str) -> list[Concept]:
    """Every label of every concept in ``scheme`` (preferred and alternative) with hierarchy depth."""
    return [Concept(str(r["concept"]), str(r["label"]), bool(r["preferred"]), int(number(r["depth"]) or 0), scheme)
            for r in kg.rows("scheme-labels", {"scheme": scheme})]
