"""Lexical matching of labels: normalised text and character n-gram TF-IDF cosine, sparse top-k.

The shared lexical layer of alignment suggestions (:mod:`lermap.analysis.matching`), skills from text
(:mod:`lermap.analysis.extract`), semantic / combined matching and occupation matching.

>>> normalise("  Programación — Python!")
'programacion python'
>>> pairs = match_labels(["Python programming"], ["programming in Python", "welding"], top_k=1)
>>> pairs[0][:2], pairs[0][2] > 0.5
((0, 0), True)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np

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
