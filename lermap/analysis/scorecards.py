"""C-BEN principle scorecards: how far the graph's evidence shows an entity living up to each of the seven principles.

The rules live in two places that read together: one SPARQL file per principle
(``lermap/graph/queries/principle-<id>.rq``) finds the evidence for the entity bound as ``?entity`` and labels each
row with a *kind*; :data:`RULES` below says which kinds each principle knows and turns the kinds found into a
score. ``docs/principles.md`` explains every rule in plain words.

Every score is on the same 0–3 scale: **the number of distinct kinds of evidence found, capped at 3** — except
Public-Private Partnerships, which counts the distinct *other* sectors an entity works with (see
:func:`_score_partnerships`). A score measures what the graph shows, not the entity's true practice: missing
evidence lowers it, and ``missing`` says what evidence would raise it.

>>> import lermap
>>> from lermap.analysis.scorecards import scorecard
>>> kg = lermap.open_graph("memory:")
>>> _ = kg.ingest("data/ecosystem")
>>> card = scorecard(kg, "https://w3id.org/lermap/id/standard/vc")
>>> card.assessment("open-standards").score
3
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

import pandas as pd

from lermap.analysis.kg import Graph
from lermap.errors import NotFoundError
from lermap.graph.terms import Value
from lermap.graph.vocab import LERMAP
from lermap.ingest.ecosystem.directory import principle_iri

MAX_SCORE = 3


@dataclass(frozen=True)
class Rule:
    """How one principle is assessed: its query, the evidence kinds it knows (with a plain description) and scoring."""

    principle: str
    label: str
    kinds: dict[str, str]
    score: Callable[[set[str]], int]

    @property
    def query(self) -> str:
        return f"principle-{self.principle}"


def _score_kinds(found: set[str]) -> int:
    return min(MAX_SCORE, len(found))


def _score_partnerships(found: set[str]) -> int:
    """Other sectors worked with (own sector excluded); without an own sector, sectors involved minus one."""
    sectors = {k.split(":", 1)[1] for k in found if k.startswith("sector:")}
    own = {k.split(":", 1)[1] for k in found if k.startswith("own-sector:")}
    if own:
        return min(MAX_SCORE, len(sectors - own))
    return min(MAX_SCORE, max(0, len(sectors) - 1))


RULES: dict[str, Rule] = {
    r.principle: r
    for r in (
        Rule("open-standards", "Open Standards", {
            "implements-open-standard": "implements, supports, is certified for or issues with an open standard",
            "current-version": "works with the current version of a standard",
            "certified": "passed a standard's conformance certification",
            "maintains-open-standard": "develops or maintains an open standard",
            "provides-open-implementation": "provides a tool that implements an open standard",
            "is-open-standard": "is itself an openly published standard",
            "implemented-by-others": "is implemented by other organisations or tools",
            "has-current-version": "has a current published version",
        }, _score_kinds),
        Rule("privacy-security", "Privacy & Security", {
            "verifiable": "credentials are tamper-evident (verifiable)",
            "selective-disclosure": "holders can disclose only part of a credential",
            "learner-held": "learners hold their own records (wallets, holder-controlled sharing)",
            "revocation": "issuers can revoke or suspend credentials privately",
        }, _score_kinds),
        Rule("unlock-learning-anywhere", "Unlock Learning Anywhere", {
            "non-formal": "recognises non-formal learning (badges, micro-credentials)",
            "prior-learning": "recognises prior learning or whole learner records",
            "work-experience": "recognises work experience",
            "skills-based": "describes learning as skills",
        }, _score_kinds),
        Rule("universal-access", "Universal Access", {
            "free": "free to use",
            "open-licence": "published under an open licence",
            "multilingual": "available in two or more languages",
            "provides-free-tool": "provides a tool that is free to use",
        }, _score_kinds),
        Rule("alignment", "Alignment", {
            "uses-shared-framework": "uses a shared framework or classification",
            "framework-used-by-others": "is a framework others use",
            "competencies-aligned": "some competencies of its frameworks are aligned with another framework",
            "majority-aligned": "at least half of the competencies of its frameworks are aligned",
            "credentials-aligned": "its credentials are aligned to frameworks",
        }, _score_kinds),
        Rule("public-private-partnerships", "Public-Private Partnerships", {
            "sector:public": "works with public-sector organisations",
            "sector:private": "works with private companies",
            "sector:nonprofit": "works with non-profit organisations",
            "sector:academic": "works with academic institutions",
        }, _score_partnerships),
        Rule("global-mobility", "Global Mobility", {
            "international-framework": "works with an international standard or framework",
            "international-design": "is designed for use across countries",
            "multilingual": "available in two or more languages",
            "operates-internationally": "serves an international area",
            "cross-border-relations": "is related to organisations in other countries",
        }, _score_kinds),
    )
}


@dataclass
class PrincipleAssessment:
    """One principle's result: a 0–3 score, the evidence (fact, source) behind it, and what is missing."""

    principle: str
    label: str
    score: int
    evidence: list[tuple[str, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    max_score: int = MAX_SCORE

    @property
    def principle_iri(self) -> str:
        return principle_iri(self.principle).value

    def to_dict(self) -> dict[str, Any]:
        return {
            "principle": self.principle, "principle_iri": self.principle_iri, "label": self.label,
            "score": self.score, "max_score": self.max_score, "kinds": list(self.kinds),
            "evidence": [{"fact": f, "source": s} for f, s in self.evidence], "missing": list(self.missing),
        }


@dataclass
class Scorecard:
    """The seven assessments of one entity."""

    entity: str
    label: str | None
    assessments: list[PrincipleAssessment]

    def assessment(self, principle: str) -> PrincipleAssessment:
        for a in self.assessments:
            if a.principle == principle:
                return a
        raise KeyError(principle)

    @property
    def total(self) -> int:
        return sum(a.score for a in self.assessments)

    def to_dict(self) -> dict[str, Any]:
        return {"entity": self.entity, "label": self.label, "total": self.total,
                "assessments": [a.to_dict() for a in self.assessments]}


_ALL = frozenset({"organisation", "tool", "standard"})
_NOT_STANDARD = frozenset({"organisation", "tool"})
# Evidence kinds that only some kinds of entity can show; the rest apply to all (used for `missing` only).
_APPLIES: dict[str, frozenset[str]] = {
    "implements-open-standard": _NOT_STANDARD, "current-version": _NOT_STANDARD, "certified": _NOT_STANDARD,
    "maintains-open-standard": frozenset({"organisation"}), "provides-open-implementation": frozenset({"organisation"}),
    "is-open-standard": frozenset({"standard"}), "implemented-by-others": frozenset({"standard"}),
    "has-current-version": frozenset({"standard"}), "provides-free-tool": frozenset({"organisation"}),
    "framework-used-by-others": frozenset({"standard"}), "competencies-aligned": frozenset({"organisation", "standard"}),
    "majority-aligned": frozenset({"organisation", "standard"}), "credentials-aligned": frozenset({"organisation"}),
    "uses-shared-framework": _ALL, "cross-border-relations": frozenset({"organisation"}),
    "operates-internationally": frozenset({"organisation"}), "international-design": frozenset({"standard"}),
}
_KIND_QUERY = """PREFIX lermap: <https://w3id.org/lermap/vocab#>
SELECT ?t WHERE { VALUES ?t { lermap:Standard lermap:StandardVersion lermap:Tool } ?entity a ?t }"""


def _entity_kind(kg: Graph, entity_iri: str) -> str:
    types = {r["t"] for r in kg.select(_KIND_QUERY, {"entity": entity_iri}).records()}
    if types & {LERMAP.Standard.value, LERMAP.StandardVersion.value}:
        return "standard"
    return "tool" if LERMAP.Tool.value in types else "organisation"


_LABEL = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?label WHERE { ?entity skos:prefLabel ?label } LIMIT 1"""


def assess(kg: Graph, entity_iri: str, principle: str) -> PrincipleAssessment:
    """Assess one principle for one entity by its rule (see :data:`RULES`)."""
    rule = RULES[principle]
    rows = [(r["kind"], r["fact"], r["source"]) for r in kg.rows(rule.query, {"entity": entity_iri})]
    return _assessment(rule, rows, _entity_kind(kg, entity_iri))


def _assessment(rule: Rule, rows: list[tuple[Value, Value, Value]], entity_kind: str) -> PrincipleAssessment:
    found: set[str] = set()
    evidence: list[tuple[str, str]] = []
    for kind, fact, source in rows:
        found.add(str(kind))
        if not str(kind).startswith("own-sector:"):
            evidence.append((str(fact), str(source)))
    missing = [desc for kind, desc in rule.kinds.items() if kind not in found and entity_kind in _APPLIES.get(kind, _ALL)]
    # the rule's ORDER BY leaves the sources of one fact in engine order: sort them so that every run (and the
    # batch and single-entity paths) gives the same list
    evidence = [e for _, run in groupby(evidence, key=lambda e: e[0]) for e in sorted(run)]
    return PrincipleAssessment(rule.principle, rule.label, rule.score(found), evidence, missing, sorted(found))


def scorecard(kg: Graph, entity_iri: str) -> Scorecard:
    """The scorecard of an organisation, tool or standard of the graph, one assessment per C-BEN principle.

    Raises :class:`~lermap.errors.NotFoundError` when the graph has no such entity.
    """
    labels = kg.select(_LABEL, {"entity": entity_iri}).records()
    if not labels and not kg.ask("ASK WHERE { ?entity ?p ?o }", {"entity": entity_iri}):
        raise NotFoundError(f"no entity {entity_iri} in the graph")
    label = str(labels[0]["label"]) if labels else None
    return Scorecard(entity_iri, label, [assess(kg, entity_iri, p) for p in RULES])


_ENTITIES_QUERY = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX lermap: <https://w3id.org/lermap/vocab#>
SELECT ?entity ?t (SAMPLE(?l) AS ?label) WHERE {
  VALUES ?t { schema:Organization lermap:Standard lermap:Tool }
  ?entity a ?t ; skos:prefLabel ?l .
} GROUP BY ?entity ?t"""


def scorecards(kg: Graph) -> list[Scorecard]:
    """The scorecards of every organisation, tool and standard in the graph, sorted by label.

    Runs one query per principle over the whole graph; each card equals what :func:`scorecard` gives.
    """
    kinds: dict[str, str] = {}
    labels: dict[str, str] = {}
    for r in kg.select(_ENTITIES_QUERY).records():
        iri, label = str(r["entity"]), r["label"]
        kind = {LERMAP.Standard.value: "standard", LERMAP.Tool.value: "tool"}.get(str(r["t"]), "organisation")
        if kinds.get(iri) in (None, "organisation"):
            kinds[iri] = kind
        labels.setdefault(iri, str(label))
    rows: dict[tuple[str, str], list[tuple[Value, Value, Value]]] = {}
    for principle, rule in RULES.items():
        for r in kg.rows(rule.query):
            iri = str(r["entity"])
            if iri in kinds:
                rows.setdefault((iri, principle), []).append((r["kind"], r["fact"], r["source"]))
    cards = [
        Scorecard(iri, labels[iri], [_assessment(rule, rows.get((iri, p), []), kinds[iri]) for p, rule in RULES.items()])
        for iri in kinds
    ]
    return sorted(cards, key=lambda c: ((c.label or "").casefold(), c.entity))


def scorecard_table(kg: Graph) -> pd.DataFrame:
    """A pandas DataFrame with one row per entity: entity, label, one score column per principle, total (for analysts)."""
    return pd.DataFrame(
        [{"entity": c.entity, "label": c.label, **{a.principle: a.score for a in c.assessments}, "total": c.total}
         for c in scorecards(kg)]
    )

