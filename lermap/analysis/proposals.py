"""Edit proposals for the ecosystem directory: propose → moderate → approve (a named graph) → revert.

Anyone may propose one of four things, as a JSON object:

* ``{"kind": "entity", "entity_type": "organisation" | "tool" | "standard", "entity": {...}}`` — a new entity with
  the fields of ``data/ecosystem`` (``id``, ``name``, ``url``, ``roles``, ...; a tool names its ``provider`` id);
* ``{"kind": "relation", "s": id, "p": predicate, "o": id, "source": url, "note": text}`` — a sourced relation
  between directory entities (predicates and their allowed subjects/objects as in ``relations.yaml``);
* ``{"kind": "fix", "entity": id, "field": "name" | "url" | "description", "value": ..., "source": url}`` — a
  corrected value: approved, it *replaces* the field's values in every graph that states them
  (:mod:`lermap.analysis.proposal_landing`), so a corrected name is the one the map and entity page show;
* ``{"kind": "removal", "entity": id, "p"?: predicate, "o"?: id, "reason": text, "source"?: url}`` — take an entity
  out of the graph, or (with ``p`` and ``o``) one of its relations.

``entity``, ``s`` and ``o`` are directory ids (``credential-engine``) or the IRI of a directory entity.

A proposal is checked before it is queued: size limits, text treated as data (markup and script URLs refused,
control characters removed), ids resolved against the graph, the same field rules as the directory ingester, and
SHACL against the shipped shapes. The moderation queue is an append-only event log in a named graph outside the
catalogue (:data:`QUEUE_GRAPH`), so unmoderated text is never visible to queries, exports or the SPARQL endpoint.
``approve`` lands the proposal as its own catalogued named graph with its provenance (proposal id, proposer name if
given, reviewer, time, comment) and takes out what a correction or removal replaces; ``revert`` drops that graph and
puts back what was taken out. A proposer's contact stays in the queue, never in a shared graph.

These are plain functions on a :class:`~lermap.service.KnowledgeGraph`; the HTTP layer adds authentication.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Triple

from lermap.analysis import proposal_landing as landing
from lermap.analysis.kg import Graph
from lermap.analysis.proposal_landing import FIELD_PREDICATES
from lermap.analysis.proposal_text import clean, clean_short, clean_text
from lermap.errors import NotFoundError, ReadOnlyStoreError, SourceError, ValidationFailed
from lermap.graph.store import GraphInfo, SelectResult
from lermap.graph.terms import TripleTuple, is_iri, lit, to_rdflib
from lermap.graph.validate import shapes_graph
from lermap.graph.vocab import DCTERMS, LERMAP, LERMAP_BASE, PROV, RDF, RDFS, SCHEMA, XSD
from lermap.ingest.base import IngestContext, Source
from lermap.ingest.ecosystem.directory import (
    ORG,
    PREDICATES,
    STD,
    TOOL,
    VER,
    Entity,
    entity_triples,
    read_entity,
    relation_triples,
)

QUEUE_GRAPH = NamedNode(LERMAP_BASE + "moderation/proposals")
PROPOSAL_BASE = LERMAP_BASE + "proposal/"
MAX_PROPOSAL_BYTES = 16 * 1024
KINDS = ("entity", "relation", "fix", "removal")
FIX_FIELDS = tuple(FIELD_PREDICATES)
_ENTITY_TYPES = {"organisation": ORG, "tool": TOOL, "standard": STD}
_CLASS_KIND = {
    SCHEMA.Organization.value: ORG, LERMAP.Standard.value: STD, LERMAP.StandardVersion.value: VER, LERMAP.Tool.value: TOOL,
}


@dataclass
class Proposal:
    """A proposal and where it stands: ``pending``, ``approved``, ``rejected`` or ``reverted``."""

    id: str
    kind: str
    payload: dict[str, Any]
    status: str
    created: str
    proposer: str | None = None
    contact: str | None = None
    reviewer: str | None = None
    decided_at: str | None = None
    graph: str | None = None
    reason: str | None = None  # the reviewer's comment on the decision
    replaced: str | None = None  # N-Quads an approved fix or removal took out of the graph (see proposal_landing)

    @property
    def iri(self) -> NamedNode:
        return NamedNode(PROPOSAL_BASE + self.id)

    @property
    def source_key(self) -> str:
        """The catalogue key of the graph an approved proposal lands in."""
        return PROPOSAL_BASE + self.id

    def to_dict(self, include_contact: bool = False) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k != "contact"}
        if include_contact:
            out["contact"] = self.contact
        return out


# -- public functions ---------------------------------------------------------------------------------


def propose(kg: Graph, proposal: dict[str, Any] | str | bytes, proposer: str | None = None,
            contact: str | None = None) -> Proposal:
    """Check a proposal and put it in the moderation queue; raises :class:`ValidationFailed` with the reason."""
    _require_writable(kg)
    payload = _load(proposal)
    proposer = clean_short(proposer, "proposer") if proposer else None
    contact = clean_short(contact, "contact") if contact else None
    triples = _triples(kg, payload)  # refuses what cannot land
    if triples:
        _validate_shapes(kg, triples)
    for key in ("entity", "s", "o"):  # references kept as directory ids (a page sends IRIs), as data/ecosystem writes them
        if isinstance(payload.get(key), str) and payload["kind"] != "entity":
            payload[key] = _lookup(kg, payload[key], key).id
    now = _now()
    p = Proposal(uuid.uuid4().hex[:12], payload["kind"], payload, "pending", now, proposer, contact)
    node = p.iri
    event: list[TripleTuple] = [
        (node, RDF.type, LERMAP.Proposal),
        (node, LERMAP.proposalId, lit(p.id)),
        (node, LERMAP.proposalKind, lit(p.kind)),
        (node, RDF.value, lit(json.dumps(payload, ensure_ascii=False, sort_keys=True))),
        (node, PROV.generatedAtTime, lit(now, datatype=XSD.dateTime)),
    ]
    if proposer:
        event.append((node, LERMAP.proposedBy, lit(proposer)))
    if contact:
        event.append((node, SCHEMA.email, lit(contact)))
    _require_writable(kg)
    kg.store.add(QUEUE_GRAPH, event)
    return p


def list_proposals(kg: Graph, status: str | None = None) -> list[Proposal]:
    """Every proposal in the queue (oldest first), optionally only those with ``status``."""
    rows = _queue_select(kg, """
        PREFIX lermap: <https://w3id.org/lermap/vocab#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX schema: <https://schema.org/>
        SELECT ?id ?kind ?payload ?created ?proposer ?contact WHERE {
          ?p a lermap:Proposal ; lermap:proposalId ?id ; lermap:proposalKind ?kind ; rdf:value ?payload ;
             prov:generatedAtTime ?created .
          OPTIONAL { ?p lermap:proposedBy ?proposer } OPTIONAL { ?p schema:email ?contact }
        } ORDER BY ?created ?id""")
    events = _events(kg)
    out = []
    for r in rows:
        p = Proposal(r["id"], r["kind"], json.loads(r["payload"]), "pending", r["created"], r.get("proposer"), r.get("contact"))
        for ev in events.get(p.id, []):
            p.status, p.reviewer, p.decided_at = ev["type"], ev.get("reviewer"), ev["time"]
            p.graph = ev.get("graph") or p.graph
            p.reason = ev.get("reason")
            p.replaced = ev.get("replaced") if ev["type"] == "approved" else p.replaced
        if status is None or p.status == status:
            out.append(p)
    return out


def get_proposal(kg: Graph, proposal_id: str) -> Proposal:
    for p in list_proposals(kg):
        if p.id == proposal_id:
            return p
    raise NotFoundError(f"no proposal {proposal_id!r}")


def approve(kg: Graph, proposal_id: str, reviewer: str, comment: str | None = None) -> Proposal:
    """Land a pending proposal as its own named graph, with provenance, and take out what a fix or removal replaces;
    refuses if it no longer validates."""
    p = get_proposal(kg, proposal_id)
    if p.status != "pending":
        raise ValidationFailed(f"proposal {p.id} is {p.status}, not pending")
    reviewer = clean_short(reviewer, "reviewer")
    comment = clean_text(comment, "comment", 1000) or None if comment else None
    triples = _triples(kg, p.payload)
    if triples:
        _validate_shapes(kg, triples)
    replaced = replaced_quads(kg, p.payload)
    now = _now()
    store = kg.store
    graph = store.new_graph(p.source_key)
    triples += [
        (graph, RDF.type, PROV.Entity),
        (graph, LERMAP.proposalId, lit(p.id)),
        (graph, LERMAP.proposalKind, lit(p.kind)),
        (graph, PROV.wasDerivedFrom, p.iri),
        (graph, LERMAP.reviewedBy, lit(reviewer)),
        (graph, LERMAP.reviewedAt, lit(now, datatype=XSD.dateTime)),
    ]
    if p.proposer:
        triples.append((graph, LERMAP.proposedBy, lit(p.proposer)))
    try:
        store.add(graph, triples)
        info = GraphInfo(graph=graph.value, source=p.source_key, format="proposal", format_version=p.kind,
                         sha256=hashlib.sha256(json.dumps(p.payload, sort_keys=True).encode()).hexdigest(),
                         ingested_at=now, triples=len(set(triples)), ingester_version="1")
        store.commit_graph(graph, info)
    except BaseException:
        store.discard_graph(graph)
        raise
    taken = landing.take_out(kg, replaced) if replaced else None
    _event(kg, p, "approved", reviewer, now, graph=graph.value, reason=comment, replaced=taken)
    return get_proposal(kg, p.id)


def replaced_quads(kg: Graph, payload: dict[str, Any]) -> list[Quad]:
    """What approving a fix or a removal would take out of the shared graphs now (nothing for other kinds)."""
    if payload["kind"] == "fix":
        ent = _lookup(kg, payload.get("entity"), "entity")
        return landing.field_values(kg, ent.iri, str(payload.get("field")))
    if payload["kind"] == "removal":
        ent = _lookup(kg, payload.get("entity"), "entity")
        if payload.get("p"):
            return landing.relation_quads(kg, ent.iri, _predicate(str(payload["p"])), _lookup(kg, payload.get("o"), "o").iri)
        return landing.entity_quads(kg, ent.iri)
    return []


def reject(kg: Graph, proposal_id: str, reviewer: str, reason: str | None = None) -> Proposal:
    """Close a pending proposal without landing it."""
    p = get_proposal(kg, proposal_id)
    if p.status != "pending":
        raise ValidationFailed(f"proposal {p.id} is {p.status}, not pending")
    _event(kg, p, "rejected", clean_short(reviewer, "reviewer"), _now(), reason=clean_text(reason, "reason", 1000) if reason else None)
    return get_proposal(kg, p.id)


def revert(kg: Graph, proposal_id: str, reviewer: str | None = None) -> Proposal:
    """Take an approved proposal's graph out of the store again."""
    p = get_proposal(kg, proposal_id)
    if p.status != "approved" or not p.graph:
        raise ValidationFailed(f"proposal {p.id} is {p.status}; only approved proposals can be reverted")
    kg.store.drop(p.graph)
    if p.replaced:
        landing.restore(kg, p.replaced)
    _event(kg, p, "reverted", clean_short(reviewer, "reviewer") if reviewer else None, _now(), graph=p.graph)
    return get_proposal(kg, p.id)


# -- checking a proposal --------------------------------------------------------------------------------


def _load(proposal: dict[str, Any] | str | bytes) -> dict[str, Any]:
    if isinstance(proposal, (str, bytes)):
        raw = proposal.encode("utf-8") if isinstance(proposal, str) else proposal
        if len(raw) > MAX_PROPOSAL_BYTES:
            raise ValidationFailed(f"proposal is {len(raw):,} bytes; the limit is {MAX_PROPOSAL_BYTES:,}")
        try:
            proposal = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ValidationFailed(f"proposal is not valid JSON: {exc}") from None
    if not isinstance(proposal, dict):
        raise ValidationFailed("a proposal is a JSON object")
    size = len(json.dumps(proposal, ensure_ascii=False).encode("utf-8"))
    if size > MAX_PROPOSAL_BYTES:
        raise ValidationFailed(f"proposal is {size:,} bytes; the limit is {MAX_PROPOSAL_BYTES:,}")
    if proposal.get("kind") not in KINDS:
        raise ValidationFailed(f"proposal kind must be one of {', '.join(KINDS)}")
    return clean(proposal, "proposal")  # type: ignore[no-any-return]


def _ctx() -> IngestContext:
    return IngestContext(Source.from_bytes("proposal", b""))


def _lookup(kg: Graph, ent_id: Any, where: str) -> Entity:
    """The directory entity with this id (``credential-engine``) or IRI."""
    if not isinstance(ent_id, str) or not ent_id:
        raise ValidationFailed(f"{where}: expected a directory id")
    if is_iri(ent_id) and ent_id.startswith(("http://", "https://")):
        found = kg.select("""PREFIX schema: <https://schema.org/>
            SELECT ?id WHERE { ?e schema:identifier ?id }""", {"e": NamedNode(ent_id)}).records()
        ent_id = str(found[0]["id"]) if found else ent_id
    rows = kg.select("""PREFIX schema: <https://schema.org/>
        PREFIX lermap: <https://w3id.org/lermap/vocab#>
        SELECT ?e ?t WHERE { ?e schema:identifier ?id ; a ?t .
          VALUES ?t { schema:Organization lermap:Standard lermap:StandardVersion lermap:Tool } }""", {"id": lit(ent_id)}).records()
    if not rows:
        raise ValidationFailed(f"{where}: no directory entity {ent_id!r} (only the curated directory's organisations, standards and tools can be edited)")
    kinds = {_CLASS_KIND[str(r["t"])] for r in rows}
    kind = VER if VER in kinds else next(iter(sorted(kinds)))
    return Entity(ent_id, kind, NamedNode(str(rows[0]["e"])), {}, where)


def _source_url(value: Any, where: str) -> str:
    if not isinstance(value, str) or not is_iri(value) or not value.startswith(("https://", "http://")):
        raise ValidationFailed(f"{where}: every fact needs the public web page (http/https) that states it")
    return value


def _triples(kg: Graph, payload: dict[str, Any]) -> list[TripleTuple]:
    """The triples a proposal would land; refuses what is not allowed."""
    kind = payload["kind"]
    try:
        if kind == "relation":
            pred = payload.get("p")
            if pred not in PREDICATES:
                raise ValidationFailed(f"p: use one of {', '.join(PREDICATES)}")
            s, o = _lookup(kg, payload.get("s"), "s"), _lookup(kg, payload.get("o"), "o")
            allowed_s, allowed_o = PREDICATES[pred]
            if s.kind not in allowed_s or o.kind not in allowed_o:
                raise ValidationFailed(f"{pred} goes from a {' or '.join(sorted(allowed_s))} to a {' or '.join(sorted(allowed_o))}")
            return list(relation_triples(s.iri, LERMAP[pred], o.iri, _source_url(payload.get("source"), "source"), payload.get("note")))
        if kind == "fix":
            ent = _lookup(kg, payload.get("entity"), "entity")
            field = payload.get("field")
            if field not in FIX_FIELDS:
                raise ValidationFailed(f"field: one of {', '.join(FIX_FIELDS)}")
            value = payload.get("value")
            if not isinstance(value, str) or not value:
                raise ValidationFailed("value: enter the corrected value")
            if field == "url":
                if not (is_iri(value) and value.startswith(("https://", "http://"))):
                    raise ValidationFailed("value: a website address starts with https:// (or http://)")
                obj: Any = NamedNode(value)
            else:
                obj = lit(value, lang="en") if field == "description" else lit(value)
            source = _source_url(payload.get("source"), "source")
            stated = FIELD_PREDICATES[field][0]
            st = NamedNode(PROPOSAL_BASE + "fix/" + hashlib.sha256(f"{ent.iri.value}|{field}|{value}".encode()).hexdigest()[:20])
            values: list[TripleTuple] = [(ent.iri, stated, obj)] + ([(ent.iri, SCHEMA.name, obj)] if field == "name" else [])
            return values + [(st, RDF.type, RDF.Statement), (st, RDF.subject, ent.iri), (st, RDF.predicate, stated), (st, RDF.object, obj),
                             (st, LERMAP.relationSource, NamedNode(source)),
                             (st, RDFS.comment, lit("correction proposed for the curated directory", lang="en"))]
        if kind == "removal":
            _removal_checks(kg, payload)
            return []
        entity_type = _ENTITY_TYPES.get(payload.get("entity_type"))  # type: ignore[arg-type]
        if entity_type is None:
            raise ValidationFailed(f"entity_type: one of {', '.join(_ENTITY_TYPES)}")
        entities = read_entity(entity_type, payload.get("entity"), "entity", _ctx())
    except SourceError as exc:
        raise ValidationFailed(f"{exc.location}: {exc.reason}") from None
    out: list[TripleTuple] = []
    for ent in entities:
        try:
            existing = _lookup(kg, ent.id, "entity.id")
        except ValidationFailed:
            existing = None
        if existing is not None:
            raise ValidationFailed(f"entity.id: {ent.id!r} is already in the directory; propose a fix instead")
        if kg.ask("ASK WHERE { ?e ?p ?o }", {"e": ent.iri}):
            raise ValidationFailed(f"entity.name: an entity named {ent.data['name']!r} is already in the graph")
        out.extend(entity_triples(ent))
    main = entities[0]
    if main.kind == TOOL:
        provider = _lookup(kg, main.data["provider"], "entity.provider")
        if provider.kind != ORG:
            raise ValidationFailed("entity.provider: must be an organisation id")
        out.extend(relation_triples(main.iri, SCHEMA.provider, provider.iri, main.data["url"]))
    return out


def _predicate(name: str) -> NamedNode:
    if name == "provider":
        return SCHEMA.provider
    if name not in PREDICATES:
        raise ValidationFailed(f"p: use one of {', '.join(PREDICATES)}")
    return LERMAP[name]


def _removal_checks(kg: Graph, payload: dict[str, Any]) -> None:
    """A removal names a directory entity (and a relation of it that exists) and says why."""
    ent = _lookup(kg, payload.get("entity"), "entity")
    reason = payload.get("reason")
    if not isinstance(reason, str) or len(reason) < 10:
        raise ValidationFailed("reason: say in a sentence why this should be removed (at least 10 characters)")
    if payload.get("source") is not None:
        _source_url(payload.get("source"), "source")
    if payload.get("p") or payload.get("o"):
        pred, obj = _predicate(str(payload.get("p"))), _lookup(kg, payload.get("o"), "o")
        if not kg.ask("ASK WHERE { ?s ?p ?o }", {"s": ent.iri, "p": pred, "o": obj.iri}):
            raise ValidationFailed(f"o: the graph does not say that {ent.id} {payload.get('p')} {obj.id}")
    elif ent.kind == ORG and kg.ask(f"ASK WHERE {{ ?t {SCHEMA.provider} ?e ; a {LERMAP.Tool} }}", {"e": ent.iri}):
        raise ValidationFailed("entity: this organisation provides tools in the directory; propose removing those tools first")


def _validate_shapes(kg: Graph, triples: list[TripleTuple]) -> None:
    """SHACL over the proposal's triples plus the types of the entities they refer to."""
    g = rdflib.Graph()
    for s, p, o in triples:
        g.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    refs = {o for _, _, o in triples if isinstance(o, NamedNode)} | {s for s, _, _ in triples}
    # the existing entities a proposal refers to come along with their own facts and their neighbours' types
    for ref in refs:
        for pred, obj, typ in kg.select("SELECT ?p ?o ?t WHERE { ?e ?p ?o . OPTIONAL { ?o a ?t } }", {"e": ref}).rows:
            if isinstance(pred, NamedNode) and isinstance(obj, NamedNode | BlankNode | Literal):
                g.add((to_rdflib(ref), to_rdflib(pred), to_rdflib(obj)))
                if isinstance(typ, NamedNode):
                    g.add((to_rdflib(obj), rdflib.RDF.type, to_rdflib(typ)))
    import pyshacl

    shapes, _ = shapes_graph()
    focus: list[str | rdflib.URIRef] = [rdflib.URIRef(n.value) for n in refs if isinstance(n, NamedNode)]
    conforms, _, text = pyshacl.validate(g, shacl_graph=shapes, inference="none", advanced=True, focus_nodes=focus)
    if not conforms:
        messages = re.findall(r"Message: (.+)", str(text))
        raise ValidationFailed("the proposal does not fit the directory's shapes: " + "; ".join(messages[:5]))


# -- the queue --------------------------------------------------------------------------------------------


def _require_writable(kg: Graph) -> None:
    if not kg.store.writable:
        raise ReadOnlyStoreError(f"store {kg.store.selector} is read-only; proposals need a writable store")


def _queue_select(kg: Graph, sparql: str) -> list[dict[str, str]]:
    res = kg.store.query_graphs(sparql, [QUEUE_GRAPH])
    assert isinstance(res, SelectResult)
    return [{k: str(t.value) for k, t in zip(res.variables, row, strict=True) if t is not None and not isinstance(t, Triple)}
            for row in res.rows]


def _events(kg: Graph) -> dict[str, list[dict[str, str]]]:
    rows = _queue_select(kg, """
        PREFIX lermap: <https://w3id.org/lermap/vocab#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?id ?type ?time ?reviewer ?graph ?reason ?replaced WHERE {
          ?e dcterms:isPartOf ?p ; dcterms:type ?type ; lermap:reviewedAt ?time .
          ?p lermap:proposalId ?id .
          OPTIONAL { ?e lermap:reviewedBy ?reviewer } OPTIONAL { ?e lermap:catalog ?graph } OPTIONAL { ?e rdfs:comment ?reason }
          OPTIONAL { ?e lermap:replacedQuads ?replaced }
        } ORDER BY ?time""")
    out: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        out.setdefault(r["id"], []).append(r)
    return out


def _event(kg: Graph, p: Proposal, kind: str, reviewer: str | None, when: str, graph: str | None = None,
           reason: str | None = None, replaced: str | None = None) -> None:
    e = NamedNode(f"{PROPOSAL_BASE}{p.id}/event/{uuid.uuid4().hex[:12]}")
    triples: list[TripleTuple] = [
        (e, RDF.type, PROV.Activity), (e, DCTERMS.isPartOf, p.iri), (e, DCTERMS.type, lit(kind)),
        (e, LERMAP.reviewedAt, lit(when, datatype=XSD.dateTime)),
    ]
    if reviewer:
        triples.append((e, LERMAP.reviewedBy, lit(reviewer)))
    if graph:
        triples.append((e, LERMAP.catalog, NamedNode(graph)))
    if reason:
        triples.append((e, RDFS.comment, lit(reason)))
    if replaced:
        triples.append((e, LERMAP.replacedQuads, lit(replaced)))
    kg.store.add(QUEUE_GRAPH, triples)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")
