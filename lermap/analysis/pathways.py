"""Pathways: from what a learner holds to a target occupation — coverage, gap, the credentials that close it.

Requirements come from the occupation's ``lermap:SkillRequirement`` nodes (ESCO essential/optional,
O*NET importance). What a learner holds reaches a requirement through what credentials certify, teach
or assess and through exact/close mappings, each step multiplying confidence. The credential set that
closes the gap is a greedy weighted set cover (cost where the data has one, else 1 per credential),
which is within a log factor of the optimum.

An occupation can be *held* too: someone who works as it holds what it requires with weight at least
:data:`HELD_MIN_WEIGHT` (O*NET importance 3 of 5 and up, ESCO essential skills, the technologies it uses), so a
pathway from one occupation to another is ``pathway(kg, [current], target, current=current)``. Levels are not
compared: a competency both require counts as held whatever level each needs.

The *plan* is the credentials that close the gap. When no credential in the graph gives any missing competency
(the default graph describes occupations, not a provider's catalogue), the plan is empty and
:attr:`PathwayResult.plan_note` says so and why; :attr:`PathwayResult.not_closable` is then the list of what to
learn, most important first.

Functions take a :class:`~lermap.service.KnowledgeGraph` (or the projections, for tests) and return
plain dataclasses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx

from lermap.analysis import projection
from lermap.analysis.kg import Graph, number
from lermap.analysis.wages import WageLink, annual_median, wage_delta, wage_index

MIN_CONFIDENCE = 0.5
OPTIONAL_WEIGHT = 0.5
HELD_MIN_WEIGHT = 0.5  # what an occupation requires at least this much counts as held by someone working in it


@dataclass
class Requirement:
    competency: str
    label: str | None
    weight: float
    essential: bool | None = None


@dataclass
class Evidence:
    requirement: str
    confidence: float
    path: list[str]  # from what is held (credential or competency) to the requirement


@dataclass
class Step:
    credential: str
    label: str | None
    cost: float
    covers: list[Evidence]


@dataclass(frozen=True)
class HeldItem:
    """Something a learner holds, read from a credential document: a credential (achievement) or a competency."""

    id: str
    label: str | None
    kind: str  # "credential" or "competency"


@dataclass
class PathwayResult:
    target: str
    target_label: str | None
    coverage: float
    covered: list[Evidence]
    gap: list[Requirement]
    plan: list[Step]
    not_closable: list[Requirement]
    alternatives: list[tuple[str, str | None, float]] = field(default_factory=list)
    # labour-market value (OEWS national annual median, USD; see lermap.analysis.wages)
    target_wage: float | None = None
    current: str | None = None
    current_wage: float | None = None
    wage_delta: float | None = None
    alternative_wages: dict[str, float | None] = field(default_factory=dict)
    plan_note: str | None = None  # set when the graph's credentials close none or only part of the gap


@dataclass
class Projections:
    """Everything a pathway query reads, pulled once from the graph."""

    mappings: nx.Graph
    offers: dict[str, dict[str, tuple[str, float]]]
    requirements: dict[str, dict[str, tuple[bool | None, float | None]]]
    labels: dict[str, str]
    costs: dict[str, float]
    wages: dict[str, WageLink] = field(default_factory=dict)  # occupation -> its best link to a SOC wage

    @classmethod
    def from_graph(cls, kg: Graph) -> Projections:
        costs: dict[str, float] = {}
        for r in kg.rows("credential-costs"):
            price = number(r.get("price"))
            if price is not None:
                costs[str(r["credential"])] = price
        return cls(projection.mapping_graph(kg), projection.credential_offers(kg), projection.requirement_index(kg),
                   projection.labels(kg), costs, wage_index(kg))


def weight(essential: bool | None, importance: float | None) -> float:
    """Importance when the data gives it (O*NET ratings), else 1 for essential (ESCO), 0.5 for optional (ESCO) and
    for a requirement the data neither rates nor marks essential (O*NET's technologies: evidence of use, no rating).

    >>> weight(None, 0.8), weight(True, None), weight(False, None), weight(None, None)
    (0.8, 1.0, 0.5, 0.5)
    """
    if importance is not None:
        return importance
    return 1.0 if essential else OPTIONAL_WEIGHT


def reach(start: Mapping[str, tuple[float, list[str]]], mappings: nx.Graph, max_hops: int = 2) -> dict[str, tuple[float, list[str]]]:
    """Best (confidence, path) to every competency reachable from ``start`` over at most ``max_hops`` mappings."""
    best = dict(start)
    frontier = dict(start)
    for _ in range(max_hops):
        nxt: dict[str, tuple[float, list[str]]] = {}
        for node, (conf, path) in frontier.items():
            if node not in mappings:
                continue
            for other, data in mappings[node].items():
                c = conf * float(data.get("confidence", 1.0))
                if c > best.get(other, (0.0, []))[0] and c > nxt.get(other, (0.0, []))[0]:
                    nxt[other] = (c, [*path, other])
        for node, value in nxt.items():
            if value[0] > best.get(node, (0.0, []))[0]:
                best[node] = value
        frontier = nxt
    return best


def held_competencies(held: Iterable[str], offers: Mapping[str, Mapping[str, tuple[str, float]]],
                      requirements: Mapping[str, Mapping[str, tuple[bool | None, float | None]]] | None = None) -> dict[str, tuple[float, list[str]]]:
    """What held credentials give, what held occupations require (weight ≥ :data:`HELD_MIN_WEIGHT`), plus held
    competencies themselves: competency → (confidence, path)."""
    out: dict[str, tuple[float, list[str]]] = {}
    for item in held:
        if requirements is not None and item in requirements and item not in offers:
            for comp, (ess, imp) in requirements[item].items():
                if weight(ess, imp) >= HELD_MIN_WEIGHT and comp not in out:
                    out[comp] = (1.0, [item, comp])
        elif item in offers:
            for comp, (_how, conf) in offers[item].items():
                if conf > out.get(comp, (0.0, []))[0]:
                    out[comp] = (conf, [item, comp])
        else:
            out[item] = (1.0, [item])
    return out


def _requirements(target: str, p: Projections) -> list[Requirement]:
    return [Requirement(c, p.labels.get(c), weight(ess, imp), ess) for c, (ess, imp) in sorted(p.requirements.get(target, {}).items())]


def coverage_of(reqs: Sequence[Requirement], reached: Mapping[str, tuple[float, list[str]]]) -> tuple[float, list[Evidence], list[Requirement]]:
    """Weighted coverage, the evidence for covered requirements, and the uncovered ones ranked."""
    total = sum(r.weight for r in reqs)
    covered, gap, score = [], [], 0.0
    for r in reqs:
        conf, path = reached.get(r.competency, (0.0, []))
        if conf >= MIN_CONFIDENCE:
            covered.append(Evidence(r.competency, conf, path))
            score += r.weight * conf
        else:
            gap.append(r)
    gap.sort(key=lambda r: (r.essential is False, -r.weight, r.label or r.competency))
    return (score / total if total else 0.0), covered, gap


def pathway(kg: Graph, held: Sequence[str], target: str, projections: Projections | None = None, alternatives: int = 5,
            current: str | None = None) -> PathwayResult:
    """Coverage of ``target``'s requirements by ``held``, the ranked gap, and a cheapest credential set closing it.

    Wages (OEWS national annual median) come with the target and the alternatives; with ``current`` (the
    learner's present occupation) the result has the wage delta of the move. Alternatives with equal
    coverage are ranked by wage, highest first."""
    p = projections or Projections.from_graph(kg)
    reqs = _requirements(target, p)
    reached = reach(held_competencies(held, p.offers, p.requirements), p.mappings)
    cov, covered, gap = coverage_of(reqs, reached)
    plan, left = _close_gap(gap, set(held), p)
    note = plan_note(gap, plan, left, len(p.offers))
    alts = []
    for occ in p.requirements if alternatives > 0 else ():
        if occ == target:
            continue
        c, _, _ = coverage_of(_requirements(occ, p), reached)
        alts.append((occ, p.labels.get(occ), round(c, 4)))
    alts.sort(key=lambda t: (-t[2], -(annual_median(p.wages, t[0]) or 0.0), t[1] or t[0]))
    alts = alts[:alternatives]
    return PathwayResult(target, p.labels.get(target), round(cov, 4), covered, gap, plan, left, alts,
                         target_wage=annual_median(p.wages, target), current=current, current_wage=annual_median(p.wages, current),
                         wage_delta=wage_delta(p.wages, target, current),
                         alternative_wages={occ: annual_median(p.wages, occ) for occ, _, _ in alts}, plan_note=note)


def plan_note(gap: Sequence[Requirement], plan: Sequence[Step], left: Sequence[Requirement], credentials: int) -> str | None:
    """What the plan is when credentials cannot make all of it: None when the plan closes the whole gap.

    >>> plan_note([Requirement("ex:sql", "SQL", 1.0)], [], [Requirement("ex:sql", "SQL", 1.0)], 0)
    'No credential in the graph gives any of the 1 missing competency (it describes 0 credentials): the plan is to learn them, most important first: SQL.'
    """
    if not gap or not left:
        return None
    first = ", ".join(r.label or r.competency for r in left[:5]) + (" ..." if len(left) > 5 else "")
    if not plan:
        noun = "competency" if len(gap) == 1 else "competencies"
        return (f"No credential in the graph gives any of the {len(gap)} missing {noun} (it describes {credentials} credentials): "
                f"the plan is to learn them, most important first: {first}.")
    return f"The credentials below close part of the gap; {len(left)} competencies no credential in the graph gives remain to learn: {first}."


def _close_gap(gap: Sequence[Requirement], held: set[str], p: Projections) -> tuple[list[Step], list[Requirement]]:
    """Greedy weighted set cover of the gap by the graph's credentials."""
    remaining = {r.competency: r for r in gap}
    options: dict[str, dict[str, Evidence]] = {}
    for cred in p.offers:
        if cred in held:
            continue
        reached = reach(held_competencies([cred], p.offers), p.mappings)
        hits = {c: Evidence(c, reached[c][0], reached[c][1]) for c in remaining if reached.get(c, (0.0, []))[0] >= MIN_CONFIDENCE}
        if hits:
            options[cred] = hits
    options_all = {k: dict(v) for k, v in options.items()}
    plan: list[Step] = []
    while remaining and options:
        def value(cred: str) -> float:
            gain = sum(remaining[c].weight * e.confidence for c, e in options[cred].items() if c in remaining)
            return gain / max(p.costs.get(cred, 1.0), 1e-9)

        best = max(sorted(options), key=value)
        if value(best) <= 0:
            break
        covers = [e for c, e in options.pop(best).items() if c in remaining]
        for e in covers:
            remaining.pop(e.requirement, None)
        plan.append(Step(best, p.labels.get(best), p.costs.get(best, 1.0), covers))
    return _prune(plan, options_all), sorted(remaining.values(), key=lambda r: (r.essential is False, -r.weight))


def _prune(plan: list[Step], options: Mapping[str, Mapping[str, Evidence]]) -> list[Step]:
    """Reverse delete: drop the costliest steps whose requirements the other steps already cover,
    then give each requirement to the kept step with the best evidence."""
    kept = list(plan)
    for step in sorted(plan, key=lambda s: -s.cost):
        others = {c for s in kept if s is not step for c in options[s.credential]}
        if all(e.requirement in others for e in step.covers):
            kept.remove(step)
    needed = {e.requirement for s in plan for e in s.covers}
    out = []
    for step in kept:
        mine = []
        for req in sorted(needed & set(options[step.credential])):
            best = max(kept, key=lambda s: options[s.credential].get(req, Evidence(req, 0.0, [])).confidence)
            if best is step:
                mine.append(options[step.credential][req])
        out.append(Step(step.credential, step.label, step.cost, mine))
    return out
