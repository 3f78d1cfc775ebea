"""RSD ingester: Rich Skill Descriptors as the Open Skills Management Tool (OSMT) API v2/v3 returns them.

Accepted documents: one ``RichSkillDescriptor``, one ``RichSkillCollection`` (with its ``skills``), a list of
skills (``/skills``, ``/categories/{id}/skills``), or the list of lists of a similarity search. OSMT's category
list and a skill's change log are read too, but hold no skill: they ingest empty with a warning.

**Plain JSON, not JSON-LD.** OSMT documents carry ``"@context": "https://rsd.openskillsnetwork.org/context-v1.json"``
but no copy of that context was ever published (it does not resolve, and none is archived), so the document
cannot be expanded faithfully; guessing the terms would invent IRIs. The ingester therefore reads the OSMT JSON as
plain JSON (the ``@context`` is ignored) and writes only the core view of :mod:`lermap.ingest.rsd.mapping`; the
native field names survive as ``lermap:nativePredicate`` text on the mappings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pyoxigraph import NamedNode

from lermap.graph.terms import TripleTuple, is_iri, minted
from lermap.ingest.base import IngestContext, Ingester, Source
from lermap.ingest.rsd.mapping import RsdAlignment, RsdFramework, RsdOccupation, RsdSkill, skills_triples

_SKILLS_PATH = re.compile(r"^(?P<base>.+?)/skills/(?P<uuid>[^/]+)/?$")


def _str(obj: dict[str, Any], key: str, where: str, ctx: IngestContext) -> str | None:
    value = obj.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        ctx.fail(f"{where}.{key}", f"must be a string, not a JSON {type(value).__name__}")
    return value.strip() or None


def _strings(obj: dict[str, Any], key: str, where: str, ctx: IngestContext, sep: str = ";") -> list[str]:
    """A list of strings, or one string holding ``sep``-separated values (OSMT v2)."""
    value = obj.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(sep) if v.strip()]
    if not isinstance(value, list):
        ctx.fail(f"{where}.{key}", "must be a list of strings")
    out = []
    for i, v in enumerate(value):
        if isinstance(v, str):
            if v.strip():
                out.append(v.strip())
        elif isinstance(v, dict) and isinstance(v.get("skillName") or v.get("name"), str):
            out.append(str(v.get("skillName") or v.get("name")).strip())  # OSMT v2 standards: {"skillName": ...}
        else:
            ctx.fail(f"{where}.{key}[{i}]", "must be a string or a named reference")
    return out


def _objects(value: Any, where: str, ctx: IngestContext) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        ctx.fail(where, "must be a list")
    for i, v in enumerate(value):
        if not isinstance(v, dict):
            ctx.fail(f"{where}[{i}]", f"must be an object, not a JSON {type(v).__name__}")
    return value


class _Reader:
    def __init__(self, ctx: IngestContext, source_name: str) -> None:
        self.ctx = ctx
        self.source_name = source_name

    def library(self, base: str | None) -> RsdFramework:
        if base:
            return RsdFramework(minted("rsd-library", base), f"OSMT skill library at {base}")
        return RsdFramework(minted("rsd-library", ""), "OSMT skill library")

    def collection(self, base: str | None, uuid: str, name: str) -> RsdFramework:
        node = NamedNode(f"{base}/collections/{uuid}") if base and is_iri(base) else minted("rsd-collection", uuid)
        return RsdFramework(node, name)

    def occupation(self, raw: dict[str, Any], where: str) -> RsdOccupation | None:
        code = raw.get("code") or raw.get("jobRoleCode") or raw.get("detailedCode")
        if not isinstance(code, str) or not code.strip():
            self.ctx.warn(where, "occupation without a code: skipped")
            return None
        name = raw.get("targetNodeName") or raw.get("name")
        desc = raw.get("description")
        if "parents" in raw:
            chain = [str(p.get("code")) for p in _objects(raw.get("parents"), f"{where}.parents", self.ctx) if p.get("code")]
        else:
            chain = [str(raw[k]) for k in ("majorCode", "minorCode", "broadCode", "detailedCode", "jobRoleCode") if raw.get(k)]
        return RsdOccupation(
            code=code.strip(),
            name=name.strip() if isinstance(name, str) and name.strip() else None,
            chain=chain,
            description=desc.strip() if isinstance(desc, str) and desc.strip() else None,
        )

    def skill(self, raw: dict[str, Any], where: str, collection: RsdFramework | None = None) -> RsdSkill:
        ctx = self.ctx
        statement = _str(raw, "skillStatement", where, ctx)
        if statement is None:
            ctx.fail(f"{where}.skillStatement", "a Rich Skill Descriptor needs a skill statement")
        sid, uuid = _str(raw, "id", where, ctx), _str(raw, "uuid", where, ctx)
        match = _SKILLS_PATH.match(sid) if sid else None
        base = match.group("base") if match else None
        node = NamedNode(sid) if sid and is_iri(sid) else minted("rsd-skill", uuid or statement)
        frameworks = [self.library(base)]
        if collection is not None:
            frameworks.append(collection)
        for i, c in enumerate(_objects(raw.get("collections"), f"{where}.collections", ctx)):
            cuuid, cname = c.get("uuid"), c.get("name")
            if isinstance(cuuid, str) and isinstance(cname, str) and cname.strip():
                frameworks.append(self.collection(base, cuuid, cname.strip()))
            else:
                ctx.warn(f"{where}.collections[{i}]", "collection without uuid and name: skipped")
        alignments = []
        for i, a in enumerate(_objects(raw.get("alignments"), f"{where}.alignments", ctx)):
            part = a.get("isPartOf")
            framework = part.get("name") if isinstance(part, dict) else a.get("frameworkName")
            alignments.append(RsdAlignment(
                url=_str(a, "id", f"{where}.alignments[{i}]", ctx) or _str(a, "url", f"{where}.alignments[{i}]", ctx),
                name=_str(a, "skillName", f"{where}.alignments[{i}]", ctx) or _str(a, "name", f"{where}.alignments[{i}]", ctx),
                framework=framework if isinstance(framework, str) else None,
            ))
        occupations = []
        for i, o in enumerate(_objects(raw.get("occupations"), f"{where}.occupations", ctx)):
            if (occ := self.occupation(o, f"{where}.occupations[{i}]")) is not None:
                occupations.append(occ)
        dates = {k: v for k, key in (("created", "creationDate"), ("published", "publishDate"), ("modified", "updateDate"))
                 if isinstance(v := raw.get(key), str)}
        return RsdSkill(
            node=node, statement=statement, where=where, name=_str(raw, "skillName", where, ctx), uuid=uuid,
            categories=_strings(raw, "categories", where, ctx) + _strings(raw, "category", where, ctx),
            keywords=_strings(raw, "keywords", where, ctx),
            authors=_strings(raw, "authors", where, ctx) + _strings(raw, "author", where, ctx),
            creator=_str(raw, "creator", where, ctx),
            alignments=alignments, standards=_strings(raw, "standards", where, ctx),
            occupations=occupations, frameworks=frameworks, dates=dates,
        )

    def read(self, data: Any) -> list[RsdSkill]:
        ctx = self.ctx
        if isinstance(data, dict):
            if data.get("type") == "RichSkillCollection" or isinstance(data.get("skills"), list):
                return self.read_collection(data)
            return [self.skill(data, "(document)")]
        if not isinstance(data, list):
            ctx.fail("(document)", "an OSMT document is a skill, a collection or a list of them")
        flat: list[tuple[str, Any]] = []
        for i, entry in enumerate(data):
            if isinstance(entry, list):  # similarity search: one list of similar skills per query
                flat.extend((f"[{i}][{j}]", e) for j, e in enumerate(entry))
            else:
                flat.append((f"[{i}]", entry))
        skills = []
        for where, entry in flat:
            if not isinstance(entry, dict):
                ctx.fail(where, f"must be an object, not a JSON {type(entry).__name__}")
            if "skillStatement" in entry:
                skills.append(self.skill(entry, where))
            elif entry.get("type") == "Category" or "operationType" in entry:
                continue
            else:
                ctx.fail(where, "is neither a skill (no skillStatement) nor a category or change-log entry")
        if not skills and flat:
            kind = "category list" if any(e.get("type") == "Category" for _, e in flat) else "change log"
            ctx.warn("(document)", f"an OSMT {kind} holds no skills: nothing to ingest")
        return skills

    def read_collection(self, data: dict[str, Any]) -> list[RsdSkill]:
        ctx, w = self.ctx, "(collection)"
        name = _str(data, "name", w, ctx)
        if name is None:
            ctx.fail(f"{w}.name", "a RichSkillCollection needs a name")
        cid = _str(data, "id", w, ctx)
        uuid = _str(data, "uuid", w, ctx)
        node = NamedNode(cid) if cid and is_iri(cid) else minted("rsd-collection", uuid or name)
        collection = RsdFramework(
            node, name, description=_str(data, "description", w, ctx),
            authors=_strings(data, "authors", w, ctx) + _strings(data, "author", w, ctx),
            creator=_str(data, "creator", w, ctx),
        )
        return [self.skill(s, f"skills[{i}]", collection) for i, s in enumerate(_objects(data.get("skills"), "skills", ctx))]


class RsdIngester(Ingester):
    """OSMT Rich Skill Descriptors (API v2/v3 JSON) → competencies, frameworks, alignments, occupations."""

    name = "rsd"
    title = "Rich Skill Descriptors (OSMT JSON)"
    version = "1"

    def sniff(self, source: Source) -> float:
        if source.is_dir:
            return 0.0
        head = source.head(8192)
        if not head.lstrip().startswith((b"{", b"[", b"\xef\xbb\xbf")):
            return 0.0
        if b"rsd.openskillsnetwork.org" in head or b'"RichSkillDescriptor"' in head or b'"RichSkillCollection"' in head:
            return 0.95
        if b'"skillStatement"' in head:
            return 0.9
        if b'"skillCount"' in head and b'"Category"' in head:
            return 0.5
        if b'"operationType"' in head and b'"changedFields"' in head:
            return 0.3  # a skill's change log
        return 0.0

    def parse(self, source: Source, ctx: IngestContext) -> list[RsdSkill]:
        return _Reader(ctx, source.name).read(source.json())

    def map(self, parsed: list[RsdSkill], ctx: IngestContext) -> Iterable[TripleTuple]:
        return skills_triples(parsed, ctx)
