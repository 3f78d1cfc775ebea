"""The ranker: a conditional logit over each source occupation's candidates, with weights learnt on human-checked pairs.

Candidates are the ``K`` best targets by a fixed, untrained first stage (z-scored label vote + document + best label,
plus 1.5 for a chain), which keeps the gold target for 99 % of the dev pairs. A candidate's score is ``w · x`` over the
method's features; the softmax over the candidates is its probability, and an isotonic map fitted on out-of-fold
predictions turns that probability into the calibrated ``confidence`` (estimated precision). :func:`fit` learns
``w``: maximise Σ log softmax(x·w)[gold] − λ|w|² on standardised features (L-BFGS), λ = 10 chosen by cross-validation.

The shipped weights (``weights.json``, next to this module) are re-derived by ``bench/train_occupation_align.py`` from the
Nesta ESCO → O*NET dev set; the file records the date, the data and the out-of-fold numbers.

>>> x = np.array([[[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]]]); w = fit(x, np.array([0, 1]))
>>> bool(w[0] > 0 > w[1])
True
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np

from lermap.analysis.occupation_align.features import Features

DEFAULT = ("c_vote", "c_pref_max", "w_all_max", "doc", "gap_doc", "gap_c_vote", "chain", "chain_broad", "chain_share", "residual")
COMBINED = (*DEFAULT, "s_full", "gap_s_full")
FAMILY = {"c_vote": "labels", "c_pref_max": "labels", "w_all_max": "labels", "gap_c_vote": "labels", "doc": "descriptions",
          "gap_doc": "descriptions", "chain": "crosswalk", "chain_broad": "crosswalk", "chain_share": "crosswalk",
          "residual": "prior", "s_full": "embedding", "gap_s_full": "embedding"}
LAMBDA = 10.0
K = 100


@dataclass
class Model:
    """One method's weights on the raw features and its calibration map (top-k probability -> precision)."""

    features: tuple[str, ...]
    weights: np.ndarray
    calibration_x: list[float] = field(default_factory=lambda: [0.0, 1.0])
    calibration_y: list[float] = field(default_factory=lambda: [0.0, 1.0])
    meta: dict[str, Any] = field(default_factory=dict)

    def confidence(self, probability: np.ndarray) -> np.ndarray:
        """The calibrated confidence of candidates with these probabilities: non-decreasing, in [0, 1]."""
        y = np.maximum.accumulate(np.clip(np.asarray(self.calibration_y, dtype=np.float64), 0.0, 1.0))
        return np.asarray(np.interp(probability, self.calibration_x, y))

    def to_json(self) -> dict[str, Any]:
        return {"features": list(self.features), "weights": [round(float(w), 6) for w in self.weights],
                "calibration": {"probability": self.calibration_x, "precision": self.calibration_y}, **self.meta}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Model:
        cal = data.get("calibration", {})
        meta = {k: v for k, v in data.items() if k not in {"features", "weights", "calibration"}}
        return cls(tuple(data["features"]), np.asarray(data["weights"], dtype=np.float64),
                   list(cal.get("probability", [0.0, 1.0])), list(cal.get("precision", [0.0, 1.0])), meta)


def shipped() -> dict[str, Model]:
    """The shipped models by method (``lexical``, ``combined``)."""
    data = json.loads((resources.files("lermap.analysis.occupation_align") / "weights.json").read_text("utf-8"))
    return {method: Model.from_json(m) for method, m in data["methods"].items()}


def candidates(f: Features, k: int = K) -> np.ndarray:
    """The ``k`` candidate columns of each source row by the untrained first stage, best first."""
    def z(m: np.ndarray) -> np.ndarray:
        return np.asarray((m - m.mean()) / (m.std() + 1e-9))

    s0 = z(f["c_vote"]) + z(f["doc"]) + z(f["c_all_max"]) + 1.5 * f["chain"]
    k = min(k, s0.shape[1])
    part = np.argpartition(-s0, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(s0, part, 1), axis=1, kind="stable")
    return np.asarray(np.take_along_axis(part, order, 1))


def stack(f: Features, names: tuple[str, ...], rows: np.ndarray, cand: np.ndarray) -> np.ndarray:
    """(rows, candidates, features) for the given source rows and their candidate columns."""
    return np.stack([np.take_along_axis(f[n][rows], cand, 1) for n in names], axis=-1).astype(np.float64)


def softmax(scores: np.ndarray) -> np.ndarray:
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)  # type: ignore[no-any-return]


def fit(x: np.ndarray, gold: np.ndarray, lam: float = LAMBDA) -> np.ndarray:
    """Weights (on the raw features) of the conditional logit; ``x`` (queries, candidates, features), ``gold`` the
    index of the right candidate of each query."""
    from scipy.optimize import minimize
    from scipy.special import logsumexp

    k = x.shape[-1]
    mu, sd = x.reshape(-1, k).mean(0), x.reshape(-1, k).std(0) + 1e-9
    z = (x - mu) / sd
    zg = z[np.arange(len(gold)), gold]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = z @ w
        lse = logsumexp(s, axis=1)
        p = np.exp(s - lse[:, None])
        return float(-(zg @ w - lse).sum() + lam * w @ w), -(zg - np.einsum("qc,qck->qk", p, z)).sum(0) + 2 * lam * w

    return np.asarray(minimize(loss, np.zeros(k), jac=True, method="L-BFGS-B").x / sd)


def isotonic(probability: np.ndarray, correct: np.ndarray, points: int = 21) -> tuple[list[float], list[float]]:
    """A monotone map probability -> precision (isotonic regression), as ``points`` knots for :meth:`Model.confidence`."""
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(probability, correct.astype(np.float64))
    xs = np.linspace(0.0, 1.0, points)
    return [round(float(v), 4) for v in xs], [round(float(v), 4) for v in iso.predict(xs)]
