"""The Nesta ESCO → O*NET dev set, scored strictly and normalised, for the occupation aligner's bench and training.

The dev set (``../shared/conformance/crosswalks/nesta-esco-onet-crosswalk-dev.csv``, 522 human-checked pairs, MIT) gives
O*NET-SOC **2010** codes; O*NET 29.2, the target in the graph, uses the 2019 taxonomy and no longer has 19 % of them
(15-1132.00 "Software Developers, Applications" became 15-1252.00). Two scorings:

* **strict** — the prediction is the gold code itself (what comparing codes shows; ceiling 0.81 on dev);
* **normalised (research bridge)** — the prediction is one of the gold code's 2019 successors, from the bridge of the
  issue-19 research built from local files only (:class:`Bridge`): same code; else the 2019 occupation with the same
  description; else the same title; else the closest title + description by TF-IDF (+0.25 same SOC detailed code, +0.25
  same major group). A new 2019 occupation whose text is close (≥ 0.5) to a 2010 one counts as its successor too. It
  is a heuristic stand-in for the official O*NET 2010 → 2019 crosswalk, which is not in the conformance folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CONFORMANCE = ROOT.parent / "shared" / "conformance"
DEV_CSV = CONFORMANCE / "crosswalks" / "nesta-esco-onet-crosswalk-dev.csv"
ONET_2010 = CONFORMANCE / "onet" / "v28-ish-txt" / "Occupation Data.2018.txt"  # the O*NET-SOC 2010 taxonomy (1,110)
STORE = ROOT / ".lermap" / "bench-occupation-align" / "store"
ESCO_OCCUPATIONS = "http://data.europa.eu/esco/concept-scheme/occupations"


def available() -> bool:
    return DEV_CSV.is_file() and ONET_2010.is_file()


def default_graph(store: str | None = None) -> Any:
    """The default graph (``lermap build`` of data/), built once into ``.lermap/bench-occupation-align``."""
    import lermap

    if store:
        return lermap.open_graph(store)
    kg = lermap.open_graph(f"oxigraph:{STORE}")
    if not kg.sources():
        kg.build(ROOT / "data")
    return kg


class Bridge:
    """O*NET-SOC 2010 -> 2019 successors from the 2010 Occupation Data file and the 2019 occupations in the graph."""

    def __init__(self, codes19: list[str], titles19: list[str], descs19: list[str]) -> None:
        import pandas as pd

        o10 = pd.read_csv(ONET_2010, sep="\t", dtype=str)
        o10.columns = ["code", "title", "desc"]
        o19 = pd.DataFrame({"code": codes19, "title": titles19, "desc": descs19})
        self.successor = self._link(o10, o19, 0.0)
        predecessor = self._link(o19, o10, 0.5)
        self.gold_sets: dict[str, set[str]] = {}
        for c10, c19 in self.successor.items():
            self.gold_sets.setdefault(c10, set()).add(c19)
        for c19, c10 in predecessor.items():
            if c19 not in self.successor:
                self.gold_sets.setdefault(c10, set()).add(c19)

    @staticmethod
    def _link(src: Any, dst: Any, min_sim: float) -> dict[str, str]:
        import pandas as pd
        from sklearn.feature_extraction.text import TfidfVectorizer

        codes = set(dst.code)
        by_desc = dict(zip(dst.desc, dst.code, strict=True))
        by_title = {t.lower(): c for c, t in zip(dst.code, dst.title, strict=True)}
        tv = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit(pd.concat([src.title, dst.title]))
        dv = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit(pd.concat([src.desc, dst.desc]))
        sim = (tv.transform(src.title) @ tv.transform(dst.title).T).toarray() + (dv.transform(src.desc) @ dv.transform(dst.desc).T).toarray()
        dcode = dst.code.to_numpy().astype(str)
        out = {}
        for i, (c, t, d) in enumerate(zip(src.code, src.title, src.desc, strict=True)):
            if c in codes:
                out[c] = c
            elif d in by_desc:
                out[c] = by_desc[d]
            elif t.lower() in by_title:
                out[c] = by_title[t.lower()]
            else:
                row = sim[i] + 0.25 * np.char.startswith(dcode, c[:7]) + 0.25 * np.char.startswith(dcode, c[:2])
                j = int(np.argmax(row))
                if sim[i, j] >= min_sim:
                    out[c] = str(dcode[j])
        return out


@dataclass
class Dev:
    rows: np.ndarray  # source row of each dev pair
    strict: np.ndarray  # target column of the gold code, -1 when O*NET 29.2 no longer has it
    ok: np.ndarray  # (pairs, targets) bool: the gold code's 2019 successors (normalised scoring)
    train: np.ndarray  # the main successor's column: the training target
    conf: np.ndarray  # Nesta's confidence: 2, 1 or 0.5

    @classmethod
    def load(cls, source: Any, target: Any) -> Dev:
        """The dev pairs against a computed pair of sides (``source`` ESCO occupations, ``target`` O*NET-SOC)."""
        import pandas as pd

        d = pd.read_csv(DEV_CSV, dtype={"onet_code": str})
        pos = {u: i for i, u in enumerate(source.iris)}
        col = {c: j for j, c in enumerate(target.codes)}
        bridge = Bridge([c or "" for c in target.codes], target.pref, target.text)
        keep = np.array([u in pos for u in d.concept_uri])
        d = d[keep]
        ok = np.zeros((len(d), len(target.codes)), dtype=bool)
        for i, c in enumerate(d.onet_code):
            for c19 in bridge.gold_sets.get(c, set()):
                ok[i, col[c19]] = True
        return cls(np.array([pos[u] for u in d.concept_uri]), np.array([col.get(c, -1) for c in d.onet_code]), ok,
                   np.array([col[bridge.successor[c]] for c in d.onet_code]), d.confidence.to_numpy(dtype=float))

    def subset(self, mask: np.ndarray) -> Dev:
        return Dev(self.rows[mask], self.strict[mask], self.ok[mask], self.train[mask], self.conf[mask])


def metrics(ranked: np.ndarray, dev: Dev) -> dict[str, float]:
    """P@1 and MRR@5, strict and normalised, of ranked target columns (one row per dev pair, best first)."""
    top5 = ranked[:, :5]
    hit_n = np.take_along_axis(dev.ok, top5, 1)
    hit_s = top5 == dev.strict[:, None]
    rr = 1.0 / np.arange(1, top5.shape[1] + 1)
    return {"P@1 strict": float(hit_s[:, 0].mean()), "MRR@5 strict": float((hit_s * rr).max(1).mean()),
            "P@1 norm": float(hit_n[:, 0].mean()), "MRR@5 norm": float((hit_n * rr).max(1).mean()), "n": float(len(dev.rows))}


def by_confidence(ranked: np.ndarray, dev: Dev) -> dict[str, dict[str, float]]:
    out = {"all": metrics(ranked, dev)}
    for c in (2.0, 1.0, 0.5):
        m = dev.conf == c
        if m.any():
            out[f"conf {c:g}"] = metrics(ranked[m], dev.subset(m))
    return out


def ranked_from_scores(scores: np.ndarray, k: int = 5) -> np.ndarray:
    """The ``k`` best columns of each row of a dense score matrix."""
    return np.argsort(-scores, axis=1, kind="stable")[:, :k]


def cross_validate(features: dict[str, np.ndarray], names: tuple[str, ...], cand: np.ndarray, dev: Dev, reps: int = 5,
                   folds: int = 5) -> list[tuple[np.ndarray, np.ndarray]]:
    """Repeated k-fold CV over the dev pairs: per repetition, out-of-fold (ranked columns, their probabilities)."""
    from lermap.analysis.occupation_align.ranker import fit, softmax, stack

    c = cand[dev.rows]
    x = stack(features, names, dev.rows, c)
    hit = c == dev.train[:, None]
    target, has = hit.argmax(1), hit.any(1)
    out = []
    for r in range(reps):
        fold = np.random.default_rng(r).permutation(len(dev.rows)) % folds
        ranked = np.zeros_like(c)
        prob = np.zeros(c.shape)
        for k in range(folds):
            tr, te = (fold != k) & has, np.flatnonzero(fold == k)
            s = x[te] @ fit(x[tr], target[tr])
            order = np.argsort(-s, axis=1, kind="stable")
            ranked[te] = np.take_along_axis(c[te], order, 1)
            prob[te] = np.take_along_axis(softmax(s), order, 1)
        out.append((ranked, prob))
    return out


def mean_metrics(runs: list[tuple[np.ndarray, np.ndarray]], dev: Dev) -> dict[str, dict[str, float]]:
    per = [by_confidence(ranked, dev) for ranked, _ in runs]
    return {group: {k: float(np.mean([p[group][k] for p in per])) for k in per[0][group]} for group in per[0]}


def reliability(runs: list[tuple[np.ndarray, np.ndarray]], dev: Dev, confidence: Any = None) -> list[list[Any]]:
    """Top-1 out-of-fold probability (or calibrated confidence) by bins of 0.2 vs how often it is right (normalised)."""
    p = np.concatenate([prob[:, 0] for _, prob in runs])
    hit = np.concatenate([dev.ok[np.arange(len(dev.rows)), ranked[:, 0]] for ranked, _ in runs])
    if confidence is not None:
        p = confidence(p)
    bins = np.minimum((p * 5).astype(int), 4)
    return [[f"{b / 5:.1f}–{(b + 1) / 5:.1f}", round(float((bins == b).mean()), 3),
             round(float(hit[bins == b].mean()), 3) if (bins == b).any() else "—",
             round(float(p[bins == b].mean()), 3) if (bins == b).any() else "—"] for b in range(5)]
