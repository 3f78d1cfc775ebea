"""The occupation crosswalk: ESCO occupations to the SOC 2018 (and O*NET-SOC) occupations their ISCO group leads to.

The publishers give the chain step by step: ESCO places each occupation in an ISCO-08 group (``skos:broader``);
BLS crosswalks ISCO-08 groups to SOC 2010 occupations and SOC 2010 to SOC 2018 (``lermap.ingest.sssom``); O*NET
and OEWS describe SOC 2018 occupations. An ISCO group is wide, so the chain usually fans out: ISCO 2511 *Systems
analysts* leads to several SOC 2018 occupations. For each occupation the crosswalk keeps one — the *candidate*:

1. candidates OEWS publishes a wage for (itself or its SOC broad group) before those it does not;
2. then a candidate the chain alone proves wider than the occupation (every step exact or broader: ISCO wholly
   inside SOC 2010 wholly inside SOC 2018);
3. then the one whose titles are closest to the occupation's labels: character n-gram TF-IDF cosine between the
   occupation's preferred and alternative labels and the candidate's titles — its own (OEWS) and those of the
   O*NET-SOC occupations that are it or lie below it, alternate titles included (the best pair counts).

It writes, into its own derived graph (replaced on every run), for each occupation:

* to the chosen SOC 2018 occupation, ``skos:broadMatch`` when the chain proves the SOC occupation wider (confidence
  1), else ``skos:closeMatch`` with the title similarity as confidence;
* to the closest O*NET-SOC occupation under it, ``skos:broadMatch`` when that is the SOC occupation itself (``.00``)
  of a proven wider match, else ``skos:closeMatch`` with its own title similarity;

each a reified ``sssom:Mapping`` with ``semapv:MappingChaining``, the path in ``lermap:derivation`` and how it was
chosen in ``sssom:comment``. This is what lets wages (:mod:`lermap.analysis.wages`) reach ESCO occupations in one
step and the ESCO ↔ O*NET crosswalk work without a hand-made mapping.

>>> compose(["skos:broadMatch", "skos:exactMatch", "skos:broadMatch"]), compose(["skos:broadMatch", "skos:narrowMatch"])
('skos:broadMatch', None)
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pyoxigraph import Literal, NamedNode

from lermap.analysis.kg import Graph
from lermap.analysis.lexical import normalise
from lermap.analysis.wages import wage_index
from lermap.errors import NotFoundError
from lermap.graph.terms import TripleTuple, minted, sorted_turtle
from lermap.graph.vocab import LERMAP, OWL, PROV, RDF, SEMAPV, SKOS, SSSOM, XSD
from lermap.ingest.identifiers import ISCO_SCHEME, ONET_SOC_SCHEME, SOC2010_SCHEME, SOC_SCHEME
from lermap.ingest.pipeline import IngestReport
from lermap.ingest.sssom.mapping import BROAD, CLOSE, EXACT, compact

SOURCE_KEY = "urn:lermap:derived/occupation-crosswalk.ttl"
_WIDER = {EXACT, BROAD}  # steps after which the target still contains the occupation


def compose(steps: Sequence[str]) -> str | None:
    """What a chain of steps proves: ``skos:broadMatch`` when every step keeps the target at least as wide (exact or
    broader) and one widens it, ``skos:exactMatch`` when all are exact, None when a step narrows or only overlaps."""
    if not steps or any(s not in _WIDER for s in steps):
        return None
    return BROAD if BROAD in steps else EXACT


@dataclass
class Path:
    isco: str
    isco_code: str
    soc2010: str
    code2010: str
    soc2018: str
    code2018: str
    steps: tuple[str, ...]  # occupation -> ISCO, ISCO -> SOC 2010, SOC 2010 -> SOC 2018


@dataclass
class Choice:
    """The SOC 2018 (and O*NET-SOC) occupation kept for one occupation, and why."""

    occupation: str
    scheme: str | None
    path: Path
    predicate: str
    confidence: float
    candidates: int
    similarity: float
    onet: str | None = None
    onet_predicate: str | None = None
    onet_similarity: float = 0.0


@dataclass
class Crosswalk:
    choices: list[Choice]
    occupations: int  # occupations in an ISCO group
    report: IngestReport | None = None
    unmatched: list[str] = field(default_factory=list)  # in an ISCO group the crosswalks lead nowhere from


class _Similarity:
    """Best-pair cosine of character 3-4-gram TF-IDF between two sets of labels, one vocabulary for all; each set's
    rows are taken once (:meth:`block`) and reused."""

    def __init__(self, labels: Iterable[str]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.index: dict[str, int] = {}
        for label in labels:
            self.index.setdefault(label, len(self.index))
        vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4), preprocessor=normalise, sublinear_tf=True, dtype=np.float32)
        self.matrix = vec.fit_transform(list(self.index)) if self.index else None

    def block(self, labels: Iterable[str]) -> Any:
        if self.matrix is None:
            return None
        rows = [self.index[x] for x in labels]
        return self.matrix[rows] if rows else None

    @staticmethod
    def best(a: Any, b: Any) -> float:
        if a is None or b is None:
            return 0.0
        return float((a @ b.T).max())


def _read(kg: Graph) -> tuple[dict[str, tuple[str | None, set[str], dict[str, str]]], dict[str, list[Path]]]:
    occupations: dict[str, tuple[str | None, set[str], dict[str, str]]] = {}
    for r in kg.rows("crosswalk-occupations", {"iscoScheme": ISCO_SCHEME}):
        occ = str(r["occupation"])
        _, labels, groups = occupations.setdefault(occ, (None, set(), {}))
        labels.add(str(r["label"]))
        groups[str(r["isco"])] = str(r["code"])
    chains: dict[str, list[Path]] = defaultdict(list)
    for r in kg.rows("crosswalk-soc-chain", {"soc2010Scheme": SOC2010_SCHEME, "soc2018Scheme": SOC_SCHEME}):
        p1, p2 = compact(str(r["p1"])), compact(str(r["p2"]))
        chains[str(r["isco"])].append(Path(str(r["isco"]), "", str(r["soc2010"]), str(r["code2010"]), str(r["soc2018"]),
                                           str(r["code2018"]), (BROAD, p1, p2)))
    return occupations, chains


def find(kg: Graph) -> Crosswalk:
    """Choose, without writing, a SOC 2018 and an O*NET-SOC occupation for every occupation in an ISCO group."""
    occupations, chains = _read(kg)
    # per SOC 2018 occupation, its titles in segments: its own (key None) and each O*NET-SOC occupation's
    segments: dict[str, dict[str | None, set[str]]] = defaultdict(lambda: defaultdict(set))
    for r in kg.rows("crosswalk-soc-labels", {"soc2018Scheme": SOC_SCHEME, "onetScheme": ONET_SOC_SCHEME}):
        onet = r.get("onet")
        segments[str(r["soc"])][str(onet) if onet is not None else None].add(str(r["label"]))
    paid = set(wage_index(kg))
    sim = _Similarity([label for _, labels, _ in occupations.values() for label in labels]
                      + [label for segs in segments.values() for labels in segs.values() for label in labels])
    by_groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for occ, (_, _, isco_codes) in occupations.items():
        by_groups[tuple(sorted(isco_codes))].append(occ)
    out = Crosswalk([], len(occupations))
    for group_key, members in sorted(by_groups.items()):
        paths = [replace_code(p, occupations[members[0]][2][isco]) for isco in group_key for p in chains.get(isco, [])]
        if not paths:
            out.unmatched += sorted(members)
            continue
        scores = _GroupScores(sim, {occ: sorted(occupations[occ][1]) for occ in members},
                              {p.soc2018: {k: sorted(v) for k, v in segments.get(p.soc2018, {}).items()} for p in paths})
        for occ in sorted(members):
            out.choices.append(_choose(occ, occupations[occ][0], paths, scores, paid))
    return out


class _GroupScores:
    """The label similarities of the occupations of one ISCO group to their candidates, from one product."""

    def __init__(self, sim: _Similarity, occupations: dict[str, list[str]], candidates: dict[str, dict[str | None, list[str]]]) -> None:
        self.rows: dict[str, slice] = {}
        left: list[str] = []
        for occ, labels in occupations.items():
            self.rows[occ] = slice(len(left), len(left) + len(labels))
            left += labels
        self.cols: dict[tuple[str, str | None], slice] = {}
        right: list[str] = []
        for soc, segs in candidates.items():
            for key, labels in segs.items():
                self.cols[(soc, key)] = slice(len(right), len(right) + len(labels))
                right += labels
        a, b = sim.block(left), sim.block(right)
        self.product = (a @ b.T).toarray() if a is not None and b is not None else np.zeros((len(left), len(right)), dtype=np.float32)

    def segment(self, occ: str, soc: str, key: str | None) -> float:
        cols = self.cols.get((soc, key))
        if cols is None or cols.start == cols.stop:
            return 0.0
        return float(self.product[self.rows[occ], cols].max())

    def candidate(self, occ: str, soc: str) -> float:
        return max((self.segment(occ, s, k) for s, k in self.cols if s == soc), default=0.0)

    def onets(self, soc: str) -> list[str]:
        return sorted(k for s, k in self.cols if s == soc and k is not None)


def _choose(occ: str, scheme: str | None, paths: list[Path], scores: _GroupScores, paid: set[str]) -> Choice:
    by_soc: dict[str, list[Path]] = defaultdict(list)
    for p in paths:
        by_soc[p.soc2018].append(p)
    ranked = sorted((_rank(soc, ps, soc in paid, scores.candidate(occ, soc)) for soc, ps in by_soc.items()), reverse=True)
    _, proven, similarity, _, soc = ranked[0]
    ps = by_soc[soc]
    path = next((p for p in ps if compose(p.steps) is not None), ps[0])
    predicate = compose(path.steps) or CLOSE
    if predicate == EXACT:  # an occupation below its ISCO group is never exactly a SOC occupation
        predicate = BROAD
    choice = Choice(occ, scheme, path, predicate, 1.0 if proven else round(similarity, 4), len(by_soc), round(similarity, 4))
    onets = scores.onets(soc)
    if onets:
        best = max(onets, key=lambda o: (scores.segment(occ, soc, o), _rev(o)))
        choice.onet, choice.onet_similarity = best, round(scores.segment(occ, soc, best), 4)
        choice.onet_predicate = BROAD if predicate == BROAD and best.endswith(path.code2018 + ".00") else CLOSE
    return choice


def _rank(soc: str, paths: list[Path], paid: bool, similarity: float) -> tuple[bool, bool, float, tuple[int, ...], str]:
    """Sort key of a candidate, best last: with a wage, proven wider, most similar, then the lowest code."""
    proven = any(compose(p.steps) is not None for p in paths)
    return (paid, proven, similarity, _rev(paths[0].code2018), soc)


def _rev(code: str) -> tuple[int, ...]:
    """A key that sorts codes in reverse, so that with ``reverse=True`` the lowest code wins a tie."""
    return tuple(-ord(c) for c in code)


def replace_code(path: Path, code: str) -> Path:
    return Path(path.isco, code, path.soc2010, path.code2010, path.soc2018, path.code2018, path.steps)


def _mapping(subject: str, predicate: str, obj: str, confidence: float, comment: str, derivation: str, scheme: str | None,
             object_scheme: NamedNode, activity: NamedNode) -> list[TripleTuple]:
    s, o = NamedNode(subject), NamedNode(obj)
    p = NamedNode(SKOS.base + predicate.split(":", 1)[1])
    node = minted("alignment", subject, p.value, obj)
    out: list[TripleTuple] = [
        (s, p, o), (node, RDF.type, SSSOM.Mapping), (node, OWL.annotatedSource, s), (node, OWL.annotatedProperty, p),
        (node, OWL.annotatedTarget, o), (node, SSSOM.mapping_justification, SEMAPV.MappingChaining),
        (node, SSSOM.confidence, Literal(repr(float(confidence)), datatype=XSD.double)),
        (node, SSSOM.mapping_tool, Literal("lermap occupation crosswalk")), (node, SSSOM.comment, Literal(comment)),
        (node, LERMAP.derivation, Literal(derivation)), (node, SSSOM.object_source, object_scheme), (node, PROV.wasGeneratedBy, activity),
    ]
    if scheme:
        out.append((node, SSSOM.subject_source, NamedNode(scheme)))
    return out


def to_triples(crosswalk: Crosswalk) -> list[TripleTuple]:
    activity = minted("occupation-crosswalk", "lermap")
    out: list[TripleTuple] = [(activity, RDF.type, PROV.Activity), (activity, LERMAP.resolvedBy, Literal("lermap.analysis.occupation_crosswalk"))]
    for c in crosswalk.choices:
        p = c.path
        derivation = (f"{c.occupation} skos:broadMatch {p.isco} (ISCO-08 {p.isco_code}) | {p.isco} {p.steps[1]} {p.soc2010} (SOC 2010 {p.code2010})"
                      f" | {p.soc2010} {p.steps[2]} {p.soc2018} (SOC 2018 {p.code2018})")
        how = ("the crosswalk chain proves SOC 2018 {code} wider" if c.predicate == BROAD else
               "title similarity {sim:.2f} to SOC 2018 {code}")
        comment = (f"ESCO → ISCO-08 {p.isco_code} → SOC 2010 {p.code2010} → SOC 2018 {p.code2018}; chosen among {c.candidates} "
                   f"SOC 2018 occupation{'s' if c.candidates > 1 else ''} the crosswalks lead to: " + how.format(code=p.code2018, sim=c.similarity))
        out += _mapping(c.occupation, c.predicate, p.soc2018, c.confidence, comment, derivation, c.scheme, SOC_SCHEME, activity)
        if c.onet is not None and c.onet_predicate is not None:
            conf = 1.0 if c.onet_predicate == BROAD else c.onet_similarity
            note = (f"the O*NET-SOC occupation closest by title (similarity {c.onet_similarity:.2f}) among those of SOC 2018 {p.code2018}, "
                    f"which this occupation reaches through ISCO-08 {p.isco_code} and SOC 2010 {p.code2010}")
            out += _mapping(c.occupation, c.onet_predicate, c.onet, conf, note, derivation + f" | {c.onet} of {p.soc2018}", c.scheme,
                            ONET_SOC_SCHEME, activity)
    return out


def to_turtle(crosswalk: Crosswalk) -> bytes:
    return sorted_turtle(to_triples(crosswalk))


def derive(kg: Graph) -> Crosswalk:
    """Find the choices and (re)write them into the derived graph ``SOURCE_KEY``; the previous run's leave first."""
    with contextlib.suppress(NotFoundError):
        kg.drop(SOURCE_KEY)
    crosswalk = find(kg)
    crosswalk.report = kg.ingest_bytes(SOURCE_KEY, to_turtle(crosswalk), format="rdf")
    return crosswalk


def summary(crosswalk: Crosswalk) -> dict[str, Any]:
    """Counts for a build report: occupations placed, chosen by the chain or by title, with an O*NET match."""
    return {"occupations": crosswalk.occupations, "matched": len(crosswalk.choices), "unmatched": len(crosswalk.unmatched),
            "proven_wider": sum(1 for c in crosswalk.choices if c.predicate == BROAD),
            "with_onet": sum(1 for c in crosswalk.choices if c.onet is not None)}
