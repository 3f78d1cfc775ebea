"""O*NET ingester: an O*NET database release (tab-separated text or Excel) into the core view.

The source is a release folder, or one of its files. What it writes:

* occupations (``Occupation Data``): ``schema:Occupation`` + ``skos:Concept`` in the O*NET-SOC scheme with
  the code as ``skos:notation``; the IRI is O*NET OnLine's permalink ``https://www.onetonline.org/link/summary/<code>``.
  Each is tied to its SOC 2018 detailed occupation (a ``skos:Concept`` in a SOC scheme, notation ``XX-XXXX``):
  an ``XX-XXXX.00`` occupation *is* the SOC occupation, so it gets ``skos:exactMatch`` plus a reified
  ``sssom:Mapping`` (publisher-asserted: ``semapv:ManualMappingCuration``); ``.01`` and up are O*NET's
  detailed occupations below it, so they get ``skos:broader``;
* the content model (``Content Model Reference``) as the ``ceasn:CompetencyFramework`` "O*NET Content Model",
  every element a ``ceasn:Competency`` with its Element ID as notation and ``skos:broader`` its ID prefix;
* Skills, Knowledge, Abilities, Work Activities, Work Styles: one ``lermap:SkillRequirement`` per occupation
  and element, IM and LV rows pivoted onto it: ``lermap:importance`` (IM 1-5 -> 0-1) and ``lermap:level``
  (LV 0-7 -> 0-1; ranges from ``Scales Reference`` when present), raw values in ``sssom:comment``.
  A value with "Recommend Suppress" = Y is dropped (the comment says so); a requirement left with no value
  is dropped. "Not Relevant" = Y gives ``lermap:notRelevant true``;
* Technology Skills: examples as competencies under their UNSPSC commodity in an "O*NET Technology Skills"
  framework, required by occupations with ``lermap:hotTechnology`` / ``lermap:inDemand`` true when flagged;
* Alternate Titles as ``skos:altLabel``; Job Zones as ``lermap:jobZone``; Related Occupations as
  ``skos:related``; Task Statements as ``schema:responsibilities``.

Interests and the other O*NET files are not mapped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pandas as pd
from pyoxigraph import Literal, NamedNode

from lermap.graph.terms import TripleTuple, minted
from lermap.graph.vocab import CEASN, LERMAP, OWL, RDF, SCHEMA, SEMAPV, SKOS, SSSOM, XSD
from lermap.ingest.base import IngestContext, Ingester, Source
from lermap.ingest.identifiers import ONET_OCCUPATION, ONET_SOC_SCHEME, SOC_SCHEME, soc2018_broad_group, soc2018_iri
from lermap.ingest.onet.read import CODE, FILES, OnetFile, looks_like_onet_folder, read_files, stem_of, version_of

CONTENT_MODEL = minted("onet", "content-model")
TECHNOLOGY_FRAMEWORK = minted("onet", "technology-skills")
# Terms bound once: a closed namespace's attribute lookup is a Python call, too slow for per-row use.
_CEASN_Competency = CEASN.Competency
_CEASN_CompetencyFramework = CEASN.CompetencyFramework
_CEASN_competencyCategory = CEASN.competencyCategory
_LERMAP_SkillRequirement = LERMAP.SkillRequirement
_LERMAP_hotTechnology = LERMAP.hotTechnology
_LERMAP_importance = LERMAP.importance
_LERMAP_inDemand = LERMAP.inDemand
_LERMAP_jobZone = LERMAP.jobZone
_LERMAP_level = LERMAP.level
_LERMAP_notRelevant = LERMAP.notRelevant
_LERMAP_requiredBy = LERMAP.requiredBy
_LERMAP_requiresCompetency = LERMAP.requiresCompetency
_OWL_annotatedProperty = OWL.annotatedProperty
_OWL_annotatedSource = OWL.annotatedSource
_OWL_annotatedTarget = OWL.annotatedTarget
_RDF_type = RDF.type
_SCHEMA_Occupation = SCHEMA.Occupation
_SCHEMA_responsibilities = SCHEMA.responsibilities
_SCHEMA_version = SCHEMA.version
_SEMAPV_ManualMappingCuration = SEMAPV.ManualMappingCuration
_SKOS_Concept = SKOS.Concept
_SKOS_ConceptScheme = SKOS.ConceptScheme
_SKOS_altLabel = SKOS.altLabel
_SKOS_broader = SKOS.broader
_SKOS_definition = SKOS.definition
_SKOS_exactMatch = SKOS.exactMatch
_SKOS_hasTopConcept = SKOS.hasTopConcept
_SKOS_inScheme = SKOS.inScheme
_SKOS_notation = SKOS.notation
_SKOS_prefLabel = SKOS.prefLabel
_SKOS_related = SKOS.related
_SKOS_topConceptOf = SKOS.topConceptOf
_SSSOM_Mapping = SSSOM.Mapping
_SSSOM_comment = SSSOM.comment
_SSSOM_mapping_justification = SSSOM.mapping_justification
_SSSOM_object_source_version = SSSOM.object_source_version
_SSSOM_subject_source_version = SSSOM.subject_source_version
_CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
_DEFAULT_RANGES = {"IM": (1.0, 5.0), "LV": (0.0, 7.0)}
_TRUE = Literal("true", datatype=XSD.boolean)
EN = "en"


def _double(x: float) -> Literal:
    return Literal(repr(round(float(x), 6)), datatype=XSD.double)


class _Mapper:
    def __init__(self, ctx: IngestContext, version: str | None) -> None:
        self.ctx = ctx
        self.version = version
        # Only a release (a version known from its Read Me or its name) speaks for O*NET: its occupations get
        # O*NET OnLine's IRIs in the O*NET-SOC scheme and meet SOC. Other content in the layout (an example, a
        # hand-made file) gets a scheme and IRIs of its own source, so nothing it says lands on O*NET's identifiers.
        self.release = version is not None
        own = ctx.source.name
        self.occ_scheme = ONET_SOC_SCHEME if self.release else minted("onet-layout-scheme", own)
        self.tech_scheme = TECHNOLOGY_FRAMEWORK if self.release else minted("onet-layout-technology-scheme", own)
        self.own = own
        self.occ: dict[str, NamedNode | None] = {}
        self.typed: set[str] = set()
        self.elements: dict[str, NamedNode] = {}
        self.ranges = dict(_DEFAULT_RANGES)
        self.category: dict[str, str] = {}
        self.tech_broader: set[tuple[str, str]] = set()

    def occupation(self, code: str, where: str) -> NamedNode | None:
        """The O*NET-SOC occupation node of a code; a malformed code is warned about once and skipped."""
        if code in self.occ:
            return self.occ[code]
        node = None
        if _CODE.match(code):
            node = NamedNode(ONET_OCCUPATION + code) if self.release else minted("onet-layout-occupation", self.own, code)
        if node is None:
            self.ctx.warn(where, f"{code[:40]!r} is not an O*NET-SOC code (XX-XXXX.XX); rows with it skipped")
        self.occ[code] = node
        return node

    def element(self, eid: str) -> NamedNode:
        n = self.elements.get(eid)
        if n is None:
            n = self.elements[eid] = minted("onet-element", eid)
        return n

    def schemes(self) -> Iterator[TripleTuple]:
        version = Literal(self.version) if self.version else None
        not_release = f" of {self.own} (O*NET layout, not an O*NET release)"
        for s, label, framework in (
            (CONTENT_MODEL, "O*NET Content Model", True),
            (self.tech_scheme, "O*NET Technology Skills" if self.release else "Technology skills" + not_release, True),
            (self.occ_scheme, "O*NET-SOC taxonomy" if self.release else "Occupations" + not_release, False),
            (SOC_SCHEME, "Standard Occupational Classification 2018", False),
        ):
            if s.value not in self.typed:
                continue
            yield s, _RDF_type, _SKOS_ConceptScheme
            if framework:
                yield s, _RDF_type, _CEASN_CompetencyFramework
            yield s, _SKOS_prefLabel, Literal(label, language=EN)
            if version is not None and s != SOC_SCHEME:
                yield s, _SCHEMA_version, version

    # -- files ---------------------------------------------------------------------------------------------
    def scales(self, f: OnetFile) -> Iterator[TripleTuple]:
        for sid, lo, hi in zip(f.column("Scale ID"), f.column("Minimum"), f.column("Maximum"), strict=True):
            try:
                low, high = float(lo), float(hi)
            except ValueError:
                continue
            if sid in self.ranges and high > low:
                self.ranges[sid] = (low, high)
        return iter(())

    def content_model(self, f: OnetFile) -> Iterator[TripleTuple]:
        ids, names, descs = f.column("Element ID"), f.column("Element Name"), f.column("Description")
        known = set(ids)
        name_of = dict(zip(ids, names, strict=True))
        self.typed.add(CONTENT_MODEL.value)
        for eid, name, desc in zip(ids, names, descs, strict=True):
            if not eid or eid in self.typed:
                continue
            self.typed.add(eid)
            s = self.element(eid)
            yield s, _RDF_type, _CEASN_Competency
            yield s, _RDF_type, _SKOS_Concept
            yield s, _SKOS_inScheme, CONTENT_MODEL
            yield s, _SKOS_notation, Literal(eid)
            if name:
                yield s, _SKOS_prefLabel, Literal(name, language=EN)
            if desc:
                yield s, _SKOS_definition, Literal(desc, language=EN)
            parts = eid.split(".")
            top = ".".join(parts[:2])
            if top in name_of and name_of[top]:
                self.category[eid] = name_of[top]
                yield s, _CEASN_competencyCategory, Literal(name_of[top])
            parent = ".".join(parts[:-1])
            if len(parts) > 1 and parent in known:
                yield s, _SKOS_broader, self.element(parent)
            else:
                yield CONTENT_MODEL, _SKOS_hasTopConcept, s
                yield s, _SKOS_topConceptOf, CONTENT_MODEL

    def occupations(self, f: OnetFile) -> Iterator[TripleTuple]:
        self.typed.add(self.occ_scheme.value)
        for i, (code, title, desc) in enumerate(zip(f.column(CODE), f.column("Title"), f.column("Description"), strict=True)):
            yield from self.describe_occupation(code, title, desc, f"{f.name} record {i + 1}")

    def describe_occupation(self, code: str, title: str, desc: str, where: str) -> Iterator[TripleTuple]:
        s = self.occupation(code, where)
        if s is None or s.value in self.typed:
            return
        self.typed.add(s.value)
        self.typed.add(self.occ_scheme.value)
        yield s, _RDF_type, _SCHEMA_Occupation
        yield s, _RDF_type, _SKOS_Concept
        yield s, _SKOS_inScheme, self.occ_scheme
        yield s, _SKOS_notation, Literal(code)
        if title:
            yield s, _SKOS_prefLabel, Literal(title, language=EN)
        if desc:
            yield s, _SKOS_definition, Literal(desc, language=EN)
        if self.release:
            yield from self.soc_link(s, code)

    def soc_link(self, s: NamedNode, code: str) -> Iterator[TripleTuple]:
        """The O*NET-SOC occupation's tie to its SOC 2018 occupation (a release's codes are O*NET-SOC 2019 codes)."""
        self.typed.add(SOC_SCHEME.value)
        soc_code = code[:7]
        soc = soc2018_iri(soc_code)
        if soc.value not in self.typed:
            self.typed.add(soc.value)
            yield soc, _RDF_type, _SKOS_Concept
            yield soc, _SKOS_inScheme, SOC_SCHEME
            yield soc, _SKOS_notation, Literal(soc_code)
            group = soc2018_broad_group(soc_code)
            if group is not None:  # where OEWS publishes an occupation only with others (13-1021 in 13-1020)
                broad = soc2018_iri(group)
                yield soc, _SKOS_broader, broad
                if broad.value not in self.typed:
                    self.typed.add(broad.value)
                    yield broad, _RDF_type, _SKOS_Concept
                    yield broad, _SKOS_inScheme, SOC_SCHEME
                    yield broad, _SKOS_notation, Literal(group)
        if code.endswith(".00"):
            yield s, _SKOS_exactMatch, soc
            m = minted("alignment", s.value, _SKOS_exactMatch.value, soc.value)
            yield m, _RDF_type, _SSSOM_Mapping
            yield m, _OWL_annotatedSource, s
            yield m, _OWL_annotatedProperty, _SKOS_exactMatch
            yield m, _OWL_annotatedTarget, soc
            yield m, _SSSOM_mapping_justification, _SEMAPV_ManualMappingCuration
            if self.version:
                yield m, _SSSOM_subject_source_version, Literal(f"O*NET {self.version}")
            yield m, _SSSOM_object_source_version, Literal("SOC 2018")
            yield m, _SSSOM_comment, Literal(f"O*NET-SOC {code} is the SOC 2018 occupation {soc_code}")
        else:
            yield s, _SKOS_broader, soc

    def ratings(self, f: OnetFile) -> Iterator[TripleTuple]:
        frame = f.frame
        cols = [CODE, "Element ID", "Element Name", "Scale ID", "Data Value"]
        df = pd.DataFrame({c: frame[c].str.strip() for c in cols})
        df["sup"] = frame["Recommend Suppress"].str.strip().str.upper() if "Recommend Suppress" in frame else ""
        df["nr"] = frame["Not Relevant"].str.strip().str.upper() if "Not Relevant" in frame else ""
        df = df[df["Scale ID"].isin(["IM", "LV"])]
        df["v"] = pd.to_numeric(df["Data Value"], errors="coerce")
        bad = int(df["v"].isna().sum())
        if bad:
            self.ctx.warn(f.name, f"{bad} IM/LV rows have no numeric Data Value; their values are ignored")
        dups = df.duplicated([CODE, "Element ID", "Scale ID"], keep="last")
        if dups.any():
            self.ctx.warn(f.name, f"{int(dups.sum())} repeated (occupation, element, scale) rows; the last one is kept")
            df = df[~dups]
        keys = [CODE, "Element ID"]
        im = df[df["Scale ID"] == "IM"].set_index(keys)[["v", "sup", "Element Name"]]
        lv = df[df["Scale ID"] == "LV"].set_index(keys)[["v", "sup", "nr", "Element Name"]]
        both = pd.merge(im, lv, how="outer", left_index=True, right_index=True, suffixes=("_im", "_lv")).reset_index()
        lo_im, hi_im = self.ranges["IM"]
        lo_lv, hi_lv = self.ranges["LV"]
        both["imn"] = ((both["v_im"] - lo_im) / (hi_im - lo_im)).clip(0, 1)
        both["lvn"] = ((both["v_lv"] - lo_lv) / (hi_lv - lo_lv)).clip(0, 1)
        name = both["Element Name_im"].where(both["Element Name_im"].notna(), both["Element Name_lv"]).fillna("")
        titles = dict(zip(frame[CODE].str.strip(), frame["Title"].str.strip(), strict=True)) if "Title" in frame else {}
        rows = zip(
            both[CODE].tolist(),
            both["Element ID"].tolist(),
            name.tolist(),
            both["v_im"].tolist(),
            both["imn"].tolist(),
            both["sup_im"].fillna("").tolist(),
            both["v_lv"].tolist(),
            both["lvn"].tolist(),
            both["sup_lv"].fillna("").tolist(),
            both["nr"].fillna("").tolist(),
            strict=True,
        )
        for code, eid, ename, im_raw, imn, im_sup, lv_raw, lvn, lv_sup, nr in rows:
            where = f"{f.name}, {code} {eid}"
            occ = self.occupation(code, where)
            if occ is None:
                continue
            if code in titles and occ.value not in self.typed:
                yield from self.describe_occupation(code, titles[code], "", where)
            im_ok = im_sup != "Y" and imn == imn  # NaN != NaN
            lv_ok = lv_sup != "Y" and lvn == lvn
            if not im_ok and not lv_ok:
                continue
            if eid not in self.typed:
                yield from self.rated_element(eid, ename, f.stem)
            r = minted("onet-requirement", code, eid)
            yield r, _RDF_type, _LERMAP_SkillRequirement
            yield r, _LERMAP_requiredBy, occ
            yield r, _LERMAP_requiresCompetency, self.element(eid)
            if im_ok:
                yield r, _LERMAP_importance, _double(imn)
            if lv_ok:
                yield r, _LERMAP_level, _double(lvn)
            if nr == "Y":
                yield r, _LERMAP_notRelevant, _TRUE
            raw = []
            if im_raw == im_raw:
                raw.append(f"IM={im_raw:g}" + (" (suppressed)" if im_sup == "Y" else ""))
            if lv_raw == lv_raw:
                raw.append(f"LV={lv_raw:g}" + (" (suppressed)" if lv_sup == "Y" else ""))
            yield r, _SSSOM_comment, Literal("; ".join(raw))

    def rated_element(self, eid: str, name: str, domain: str) -> Iterator[TripleTuple]:
        """An element named by a ratings file that the content model file did not describe."""
        self.typed.add(eid)
        self.typed.add(CONTENT_MODEL.value)
        s = self.element(eid)
        yield s, _RDF_type, _CEASN_Competency
        yield s, _RDF_type, _SKOS_Concept
        yield s, _SKOS_inScheme, CONTENT_MODEL
        yield s, _SKOS_notation, Literal(eid)
        if name:
            yield s, _SKOS_prefLabel, Literal(name, language=EN)
        yield s, _CEASN_competencyCategory, Literal(domain)

    def technology(self, f: OnetFile) -> Iterator[TripleTuple]:
        self.typed.add(self.tech_scheme.value)
        cols = [f.column(c) for c in (CODE, "Example", "Commodity Code", "Commodity Title", "Hot Technology", "In Demand")]
        for i, (code, example, ccode, ctitle, hot, demand) in enumerate(zip(*cols, strict=True)):
            where = f"{f.name} record {i + 1}"
            occ = self.occupation(code, where)
            if occ is None or not example:
                continue
            tech = minted("onet-technology", example) if self.release else minted("onet-layout-technology", self.own, example)
            if tech.value not in self.typed:
                self.typed.add(tech.value)
                yield tech, _RDF_type, _CEASN_Competency
                yield tech, _RDF_type, _SKOS_Concept
                yield tech, _SKOS_inScheme, self.tech_scheme
                yield tech, _SKOS_prefLabel, Literal(example, language=EN)
                yield tech, _CEASN_competencyCategory, Literal("technology")
            if ccode and (example, ccode) not in self.tech_broader:
                # an example can sit under several commodities (e.g. for different occupations)
                self.tech_broader.add((example, ccode))
                commodity = minted("unspsc", ccode) if self.release else minted("onet-layout-unspsc", self.own, ccode)
                yield tech, _SKOS_broader, commodity
                if commodity.value not in self.typed:
                    self.typed.add(commodity.value)
                    yield commodity, _RDF_type, _CEASN_Competency
                    yield commodity, _RDF_type, _SKOS_Concept
                    yield commodity, _SKOS_inScheme, self.tech_scheme
                    yield commodity, _SKOS_notation, Literal(ccode)
                    yield commodity, _SKOS_prefLabel, Literal(ctitle or ccode, language=EN)
                    yield commodity, _CEASN_competencyCategory, Literal("UNSPSC commodity")
                    yield self.tech_scheme, _SKOS_hasTopConcept, commodity
                    yield commodity, _SKOS_topConceptOf, self.tech_scheme
            r = minted("onet-technology-requirement", code, example)
            yield r, _RDF_type, _LERMAP_SkillRequirement
            yield r, _LERMAP_requiredBy, occ
            yield r, _LERMAP_requiresCompetency, tech
            if hot.upper() == "Y":
                yield r, _LERMAP_hotTechnology, _TRUE
            if demand.upper() == "Y":
                yield r, _LERMAP_inDemand, _TRUE

    def alternate_titles(self, f: OnetFile) -> Iterator[TripleTuple]:
        for i, (code, title) in enumerate(zip(f.column(CODE), f.column("Alternate Title"), strict=True)):
            occ = self.occupation(code, f"{f.name} record {i + 1}")
            if occ is not None and title:
                yield occ, _SKOS_altLabel, Literal(title, language=EN)

    def job_zones(self, f: OnetFile) -> Iterator[TripleTuple]:
        for i, (code, zone) in enumerate(zip(f.column(CODE), f.column("Job Zone"), strict=True)):
            where = f"{f.name} record {i + 1}"
            occ = self.occupation(code, where)
            if occ is None:
                continue
            if zone.isdigit() and 1 <= int(zone) <= 5:
                yield occ, _LERMAP_jobZone, Literal(str(int(zone)), datatype=XSD.integer)
            else:
                self.ctx.warn(where, f"Job Zone {zone[:20]!r} is not 1-5; ignored")

    def related(self, f: OnetFile) -> Iterator[TripleTuple]:
        for i, (a, b) in enumerate(zip(f.column(CODE), f.column("Related O*NET-SOC Code"), strict=True)):
            where = f"{f.name} record {i + 1}"
            s, o = self.occupation(a, where), self.occupation(b, where)
            if s is not None and o is not None:
                yield s, _SKOS_related, o

    def tasks(self, f: OnetFile) -> Iterator[TripleTuple]:
        for i, (code, task) in enumerate(zip(f.column(CODE), f.column("Task"), strict=True)):
            occ = self.occupation(code, f"{f.name} record {i + 1}")
            if occ is not None and task:
                yield occ, _SCHEMA_responsibilities, Literal(task, language=EN)


class OnetIngester(Ingester):
    """O*NET database release (text or Excel): occupations, content model, ratings, technology, titles."""

    name = "onet"
    title = "O*NET database"
    version = "1"
    writes_canonical_iris = True

    def sniff(self, source: Source) -> float:
        if source.is_dir:
            return 0.9 if looks_like_onet_folder(source) else 0.0
        if stem_of(source.name) is None:
            return 0.0
        if source.suffix == ".xlsx":
            return 0.85
        header = source.head(2048).split(b"\n", 1)[0].decode("utf-8-sig", errors="replace").rstrip("\r").split("\t")
        stem = stem_of(source.name)
        return 0.85 if stem is not None and set(FILES[stem][1]) <= set(header) else 0.0

    def parse(self, source: Source, ctx: IngestContext) -> list[OnetFile]:
        files = read_files(source, ctx)
        version = ctx.options.extra.get("version") or version_of(source)
        ctx.format_version = str(version) if version else None
        return files

    def map(self, parsed: list[OnetFile], ctx: IngestContext) -> Iterator[TripleTuple]:
        m = _Mapper(ctx, ctx.format_version)
        for f in parsed:
            yield from getattr(m, f.kind)(f)
        yield from m.schemes()
