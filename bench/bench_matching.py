"""Matching, evaluated on real gold data and timed against a plain scikit-learn baseline in the same run.

1. **Job titles -> occupations** (protocol fixed): 5,000 distinct alternative labels drawn with seed 2026 are
   removed (compared normalised, from every occupation carrying them) and become unseen queries; a hit is a
   top answer that is any occupation carrying the label. Precision@1 and MRR@10, for O*NET alternate titles ->
   O*NET-SOC occupations and ESCO alternative labels -> ESCO occupations, everything read from a lermap graph
   built from the conformance folders with lermap's own ingesters (profiles cached under .lermap/bench-matching).
   The learnt blend is fitted on a development sample (seed 7, 2,500 labels) and tuned against another
   (seed 8, 2,000 labels), both drawn after the test labels were removed, so they never overlap it.
   Baselines: char n-gram TF-IDF over each occupation's title + remaining labels as one document, over titles
   alone, and all-MiniLM-L6-v2 over titles alone. With the semantic extra and ``--full``, the embedder is also
   fine-tuned on the label pairs of the training index (:mod:`lermap.analysis.tuning`; no dev, fit or test label
   among them).
2. **Skills from text**: lermap.analysis.extract on texts whose skills are known (see :func:`skills_from_text`).
3. **CTDL-ASN O*NET frameworks <-> O*NET content model**: recall of exact matches found by coded notation.
4. **Speed**: top-5 suggestions for 14k x 14k synthetic labels, lermap ``match_labels`` vs a plain
   TfidfVectorizer + sparse_dot_topn run written here.

``python bench/run.py matching`` (about 5 minutes with the semantic extra, which is optional).
"""

from __future__ import annotations

import json
import os
import pickle
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import full_sizes

ROOT = Path(__file__).resolve().parents[1]
CONFORMANCE = ROOT.parent / "shared" / "conformance"
CACHE = ROOT / ".lermap" / "bench-matching"
TEST_SEED, FIT_SEED, DEV_SEED = 2026, 7, 8
TEST_N, FIT_N, DEV_N = 5000, 2500, 2000
Ranked = list[list[tuple[str, float]]]
BUDGET_S = 720
ONET_CTDL_ASN = sorted((CONFORMANCE / "ctdl-asn").glob("ce-Competency-Frameworks_ONET_*_9-27-19.json"))


# -- data: the lermap graph built from the conformance folders -------------------------------------------------


def _graph() -> Any:
    import lermap

    CACHE.mkdir(parents=True, exist_ok=True)
    kg = lermap.open_graph(f"oxigraph:{CACHE / 'store'}")
    have = {Path(info.source).name for info in kg.sources()}
    for folder in (CONFORMANCE / "onet" / "v29.2-txt", CONFORMANCE / "esco" / "v1.2.0-csv", *ONET_CTDL_ASN):
        if folder.name not in have:
            kg.ingest(folder)
    return kg


def profiles(dataset: str) -> list[Any]:
    """The occupation profiles of one scheme, read through lermap (cached as a pickle)."""
    from lermap.analysis.occupations import read_profiles
    from lermap.ingest.esco.esco import OCCUPATIONS_SCHEME
    from lermap.ingest.identifiers import ONET_SOC_SCHEME

    path = CACHE / f"profiles-{dataset}.pickle"
    if path.exists():
        with path.open("rb") as fh:
            return list(pickle.load(fh))
    kg = _graph()
    scheme = {"onet": ONET_SOC_SCHEME.value, "esco": OCCUPATIONS_SCHEME.value}[dataset]
    found = read_profiles(kg, scheme)
    kg.close()
    with path.open("wb") as fh:
        pickle.dump(found, fh)
    return found


def embedder() -> Any:
    """The semantic extra's embedder with its vectors persisted under the cache (encoding is the slow part)."""
    from lermap.analysis import semantic

    if not semantic.available():
        return None
    emb = semantic.load_embedder()
    path = CACHE / f"embeddings-{emb.name}.pickle"
    if path.exists():
        with path.open("rb") as fh:
            emb._cache.update(pickle.load(fh))
    return emb


def save_embeddings(emb: Any) -> None:
    if emb is not None:
        CACHE.mkdir(parents=True, exist_ok=True)
        with (CACHE / f"embeddings-{emb.name}.pickle").open("wb") as fh:
            pickle.dump(emb._cache, fh)


# -- metrics and baselines -------------------------------------------------------------------------------------


def metrics(ranked: Ranked, gold: Sequence[set[str]]) -> tuple[float, float]:
    """(precision@1, MRR@10)."""
    p1 = mrr = 0.0
    for row, g in zip(ranked, gold, strict=True):
        for r, (iri, _) in enumerate(row[:10]):
            if iri in g:
                mrr += 1.0 / (r + 1)
                p1 += r == 0
                break
    return p1 / len(gold), mrr / len(gold)


def _rank_docs(queries: Sequence[str], doc_vectors: np.ndarray | Any, query_vectors: np.ndarray | Any, iris: list[str]) -> Ranked:
    sims = query_vectors @ doc_vectors.T
    sims = sims.toarray() if hasattr(sims, "toarray") else np.asarray(sims)
    top = np.argsort(-sims, axis=1)[:, :10]
    return [[(iris[j], float(sims[i, j])) for j in top[i]] for i in range(len(queries))]


def tfidf_baseline(profs: list[Any], queries: Sequence[str], with_labels: bool) -> Ranked:
    """Plain char n-gram TF-IDF, one document per occupation (title, plus its remaining labels if asked)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [" ; ".join([p.title, *p.labels]) if with_labels else p.title for p in profs]
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), lowercase=True, sublinear_tf=True)
    d = vec.fit_transform(docs)
    return _rank_docs(queries, d, vec.transform(queries), [p.iri for p in profs])


def minilm_titles(profs: list[Any], queries: Sequence[str], emb: Any) -> Ranked:
    return _rank_docs(queries, emb.encode([p.title for p in profs]), emb.encode(list(queries)), [p.iri for p in profs])


# -- 1. job titles -> occupations ------------------------------------------------------------------------------


def occupation_eval(dataset: str, emb: Any) -> list[tuple[str, str, float, float]]:
    """Rows (method, split, P@1, MRR@10) for one dataset."""
    from lermap.analysis.occupations import FEATURES_LEXICAL, FEATURES_SEMANTIC, OccupationMatcher, sample_labels, without_labels

    allp = profiles(dataset)
    test = sample_labels(allp, TEST_N, TEST_SEED)
    base = without_labels(allp, [q for q, _ in test])
    fit = sample_labels(base, FIT_N, FIT_SEED)
    dev = sample_labels(without_labels(base, [q for q, _ in fit]), DEV_N, DEV_SEED)
    train_p = without_labels(base, [q for q, _ in fit] + [q for q, _ in dev])
    rows: list[tuple[str, str, float, float]] = []
    splits = {"dev": dev, "test": test}

    def add(name: str, fn: Callable[[list[Any], list[str]], Ranked], idx: dict[str, list[Any]]) -> None:
        for split, sample in splits.items():
            t = time.perf_counter()
            ranked = fn(idx[split], [q for q, _ in sample])
            p1, mrr = metrics(ranked, [g for _, g in sample])
            rows.append((name, split, p1, mrr))
            print(f"  {dataset} {name:<44} {split:<4} P@1 {p1:.3f}  MRR@10 {mrr:.3f}  ({time.perf_counter() - t:.0f}s)", flush=True)

    # the index for dev queries lacks the dev labels (and the test ones); for test queries only the test labels
    dev_index = without_labels(base, [q for q, _ in dev])
    idx = {"dev": dev_index, "test": base}
    add("baseline char TF-IDF titles", lambda p, q: tfidf_baseline(p, q, False), idx)
    add("baseline char TF-IDF title+labels", lambda p, q: tfidf_baseline(p, q, True), idx)
    if emb is not None:
        add("baseline MiniLM titles", lambda p, q: minilm_titles(p, q, emb), idx)

    def trained(features: tuple[str, ...], use: Any) -> tuple[Any, Callable[[list[Any], list[str]], Ranked]]:
        trainer = OccupationMatcher(train_p, embedder=use)
        trainer.features = features
        trainer.fit([q for q, _ in fit], [g for _, g in fit])

        def run(p: list[Any], q: list[str]) -> Ranked:
            m = OccupationMatcher(p, embedder=use)
            m.features, m.model = features, trainer.model
            return m.rank(q)

        return trainer, run

    add("lermap lexical, default blend", lambda p, q: OccupationMatcher(p).rank(q), idx)
    _, run_lex = trained(FEATURES_LEXICAL, None)
    add("lermap lexical, learnt blend", run_lex, idx)
    if emb is not None:
        _, run_sem = trained(FEATURES_SEMANTIC, emb)
        add("lermap semantic only, learnt blend", run_sem, idx)
        _, run_all = trained(FEATURES_LEXICAL + FEATURES_SEMANTIC, emb)
        add("lermap combined, learnt blend", run_all, idx)
    if emb is not None and full_sizes():  # fine-tuning the embedder takes most of an hour on 2 CPUs the first time
        # the embedder fine-tuned on the label pairs of the training index only (no dev, fit or test label)
        tuned = tuned_model(dataset, train_p)
        add("baseline MiniLM titles, tuned embedder", lambda p, q: minilm_titles(p, q, tuned), idx)
        _, run_tuned = trained(FEATURES_LEXICAL + FEATURES_SEMANTIC, tuned)
        add("lermap combined, tuned embedder", run_tuned, idx)
    return rows


def tuned_model(dataset: str, train_profiles: list[Any]) -> Any:
    """all-MiniLM-L6-v2 fine-tuned on the training index's label pairs (cached under the bench cache)."""
    from lermap.analysis.tuning import occupation_pairs, tuned_embedder

    t = time.perf_counter()
    last = [0.0]

    def progress(done: int, total: int) -> None:
        if time.perf_counter() - last[0] > 60:
            last[0] = time.perf_counter()
            print(f"  {dataset} tuning the embedder: step {done}/{total}", flush=True)

    tuned = tuned_embedder(occupation_pairs(train_profiles), CACHE / "models", progress=progress)
    print(f"  {dataset} tuned embedder {tuned.name} ready in {time.perf_counter() - t:.0f}s", flush=True)
    return tuned


def main() -> dict[str, Any]:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    emb = embedder()
    print("\n## bench_matching: job titles -> occupations (P@1 / MRR@10; dev seed 8 tuned on, test seed 2026 held out)")
    if emb is None:
        print("  (semantic extra not installed: semantic rows skipped)")
    results = {}
    for dataset in ("onet", "esco"):
        results[dataset] = occupation_eval(dataset, emb)
        save_embeddings(emb)
    (CACHE / "occupations.json").write_text(json.dumps(results, indent=1))
    skills = skills_from_text(emb)
    recall = ctdl_asn_recall()
    timed = speed()
    ref = timed[0][1]
    notes = ["targets on the test split: lermap's best method P@1 >= 0.50 (O*NET) and >= 0.80 (ESCO)"
             + ("" if full_sizes() else "; the tuned-embedder rows come with `--full` (fine-tuning takes most of an hour)"),
             "dev split (seed 8) used for choices; test split (seed 2026, 5,000 labels) reported above, never tuned on"]
    notes += [f"skills from text, {name}: precision {p:.3f}, recall {r:.3f} ({nf:,} extracted, {ng:,} gold)" for name, p, r, nf, ng in skills]
    notes.append("CTDL-ASN O*NET frameworks -> O*NET content model: "
                 + ", ".join(f"{k} {v:.3f}" for k, v in recall.items() if isinstance(v, float)) + f" ({recall['gold']:,} gold)")
    notes += [f"14k x 14k top-5, {name}: {secs:.2f} s, {secs / ref:.2f}x the plain sklearn + sparse_dot_topn run" for name, secs, _ in timed[1:]]
    return {"title": "Matching: job titles -> occupations, skills from text, CTDL-ASN recall, speed", "columns": ["dataset", "method", "P@1", "MRR@10"],
            "rows": [[d, name, f"{p1:.3f}", f"{mrr:.3f}"] for d, found in results.items() for name, split, p1, mrr in found if split == "test"],
            "notes": notes}


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(ROOT))
    random.seed(0)
    main()


# -- 4. speed: top-5 suggestions, 14k x 14k labels -------------------------------------------------------------

_VERBS = ["apply", "analyse", "maintain", "operate", "design", "assess", "manage", "monitor", "install", "repair", "plan",
          "develop", "teach", "prepare", "inspect", "calibrate", "negotiate", "document", "test", "supervise"]
_NOUNS = ["safety procedures", "quality standards", "data", "software", "machinery", "customer accounts", "food hygiene",
          "energy systems", "water treatment", "financial records", "health records", "logistics", "textile production",
          "construction sites", "electrical wiring", "chemical processes", "marine engines", "crop irrigation", "legal documents",
          "digital content", "green technologies", "research projects", "transport schedules", "medical devices", "network security"]
_QUALIFIERS = ["", "", "", " in a team", " under supervision", " for clients", " in production", " according to regulations"]


def synthetic_labels(n: int, seed: int) -> list[str]:
    """``n`` ESCO-style skill labels, with repeated phrasing as in the real thing."""
    rng = random.Random(seed)
    return [f"{rng.choice(_VERBS)} {rng.choice(_NOUNS)}{rng.choice(_QUALIFIERS)} {rng.randrange(1000)}" for _ in range(n)]


def _plain_topk(left: list[str], right: list[str]) -> int:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sparse_dot_topn import sp_matmul_topn

    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4), sublinear_tf=True, dtype=np.float32).fit(left + right)
    product = sp_matmul_topn(vec.transform(left), vec.transform(right).T.tocsr(), top_n=5, threshold=0.3, sort=True)
    return int(product.nnz)


def _lermap_match(left: list[str], right: list[str]) -> int:
    from lermap.analysis.lexical import match_labels

    return len(match_labels(left, right, top_k=5, threshold=0.3))


def _lermap_suggest(left: list[str], right: list[str]) -> int:
    from lermap.analysis.matching import Concept, suggest

    a = [Concept(f"http://ex.org/a/{i}", t, scheme="http://ex.org/a") for i, t in enumerate(left)]
    b = [Concept(f"http://ex.org/b/{i}", t, scheme="http://ex.org/b") for i, t in enumerate(right)]
    return len(suggest(a, b, top_k=5, threshold=0.3))


def speed(n: int = 14_000, repeats: int = 2) -> list[tuple[str, float, int]]:
    """Best-of-``repeats`` seconds of each run on the same ``n`` x ``n`` labels."""
    left, right = synthetic_labels(n, 1), synthetic_labels(n, 2)
    out = []
    for name, fn in (("plain sklearn TF-IDF + sp_matmul_topn", _plain_topk), ("lermap match_labels", _lermap_match),
                     ("lermap suggest (Mapping records)", _lermap_suggest)):
        best, count = float("inf"), 0
        for _ in range(repeats):
            t = time.perf_counter()
            count = fn(left, right)
            best = min(best, time.perf_counter() - t)
        out.append((name, best, count))
    ref = out[0][1]
    print(f"\n## bench_matching: top-5 suggestions, {n:,} x {n:,} synthetic labels (best of {repeats}; target lermap <= 2x plain)")
    print("| run | seconds | pairs | ratio to plain |\n|---|---|---|---|")
    for name, secs, count in out:
        print(f"| {name} | {secs:.2f} | {count:,} | {secs / ref:.2f}x |")
    return out


# -- 3. CTDL-ASN O*NET frameworks <-> O*NET content model --------------------------------------------------------


def ctdl_asn_recall() -> dict[str, float]:
    """Gold: CTDL-ASN competency and content-model element with the same coded notation (O*NET Element ID).
    Measured: lermap's calibrated lexical suggestions (``kg.suggest_alignments``, top 5) from each framework."""
    from lermap.ingest.onet.onet import CONTENT_MODEL

    kg = _graph()
    frameworks = kg.sparql("SELECT DISTINCT ?s WHERE { ?s a <https://purl.org/ctdlasn/terms/CompetencyFramework> "
                           "FILTER(STRSTARTS(STR(?s), 'https://www.onetcenter.org/')) }")["s"].tolist()
    gold: set[tuple[str, str]] = set()
    top1: set[tuple[str, str]] = set()
    top5: set[tuple[str, str]] = set()
    exact: set[tuple[str, str]] = set()
    for fw in frameworks:
        pairs = kg.run_query("notation-pairs", {"a": fw, "b": CONTENT_MODEL.value})
        gold |= set(zip(pairs["left"], pairs["right"], strict=True))
        found = kg.suggest_alignments(fw, CONTENT_MODEL.value, top_k=5).mappings
        best: dict[str, tuple[float, str]] = {}
        for m in found:
            top5.add((m.subject_id, m.object_id))
            if m.predicate_id in {"skos:exactMatch", "skos:closeMatch"}:
                exact.add((m.subject_id, m.object_id))
            if m.subject_id not in best or (m.confidence or 0) > best[m.subject_id][0]:
                best[m.subject_id] = (m.confidence or 0.0, m.object_id)
        top1 |= {(s, o) for s, (_, o) in best.items()}
    kg.close()
    out = {"frameworks": len(frameworks), "gold": len(gold), "recall@1": len(gold & top1) / max(1, len(gold)),
           "recall@5": len(gold & top5) / max(1, len(gold)), "recall exact/close": len(gold & exact) / max(1, len(gold)),
           "precision exact/close": len(gold & exact) / max(1, len(exact))}
    print(f"\n## bench_matching: CTDL-ASN O*NET frameworks -> O*NET content model ({out['frameworks']} frameworks, "
          f"{out['gold']} exact matches by coded notation)")
    print(" | ".join(f"{k} {v:.3f}" for k, v in out.items() if isinstance(v, float)))
    return out


# -- 2. skills from text -----------------------------------------------------------------------------------------


def _prf(found: list[set[str]], gold: list[set[str]]) -> tuple[float, float, int, int]:
    tp = sum(len(f & g) for f, g in zip(found, gold, strict=True))
    n_found, n_gold = sum(len(f) for f in found), sum(len(g) for g in gold)
    return tp / max(1, n_found), tp / max(1, n_gold), n_found, n_gold


SKILLS_SAMPLE, SKILLS_SEED, IMPORTANT = 100, 2026, 3.5


def _rated_elements(important: float) -> tuple[set[str], dict[str, set[str]]]:
    """O*NET's analyst ratings (Skills.xlsx, Knowledge.xlsx): the rated element names, and per O*NET-SOC code the
    normalised names of the elements whose importance is at least ``important`` (1-5 scale)."""
    import pandas as pd

    from lermap.analysis.lexical import normalise

    names: set[str] = set()
    gold: dict[str, set[str]] = {}
    for name in ("Skills", "Knowledge"):
        df = pd.read_excel(CONFORMANCE / "onet" / "v29.2-xlsx" / f"{name}.xlsx", engine="openpyxl")
        im = df[df["Scale ID"] == "IM"]
        names |= set(im["Element Name"])
        for code, element in im[im["Data Value"] >= important][["O*NET-SOC Code", "Element Name"]].itertuples(index=False):
            gold.setdefault(code, set()).add(normalise(element))
    return names, gold


def skills_from_text(emb: Any = None) -> list[tuple[str, float, float, int, int]]:
    """Precision/recall of lermap's skills-from-text (names compared normalised), lexical, semantic and combined.

    Texts: the description and task statements of 100 O*NET occupations (seed 2026). Two gold sets, each scored
    against the vocabulary it rates (mentions of other frameworks cannot be judged by it):

    * the occupation's Skills and Knowledge elements rated important (importance >= 3.5 of 5 in O*NET's
      Skills.xlsx and Knowledge.xlsx, by O*NET analysts), extracted against those 68 element names;
    * the occupation's technology skills (Technology Skills.txt), extracted against the O*NET Technology Skills
      framework in the graph.

    The gold is what the occupation requires, of which the text names only a part, so recall is bounded well below 1.
    Not used: ESCO occupation descriptions (occupationSkillRelations is not in the conformance folder) and the
    RSD statements (one of the 70 has an alignment; their keyword lists are shared across statements).
    """
    from lermap.analysis.extract import Extractor, competency_labels
    from lermap.analysis.lexical import normalise
    from lermap.analysis.semantic_match import SemanticExtractor, combine_mentions
    from lermap.ingest.onet.onet import CONTENT_MODEL, TECHNOLOGY_FRAMEWORK

    kg = _graph()
    rows = competency_labels(kg)
    kg.close()
    rated, important = _rated_elements(IMPORTANT)
    rated_keys = {normalise(n) for n in rated}
    vocabularies = {
        "important Skills+Knowledge elements": [r for r in rows if normalise(r[1]) in rated_keys and r[3] == CONTENT_MODEL.value],
        "technology skills": [r for r in rows if r[3] == TECHNOLOGY_FRAMEWORK.value],
    }
    onet = [p for p in profiles("onet") if p.code in important]
    sample = [onet[i] for i in sorted(random.Random(SKILLS_SEED).sample(range(len(onet)), min(SKILLS_SAMPLE, len(onet))))]
    tech_keys = {normalise(r[1]) for r in vocabularies["technology skills"]}
    golds = {"important Skills+Knowledge elements": [important[p.code] for p in sample],
             "technology skills": [{normalise(s) for s in p.skills} & tech_keys for p in sample]}
    out = []
    print(f"\n## bench_matching: skills from text ({len(sample)} O*NET occupations, description + tasks, seed {SKILLS_SEED})")
    print("| gold | method | precision | recall | extracted | gold |\n|---|---|---|---|---|---|")
    for gold_name, vocab in vocabularies.items():
        lexical = Extractor(vocab)
        found_lex = [lexical.extract(p.text) for p in sample]
        runs = {"lexical": found_lex}
        if emb is not None:
            semantic = SemanticExtractor(vocab, emb)
            found_sem = [semantic.extract(p.text) for p in sample]
            runs["semantic"] = found_sem
            runs["combined"] = [combine_mentions(a, b) for a, b in zip(found_lex, found_sem, strict=True)]
        for method, found in runs.items():
            name = f"{gold_name}, {method}"
            result = (name, *_prf([{normalise(m.label) for m in ms} for ms in found], golds[gold_name]))
            out.append(result)
            print(f"| {gold_name} | {method} | {result[1]:.3f} | {result[2]:.3f} | {result[3]:,} | {result[4]:,} |", flush=True)
    return out
