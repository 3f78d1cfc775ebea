"""One occupation as its page shows it, and job titles to occupations across the graph's occupation schemes.

:func:`read_detail` gathers what the graph says about an occupation — title, description, alternate titles, tasks,
code, scheme, the groups above it, related occupations — and its requirements grouped by what they are (O*NET's
skills, knowledge, work styles and technologies; ESCO's skills and knowledge), each with importance and level.
Wages and crosswalks come from their own modules (:mod:`lermap.analysis.wages`, the harvested alignments); the
service puts the three together.

:class:`OccupationFinder` answers a job title ("nurse") with the occupations of each occupation scheme the graph
holds, using the job-title matcher (:class:`lermap.analysis.occupations.OccupationMatcher`, its untrained blend, which
builds in seconds rather than the minute self-training takes) and interleaving the schemes rank by rank, so the best
O*NET-SOC and the best ESCO answers both come first.

>>> group_of("Cross-Functional Skills", None), group_of("technology", None), group_of(None, True), group_of(None, None)
('Skills', 'Technologies', 'Skills and knowledge', 'Skills and knowledge')
>>> importance_words(0.8), importance_words(0.55), importance_words(0.3), importance_words(0.1), importance_words(None)
('very important', 'important', 'somewhat important', 'not very important', None)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from lermap.analysis.kg import Graph, number, text
from lermap.analysis.occupations import OccupationMatcher, read_profiles
from lermap.analysis.wages import Wage
from lermap.ingest.identifiers import ONET_SOC_SCHEME
from lermap.ingest.sssom.mapping import Mapping

ESCO_OCCUPATIONS = "http://data.europa.eu/esco/concept-scheme/occupations"
# the schemes a job title is looked up in, in this order, when the graph holds them; SOC 2010 / 2018 and ISCO-08 carry
# the same occupations as O*NET-SOC and ESCO under coarser titles, so they are searched only when neither is present
PREFERRED_SCHEMES = (ONET_SOC_SCHEME.value, ESCO_OCCUPATIONS)

# O*NET's and ESCO's requirement categories as the groups a page shows, in the order it shows them
GROUPS = ("Skills", "Knowledge", "Abilities", "Work styles", "Skills and knowledge", "Technologies")
_CATEGORY_GROUP = {
    "basic skills": "Skills", "cross-functional skills": "Skills", "skills": "Skills", "skill": "Skills",
    "skill/competence": "Skills", "knowledge": "Knowledge", "abilities": "Abilities", "work styles": "Work styles",
    "technology": "Technologies", "tools": "Technologies",
}


def group_of(category: str | None, essential: bool | None) -> str:
    """The group a requirement is listed under, from its category (O*NET, ESCO); uncategorised ones together."""
    return _CATEGORY_GROUP.get((category or "").strip().casefold(), "Skills and knowledge")


def importance_words(importance: float | None) -> str | None:
    """An importance from 0 to 1 (O*NET's 1–5 rating rescaled) in words."""
    if importance is None:
        return None
    if importance >= 0.75:
        return "very important"
    if importance >= 0.5:
        return "important"
    if importance >= 0.25:
        return "somewhat important"
    return "not very important"


def level_words(level: float | None) -> str | None:
    """A level from 0 to 1 (O*NET's 0–7 scale rescaled) in words."""
    if level is None:
        return None
    return "expert" if level >= 0.75 else "advanced" if level >= 0.55 else "intermediate" if level >= 0.35 else "basic"


@dataclass(frozen=True)
class RequirementLine:
    """One requirement of an occupation as a page lists it."""

    competency: str
    label: str
    group: str
    importance: float | None
    level: float | None
    essential: bool | None
    hot: bool = False  # O*NET: a hot technology (frequently in job postings)
    in_demand: bool = False  # O*NET: in demand for this occupation

    @property
    def importance_words(self) -> str | None:
        words = importance_words(self.importance)
        if words is None and self.essential is not None:
            return "essential" if self.essential else "optional"
        return words

    @property
    def level_words(self) -> str | None:
        return level_words(self.level)


@dataclass(frozen=True)
class Named:
    """An IRI with its name (the IRI itself when the graph gives none)."""

    id: str
    label: str


@dataclass
class OccupationDetail:
    """What the graph says about one occupation; the service adds its wage and crosswalks."""

    id: str
    title: str
    description: str | None = None
    code: str | None = None
    job_zone: int | None = None
    schemes: list[Named] = field(default_factory=list)
    alternate_titles: list[str] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)
    broader: list[Named] = field(default_factory=list)
    narrower: list[Named] = field(default_factory=list)
    related: list[Named] = field(default_factory=list)
    requirements: list[RequirementLine] = field(default_factory=list)
    wage: Wage | None = None  # OEWS, national (see lermap.analysis.wages)
    wage_via: list[Mapping] = field(default_factory=list)  # the crosswalk steps the wage came through, if not its own
    crosswalks: list[Mapping] = field(default_factory=list)  # alignments to other schemes, turned to start here
    scheme_names: dict[str, str] = field(default_factory=dict)  # the names of the schemes the crosswalks lead to

    def grouped(self) -> list[tuple[str, list[RequirementLine]]]:
        """The requirements by group (in :data:`GROUPS` order), most important first within each."""
        out = []
        for g in GROUPS:
            lines = [r for r in self.requirements if r.group == g]
            lines.sort(key=lambda r: (-(r.importance if r.importance is not None else 1.0 if r.essential else 0.0),
                                      not r.hot, not r.in_demand, r.label.casefold()))
            if lines:
                out.append((g, lines))
        return out


def _flag(value: object) -> bool:
    return value is True or (isinstance(value, str) and value.casefold() == "true")


def read_requirements(kg: Graph, occupation: str) -> list[RequirementLine]:
    """The occupation's requirements (query ``occupation-requirement-details``)."""
    out = []
    for r in kg.rows("occupation-requirement-details", {"occupation": occupation}):
        ess = r.get("essential")
        out.append(RequirementLine(str(r["competency"]), text(r.get("label")) or str(r["competency"]), group_of(text(r.get("category")), None),
                                   number(r.get("importance")), number(r.get("level")), ess if isinstance(ess, bool) else None,
                                   _flag(r.get("hotTechnology")), _flag(r.get("inDemand"))))
    return out


def read_detail(kg: Graph, occupation: str) -> OccupationDetail | None:
    """The occupation's facts and requirements; None when the graph has no title for it."""
    facts: dict[str, list[tuple[str, str | None]]] = {}
    for r in kg.rows("occupation-detail", {"occupation": occupation}):
        facts.setdefault(str(r["kind"]), []).append((str(r["value"]), text(r.get("label"))))
    titles = sorted(v for v, _ in facts.get("title", []))
    if not titles:
        return None

    def named(kind: str) -> list[Named]:
        found = {v: (label or v) for v, label in facts.get(kind, []) if v != occupation}
        return sorted((Named(k, v) for k, v in found.items()), key=lambda n: n.label.casefold())

    zone = number(facts["zone"][0][0]) if facts.get("zone") else None
    return OccupationDetail(
        occupation, titles[0], description=min((v for v, _ in facts.get("text", [])), key=len, default=None),
        code=min((v for v, _ in facts.get("code", [])), default=None), job_zone=int(zone) if zone is not None else None,
        schemes=named("scheme"), alternate_titles=sorted({v for v, _ in facts.get("label", [])} - {titles[0]}, key=str.casefold),
        tasks=sorted({v for v, _ in facts.get("task", [])}), broader=named("broader"), narrower=named("narrower"),
        related=named("related"), requirements=read_requirements(kg, occupation))


@dataclass(frozen=True)
class OccupationHit:
    """An occupation that answers a job title: its scheme, and the matcher's score (0–1, higher is better)."""

    id: str
    label: str
    scheme: str | None
    scheme_label: str | None
    score: float


class OccupationFinder:
    """Job titles to occupations across schemes: one matcher per scheme, answers interleaved rank by rank."""

    def __init__(self, matchers: Sequence[tuple[str, str | None, OccupationMatcher]]) -> None:
        self.matchers = list(matchers)

    @classmethod
    def from_graph(cls, kg: Graph, schemes: Sequence[tuple[str, str | None]]) -> OccupationFinder:
        """A finder over ``schemes`` ((IRI, name) pairs); schemes without occupations are left out."""
        matchers = []
        for iri, name in schemes:
            profiles = read_profiles(kg, iri)
            if profiles:
                matchers.append((iri, name, OccupationMatcher(profiles)))
        return cls(matchers)

    def find(self, title: str, limit: int = 20, min_score: float = 0.05) -> list[OccupationHit]:
        """The occupations that best fit ``title``: each scheme's first answer, then each one's second, and so on."""
        if not title.strip() or not self.matchers:
            return []
        per_scheme: list[list[OccupationHit]] = []
        for iri, name, matcher in self.matchers:
            labels = {p.iri: p.title for p in matcher.profiles}
            ranked = matcher.rank([title], k=limit)[0]
            per_scheme.append([OccupationHit(occ, labels[occ], iri, name, round(score, 4)) for occ, score in ranked if score >= min_score])
        out: list[OccupationHit] = []
        for rank in range(limit):
            out += [hits[rank] for hits in per_scheme if rank < len(hits)]
        return out[:limit]


def search_schemes(occupation_schemes: dict[str, str | None]) -> list[tuple[str, str | None]]:
    """The schemes job titles are looked up in: :data:`PREFERRED_SCHEMES` the graph holds, else every scheme it holds."""
    preferred = [(s, occupation_schemes[s]) for s in PREFERRED_SCHEMES if s in occupation_schemes]
    return preferred or sorted(occupation_schemes.items())
