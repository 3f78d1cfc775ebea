"""The typed values the service hands to its adapters (API routers, pages, CLI): plain dataclasses, no RDF terms.

They live here, below the service, so that the views (the analysis layer's sibling) can take them: page builders
in :mod:`lermap.views.pages` turn them into template context; the JSON routers turn them into their Public schemas
with ``dataclasses.asdict``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SearchHit:
    """An entity whose label matches a search, with its score (higher is better)."""

    id: str
    label: str
    score: float
    label_lang: str | None = None


@dataclass(frozen=True)
class ListItem:
    """One entity of a resource list (organisations, competencies, occupations...)."""

    id: str
    label: str | None
    description: str | None
    scheme: str | None
    label_lang: str | None = None


@dataclass(frozen=True)
class ListPage:
    """One page of a filtered, sorted resource list and the total after filtering."""

    items: list[ListItem]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class Fact:
    """One statement about an entity, with the named graph (source) it comes from."""

    predicate: str
    object: str | int | float | bool | None
    object_is_iri: bool
    object_label: str | None
    graph: str | None


@dataclass(frozen=True)
class Incoming:
    """A statement whose object is the entity: who points at it, how, and from which source."""

    subject: str
    predicate: str
    subject_label: str | None
    graph: str | None


@dataclass(frozen=True)
class EntityFacts:
    """Everything the graph says about one entity, and what points at it."""

    id: str
    label: str | None
    types: list[str]
    facts: list[Fact]
    incoming: list[Incoming]
    label_lang: str | None = None


@dataclass
class TreeNode:
    """A competency in its framework's hierarchy."""

    id: str
    label: str | None
    notation: str | None
    children: list[TreeNode] = field(default_factory=list)
    label_lang: str | None = None


@dataclass(frozen=True)
class Framework:
    """A framework (or concept scheme) with its competencies as a tree."""

    id: str
    label: str
    tree: list[TreeNode]


@dataclass(frozen=True)
class Scheme:
    """A framework or concept scheme and how many concepts it holds."""

    id: str
    label: str | None
    concepts: int


@dataclass(frozen=True)
class MapNode:
    """A node of the ecosystem map with its stored position."""

    id: str
    label: str
    kind: str  # organization, standard, standard-version, tool, stakeholder-type
    x: float
    y: float
    region: str | None = None
    roles: tuple[str, ...] = ()
    degree: int = 0


@dataclass(frozen=True)
class MapEdge:
    """A typed relation on the map, with the page that states it (when the source gives one)."""

    source: str
    target: str
    predicate: str  # the predicate's local name: develops, implements, stakeholderRole...
    source_page: str | None = None


MAP_KINDS = ("organization", "standard", "standard-version", "tool", "stakeholder-type")


@dataclass(frozen=True)
class MapFilters:
    """What the map shows: kinds, a stakeholder role, a standard's neighbourhood, a region, a label search."""

    kinds: tuple[str, ...] = MAP_KINDS
    role: str | None = None
    standard: str | None = None
    region: str | None = None
    q: str | None = None


@dataclass(frozen=True)
class MapView:
    """The nodes and relations the filters keep (degrees counted within them) and the choices the filters offer."""

    nodes: list[MapNode]
    edges: list[MapEdge]
    filters: MapFilters
    roles: list[tuple[str, str]]  # (IRI, label) of every stakeholder type
    standards: list[tuple[str, str]]
    regions: list[str]


@dataclass(frozen=True)
class PrincipleMatrix:
    """Entities of one kind against the seven principles: scores 0–1 (score / max score)."""

    kind: str
    entities: list[tuple[str, str]]  # (IRI, label)
    principles: list[str]
    scores: list[list[float]]


@dataclass(frozen=True)
class DerivedReport:
    """What :meth:`lermap.service.KnowledgeGraph.derive` did for one derived product."""

    name: str
    state: str
    computed: bool  # False: the stored product was already up to date
    stored: bool  # False: the store is read-only, the product lives in this process only
    seconds: float
