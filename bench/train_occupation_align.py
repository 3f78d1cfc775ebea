"""Re-derive the occupation aligner's shipped weights (``lermap/analysis/occupation_align/weights.json``) from the dev set.

    python -m bench.train_occupation_align [--store oxigraph:PATH] [--combined] [--reps 5] [--write]

Reads ESCO occupations and O*NET-SOC occupations from the default graph (built from data/ into .lermap/ when no store
is given), computes the features with lermap's own code, runs repeated 5-fold cross-validation over the Nesta dev
pairs and prints the out-of-fold numbers (P@1 and MRR@5, strict and normalised, by Nesta confidence) and the
reliability of the top-1 probability. Then it fits each method on all dev pairs, fits the isotonic calibration map on
the pooled out-of-fold top-5 candidates (probability -> right, normalised scoring), and with ``--write`` replaces the
shipped file. Nothing but the dev set is used.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import occupation_dev as od  # noqa: E402
from lermap.analysis.occupation_align.align import compute_schemes  # noqa: E402
from lermap.analysis.occupation_align.ranker import COMBINED, DEFAULT, LAMBDA, K, Model, fit, isotonic, stack  # noqa: E402
from lermap.ingest.identifiers import ONET_SOC_SCHEME  # noqa: E402

WEIGHTS = ROOT / "lermap" / "analysis" / "occupation_align" / "weights.json"


def train(computed: Any, dev: od.Dev, names: tuple[str, ...], reps: int) -> tuple[Model, dict[str, Any]]:
    runs = od.cross_validate(computed.features, names, computed.cand, dev, reps=reps)
    oof = od.mean_metrics(runs, dev)
    ranked, prob = runs[0]
    top = min(5, ranked.shape[1])
    correct = np.take_along_axis(dev.ok, ranked[:, :top], 1)
    cal_x, cal_y = isotonic(prob[:, :top].ravel(), correct.ravel())
    c = computed.cand[dev.rows]
    x = stack(computed.features, names, dev.rows, c)
    hit = c == dev.train[:, None]
    w = fit(x[hit.any(1)], hit.argmax(1)[hit.any(1)])
    meta = {"trained": date.today().isoformat(), "dev_set": "nesta-esco-onet-crosswalk-dev.csv", "pairs": int(len(dev.rows)),
            "lambda": LAMBDA, "candidates": K, "out_of_fold": {g: {k: round(v, 4) for k, v in m.items()} for g, m in oof.items()},
            "cv": f"5-fold, {reps} repetitions; normalised = research bridge (bench/occupation_dev.py)"}
    model = Model(names, w, cal_x, cal_y, meta)
    meta["reliability_top1"] = od.reliability(runs, dev, model.confidence)
    return model, oof


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", help="store selector of a graph holding ESCO, O*NET and the BLS crosswalks")
    ap.add_argument("--combined", action="store_true", help="also train the combined method (needs the semantic extra)")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--write", action="store_true", help=f"replace {WEIGHTS.relative_to(ROOT)}")
    args = ap.parse_args(argv)
    if not od.available():
        sys.exit(f"the dev set is not there: {od.DEV_CSV}")
    methods = {"lexical": DEFAULT, **({"combined": COMBINED} if args.combined else {})}
    out: dict[str, Any] = json.loads(WEIGHTS.read_text()) if WEIGHTS.is_file() else {"methods": {}}
    with od.default_graph(args.store) as kg:
        for method, names in methods.items():
            computed = compute_schemes(kg, od.ESCO_OCCUPATIONS, ONET_SOC_SCHEME.value, method)
            dev = od.Dev.load(computed.source, computed.target)
            model, oof = train(computed, dev, names, args.reps)
            print(f"\n## {method} ({len(dev.rows)} dev pairs, out-of-fold, {args.reps}x 5-fold)\n")
            for group, m in oof.items():
                print(f"- {group}: P@1 strict {m['P@1 strict']:.3f}, MRR@5 strict {m['MRR@5 strict']:.3f}, "
                      f"P@1 normalised {m['P@1 norm']:.3f}, MRR@5 normalised {m['MRR@5 norm']:.3f} (n={m['n']:.0f})")
            print("\nreliability of the top-1 (calibrated confidence bin, share, precision normalised, mean confidence):")
            for row in model.meta["reliability_top1"]:
                print("  ", row)
            print("weights:", dict(zip(names, np.round(model.weights, 3).tolist(), strict=True)))
            out["methods"][method] = model.to_json()
    if args.write:
        WEIGHTS.write_text(json.dumps(out, indent=1) + "\n")
        print(f"\nwrote {WEIGHTS}")


if __name__ == "__main__":
    main()
