"""The LER Ecosystem Map site's own data (YAML, CC0): stakeholder types, workstreams, action areas, glossary, resources.

The map (github.com/gwalsh311/ler-ecosystem-map-v2) keeps its content in Jekyll ``_data/*.yml`` files and one
``_stakeholders/*.md`` page per stakeholder type. This ingester reads a folder of them (either the site's names or
the ``data-*.yml`` / ``stakeholders-*.md`` names of a flat copy), or one of the YAML files alone, and writes:

* three SKOS concept schemes: stakeholder types, workstreams (developing, issuing, using, adopting), action areas;
* a fourth for the glossary;
* per stakeholder type: its definition and examples, a ``lermap:WorkstreamRole`` per workstream section and a
  ``lermap:ActionAreaRole`` per action area (each with its activities), and its business and social value cases;
* resources as ``schema:CreativeWork`` with ``schema:author`` organisations (IRIs minted from the name, so the
  curated directory's organisations of the same name are the same nodes).

The stakeholder-type IRIs are minted here by :func:`stakeholder_type_iri`; the directory uses the same function.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import NamedNode

from lermap.graph.terms import TripleTuple, is_iri, lit, minted
from lermap.graph.vocab import DCTERMS, LERMAP, LERMAP_ID_BASE, RDF, SCHEMA, SKOS
from lermap.ingest.base import IngestContext, Ingester, Source, parse_yaml_text
from lermap.ingest.identifiers import organisation_iri

MAP_BASE = LERMAP_ID_BASE + "ler-map/"
STAKEHOLDER_SCHEME = NamedNode(MAP_BASE + "stakeholder-types")
WORKSTREAM_SCHEME = NamedNode(MAP_BASE + "workstreams")
ACTION_AREA_SCHEME = NamedNode(MAP_BASE + "action-areas")
GLOSSARY_SCHEME = NamedNode(MAP_BASE + "glossary")

# The ten stakeholder types of the map (their page slugs); the directory checks its roles against this list.
STAKEHOLDER_TYPES: tuple[str, ...] = (
    "career-navigators", "credentialing-organizations", "data-standards-organizations", "employers", "funders",
    "governance", "hr-systems", "learners-earners", "ler-technology-providers", "supporting-systems",
)
WORKSTREAMS: tuple[str, ...] = ("developing", "issuing", "using", "adopting")


def slugify(text: str) -> str:
    """Lower-case, non-alphanumerics as single hyphens: ``"Learners & Earners"`` → ``"learners-earners"``."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def stakeholder_type_iri(slug: str) -> NamedNode:
    """The IRI of a stakeholder-type concept of the map, from its page slug (e.g. ``"employers"``)."""
    return NamedNode(MAP_BASE + "stakeholder/" + slugify(slug))


def workstream_iri(name: str) -> NamedNode:
    return NamedNode(MAP_BASE + "workstream/" + slugify(name))


def action_area_iri(name: str) -> NamedNode:
    return NamedNode(MAP_BASE + "action-area/" + slugify(name))


def clean_text(value: str) -> str:
    """Site text as plain text: HTML entities decoded, paragraph tags as blank lines, other tags dropped."""
    text = re.sub(r"</p>\s*<p[^>]*>|<p[^>]*>", "\n\n", value)
    text = re.sub(r"<[^>]+>", "", text)
    text = html.unescape(text)
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def load_yaml(text: str, ctx: IngestContext, name: str) -> Any:
    """Safe YAML without aliases, nesting bounded; syntax errors are refused with their line and column."""
    return parse_yaml_text(text, ctx.source.key, name, ctx.source.limits)


@dataclass
class SiteData:
    """The parsed site: the YAML sections found, by top-level key, and the stakeholder pages' titles."""

    stakeholders: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    terms: list[dict[str, Any]] = field(default_factory=list)
    resources: list[dict[str, Any]] = field(default_factory=list)
    page_titles: dict[str, str] = field(default_factory=dict)  # stakeholder name -> page title
    files: dict[str, str] = field(default_factory=dict)  # section -> file name, for messages


_SECTIONS = ("stakeholders", "actions", "terms", "resources")
_PAGE_NAME = re.compile(r'item\.name\s*==\s*"([^"]+)"')
_PAGE_TITLE = re.compile(r"^title:\s*(.+)$", re.MULTILINE)


class LerMapSiteIngester(Ingester):
    name = "ler-map"
    title = "LER Ecosystem Map site data"
    version = "1"

    def sniff(self, source: Source) -> float:
        if source.is_dir:
            names = {e.name for e in source.entries()}
            return 0.95 if names & {"data-stakeholders-list.yml", "stakeholders-list.yml", "_data/stakeholders-list.yml"} else 0.0
        if source.suffix not in {".yml", ".yaml"}:
            return 0.0
        head = source.head().decode("utf-8", "replace")
        if re.search(r"^stakeholders:\s*$", head, re.MULTILINE) and "action-areas" in head:
            return 0.9
        if re.search(r"^(terms|resources|actions):\s*$", head, re.MULTILINE) and (
            "definition:" in head or "sites:" in head or "description:" in head
        ):
            return 0.6 if source.name.startswith(("data-", "glossary", "resources", "action")) else 0.3
        return 0.0

    # -- parse -------------------------------------------------------------------------------------

    def parse(self, source: Source, ctx: IngestContext) -> SiteData:
        data = SiteData()
        if source.is_dir:
            for entry in source.entries():
                if entry.suffix in {".yml", ".yaml"}:
                    self._read_yaml(entry.text(source.limits.max_file_bytes), entry.basename, data, ctx)
                elif entry.suffix == ".md":
                    self._read_page(entry.text(source.limits.max_file_bytes), data)
        else:
            self._read_yaml(source.text(), source.name, data, ctx)
        if not any((data.stakeholders, data.actions, data.terms, data.resources)):
            ctx.fail("(document)", "no stakeholders, actions, terms or resources lists found")
        return data

    def _read_yaml(self, text: str, name: str, data: SiteData, ctx: IngestContext) -> None:
        doc = load_yaml(text, ctx, name)
        if doc is None:
            return
        if not isinstance(doc, dict):
            ctx.fail(name, f"expected a YAML mapping at the top, found {type(doc).__name__}")
        for key in _SECTIONS:
            if key not in doc:
                continue
            items = doc[key]
            if not isinstance(items, list):
                ctx.fail(f"{name}: {key}", f"expected a list, found {type(items).__name__}")
            for i, item in enumerate(items):
                if not isinstance(item, dict):
                    ctx.fail(f"{name}: {key}[{i}]", f"expected a mapping, found {type(item).__name__}")
            getattr(data, key).extend(items)
            data.files[key] = name

    def _read_page(self, text: str, data: SiteData) -> None:
        name, title = _PAGE_NAME.search(text), _PAGE_TITLE.search(text)
        if name and title:
            data.page_titles[name.group(1)] = title.group(1).strip().removeprefix("LER Ecosystem Map - ").strip()

    # -- map ---------------------------------------------------------------------------------------

    def map(self, parsed: SiteData, ctx: IngestContext) -> Iterator[TripleTuple]:
        yield from _schemes()
        yield from self._action_areas(parsed, ctx)
        yield from self._stakeholders(parsed, ctx)
        yield from self._glossary(parsed, ctx)
        yield from self._resources(parsed, ctx)

    def _action_areas(self, data: SiteData, ctx: IngestContext) -> Iterator[TripleTuple]:
        where = data.files.get("actions", "actions")
        for i, item in enumerate(data.actions):
            name = _need(item, "name", f"{where}: actions[{i}]", ctx)
            c = action_area_iri(name)
            yield from _concept(c, ACTION_AREA_SCHEME, _text(item, "title", f"{where}: actions[{i}]", ctx) or name)
            yield c, SKOS.notation, lit(name)
            desc = _text(item, "description", f"{where}: actions[{i}]", ctx)
            if desc:
                yield c, SKOS.definition, lit(desc, lang="en")

    def _stakeholders(self, data: SiteData, ctx: IngestContext) -> Iterator[TripleTuple]:
        where = data.files.get("stakeholders", "stakeholders")
        known_areas = {str(a.get("name")) for a in data.actions}
        defined_workstreams: set[str] = set()
        for i, item in enumerate(data.stakeholders):
            loc = f"{where}: stakeholders[{i}]"
            name = _need(item, "name", loc, ctx)
            slug = slugify(_text(item, "url", loc, ctx) or name)
            if slug not in STAKEHOLDER_TYPES:
                ctx.warn(loc, f"stakeholder type {slug!r} is not one of the map's ten known types")
            s = stakeholder_type_iri(slug)
            yield from _concept(s, STAKEHOLDER_SCHEME, name)
            yield s, SKOS.topConceptOf, STAKEHOLDER_SCHEME
            yield STAKEHOLDER_SCHEME, SKOS.hasTopConcept, s
            yield s, SKOS.notation, lit(slug)
            page_title = data.page_titles.get(name)
            if page_title and page_title != name:
                yield s, SKOS.altLabel, lit(page_title, lang="en")
            for key, prop in (("definition", SKOS.definition), ("examples", SKOS.example)):
                value = _text(item, key, loc, ctx)
                if value:
                    yield s, prop, lit(value, lang="en")
            for j, section in enumerate(_dicts(item, "sections", loc, ctx)):
                sloc = f"{loc}.sections[{j}]"
                ws = slugify(_need(section, "title", sloc, ctx))
                if ws not in WORKSTREAMS:
                    ctx.warn(sloc, f"unknown workstream {ws!r}")
                w = workstream_iri(ws)
                # the section's subheader (or, on one page, its description) is the workstream's definition
                header = _text(section, "subheader", sloc, ctx) or _text(section, "description", sloc, ctx)
                if ws not in defined_workstreams:
                    defined_workstreams.add(ws)
                    yield from _concept(w, WORKSTREAM_SCHEME, ws.capitalize())
                    yield w, SKOS.topConceptOf, WORKSTREAM_SCHEME
                    yield WORKSTREAM_SCHEME, SKOS.hasTopConcept, w
                    if header:
                        yield w, SKOS.definition, lit(header, lang="en")
                role = minted("ler-map-workstream-role", slug, ws)
                yield s, LERMAP.workstream, w
                yield s, LERMAP.workstreamRole, role
                yield role, RDF.type, LERMAP.WorkstreamRole
                yield role, LERMAP.workstream, w
                for bullet in _bullets(section, sloc, ctx):
                    yield role, LERMAP.activity, lit(bullet, lang="en")
            for j, area in enumerate(_dicts(item, "action-areas", loc, ctx)):
                aloc = f"{loc}.action-areas[{j}]"
                aname = _need(area, "title", aloc, ctx)
                if aname not in known_areas and data.actions:
                    ctx.warn(aloc, f"action area {aname!r} is not in the action-items list")
                a = action_area_iri(aname)
                role = minted("ler-map-action-area-role", slug, slugify(aname))
                yield s, LERMAP.actionArea, a
                yield s, LERMAP.actionAreaRole, role
                yield role, RDF.type, LERMAP.ActionAreaRole
                yield role, LERMAP.actionArea, a
                for bullet in _bullets(area, aloc, ctx):
                    yield role, LERMAP.activity, lit(bullet, lang="en")
            for kind in ("business", "social"):
                for j, case in enumerate(_dicts(item, f"{kind}-case", loc, ctx)):
                    cloc = f"{loc}.{kind}-case[{j}]"
                    title = _need(case, "title", cloc, ctx)
                    v = minted("ler-map-value-case", slug, kind, title)
                    yield s, LERMAP.valueCase, v
                    yield v, RDF.type, LERMAP.ValueCase
                    yield v, LERMAP.caseKind, lit(kind)
                    yield v, SCHEMA.name, lit(title, lang="en")
                    desc = _text(case, "description", cloc, ctx)
                    if desc:
                        yield v, SCHEMA.description, lit(desc, lang="en")

    def _glossary(self, data: SiteData, ctx: IngestContext) -> Iterator[TripleTuple]:
        where = data.files.get("terms", "terms")
        for i, item in enumerate(data.terms):
            loc = f"{where}: terms[{i}]"
            term = _need(item, "term", loc, ctx)
            c = NamedNode(MAP_BASE + "glossary/" + slugify(term))
            yield from _concept(c, GLOSSARY_SCHEME, term)
            yield c, SKOS.topConceptOf, GLOSSARY_SCHEME
            yield GLOSSARY_SCHEME, SKOS.hasTopConcept, c
            definitions = [d for d in [_text(item, "definition", loc, ctx)] if d] or _bullets(item, loc, ctx, key="list")
            if not definitions:
                ctx.warn(loc, f"glossary term {term!r} has no definition")
            for d in definitions:  # a term with several senses keeps each as its own definition
                yield c, SKOS.definition, lit(d, lang="en")

    def _resources(self, data: SiteData, ctx: IngestContext) -> Iterator[TripleTuple]:
        where = data.files.get("resources", "resources")
        seen_urls: dict[str, str] = {}
        labelled: set[NamedNode] = set()
        for i, group in enumerate(data.resources):
            gloc = f"{where}: resources[{i}]"
            category = _text(group, "name", gloc, ctx)
            for j, site in enumerate(_dicts(group, "sites", gloc, ctx)):
                loc = f"{gloc}.sites[{j}]"
                title = _need(site, "title", loc, ctx)
                r = minted("ler-map-resource", title)
                yield r, RDF.type, SCHEMA.CreativeWork
                yield r, SCHEMA.name, lit(title, lang="en")
                if category:
                    yield r, SCHEMA.keywords, lit(category, lang="en")
                url = _text(site, "url", loc, ctx)
                if url and is_iri(url):
                    yield r, SCHEMA.url, NamedNode(url)
                    if url in seen_urls:
                        ctx.warn(loc, f"same URL as the resource {seen_urls[url]!r}")
                    seen_urls[url] = title
                elif url:
                    ctx.warn(loc, f"resource URL is not an IRI: {url!r}")
                else:
                    ctx.warn(loc, f"resource {title!r} has no URL")
                for author in split_authors(_text(site, "author", loc, ctx)):
                    org = organisation_iri(author)
                    yield r, SCHEMA.author, org
                    if org not in labelled:  # spellings differing only in case name one organisation
                        labelled.add(org)
                        yield org, RDF.type, SCHEMA.Organization
                        yield org, SKOS.prefLabel, lit(author)
                        yield org, SCHEMA.name, lit(author)


def split_authors(text: str | None) -> list[str]:
    """A resource's author line as organisation names: split on commas and a final "and"."""
    if not text:
        return []
    parts = [p.strip() for p in re.split(r",\s*", text) if p.strip()]
    out = []
    for p in parts:
        p = re.sub(r"^and\s+", "", p)
        if p:
            out.append(p)
    return out


def _schemes() -> Iterator[TripleTuple]:
    for scheme, label in (
        (STAKEHOLDER_SCHEME, "LER Ecosystem Map stakeholder types"),
        (WORKSTREAM_SCHEME, "LER Ecosystem Map workstreams"),
        (ACTION_AREA_SCHEME, "LER Ecosystem Map action areas"),
        (GLOSSARY_SCHEME, "LER Ecosystem Map glossary"),
    ):
        yield scheme, RDF.type, SKOS.ConceptScheme
        yield scheme, SKOS.prefLabel, lit(label, lang="en")
        yield scheme, DCTERMS.source, NamedNode("https://github.com/gwalsh311/ler-ecosystem-map-v2")


def _concept(c: NamedNode, scheme: NamedNode, label: str) -> Iterator[TripleTuple]:
    yield c, RDF.type, SKOS.Concept
    yield c, SKOS.inScheme, scheme
    yield c, SKOS.prefLabel, lit(label, lang="en")


def _text(item: dict[str, Any], key: str, loc: str, ctx: IngestContext, required: bool = False) -> str | None:
    value = item.get(key)
    if value is None or value == "":
        if required:
            ctx.fail(f"{loc}.{key}", "missing")
        return None
    if isinstance(value, (int, float, bool)):
        value = str(value)
    if not isinstance(value, str):
        ctx.fail(f"{loc}.{key}", f"expected text, found {type(value).__name__}")
    text = clean_text(value)
    if required and not text:
        ctx.fail(f"{loc}.{key}", "empty")
    return text or None


def _need(item: dict[str, Any], key: str, loc: str, ctx: IngestContext) -> str:
    value = _text(item, key, loc, ctx, required=True)
    assert value is not None
    return value


def _dicts(item: dict[str, Any], key: str, loc: str, ctx: IngestContext) -> list[dict[str, Any]]:
    value = item.get(key)
    if value is None or value == "":
        return []
    if not isinstance(value, list):
        ctx.fail(f"{loc}.{key}", f"expected a list, found {type(value).__name__}")
    for i, v in enumerate(value):
        if not isinstance(v, dict):
            ctx.fail(f"{loc}.{key}[{i}]", f"expected a mapping, found {type(v).__name__}")
    return value


def _bullets(item: dict[str, Any], loc: str, ctx: IngestContext, key: str = "bullets") -> list[str]:
    value = item.get(key)
    if value is None:
        return []
    if isinstance(value, str):  # one page gives a single bullet as plain text instead of a list
        ctx.warn(f"{loc}.{key}", "a single text instead of a list; read as one item")
        value = [value]
    if not isinstance(value, list):
        ctx.fail(f"{loc}.{key}", f"expected a list, found {type(value).__name__}")
    out = []
    for i, b in enumerate(value):
        if not isinstance(b, (str, int, float)):
            ctx.fail(f"{loc}.{key}[{i}]", f"expected text, found {type(b).__name__}")
        text = clean_text(str(b))
        if text:
            out.append(text)
    return out
