"""ESCO web-service API documents (JSON HAL, what ``lermap fetch esco`` saves) into the same core view as ESCO's CSVs.

The ESCO API (``https://ec.europa.eu/esco/api``, documented at ``/esco/api/doc/esco-api-doc.pdf``) answers
``/resource/concept``, ``/resource/occupation`` and ``/resource/skill`` with one concept::

    {"className": "Occupation", "uri": "http://data.europa.eu/esco/occupation/...", "title": "data scientist",
     "code": "2511.4", "preferredLabel": {"en": "data scientist", "fr": "..."},
     "alternativeLabel": {"en": ["data science specialist"]},
     "description": {"en": {"literal": "Data scientists find and interpret ...", "mimetype": "plain/text"}},
     "_links": {"self": {...}, "broaderIscoGroup": [{"uri": "http://data.europa.eu/esco/isco/C2511", "code": "2511", "title": "..."}],
                "hasEssentialSkill": [{"uri": "http://data.europa.eu/esco/skill/...", "title": "..."}], "hasOptionalSkill": [...],
                "broaderOccupation": [...], "hasSkillType": [{"uri": ".../skill-type/knowledge"}], ...}}

and ``/search`` with a page of them (``{"_embedded": {"results": [...]}, "total": ...}``). A source is one such
document, a JSON list of them, or a folder of them (the pages ``lermap fetch esco --what skills`` saves). Each
concept is turned into the rows ESCO's CSV files would hold for it — occupations, skills, ISCO groups, their
broader relations, occupation–skill and skill–skill relations — and mapped by the ``esco`` ingester's own mapping,
so a concept fetched from the API and the same concept read from the bulk download give the same triples. A concept
named only by a link (a skill an occupation requires) is described by the link's title in the request's language.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pandas as pd

from lermap.errors import SourceError
from lermap.graph.terms import TripleTuple
from lermap.ingest.base import IngestContext, Ingester, Source, parse_json_text
from lermap.ingest.download import SIDECAR_SUFFIX
from lermap.ingest.esco.esco import ESCO_BASE, EscoIngester
from lermap.ingest.esco.read import EscoFile
from lermap.ingest.sources import Entry

_KIND = {"Occupation": "occupations", "Skill": "skills", "ISCOGroup": "ISCOGroups"}
_COLUMNS = {
    "occupations": ["conceptUri", "preferredLabel", "altLabels", "hiddenLabels", "description", "scopeNote", "definition", "code", "iscoGroup"],
    "skills": ["conceptUri", "preferredLabel", "altLabels", "hiddenLabels", "description", "scopeNote", "definition", "skillType",
               "reuseLevel", "code"],
    "ISCOGroups": ["conceptUri", "code", "preferredLabel", "altLabels", "description"],
}
_SKILL_TYPES = {"skill": "skill/competence", "knowledge": "knowledge"}


def _kind(doc: dict[str, Any]) -> str | None:
    uri = str(doc.get("uri", ""))
    if doc.get("className") in _KIND:
        return _KIND[str(doc["className"])]
    for part, kind in (("/occupation/", "occupations"), ("/skill/", "skills"), ("/isco/C", "ISCOGroups")):
        if uri.startswith(ESCO_BASE) and part in uri:
            return kind
    return None


def _text(value: Any) -> str:
    """A literal of the API: a string, or ``{"literal": ..., "mimetype": ...}``."""
    if isinstance(value, dict):
        return str(value.get("literal") or "")
    return str(value) if isinstance(value, (str, int, float)) else ""


def _by_language(value: Any) -> dict[str, list[str]]:
    """``{"en": "x"}``, ``{"en": ["x", "y"]}`` or ``{"en": {"literal": "x"}}`` as language → texts."""
    if not isinstance(value, dict):
        return {}
    out: dict[str, list[str]] = {}
    for lang, texts in value.items():
        items = texts if isinstance(texts, list) else [texts]
        out[str(lang).lower()] = [t for t in (_text(x).strip() for x in items) if t]
    return out


def _links(doc: dict[str, Any], name: str) -> list[dict[str, Any]]:
    value = (doc.get("_links") or {}).get(name) if isinstance(doc.get("_links"), dict) else None
    items = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
    return [i for i in items if isinstance(i, dict) and isinstance(i.get("uri"), str) and i["uri"].startswith(("http://", "https://"))]


def concepts_of(doc: Any, where: str, ctx: IngestContext) -> list[tuple[str, dict[str, Any]]]:
    """The concepts of one API document: a resource, a search page (``_embedded.results``) or a list of them."""
    if isinstance(doc, list):
        return [c for i, d in enumerate(doc) for c in concepts_of(d, f"{where}[{i}]", ctx)]
    if not isinstance(doc, dict):
        ctx.fail(where, f"expected an ESCO API object, found {type(doc).__name__}")
    embedded = doc.get("_embedded")
    if isinstance(embedded, dict) and isinstance(embedded.get("results"), list):
        return concepts_of(embedded["results"], f"{where}._embedded.results", ctx)
    if not isinstance(doc.get("uri"), str):
        ctx.fail(where, "an ESCO API resource has a 'uri'")
    return [(where, doc)]


class _Rows:
    """The CSV rows ESCO's download would hold for the concepts read, by (kind, language)."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.rows: dict[tuple[str, str | None], dict[str, dict[str, str]]] = defaultdict(dict)
        self.relations: dict[str, list[dict[str, str]]] = defaultdict(list)

    def add(self, doc: dict[str, Any], where: str, ctx: IngestContext) -> None:
        kind = _kind(doc)
        if kind is None:
            ctx.warn(where, f"{str(doc.get('uri'))[:80]} is not an ESCO occupation, skill or ISCO group; skipped")
            return
        uri = str(doc["uri"])
        prefs, alts, hidden = _by_language(doc.get("preferredLabel")), _by_language(doc.get("alternativeLabel")), _by_language(doc.get("hiddenLabel"))
        descriptions = _by_language(doc.get("description"))
        if not prefs and isinstance(doc.get("title"), str):
            prefs = {self.language: [doc["title"]]}
        extra = {"code": str(doc.get("code") or "")}
        if kind == "occupations":
            isco = next((str(g.get("code") or g["uri"].rsplit("/C", 1)[-1]) for g in _links(doc, "broaderIscoGroup")), "")
            extra["iscoGroup"] = isco
            for group in _links(doc, "broaderIscoGroup"):
                self.named(group, "ISCOGroups", {"code": str(group.get("code") or group["uri"].rsplit("/C", 1)[-1])})
            for link, relation in (("hasEssentialSkill", "essential"), ("hasOptionalSkill", "optional")):
                for skill in _links(doc, link):
                    self.named(skill, "skills", {})
                    self.relations["occupationSkillRelations"].append({"occupationUri": uri, "relationType": relation, "skillUri": skill["uri"]})
            for up in _links(doc, "broaderOccupation"):
                self.named(up, "occupations", {})
                self.relations["broaderRelationsOccPillar"].append({"conceptUri": uri, "broaderUri": up["uri"]})
        elif kind == "skills":
            types = [t["uri"].rstrip("/").rsplit("/", 1)[-1] for t in _links(doc, "hasSkillType")]
            extra["skillType"] = _SKILL_TYPES.get(types[0], types[0]) if types else ""
            reuse = [t["uri"].rstrip("/").rsplit("/", 1)[-1] for t in _links(doc, "hasReuseLevel")]
            extra["reuseLevel"] = reuse[0] if reuse else ""
            for link in ("broaderSkill", "broaderHierarchyConcept"):
                for up in _links(doc, link):
                    self.relations["broaderRelationsSkillPillar"].append({"conceptUri": uri, "broaderUri": up["uri"]})
            for link, relation in (("hasEssentialSkill", "essential"), ("hasOptionalSkill", "optional")):
                for other in _links(doc, link):
                    self.named(other, "skills", {})
                    self.relations["skillSkillRelations"].append({"originalSkillUri": uri, "relationType": relation, "relatedSkillUri": other["uri"]})
            for link, relation in (("isEssentialForOccupation", "essential"), ("isOptionalForOccupation", "optional")):
                for occ in _links(doc, link):
                    self.named(occ, "occupations", {})
                    self.relations["occupationSkillRelations"].append({"occupationUri": occ["uri"], "relationType": relation, "skillUri": uri})
        for lang in sorted(set(prefs) | set(alts) | set(descriptions) or {self.language}):
            row = {"conceptUri": uri, "preferredLabel": (prefs.get(lang) or [""])[0], "altLabels": "\n".join(alts.get(lang, [])),
                   "hiddenLabels": "\n".join(hidden.get(lang, [])), "description": (descriptions.get(lang) or [""])[0], **extra}
            self.rows[(kind, lang)][uri] = row  # a full description replaces what a link said

    def named(self, link: dict[str, Any], kind: str, extra: dict[str, str]) -> None:
        """A concept known only from a link: its IRI and the link's title, unless described in full elsewhere."""
        rows = self.rows[(kind, self.language)]
        if link["uri"] not in rows:
            rows[link["uri"]] = {"conceptUri": link["uri"], "preferredLabel": str(link.get("title") or ""), **extra}

    def files(self, name: str) -> list[EscoFile]:
        out = []
        for (kind, lang), rows in sorted(self.rows.items(), key=lambda t: (t[0][0], t[0][1] or "")):
            frame = pd.DataFrame(list(rows.values()), columns=_COLUMNS[kind], dtype=str).fillna("")
            out.append(EscoFile(f"{name} ({kind}, {lang})", kind, lang, None, frame))
        for kind, pairs in sorted(self.relations.items()):
            frame = pd.DataFrame(pairs, dtype=str).drop_duplicates().fillna("")
            out.append(EscoFile(f"{name} ({kind})", kind, None, None, frame))
        return out


def _documents(source: Source) -> list[Entry]:
    """The JSON documents at the top of a folder, leaving out the sidecars ``lermap fetch`` writes beside them."""
    return [e for e in source.top_entries() if e.suffix == ".json" and not e.name.endswith(SIDECAR_SUFFIX)]


def looks_like_esco_api(head: bytes) -> bool:
    return b'"_links"' in head and b"data.europa.eu/esco/" in head and (b'"className"' in head or b'"_embedded"' in head or b'"uri"' in head)


class EscoApiIngester(Ingester):
    """ESCO web-service API JSON (a concept, a search page, or a folder of them)."""

    name = "esco-api"
    title = "ESCO API JSON"
    version = "1"
    writes_canonical_iris = True

    def sniff(self, source: Source) -> float:
        if source.is_dir:
            try:
                entries = _documents(source)
            except SourceError:  # a damaged or hostile archive: refused when it is read
                return 0.0
            return 0.85 if entries and all(looks_like_esco_api(e.head()) for e in entries) else 0.0
        return 0.9 if source.suffix == ".json" and looks_like_esco_api(source.head()) else 0.0

    def parse(self, source: Source, ctx: IngestContext) -> list[EscoFile]:
        language = str(ctx.options.extra.get("language") or "en")
        rows = _Rows(language)
        entries = _documents(source) if source.is_dir else source.entries()[:1]
        for entry in entries:
            where = entry.basename
            doc = parse_json_text(entry.text(source.limits.max_json_bytes), f"{source.key}: {where}" if source.is_dir else source.key,
                                  source.limits)
            for at, concept in concepts_of(doc, where, ctx):
                rows.add(concept, at, ctx)
        files = rows.files(source.name)
        if not files:
            ctx.fail("(document)", "no ESCO occupation, skill or ISCO group in the document(s)")
        version = ctx.options.extra.get("version")
        ctx.format_version = str(version) if version else None
        files.sort(key=lambda f: _ORDER.index(f.kind))
        return files

    def map(self, parsed: list[EscoFile], ctx: IngestContext) -> Iterator[TripleTuple]:
        yield from EscoIngester().map(parsed, ctx)


_ORDER = ["ISCOGroups", "skills", "occupations", "broaderRelationsSkillPillar", "broaderRelationsOccPillar", "skillSkillRelations",
          "occupationSkillRelations"]
