"""ESCO ingester: the ESCO bulk download (CSV, v1.1 and v1.2) into the core view.

The source is a download folder (any subset of its files) or a single ESCO CSV file. What it writes:

* skills (knowledge, skill/competence) and skill groups: ``ceasn:Competency`` + ``skos:Concept`` in the
  ESCO skills framework (``esco:concept-scheme/skills``, a ``ceasn:CompetencyFramework``), keeping ESCO's
  IRIs; ``skillType`` as ``ceasn:competencyCategory``, ``reuseLevel`` as ``lermap:reuseLevel``;
* occupations: ``schema:Occupation`` + ``skos:Concept`` in the ESCO occupations scheme, ``skos:notation``
  (ESCO code), ``skos:broader`` their ISCO group; ISCO groups are ``skos:Concept`` in the ISCO 2008
  scheme with the ISCO code as ``skos:notation`` (the analysis layer harvests ESCO -> ISCO from these);
* both pillars' hierarchies (``broaderRelations*``, ``skillsHierarchy``) as ``skos:broader`` (a DAG);
* occupation-skill relations as ``lermap:SkillRequirement`` with ``lermap:essential`` true/false;
* skill-skill relations as ``skos:related`` (they stay inside one scheme, so they are not mappings) plus
  ESCO's own directed ``esco:hasEssentialSkill`` / ``esco:hasOptionalSkill`` to keep the relation type;
* collections (digital, green, transversal, language, research, DigComp) as ``skos:Collection`` with
  ``skos:member``; concept schemes (``conceptSchemes_*.csv``) as ``skos:ConceptScheme``.

The language of labels comes from the file name suffix (``skills_fr.csv``); files in other languages add
labels to the same IRIs. Only ``skos:broader`` is written for hierarchies (``skos:narrower`` is its inverse).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime

from pyoxigraph import Literal, NamedNode

from lermap.graph.terms import TripleTuple, minted
from lermap.graph.vocab import CEASN, DCTERMS, LERMAP, RDF, SCHEMA, SKOS, XSD, ClosedNamespace
from lermap.ingest.base import IngestContext, Ingester, Source
from lermap.ingest.esco.read import EscoFile, folder_files, looks_like_esco, read_files, version_from_names
from lermap.ingest.identifiers import ISCO_SCHEME, isco_iri

ESCO_BASE = "http://data.europa.eu/esco/"
# ESCO's own model terms, for the one relation the core view has no place for (the type of a skill-skill relation).
ESCO_MODEL = ClosedNamespace(ESCO_BASE + "model#", ["hasEssentialSkill", "hasOptionalSkill"])
SKILLS_SCHEME = NamedNode(ESCO_BASE + "concept-scheme/skills")
OCCUPATIONS_SCHEME = NamedNode(ESCO_BASE + "concept-scheme/occupations")
_DEFAULT_SCHEME_LABELS = {SKILLS_SCHEME: "ESCO skills", OCCUPATIONS_SCHEME: "ESCO Occupations", ISCO_SCHEME: "ISCO 2008"}

# Terms bound once: a closed namespace's attribute lookup is a Python call, too slow for per-row use.
_CEASN_Competency = CEASN.Competency
_CEASN_CompetencyFramework = CEASN.CompetencyFramework
_CEASN_competencyCategory = CEASN.competencyCategory
_DCTERMS_description = DCTERMS.description
_DCTERMS_modified = DCTERMS.modified
_DCTERMS_title = DCTERMS.title
_LERMAP_SkillRequirement = LERMAP.SkillRequirement
_LERMAP_essential = LERMAP.essential
_LERMAP_requiredBy = LERMAP.requiredBy
_LERMAP_requiresCompetency = LERMAP.requiresCompetency
_LERMAP_reuseLevel = LERMAP.reuseLevel
_RDF_type = RDF.type
_SCHEMA_Occupation = SCHEMA.Occupation
_SCHEMA_version = SCHEMA.version
_SKOS_Collection = SKOS.Collection
_SKOS_Concept = SKOS.Concept
_SKOS_ConceptScheme = SKOS.ConceptScheme
_SKOS_altLabel = SKOS.altLabel
_SKOS_broader = SKOS.broader
_SKOS_definition = SKOS.definition
_SKOS_hasTopConcept = SKOS.hasTopConcept
_SKOS_hiddenLabel = SKOS.hiddenLabel
_SKOS_inScheme = SKOS.inScheme
_SKOS_member = SKOS.member
_SKOS_notation = SKOS.notation
_SKOS_note = SKOS.note
_SKOS_prefLabel = SKOS.prefLabel
_SKOS_related = SKOS.related
_SKOS_scopeNote = SKOS.scopeNote
_SKOS_topConceptOf = SKOS.topConceptOf
_URI_LIST = re.compile(r"[\s,|]+")
_LINES = re.compile(r"\r?\n")
_LINES_OR_BARS = re.compile(r"\r?\n| \| ")


Where = tuple[str, int] | str  # (file name, record index) or a description; formatted only for a warning


def _key(a: str, b: str | None) -> str:
    return f"{a}\x1f{b or ''}"


def _loc(where: Where) -> str:
    return f"{where[0]} record {where[1] + 1}" if isinstance(where, tuple) else where


def _camel_words(name: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()


class _Mapper:
    """Turns the read files into triples, remembering what it described so nothing is written twice."""

    def __init__(self, ctx: IngestContext, version: str | None) -> None:
        self.ctx = ctx
        self.version = version  # written on ESCO's scheme nodes: only a version the source states, never one inferred
        self.own = ctx.source.name
        self.own_schemes: dict[NamedNode, tuple[NamedNode, str]] = {}  # ESCO scheme -> (this source's stand-in, label)
        self.nodes: dict[str, NamedNode] = {}
        self.typed: set[str] = set()  # concept IRIs whose type triples are written
        # Keys are joined strings, not tuples: millions of tuples kept alive make the cyclic GC crawl.
        self.labelled: set[str] = set()  # IRI + language whose labels are written
        self.edges: set[str] = set()  # skos:broader pairs written
        self.schemes_described: set[NamedNode] = set()
        self.schemes_used: set[NamedNode] = set()
        self.isco_used: dict[str, str] = {}  # ISCO group IRI -> code, for groups named only by occupations
        self.top: set[str] = set()

    # -- terms ---------------------------------------------------------------------------------------------
    def node(self, value: str, where: Where) -> NamedNode | None:
        n = self.nodes.get(value)
        if n is None:
            try:
                n = NamedNode(value)
            except ValueError:
                self.ctx.warn(_loc(where), f"{value[:80]!r} is not an IRI; skipped")
                return None
            self.nodes[value] = n
        return n

    def uris(self, cell: str, where: Where) -> list[NamedNode]:
        out = []
        for part in _URI_LIST.split(cell):
            if part:
                n = self.node(part, where)
                if n is not None:
                    out.append(n)
        return out

    @staticmethod
    def text(value: str, lang: str | None) -> Literal:
        return Literal(value, language=lang) if lang else Literal(value)

    # -- shared pieces ---------------------------------------------------------------------------------------
    def broader(self, child: NamedNode, parent: NamedNode) -> Iterator[TripleTuple]:
        key = _key(child.value, parent.value)
        if key not in self.edges and child != parent:
            self.edges.add(key)
            yield child, _SKOS_broader, parent

    def labels(
        self, s: NamedNode, lang: str | None, pref: str, alt: str = "", hidden: str = "", split: re.Pattern[str] = _LINES
    ) -> Iterator[TripleTuple]:
        key = _key(s.value, lang)
        if key in self.labelled:
            return
        self.labelled.add(key)
        pref = pref.strip()
        if pref:
            yield s, _SKOS_prefLabel, self.text(pref, lang)
        for cell, prop in ((alt, _SKOS_altLabel), (hidden, _SKOS_hiddenLabel)):
            if cell:
                for label in split.split(cell):
                    label = label.strip()
                    if label:
                        yield s, prop, self.text(label, lang)

    def notes(self, s: NamedNode, lang: str | None, description: str, scope: str = "", definition: str = "") -> Iterator[TripleTuple]:
        for cell, prop in ((description, _SKOS_definition), (scope, _SKOS_scopeNote), (definition, _SKOS_note)):
            cell = cell.strip()
            if cell:
                yield s, prop, self.text(cell, lang)

    def concept(
        self, s: NamedNode, classes: Iterable[NamedNode], scheme: NamedNode, in_scheme: str, where: Where, modified: str = ""
    ) -> Iterator[TripleTuple]:
        """Type and scheme triples, once per concept whatever the number of files naming it."""
        if s.value in self.typed:
            return
        self.typed.add(s.value)
        for cls in classes:
            yield s, _RDF_type, cls
        yield s, _RDF_type, _SKOS_Concept
        scheme = self.home(s, scheme)
        self.schemes_used.add(scheme)
        yield s, _SKOS_inScheme, scheme
        for sch in self.uris(in_scheme, where) if in_scheme else ():
            if sch != scheme and (s.value.startswith(ESCO_BASE) or not sch.value.startswith(ESCO_BASE)):
                yield s, _SKOS_inScheme, sch
        modified = modified.strip()
        if modified:
            try:
                datetime.fromisoformat(modified)
            except ValueError:
                self.ctx.warn(_loc(where), f"modifiedDate {modified[:40]!r} is not a date-time; left out")
            else:
                yield s, _DCTERMS_modified, Literal(modified, datatype=XSD.dateTime)

    def home(self, s: NamedNode, scheme: NamedNode) -> NamedNode:
        """ESCO's scheme for ESCO's own concepts; for concepts outside ESCO's IRI space (an example, a local
        extension in ESCO's layout), a scheme of this source, so they never claim membership of ESCO."""
        if s.value.startswith(ESCO_BASE):
            return scheme
        if scheme not in self.own_schemes:
            pillar = _DEFAULT_SCHEME_LABELS.get(scheme, scheme.value.rsplit("/", 1)[-1]).removeprefix("ESCO ").lower()
            label = f"{pillar.capitalize()} of {self.own} (ESCO layout, not ESCO)"
            self.own_schemes[scheme] = (minted("esco-layout-scheme", self.own, scheme.value), label)
        return self.own_schemes[scheme][0]

    # -- one method per kind of file -------------------------------------------------------------------------
    def skills(self, f: EscoFile, group: bool = False) -> Iterator[TripleTuple]:
        cols = [f.column(c) for c in (
            "conceptUri", "preferredLabel", "altLabels", "hiddenLabels", "description", "scopeNote", "definition", "skillType",
            "reuseLevel", "inScheme", "modifiedDate", "code")]
        lang = f.lang
        for i, (uri, pref, alt, hidden, desc, scope, defn, stype, reuse, insch, modified, code) in enumerate(zip(*cols, strict=True)):
            where = (f.name, i)
            s = self.node(uri.strip(), where)
            if s is None:
                continue
            first = s.value not in self.typed
            yield from self.concept(s, (_CEASN_Competency,), SKILLS_SCHEME, insch, where, modified)
            if first:
                category = "skill group" if group else stype.strip()
                if category:
                    yield s, _CEASN_competencyCategory, Literal(category)
                if reuse.strip():
                    yield s, _LERMAP_reuseLevel, Literal(reuse.strip())
                if code.strip():
                    yield s, _SKOS_notation, Literal(code.strip())
            if _key(s.value, lang) not in self.labelled:
                yield from self.labels(s, lang, pref, alt, hidden)
                yield from self.notes(s, lang, desc, scope, defn)

    def occupations(self, f: EscoFile) -> Iterator[TripleTuple]:
        cols = [f.column(c) for c in (
            "conceptUri", "preferredLabel", "altLabels", "hiddenLabels", "description", "scopeNote", "definition", "inScheme",
            "modifiedDate", "code", "iscoGroup")]
        lang = f.lang
        for i, (uri, pref, alt, hidden, desc, scope, defn, insch, modified, code, isco) in enumerate(zip(*cols, strict=True)):
            where = (f.name, i)
            s = self.node(uri.strip(), where)
            if s is None:
                continue
            first = s.value not in self.typed
            yield from self.concept(s, (_SCHEMA_Occupation,), OCCUPATIONS_SCHEME, insch, where, modified)
            if first:
                if code.strip():
                    yield s, _SKOS_notation, Literal(code.strip())
                isco = isco.strip()
                if isco:
                    g = self.node(isco_iri(isco).value, where)
                    if g is not None:
                        self.isco_used.setdefault(g.value, isco)
                        yield from self.broader(s, g)
            if _key(s.value, lang) not in self.labelled:
                yield from self.labels(s, lang, pref, alt, hidden)
                yield from self.notes(s, lang, desc, scope, defn)

    def isco_groups(self, f: EscoFile) -> Iterator[TripleTuple]:
        cols = [f.column(c) for c in ("conceptUri", "code", "preferredLabel", "altLabels", "description", "inScheme")]
        for i, (uri, code, pref, alt, desc, insch) in enumerate(zip(*cols, strict=True)):
            where = (f.name, i)
            s = self.node(uri.strip(), where)
            if s is None:
                continue
            if s.value not in self.typed:
                yield from self.concept(s, (), ISCO_SCHEME, insch, where)
                if code.strip():
                    yield s, _SKOS_notation, Literal(code.strip())
            if _key(s.value, f.lang) not in self.labelled:
                yield from self.labels(s, f.lang, pref, alt)
                yield from self.notes(s, f.lang, desc)

    def concept_schemes(self, f: EscoFile) -> Iterator[TripleTuple]:
        cols = [f.column(c) for c in ("conceptSchemeUri", "preferredLabel", "title", "description", "hasTopConcept")]
        for i, (uri, pref, title, desc, tops) in enumerate(zip(*cols, strict=True)):
            where = (f.name, i)
            s = self.node(uri.strip(), where)
            if s is None:
                continue
            if s not in self.schemes_described:
                self.schemes_described.add(s)
                yield from self.scheme_type(s)
            if _key(s.value, f.lang) not in self.labelled:
                self.labelled.add(_key(s.value, f.lang))
                if pref.strip():
                    yield s, _SKOS_prefLabel, self.text(pref.strip(), f.lang)
                if title.strip():
                    yield s, _DCTERMS_title, self.text(title.strip(), f.lang)
                if desc.strip():
                    yield s, _DCTERMS_description, self.text(desc.strip(), f.lang)
            for top in self.uris(tops, where):
                yield from self.top_concept(top, s)

    def scheme_type(self, s: NamedNode) -> Iterator[TripleTuple]:
        yield s, _RDF_type, _SKOS_ConceptScheme
        if s == SKILLS_SCHEME or self.own_schemes.get(SKILLS_SCHEME, (None,))[0] == s:
            yield s, _RDF_type, _CEASN_CompetencyFramework
        if self.version and s in _DEFAULT_SCHEME_LABELS:
            yield s, _SCHEMA_version, Literal(self.version)

    def top_concept(self, concept: NamedNode, scheme: NamedNode) -> Iterator[TripleTuple]:
        key = _key(concept.value, scheme.value)
        if key not in self.top:
            self.top.add(key)
            yield scheme, _SKOS_hasTopConcept, concept
            yield concept, _SKOS_topConceptOf, scheme

    def broader_relations(self, f: EscoFile) -> Iterator[TripleTuple]:
        for i, (uri, parent) in enumerate(zip(f.column("conceptUri"), f.column("broaderUri"), strict=True)):
            where = (f.name, i)
            s, p = self.node(uri.strip(), where), self.node(parent.strip(), where)
            if s is not None and p is not None:
                yield from self.broader(s, p)

    def hierarchy(self, f: EscoFile) -> Iterator[TripleTuple]:
        levels = [(f.column(f"Level {n} URI"), f.column(f"Level {n} preferred term"), f.column(f"Level {n} code")) for n in range(4)]
        descriptions, scopes = f.column("Description"), f.column("Scope note")
        for i in range(len(f.frame)):
            where = (f.name, i)
            above: NamedNode | None = None
            for depth, (uris, prefs, codes) in enumerate(levels):
                uri = uris[i].strip()
                if not uri:
                    continue
                s = self.node(uri, where)
                if s is None:
                    break
                if s.value not in self.typed:
                    yield from self.concept(s, (_CEASN_Competency,), SKILLS_SCHEME, "", where)
                    yield s, _CEASN_competencyCategory, Literal("skill group")
                    if codes[i].strip():
                        yield s, _SKOS_notation, Literal(codes[i].strip())
                if _key(s.value, f.lang) not in self.labelled:
                    yield from self.labels(s, f.lang, prefs[i])
                    deepest = all(not lv[0][i].strip() for lv in levels[depth + 1 :])
                    if deepest:
                        yield from self.notes(s, f.lang, descriptions[i], scopes[i])
                if depth == 0:
                    yield from self.top_concept(s, self.home(s, SKILLS_SCHEME))
                if above is not None:
                    yield from self.broader(s, above)
                above = s

    def collection(self, f: EscoFile) -> Iterator[TripleTuple]:
        key = f.collection or "collection"
        c = minted("esco-collection", key)
        if c.value not in self.typed:
            self.typed.add(c.value)
            yield c, _RDF_type, _SKOS_Collection
            yield c, _SKOS_prefLabel, Literal(f"ESCO {_camel_words(key)} collection", language="en")
        is_occ = "occupation" in key.lower()
        cols = [f.column(c) for c in (
            "conceptUri", "conceptType", "preferredLabel", "altLabels", "description", "skillType", "reuseLevel", "broaderConceptUri")]
        for i, (uri, ctype, pref, alt, desc, stype, reuse, broader) in enumerate(zip(*cols, strict=True)):
            where = (f.name, i)
            s = self.node(uri.strip(), where)
            if s is None:
                continue
            yield c, _SKOS_member, s
            occupation = ctype == "Occupation" or (not ctype and is_occ)
            if s.value not in self.typed:
                if occupation:
                    yield from self.concept(s, (_SCHEMA_Occupation,), OCCUPATIONS_SCHEME, "", where)
                else:
                    yield from self.concept(s, (_CEASN_Competency,), SKILLS_SCHEME, "", where)
                    if stype.strip():
                        yield s, _CEASN_competencyCategory, Literal(stype.strip())
                    if reuse.strip():
                        yield s, _LERMAP_reuseLevel, Literal(reuse.strip())
            if _key(s.value, f.lang) not in self.labelled:
                yield from self.labels(s, f.lang, pref, alt, split=_LINES_OR_BARS)
                yield from self.notes(s, f.lang, desc)
            for p in self.uris(broader, where):
                yield from self.broader(s, p)

    def skill_relations(self, f: EscoFile) -> Iterator[TripleTuple]:
        cols = [f.column(c) for c in ("originalSkillUri", "relationType", "relatedSkillUri")]
        for i, (a, rel, b) in enumerate(zip(*cols, strict=True)):
            where = (f.name, i)
            s, o = self.node(a.strip(), where), self.node(b.strip(), where)
            if s is None or o is None:
                continue
            yield s, _SKOS_related, o
            rel = rel.strip().lower()
            if rel == "essential":
                yield s, ESCO_MODEL.hasEssentialSkill, o
            elif rel == "optional":
                yield s, ESCO_MODEL.hasOptionalSkill, o
            else:
                self.ctx.warn(_loc(where), f"relationType {rel!r} is neither essential nor optional; kept as skos:related only")

    def requirements(self, f: EscoFile) -> Iterator[TripleTuple]:
        cols = [f.column(c) for c in ("occupationUri", "relationType", "skillUri")]
        flags = {"essential": Literal("true", datatype=XSD.boolean), "optional": Literal("false", datatype=XSD.boolean)}
        rdf_type, cls, by, requires, essential = (
            _RDF_type, _LERMAP_SkillRequirement, _LERMAP_requiredBy, _LERMAP_requiresCompetency, _LERMAP_essential
        )  # fmt: skip
        seen: set[str] = set()
        node = self.node
        for i, (occ, rel, skill) in enumerate(zip(*cols, strict=True)):
            occ, skill = occ.strip(), skill.strip()
            key = occ + "\x1f" + skill
            if key in seen:
                continue
            o, s = node(occ, (f.name, i)), node(skill, (f.name, i))
            if o is None or s is None:
                continue
            seen.add(key)
            r = minted("esco-requirement", occ, skill)
            yield r, rdf_type, cls
            yield r, by, o
            yield r, requires, s
            flag = flags.get(rel.strip().lower())
            if flag is not None:
                yield r, essential, flag
            else:
                self.ctx.warn(_loc((f.name, i)), f"relationType {rel!r} is neither essential nor optional; requirement kept without it")

    def finish(self) -> Iterator[TripleTuple]:
        """ISCO groups only named by occupations, and the schemes used but not described by a file."""
        for uri, code in self.isco_used.items():
            if uri not in self.typed:
                g = self.nodes[uri]
                yield from self.concept(g, (), ISCO_SCHEME, "", "iscoGroup")
                yield g, _SKOS_notation, Literal(code)
        for s in sorted(self.schemes_used, key=lambda n: n.value):
            if s not in self.schemes_described:
                yield from self.scheme_type(s)
                label = _DEFAULT_SCHEME_LABELS.get(s) or next((lab for own, lab in self.own_schemes.values() if own == s), None)
                if label:
                    yield s, _SKOS_prefLabel, Literal(label, language="en")


class EscoIngester(Ingester):
    """ESCO classification CSV download (v1.1, v1.2): skills, occupations, ISCO groups, relations, collections."""

    name = "esco"
    title = "ESCO CSV"
    version = "1"
    writes_canonical_iris = True

    def sniff(self, source: Source) -> float:
        if source.is_dir:
            return 0.9 if folder_files(source) else 0.0
        return looks_like_esco(source.name, source.head())

    def parse(self, source: Source, ctx: IngestContext) -> list[EscoFile]:
        files = read_files(source, ctx)
        version = ctx.options.extra.get("version") or version_from_names(*source.names)
        if version is None and any(f.kind == "occupationSkillRelations" and "occupationLabel" in f.frame.columns for f in files):
            version = "1.2"  # the v1.2 layout added the label columns
        ctx.format_version = str(version) if version else None
        return files

    def map(self, parsed: list[EscoFile], ctx: IngestContext) -> Iterator[TripleTuple]:
        stated = ctx.options.extra.get("version") or version_from_names(*ctx.source.names)
        m = _Mapper(ctx, str(stated) if stated else None)
        for f in parsed:
            if f.kind == "conceptSchemes":
                yield from m.concept_schemes(f)
            elif f.kind == "ISCOGroups":
                yield from m.isco_groups(f)
            elif f.kind == "skillGroups":
                yield from m.skills(f, group=True)
            elif f.kind == "skills":
                yield from m.skills(f)
            elif f.kind == "occupations":
                yield from m.occupations(f)
            elif f.kind == "skillsHierarchy":
                yield from m.hierarchy(f)
            elif f.kind in ("broaderRelationsSkillPillar", "broaderRelationsOccPillar"):
                yield from m.broader_relations(f)
            elif f.kind == "collection":
                yield from m.collection(f)
            elif f.kind == "skillSkillRelations":
                yield from m.skill_relations(f)
            elif f.kind == "occupationSkillRelations":
                yield from m.requirements(f)
        yield from m.finish()
