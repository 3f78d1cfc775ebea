"""The curated ecosystem directory (``data/ecosystem/*.yaml``): organisations, standards, tools, sourced relations.

One folder, one YAML file per entity type (see ``docs/ecosystem.md``): ``standards-bodies.yaml``,
``organisations.yaml``, ``tools.yaml``, ``standards.yaml`` (with versions), ``relations.yaml`` and
``principles.yaml`` (C-BEN's seven principles). Files are recognised by their top-level key, not their name.

Core view written:

* organisations: ``schema:Organization`` (IRI minted from the name with
  :func:`~lermap.ingest.ecosystem.ler_map.organisation_iri`, shared with the LER map's resource authors, or the
  organisation's own ``iri``), ``lermap:stakeholderRole`` → the map's stakeholder-type concepts;
* standards: ``lermap:Standard`` + ``dcterms:Standard``; versions ``lermap:StandardVersion`` with ``dcterms:isVersionOf``;
* tools: ``lermap:Tool`` + ``schema:SoftwareApplication`` with ``schema:provider``;
* every relation twice: the direct triple (``org lermap:implements std``) and an ``rdf:Statement`` naming the same
  subject, predicate and object with ``lermap:relationSource`` (the public page stating the fact). A relation
  without a source is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import NamedNode

from lermap.graph.terms import TripleTuple, is_iri, lit, minted
from lermap.graph.vocab import DCTERMS, LERMAP, LERMAP_ID_BASE, RDF, RDFS, SCHEMA, SKOS, XSD
from lermap.ingest.base import IngestContext, Ingester, Source
from lermap.ingest.ecosystem.ler_map import STAKEHOLDER_TYPES, load_yaml, stakeholder_type_iri
from lermap.ingest.identifiers import organisation_iri

ORG, STD, VER, TOOL = "organisation", "standard", "version", "tool"
SECTORS = ("public", "private", "nonprofit", "academic")
FEATURES = (
    "verifiable", "selective-disclosure", "learner-held", "revocation", "non-formal", "prior-learning",
    "work-experience", "skills-based", "international",
)
# predicate -> (allowed subject kinds, allowed object kinds)
PREDICATES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "develops": (frozenset({ORG}), frozenset({STD, VER})),
    "maintains": (frozenset({ORG}), frozenset({STD, VER})),
    "implements": (frozenset({ORG, TOOL, STD, VER}), frozenset({STD, VER})),
    "supports": (frozenset({ORG, TOOL, STD, VER}), frozenset({STD, VER})),
    "certifiedFor": (frozenset({ORG, TOOL}), frozenset({STD, VER})),
    "memberOf": (frozenset({ORG}), frozenset({ORG})),
    "funds": (frozenset({ORG}), frozenset({ORG, TOOL, STD})),
    "convenes": (frozenset({ORG}), frozenset({ORG})),
    "partnerWith": (frozenset({ORG}), frozenset({ORG})),
    "publishesTo": (frozenset({ORG}), frozenset({TOOL})),
    "issuesCredentials": (frozenset({ORG}), frozenset({STD, VER, TOOL})),
    "usesFramework": (frozenset({ORG, TOOL, STD, VER}), frozenset({STD, VER})),
}
_ID = re.compile(r"^[a-z0-9][a-z0-9.-]{0,80}$")
_SECTIONS = {"standards_bodies": ORG, "organisations": ORG, "standards": STD, "tools": TOOL}
PRINCIPLE_SCHEME = NamedNode(LERMAP_ID_BASE + "cben-principles")


def standard_iri(std_id: str) -> NamedNode:
    return NamedNode(f"{LERMAP_ID_BASE}standard/{std_id}")


def version_iri(std_id: str, version: str) -> NamedNode:
    return NamedNode(f"{LERMAP_ID_BASE}standard/{std_id}/{version}")


def tool_iri(tool_id: str) -> NamedNode:
    return NamedNode(f"{LERMAP_ID_BASE}tool/{tool_id}")


def principle_iri(principle_id: str) -> NamedNode:
    """The concept IRI of a C-BEN principle, e.g. ``principle_iri("open-standards")``."""
    return NamedNode(f"{LERMAP_ID_BASE}cben-principle/{principle_id}")


def statement_iri(s: NamedNode, p: NamedNode, o: NamedNode) -> NamedNode:
    return minted("relation", s.value, p.value, o.value)


@dataclass
class Entity:
    """One directory entity after validation."""

    id: str
    kind: str  # ORG, STD, VER or TOOL
    iri: NamedNode
    data: dict[str, Any]
    location: str


@dataclass
class Relation:
    subject: Entity
    predicate: str
    object: Entity
    source: str
    note: str | None
    location: str


@dataclass
class Directory:
    entities: dict[str, Entity] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    principles: dict[str, Any] | None = None


class DirectoryIngester(Ingester):
    name = "directory"
    title = "lermap ecosystem directory"
    version = "1"

    def sniff(self, source: Source) -> float:
        if not source.is_dir:
            return 0.0
        names = {e.name for e in source.top_entries()}  # direct children only: never claim data/
        return 0.95 if {"relations.yaml", "organisations.yaml"} <= names else 0.0

    # -- parse -------------------------------------------------------------------------------------

    def parse(self, source: Source, ctx: IngestContext) -> Directory:
        if not source.is_dir:
            ctx.fail("(document)", "the directory is a folder of YAML files (organisations.yaml, relations.yaml, ...)")
        docs: dict[str, tuple[str, Any]] = {}
        for entry in source.entries():
            if entry.suffix not in {".yaml", ".yml"}:
                continue
            name = entry.basename
            doc = load_yaml(entry.text(source.limits.max_file_bytes), ctx, name)
            if doc is None:
                continue
            if not isinstance(doc, dict):
                ctx.fail(name, f"expected a YAML mapping at the top, found {type(doc).__name__}")
            for key in doc:
                if key in docs:
                    ctx.fail(f"{name}: {key}", f"section also given in {docs[key][0]}")
                docs[key] = (name, doc[key])
        directory = Directory()
        for section, kind in _SECTIONS.items():
            if section in docs:
                fname, items = docs[section]
                for i, item in enumerate(_list(items, f"{fname}: {section}", ctx)):
                    for entity in read_entity(kind, item, f"{fname}: {section}[{i}]", ctx):
                        _add(directory, entity, ctx)
        if not directory.entities:
            ctx.fail("(document)", "no organisations, standards or tools found")
        for ent in [e for e in directory.entities.values() if e.kind == TOOL]:
            provider = directory.entities.get(ent.data["provider"])
            if provider is None or provider.kind != ORG:
                ctx.fail(f"{ent.location}.provider", f"unknown organisation {ent.data['provider']!r}")
            directory.relations.append(Relation(ent, "provider", provider, ent.data["url"], None, f"{ent.location}.provider"))
        if "relations" in docs:
            fname, items = docs["relations"]
            named = docs.get("sources", (fname, {}))[1] or {}
            if not isinstance(named, dict):
                ctx.fail(f"{fname}: sources", "expected a mapping of names to URLs")
            for i, item in enumerate(_list(items, f"{fname}: relations", ctx)):
                directory.relations.extend(read_relations(item, f"{fname}: relations[{i}]", directory.entities, named, ctx))
        if "principles" in docs:
            directory.principles = {"scheme": docs.get("scheme", ("", {}))[1], "principles": docs["principles"][1],
                                    "file": docs["principles"][0]}
        return directory

    # -- map ---------------------------------------------------------------------------------------

    def map(self, parsed: Directory, ctx: IngestContext) -> Iterator[TripleTuple]:
        for ent in parsed.entities.values():
            yield from entity_triples(ent)
        for rel in parsed.relations:
            pred = SCHEMA.provider if rel.predicate == "provider" else LERMAP[rel.predicate]
            yield from relation_triples(rel.subject.iri, pred, rel.object.iri, rel.source, rel.note)
        if parsed.principles is not None:
            yield from principle_triples(parsed.principles, parsed.entities, ctx)


def _add(directory: Directory, entity: Entity, ctx: IngestContext) -> None:
    if entity.id in directory.entities:
        ctx.fail(f"{entity.location}.id", f"id {entity.id!r} already used at {directory.entities[entity.id].location}")
    clash = next((e for e in directory.entities.values() if e.iri == entity.iri), None)
    if clash is not None:
        ctx.fail(f"{entity.location}.name", f"same name as {clash.id!r} ({clash.location}); give one of them its own name or iri")
    directory.entities[entity.id] = entity


# -- reading and validating ---------------------------------------------------------------------------


def read_entity(kind: str, item: Any, loc: str, ctx: IngestContext) -> list[Entity]:
    """Validate one entity mapping (and, for a standard, its versions); refuse bad values with their location."""
    if not isinstance(item, dict):
        ctx.fail(loc, f"expected a mapping, found {type(item).__name__}")
    ent_id = _str(item, "id", loc, ctx, required=True)
    if not _ID.match(ent_id):
        ctx.fail(f"{loc}.id", f"ids are lower-case letters, digits, '.' and '-': {ent_id!r}")
    data: dict[str, Any] = {
        "name": _str(item, "name", loc, ctx, required=True),
        "url": _url(item, "url", loc, ctx, required=True),
        "description": _str(item, "description", loc, ctx),
        "alt_names": _strs(item, "alt_names", loc, ctx),
        "roles": _strs(item, "roles", loc, ctx),
        "languages": _strs(item, "languages", loc, ctx),
        "features": _strs(item, "features", loc, ctx),
        "kind": _str(item, "kind", loc, ctx),
        "license": _url(item, "license", loc, ctx),
        "free": _bool(item, "free", loc, ctx),
    }
    for role in data["roles"]:
        if role not in STAKEHOLDER_TYPES:
            ctx.fail(f"{loc}.roles", f"unknown stakeholder type {role!r}; use one of {', '.join(STAKEHOLDER_TYPES)}")
    for feat in data["features"]:
        if feat not in FEATURES:
            ctx.fail(f"{loc}.features", f"unknown feature {feat!r}; use one of {', '.join(FEATURES)}")
    out: list[Entity] = []
    if kind == ORG:
        data["sector"] = _str(item, "sector", loc, ctx)
        if data["sector"] is not None and data["sector"] not in SECTORS:
            ctx.fail(f"{loc}.sector", f"use one of {', '.join(SECTORS)}")
        data["country"] = _str(item, "country", loc, ctx)
        data["region"] = _str(item, "region", loc, ctx)
        own = _url(item, "iri", loc, ctx)
        iri = NamedNode(own) if own else organisation_iri(data["name"])
    elif kind == TOOL:
        data["provider"] = _str(item, "provider", loc, ctx, required=True)
        iri = tool_iri(ent_id)
    else:
        data["open"] = _bool(item, "open", loc, ctx)
        if _bool(item, "international", loc, ctx):
            data["features"].append("international")
        iri = standard_iri(ent_id)
        for j, v in enumerate(_list(item.get("versions") or [], f"{loc}.versions", ctx)):
            vloc = f"{loc}.versions[{j}]"
            if not isinstance(v, dict):
                ctx.fail(vloc, f"expected a mapping, found {type(v).__name__}")
            if isinstance(v.get("version"), float):
                ctx.warn(f"{vloc}.version", "write version numbers in quotes: YAML reads 1.10 as the number 1.1")
            number = _str(v, "version", vloc, ctx, required=True)
            if not re.match(r"^[A-Za-z0-9.\-]{1,20}$", number):
                ctx.fail(f"{vloc}.version", f"not a version number: {number!r}")
            released = v.get("released")
            if released is not None and not (isinstance(released, int) and 1900 < released < 2200):
                ctx.fail(f"{vloc}.released", "expected a year")
            vdata = {
                "name": f"{data['name']} {number}", "version": number, "url": _url(v, "url", vloc, ctx, required=True),
                "released": released, "current": _bool(v, "current", vloc, ctx), "features": _strs(v, "features", vloc, ctx),
                "of": ent_id, "of_iri": iri,
            }
            for feat in vdata["features"]:
                if feat not in FEATURES:
                    ctx.fail(f"{vloc}.features", f"unknown feature {feat!r}")
            out.append(Entity(f"{ent_id}@{number}", VER, version_iri(ent_id, number), vdata, vloc))
    return [Entity(ent_id, kind, iri, data, loc), *out]


def read_relations(
    item: Any, loc: str, entities: dict[str, Entity], named_sources: dict[str, Any], ctx: IngestContext
) -> list[Relation]:
    """Validate one relation entry (subject or object may be a list) against the known entities and predicates."""
    if not isinstance(item, dict):
        ctx.fail(loc, f"expected a mapping, found {type(item).__name__}")
    pred = _str(item, "p", loc, ctx, required=True)
    if pred not in PREDICATES:
        ctx.fail(f"{loc}.p", f"unknown predicate {pred!r}; use one of {', '.join(PREDICATES)}")
    raw_source = _str(item, "source", loc, ctx)
    if not raw_source:
        ctx.fail(f"{loc}.source", "every relation needs the public page that states it")
    source = named_sources.get(raw_source, raw_source)
    if not isinstance(source, str) or not is_iri(source) or not source.startswith(("https://", "http://")):
        ctx.fail(f"{loc}.source", f"not a web address or a name under 'sources': {raw_source!r}")
    note = _str(item, "note", loc, ctx)
    subjects, objects = _ids(item, "s", loc, ctx), _ids(item, "o", loc, ctx)
    allowed_s, allowed_o = PREDICATES[pred]
    out = []
    for s_id in subjects:
        for o_id in objects:
            for key, ref, allowed in (("s", s_id, allowed_s), ("o", o_id, allowed_o)):
                ent = entities.get(ref)
                if ent is None:
                    ctx.fail(f"{loc}.{key}", f"unknown id {ref!r}")
                if ent.kind not in allowed:
                    ctx.fail(f"{loc}.{key}", f"{pred} needs a {' or '.join(sorted(allowed))} here, {ref!r} is a {ent.kind}")
            out.append(Relation(entities[s_id], pred, entities[o_id], source, note, loc))
    return out


def _list(value: Any, loc: str, ctx: IngestContext) -> list[Any]:
    if not isinstance(value, list):
        ctx.fail(loc, f"expected a list, found {type(value).__name__}")
    return value


def _str(item: dict[str, Any], key: str, loc: str, ctx: IngestContext, required: bool = False) -> Any:
    value = item.get(key)
    if value is None or value == "":
        if required:
            ctx.fail(f"{loc}.{key}", "missing")
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        ctx.fail(f"{loc}.{key}", f"expected text, found {type(value).__name__}")
    return value.strip()


def _strs(item: dict[str, Any], key: str, loc: str, ctx: IngestContext) -> list[str]:
    value = item.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
        ctx.fail(f"{loc}.{key}", "expected a list of texts")
    return [str(v).strip() for v in value if str(v).strip()]


def _ids(item: dict[str, Any], key: str, loc: str, ctx: IngestContext) -> list[str]:
    value = item.get(key)
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(v, str) and v for v in values):
        ctx.fail(f"{loc}.{key}", "expected an id or a list of ids")
    return [str(v) for v in values]


def _url(item: dict[str, Any], key: str, loc: str, ctx: IngestContext, required: bool = False) -> Any:
    value = _str(item, key, loc, ctx, required)
    if value is not None and not (is_iri(value) and re.match(r"^(https?|did):", value)):
        ctx.fail(f"{loc}.{key}", f"not a web address: {value!r}")
    return value


def _bool(item: dict[str, Any], key: str, loc: str, ctx: IngestContext) -> bool | None:
    value = item.get(key)
    if value is not None and not isinstance(value, bool):
        ctx.fail(f"{loc}.{key}", f"expected true or false, found {value!r}")
    return value


# -- triples ------------------------------------------------------------------------------------------


def entity_triples(ent: Entity) -> Iterator[TripleTuple]:
    """The core-view triples of one directory entity."""
    d, s = ent.data, ent.iri
    classes = {
        ORG: (SCHEMA.Organization,),
        STD: (LERMAP.Standard, DCTERMS.Standard),
        VER: (LERMAP.StandardVersion,),
        TOOL: (LERMAP.Tool, SCHEMA.SoftwareApplication),
    }[ent.kind]
    for cls in classes:
        yield s, RDF.type, cls
    yield s, SKOS.prefLabel, lit(d["name"])
    yield s, SCHEMA.name, lit(d["name"])
    yield s, SCHEMA.identifier, lit(ent.id)
    yield s, SCHEMA.url, NamedNode(d["url"])
    if ent.kind == VER:
        yield s, SCHEMA.version, lit(d["version"])
        yield s, DCTERMS.isVersionOf, d["of_iri"]
        yield d["of_iri"], DCTERMS.hasVersion, s
        if d["released"]:
            yield s, DCTERMS.issued, lit(str(d["released"]), datatype=XSD.gYear)
        if d["current"]:
            yield s, LERMAP.current, lit(True)
        for feat in d["features"]:
            yield s, LERMAP.feature, lit(feat)
        return
    if d["description"]:
        yield s, SCHEMA.description, lit(d["description"], lang="en")
    for alt in d["alt_names"]:
        yield s, SKOS.altLabel, lit(alt)
        yield s, SCHEMA.alternateName, lit(alt)
    for role in d["roles"]:
        yield s, LERMAP.stakeholderRole, stakeholder_type_iri(role)
    for lang in d["languages"]:
        yield s, SCHEMA.inLanguage, lit(lang)
    for feat in d["features"]:
        yield s, LERMAP.feature, lit(feat)
    if d["kind"]:
        yield s, DCTERMS.type, lit(d["kind"])
    if d["license"]:
        yield s, SCHEMA.license, NamedNode(d["license"])
    if d["free"] is not None:
        yield s, SCHEMA.isAccessibleForFree, lit(d["free"])
    if ent.kind == ORG:
        if d["sector"]:
            yield s, LERMAP.sector, lit(d["sector"])
        if d["region"]:
            yield s, LERMAP.region, lit(d["region"])
        if d["country"] and re.match(r"^[A-Z]{2}$", d["country"]):
            yield s, SCHEMA.addressCountry, lit(d["country"])
        elif d["country"] == "international":
            yield s, SCHEMA.areaServed, lit("international")
    if ent.kind == STD:
        if d["kind"]:
            yield s, LERMAP.standardKind, lit(d["kind"])
        if d["open"] is not None:
            yield s, LERMAP.openStandard, lit(d["open"])
    if ent.kind == TOOL and d["kind"]:
        yield s, SCHEMA.applicationCategory, lit(d["kind"])


def relation_triples(s: NamedNode, p: NamedNode, o: NamedNode, source: str, note: str | None = None) -> Iterator[TripleTuple]:
    """A relation as its direct triple plus an ``rdf:Statement`` carrying its source page."""
    yield s, p, o
    st = statement_iri(s, p, o)
    yield st, RDF.type, RDF.Statement
    yield st, RDF.subject, s
    yield st, RDF.predicate, p
    yield st, RDF.object, o
    yield st, LERMAP.relationSource, NamedNode(source)
    if note:
        yield st, RDFS.comment, lit(note, lang="en")


def principle_triples(block: dict[str, Any], entities: dict[str, Entity], ctx: IngestContext) -> Iterator[TripleTuple]:
    """C-BEN's principles as a SKOS concept scheme."""
    fname = block["file"]
    scheme = block["scheme"] or {}
    if not isinstance(scheme, dict):
        ctx.fail(f"{fname}: scheme", "expected a mapping")
    yield PRINCIPLE_SCHEME, RDF.type, SKOS.ConceptScheme
    yield PRINCIPLE_SCHEME, SKOS.prefLabel, lit(_str(scheme, "name", f"{fname}: scheme", ctx) or "C-BEN principles", lang="en")
    src = _url(scheme, "source", f"{fname}: scheme", ctx)
    if src:
        yield PRINCIPLE_SCHEME, DCTERMS.source, NamedNode(src)
    publisher = _str(scheme, "publisher", f"{fname}: scheme", ctx)
    if publisher in entities:
        yield PRINCIPLE_SCHEME, DCTERMS.publisher, entities[publisher].iri
    for i, item in enumerate(_list(block["principles"], f"{fname}: principles", ctx)):
        loc = f"{fname}: principles[{i}]"
        if not isinstance(item, dict):
            ctx.fail(loc, f"expected a mapping, found {type(item).__name__}")
        pid = _str(item, "id", loc, ctx, required=True)
        c = principle_iri(pid)
        yield c, RDF.type, SKOS.Concept
        yield c, SKOS.inScheme, PRINCIPLE_SCHEME
        yield c, SKOS.topConceptOf, PRINCIPLE_SCHEME
        yield PRINCIPLE_SCHEME, SKOS.hasTopConcept, c
        yield c, SKOS.notation, lit(pid)
        yield c, SKOS.prefLabel, lit(_str(item, "name", loc, ctx, required=True), lang="en")
        yield c, SKOS.definition, lit(_str(item, "definition", loc, ctx, required=True), lang="en")
