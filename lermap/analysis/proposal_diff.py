"""What a proposal changes, as before → after lines a reviewer (and the proposer) can read, and what a page needs to
offer an edit of a directory entity: its id, kind and current values, its relations, the other entities.

The lines carry values and predicate IRIs, not words: the views turn predicates into words (``views/words.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from lermap.analysis import proposal_landing as landing
from lermap.analysis.kg import Graph
from lermap.analysis.proposals import PROPOSAL_BASE, Proposal, replaced_quads
from lermap.errors import LermapError
from lermap.graph.vocab import LERMAP, SCHEMA
from lermap.ingest.ecosystem.directory import ORG, PREDICATES, STD, TOOL, VER

_CLASS_KIND = {SCHEMA.Organization.value: ORG, LERMAP.Standard.value: STD, LERMAP.StandardVersion.value: VER, LERMAP.Tool.value: TOOL}
_DIRECTORY = """PREFIX schema: <https://schema.org/> PREFIX lermap: <https://w3id.org/lermap/vocab#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?e ?id ?t (SAMPLE(?label) AS ?name) WHERE {
  ?e schema:identifier ?id ; a ?t . VALUES ?t { schema:Organization lermap:Standard lermap:StandardVersion lermap:Tool }
  OPTIONAL { ?e skos:prefLabel ?label }
} GROUP BY ?e ?id ?t"""


@dataclass(frozen=True)
class DirectoryEntry:
    """An organisation, standard (version) or tool of the curated directory."""

    id: str
    name: str
    kind: str  # organisation, standard, version or tool
    iri: str


@dataclass(frozen=True)
class EditTarget:
    """A directory entity as the edit form offers it: current values, its relations, and the predicates it may use."""

    entry: DirectoryEntry
    values: dict[str, str | None]
    relations: list[tuple[str, DirectoryEntry]]  # (predicate name, object)
    predicates: list[str]  # the relations this entity may have as subject


@dataclass(frozen=True)
class DiffLine:
    """One change: ``what`` (a field name or a predicate IRI), the value before and after (None: absent)."""

    what: str
    before: str | None
    after: str | None
    entity: DirectoryEntry | None = None  # the other end of a relation, for a link


@dataclass(frozen=True)
class ProposalChange:
    """A proposal with what it changes: the entity it is about, and its lines."""

    proposal: Proposal
    entity: DirectoryEntry | None
    lines: list[DiffLine] = field(default_factory=list)


def directory(kg: Graph) -> dict[str, DirectoryEntry]:
    """Every directory entity by id (a version wins over its standard's id; ids are unique in the directory)."""

    def build() -> dict[str, DirectoryEntry]:
        out: dict[str, DirectoryEntry] = {}
        for row in kg.select(_DIRECTORY).records():
            kind = _CLASS_KIND[str(row["t"])]
            ent = DirectoryEntry(str(row["id"]), str(row["name"] or row["id"]), kind, str(row["e"]))
            if ent.id not in out or kind == VER:
                out[ent.id] = ent
        return dict(sorted(out.items(), key=lambda kv: kv[1].name.casefold()))

    return kg.cached("directory-entries", build)


def by_iri(kg: Graph, iri: str) -> DirectoryEntry | None:
    return next((e for e in directory(kg).values() if e.iri == iri), None)


def edit_target(kg: Graph, iri: str) -> EditTarget | None:
    """What the edit form needs for the entity ``iri``; None when it is not a directory entity."""
    entry = by_iri(kg, iri)
    if entry is None:
        return None
    node = ox.NamedNode(iri)
    values: dict[str, str | None] = {}
    for name in landing.FIELD_PREDICATES:
        quads = landing.field_values(kg, node, name)
        first = next((q for q in quads if q.predicate == landing.FIELD_PREDICATES[name][0]), quads[0] if quads else None)
        values[name] = _value(first.object) if first is not None else None
    by_node = {e.iri: e for e in directory(kg).values()}
    relations: list[tuple[str, DirectoryEntry]] = []
    for pred in [*PREDICATES, "provider"]:
        p = SCHEMA.provider if pred == "provider" else LERMAP[pred]
        for (o,) in kg.select("SELECT ?o WHERE { ?s ?p ?o }", {"s": node, "p": p}).rows:
            if isinstance(o, ox.NamedNode) and o.value in by_node:
                relations.append((pred, by_node[o.value]))
    allowed = [p for p, (subjects, _) in PREDICATES.items() if entry.kind in subjects]
    return EditTarget(entry, values, relations, allowed)


def describe(kg: Graph, p: Proposal) -> ProposalChange:
    """The proposal's change as before → after lines (for a decided fix or removal, "before" is what it replaced)."""
    entries = directory(kg)
    payload = p.payload

    def entry(ref: object) -> DirectoryEntry | None:
        if not isinstance(ref, str):
            return None
        return entries.get(ref) or by_iri(kg, ref)

    if p.kind == "entity":
        data = payload.get("entity") if isinstance(payload.get("entity"), dict) else {}
        assert isinstance(data, dict)
        lines = [DiffLine(str(k), None, ", ".join(map(str, v)) if isinstance(v, list) else str(v)) for k, v in data.items() if v not in (None, "", [])]
        name = str(data.get("name") or data.get("id") or "")
        new = DirectoryEntry(str(data.get("id") or ""), name, str(payload.get("entity_type") or ""), PROPOSAL_BASE + p.id)
        return ProposalChange(p, new, lines)
    if p.kind == "relation":
        subject, obj = entry(payload.get("s")), entry(payload.get("o"))
        pred = LERMAP[str(payload["p"])].value if payload.get("p") in PREDICATES else str(payload.get("p"))
        return ProposalChange(p, subject, [DiffLine(pred, None, obj.name if obj else str(payload.get("o")), obj)])
    subject = entry(payload.get("entity"))
    before = _before(kg, p)
    if p.kind == "fix":
        fname = str(payload.get("field"))
        main = landing.FIELD_PREDICATES.get(fname, (None,))[0]
        olds = list(dict.fromkeys(_value(q.object) for q in before if main is None or q.predicate == main)) or \
            list(dict.fromkeys(_value(q.object) for q in before))
        return ProposalChange(p, subject, [DiffLine(fname, "; ".join(olds) or None, str(payload.get("value")))])
    if payload.get("p"):
        obj = entry(payload.get("o"))
        pred = SCHEMA.provider.value if payload["p"] == "provider" else LERMAP[str(payload["p"])].value
        return ProposalChange(p, subject, [DiffLine(pred, obj.name if obj else str(payload.get("o")), None, obj)])
    return ProposalChange(p, subject, [DiffLine("entity", subject.name if subject else str(payload.get("entity")), None)])


def _value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    return str(term) if isinstance(term, ox.Triple) else term.value


def _before(kg: Graph, p: Proposal) -> list[ox.Quad]:
    """What the fix or removal replaces: recorded at approval, otherwise what the graph says now."""
    if p.status in {"approved", "reverted"} and p.replaced is not None:
        return landing.parse_quads(p.replaced)
    try:
        return replaced_quads(kg, p.payload)
    except LermapError:  # the entity has gone since the proposal was made
        return []

