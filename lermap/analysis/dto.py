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


@dataclass(frozen=True)
class ListItem:
    """One entity of a resource list (organisations, competencies, occupations...)."""

    id: str
    label: str | None
    description: str | None
    scheme: str | None


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


@dataclass
class TreeNode:
    """A competency in its framework's hierarchy."""

    id: str
    label: str | None
    notation: str | None
    children: list[TreeNode] = field(default_factory=list)


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
    """A node of the ecosystem map with its stored position, its group (kind, and stakeholder role for an
    organisation) and how the view shows it: ``normal``, or with a focus or a search ``focus`` / ``match`` (the
    node chosen or found), ``near`` (within the hops around it) or ``dim`` (the rest, shown faintly)."""

    id: str
    label: str
    kind: str  # organization, standard, standard-version, tool, stakeholder-type
    x: float
    y: float
    region: str | None = None
    roles: tuple[str, ...] = ()
    degree: int = 0
    group: str = ""
    state: str = "normal"


@dataclass(frozen=True)
class MapEdge:
    """A typed relation on the map, with the page that states it (when the source gives one)."""

    source: str
    target: str
    predicate: str  # the predicate's local name: develops, implements, stakeholderRole...
    source_page: str | None = None
    predicate_iri: str | None = None  # the full predicate (None for the map's own stakeholderRole edges)


MAP_KINDS = ("organization", "standard", "standard-version", "tool", "stakeholder-type")
MAX_HOPS = 2


@dataclass(frozen=True)
class MapFilters:
    """What the map shows: kinds, a stakeholder role, a standard's neighbourhood, a region, a label search (matches
    and their neighbours within ``hops``), and a ``focus`` node whose neighbourhood within ``hops`` is highlighted."""

    kinds: tuple[str, ...] = MAP_KINDS
    role: str | None = None
    standard: str | None = None
    region: str | None = None
    q: str | None = None
    focus: str | None = None
    hops: int = 1


@dataclass(frozen=True)
class MapView:
    """The nodes and relations the filters keep (degrees counted within them) and the choices the filters offer."""

    nodes: list[MapNode]
    edges: list[MapEdge]
    filters: MapFilters
    roles: list[tuple[str, str]]  # (IRI, label) of every stakeholder type
    standards: list[tuple[str, str]]
    regions: list[str]
    focus_label: str | None = None  # the focused node's label (None: no focus, or not on the map)


@dataclass(frozen=True)
class PrincipleRow:
    """One entity's scores (0–3) against the seven principles, in :attr:`PrincipleMatrix.principles` order."""

    id: str
    label: str
    kind: str  # organisation, tool, standard
    scores: list[int]
    total: int
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class PrincipleMatrix:
    """Entities against the seven principles, filtered by kind and stakeholder role, sorted by ``sort``."""

    principles: list[tuple[str, str]]  # (id, name)
    rows: list[PrincipleRow]
    kind: str | None
    role: str | None
    sort: str  # "name", "total" or a principle id; "-" first for descending
    max_score: int = 3


@dataclass(frozen=True)
class Principle:
    """A C-BEN principle as the graph holds it: id, name, definition, and the kinds of evidence its rule counts."""

    id: str
    label: str
    definition: str | None
    evidence_kinds: list[str]


@dataclass(frozen=True)
class Relation:
    """A relation of an entity with another: the predicate, its direction (``out``: the entity is the subject), the
    other entity, its kind (a class IRI) and the public page the relation was sourced from (when recorded)."""

    predicate: str
    direction: str  # out | in
    other: str
    other_label: str | None
    other_types: tuple[str, ...]
    source: str | None


@dataclass(frozen=True)
class EntityProfile:
    """What an entity page shows: the facts people read (no RDF), its relations with sources, and the raw facts."""

    id: str
    label: str | None
    types: list[str]
    description: str | None
    website: str | None
    region: str | None
    roles: list[tuple[str, str]]  # (IRI, label)
    attributes: list[tuple[str, str]]  # (predicate IRI, value) of other literal facts
    relations: list[Relation]
    map_kind: str | None  # the kind on the map (organization, tool, standard...) or None when not on the map


@dataclass(frozen=True)
class KindHit:
    """A search hit with the kind of list it belongs to (``organizations``, ``standards``...)."""

    id: str
    label: str
    kind: str
    score: float


@dataclass(frozen=True)
class DerivedReport:
    """What :meth:`lermap.service.KnowledgeGraph.derive` did for one derived product."""

    name: str
    state: str
    computed: bool  # False: the stored product was already up to date
    stored: bool  # False: the store is read-only, the product lives in this process only
    seconds: float
