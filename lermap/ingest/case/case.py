"""CASE ingester: a CASE 1.0 / 1.1 CFPackage (JSON, as the ``/ims/case/v1p0/CFPackages/{id}`` service returns it).

CASE JSON is plain JSON (no ``@context``), so there is no native RDF layer: the package is read into
:class:`~lermap.ingest.case.mapping.CasePackage` records and written as the core view described in
:mod:`lermap.ingest.case.mapping` (frameworks, competencies, ``isChildOf`` hierarchy, other associations as
``sssom:Mapping``). A package wrapped as ``{"CFPackage": {...}}`` is unwrapped.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lermap.graph.terms import TripleTuple
from lermap.ingest.base import IngestContext, Ingester, Source
from lermap.ingest.case.mapping import CaseAssociation, CaseDocument, CaseItem, CasePackage, CaseRef, package_triples


def _text(obj: dict[str, Any], key: str, where: str, ctx: IngestContext, required: bool = False) -> str | None:
    value = obj.get(key)
    if value is None or value == "":
        if required:
            ctx.fail(f"{where}.{key}", "is required and missing")
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        ctx.fail(f"{where}.{key}", f"must be a string, not a JSON {type(value).__name__}")
    return value


def _texts(obj: dict[str, Any], key: str, where: str, ctx: IngestContext) -> list[str]:
    """A list of strings; a single string is accepted (some providers send one), other types refused."""
    value = obj.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        ctx.fail(f"{where}.{key}", "must be a list of strings")
    return [v for v in value if v.strip()]


def _ref(value: Any, where: str, ctx: IngestContext) -> CaseRef:
    if not isinstance(value, dict):
        ctx.fail(where, "must be an object with identifier, uri and title (a LinkGenURI)")
    ref = CaseRef(
        identifier=_text(value, "identifier", where, ctx),
        uri=_text(value, "uri", where, ctx),
        title=_text(value, "title", where, ctx),
    )
    if not (ref.identifier or ref.uri):
        ctx.fail(where, "names neither an identifier nor a uri")
    return ref


def _objects(package: dict[str, Any], key: str, ctx: IngestContext) -> list[dict[str, Any]]:
    value = package.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        ctx.fail(key, f"must be a list, not a JSON {type(value).__name__}")
    for i, v in enumerate(value):
        if not isinstance(v, dict):
            ctx.fail(f"{key}[{i}]", f"must be an object, not a JSON {type(v).__name__}")
    return value


def read_package(data: Any, ctx: IngestContext, mint_key: str) -> CasePackage:
    """A CFPackage (parsed JSON) as records; refuses what is not one."""
    if isinstance(data, dict) and isinstance(data.get("CFPackage"), dict):
        data = data["CFPackage"]
    if not isinstance(data, dict):
        ctx.fail("(document)", "a CASE CFPackage must be a JSON object")
    raw_doc = data.get("CFDocument")
    if not isinstance(raw_doc, dict):
        ctx.fail("CFDocument", "a CFPackage needs a CFDocument object")
    ctx.format_version = "1.1" if raw_doc.get("caseVersion") == "1.1" else "1.0"
    w = "CFDocument"
    language = _text(raw_doc, "language", w, ctx)
    document = CaseDocument(
        identifier=_text(raw_doc, "identifier", w, ctx, required=True) or "",
        title=_text(raw_doc, "title", w, ctx, required=True) or "",
        uri=_text(raw_doc, "uri", w, ctx),
        creator=_text(raw_doc, "creator", w, ctx),
        publisher=_text(raw_doc, "publisher", w, ctx),
        description=_text(raw_doc, "description", w, ctx),
        version=_text(raw_doc, "version", w, ctx),
        language=language,
        official_url=_text(raw_doc, "officialSourceURL", w, ctx),
        adoption_status=_text(raw_doc, "adoptionStatus", w, ctx),
        subjects=_texts(raw_doc, "subject", w, ctx),
        last_change=_text(raw_doc, "lastChangeDateTime", w, ctx),
        notes=_text(raw_doc, "notes", w, ctx),
        mint_key=mint_key,
    )
    items = []
    for i, raw in enumerate(_objects(data, "CFItems", ctx)):
        w = f"CFItems[{i}]"
        type_uri = raw.get("CFItemTypeURI")
        item_type = _text(raw, "CFItemType", w, ctx)
        if item_type is None and isinstance(type_uri, dict) and isinstance(type_uri.get("title"), str):
            item_type = type_uri["title"]
        items.append(CaseItem(
            identifier=_text(raw, "identifier", w, ctx, required=True) or "",
            full_statement=_text(raw, "fullStatement", w, ctx, required=True) or "",
            where=w,
            uri=_text(raw, "uri", w, ctx),
            human_coding=_text(raw, "humanCodingScheme", w, ctx),
            abbreviated=_text(raw, "abbreviatedStatement", w, ctx),
            alternative_label=_text(raw, "alternativeLabel", w, ctx),
            item_type=item_type,
            education_levels=_texts(raw, "educationLevel", w, ctx),
            keywords=_texts(raw, "conceptKeywords", w, ctx),
            notes=_text(raw, "notes", w, ctx),
            language=_text(raw, "language", w, ctx),
            last_change=_text(raw, "lastChangeDateTime", w, ctx),
        ))
    associations = []
    for i, raw in enumerate(_objects(data, "CFAssociations", ctx)):
        w = f"CFAssociations[{i}]"
        associations.append(CaseAssociation(
            association_type=_text(raw, "associationType", w, ctx, required=True) or "",
            origin=_ref(raw.get("originNodeURI"), f"{w}.originNodeURI", ctx),
            destination=_ref(raw.get("destinationNodeURI"), f"{w}.destinationNodeURI", ctx),
            where=w,
            identifier=_text(raw, "identifier", w, ctx),
            uri=_text(raw, "uri", w, ctx),
        ))
    return CasePackage(document, items, associations)


class CaseIngester(Ingester):
    """CASE 1.0/1.1 CFPackage JSON → competency framework, competencies, hierarchy and alignments."""

    name = "case"
    title = "CASE CFPackage (JSON)"
    version = "1"

    def sniff(self, source: Source) -> float:
        if source.is_dir:
            return 0.0
        head = source.head(8192)
        if not head.lstrip().startswith((b"{", b"\xef\xbb\xbf{")):
            return 0.0
        if b'"CFDocument"' in head:
            return 0.95
        if b'"CFPackage"' in head or b'"CFItems"' in head:
            return 0.8
        return 0.0

    def parse(self, source: Source, ctx: IngestContext) -> CasePackage:
        return read_package(source.json(), ctx, mint_key=source.name)

    def map(self, parsed: CasePackage, ctx: IngestContext) -> Iterable[TripleTuple]:
        return package_triples(parsed, ctx)
