"""Skills from text: the competencies a job posting, course description or CV mentions.

Lexical matching against every competency label in the graph: the text is split into word tokens,
and every run of up to ``max_len`` tokens is looked up in an index of normalised labels (plural
``s`` folded), longest match first, without overlaps. A preferred label scores 0.95, an alternative
label 0.85; one-word labels must be an acronym (``SQL``) or at least 4 letters and not a stop word, and a
one-word label written in capitals matches only capitals (the product ``TANKS`` is not the word "tanks").

>>> ex = Extractor([("http://ex.org/py", "Python programming", True, "http://ex.org/fw")])
>>> [(m.competency, m.span) for m in ex.extract("We need Python programming skills.")]
[('http://ex.org/py', (8, 26))]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lermap.analysis.kg import Graph
from lermap.analysis.lexical import normalise

_WORD = re.compile(r"\w+(?:[+#]+|\.\w+)*", re.UNICODE)
_STOP = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is", "it", "its", "of", "on", "or", "that", "the", "to", "was", "were", "will", "with", "you", "your", "we", "our", "they", "this", "work", "working", "use", "using", "able", "ability", "skills", "skill", "knowledge", "team", "teams"]
)


def _fold(token: str) -> str:
    return token[:-1] if len(token) > 4 and token.endswith("s") and not token.endswith("ss") else token


def _shouted(label: str) -> bool:
    return label.strip().isupper() and len(label.strip()) >= 2


def _key(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(_fold(w) for w in words)


def competency_labels(kg: Graph) -> list[tuple[str, str, bool, str | None]]:
    """Every competency label in the graph: (competency, label, preferred?, framework or None)."""
    return [(str(r["competency"]), str(r["label"]), bool(r["preferred"]), None if r["scheme"] is None else str(r["scheme"]))
            for r in kg.rows("competency-labels")]


@dataclass(frozen=True)
class SkillMention:
    competency: str
    label: str
    framework: str | None
    confidence: float
    span: tuple[int, int]
    text: str


class Extractor:
    """An index of competency labels; build once, extract from many texts."""

    def __init__(self, labels: Iterable[tuple[str, str, bool, str | None]], max_len: int = 8) -> None:
        self.max_len = max_len
        self.index: dict[tuple[str, ...], list[tuple[str, str, bool, str | None]]] = {}
        for competency, label, preferred, framework in labels:
            words = normalise(label).split()
            if not words or len(words) > max_len:
                continue
            acronym = _shouted(label)
            if len(words) == 1 and not acronym and (len(words[0]) < 4 or words[0] in _STOP):
                continue
            self.index.setdefault(_key(words), []).append((competency, label, preferred, framework))

    @classmethod
    def from_graph(cls, kg: Graph) -> Extractor:
        return cls(competency_labels(kg))

    def extract(self, text: str, min_confidence: float = 0.0) -> list[SkillMention]:
        tokens = [(m.start(), m.end(), _fold(normalise(m.group(0)))) for m in _WORD.finditer(text)]
        tokens = [t for t in tokens if t[2]]
        out: list[SkillMention] = []
        i = 0
        while i < len(tokens):
            for n in range(min(self.max_len, len(tokens) - i), 0, -1):
                key = tuple(" ".join(t[2] for t in tokens[i : i + n]).split())
                hits = self.index.get(key)
                if hits:
                    start, end = tokens[i][0], tokens[i + n - 1][1]
                    if n == 1 and not text[start:end].isupper():
                        hits = [h for h in hits if not _shouted(h[1])]
                    if not hits:
                        continue
                    seen = set()
                    for competency, label, preferred, framework in hits:
                        if competency in seen:
                            continue
                        seen.add(competency)
                        conf = 0.95 if preferred else 0.85
                        if conf >= min_confidence:
                            out.append(SkillMention(competency, label, framework, conf, (start, end), text[start:end]))
                    i += n
                    break
            else:
                i += 1
        return out


def extract(kg: Graph, text: str, min_confidence: float = 0.0) -> list[SkillMention]:
    """The competencies ``text`` mentions, matched against every framework in the graph."""
    return Extractor.from_graph(kg).extract(text, min_confidence)
