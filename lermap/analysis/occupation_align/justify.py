"""Why a candidate got its place: each evidence family's share of its score, whether the group crosswalk put it there
(chaining), and the plain-words comment and ``semapv:`` justification of its mapping.

>>> names = ("c_vote", "chain"); w = np.array([1.0, 2.0])
>>> x = np.array([[0.2, 1.0], [0.9, 0.0], [0.1, 0.0]])   # candidates best first: the chain lifts the first one
>>> e = explain(x, w, names, 0)
>>> e.chained, e.justification, e.rival
(True, 'semapv:MappingChaining', 1)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lermap.analysis.occupation_align.ranker import FAMILY

CHAINING = "semapv:MappingChaining"
LEXICAL = "semapv:LexicalMatching"
SEMANTIC = "semapv:SemanticSimilarityThresholdMatching"
_WORDS = {"labels": "labels", "descriptions": "descriptions and tasks", "crosswalk": "group crosswalk", "prior": "residual-category prior",
          "embedding": "sentence embeddings"}


@dataclass
class Explanation:
    shares: dict[str, float]  # family -> w·(x - mean candidate), largest first
    margin: dict[str, float]  # family -> w·(x - x_rival), largest first
    rival: int  # the candidate compared against: the runner-up for the top one, else the top one
    chained: bool  # the group crosswalk changed this candidate's place
    without_crosswalk_top: int  # the candidate labels and descriptions alone put first
    justification: str


def _by_family(contrib: np.ndarray, names: tuple[str, ...]) -> dict[str, float]:
    out: dict[str, float] = {}
    for name, c in zip(names, contrib, strict=True):
        fam = FAMILY.get(name, name)
        out[fam] = out.get(fam, 0.0) + float(c)
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def explain(x: np.ndarray, w: np.ndarray, names: tuple[str, ...], rank: int) -> Explanation:
    """``x``: (candidates, features) of one source occupation, best first; ``rank``: the candidate to explain."""
    crosswalk = np.array([FAMILY.get(n) == "crosswalk" for n in names])
    rival = 1 if rank == 0 and len(x) > 1 else 0
    shares = _by_family((x[rank] - x.mean(0)) * w, names)
    margin = _by_family((x[rank] - x[rival]) * w, names) if rival != rank else {}
    without = x[:, ~crosswalk] @ w[~crosswalk]
    rank_without = int((without > without[rank]).sum())
    in_chain = bool(crosswalk.any() and (x[rank, crosswalk] > 0).any())
    chained = in_chain and rank_without > rank
    if chained:
        justification = CHAINING
    else:
        decisive = next((f for f in shares if f != "crosswalk"), "labels")
        justification = SEMANTIC if decisive == "embedding" else LEXICAL
    return Explanation(shares, margin, rival, chained, int(np.argmax(without)), justification)


def _listing(parts: dict[str, float]) -> str:
    return ", ".join(f"{_WORDS.get(k, k)} {v:+.2f}" for k, v in parts.items() if abs(v) >= 0.05) or "no clear difference"


def comment(e: Explanation, probability: float, chain_path: str | None, rival_label: str | None, without_label: str | None) -> str:
    """The mapping's ``comment``: which evidence decided, in plain words."""
    out = []
    if e.chained:
        alone = f"; labels and descriptions alone preferred {without_label!r}" if without_label else ""
        out.append(f"chosen through the group crosswalk {chain_path or ''}".rstrip() + alone)
    elif chain_path:
        out.append(f"also allowed by the group crosswalk {chain_path}")
    else:
        out.append("not on a group crosswalk chain: decided by " + _WORDS.get(next(iter(e.shares), "labels"), "labels"))
    out.append(f"evidence against the average candidate: {_listing(e.shares)}")
    if e.margin and rival_label:
        out.append(f"margin over the runner-up {rival_label!r}: {_listing(e.margin)}")
    elif rival_label:
        out.append(f"behind {rival_label!r}")
    out.append(f"ranker probability {probability:.2f}")
    return "; ".join(out)
