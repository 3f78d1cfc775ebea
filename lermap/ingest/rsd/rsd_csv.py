"""RSD CSV ingester: OSMT's CSV import layouts (the batch-import template and the older Skills-Import sheet).

Columns are found by header name (case and spacing ignored); multi-valued cells are ``;``-separated:

=============================  ===============================================================================
skill name                      ``RSD Name`` / ``Skill Name``
skill statement (required)      ``Skill Statement`` / ``Contextualized Skill Statement``
categories, keywords, authors   ``Categories`` / ``Skill Category``, ``Keywords``, ``Authors``
standards                       ``Standards`` / ``Professional Standards``
occupations                     ``Occupation Major Groups`` / ``BLS Major Group``, ... ``Detailed Occupations`` /
                                ``BLS Detailed Occupation``, ``O*NET Job Codes`` / ``O*NET Job Role``
collection                      ``Collection``
alignments                      ``Alignment Name`` / ``Alignment Title``, ``Alignment URL`` / ``Alignment``,
                                ``Alignment Framework``; numbered twins ``Alignment 2 Name`` ...
=============================  ===============================================================================

A row has no IRI: its skill is minted from its name and statement. The rows' library framework is titled
``IngestOptions.extra["framework_title"]`` (default: the file name without suffix). The core view written is
the one of :mod:`lermap.ingest.rsd.mapping`, shared with the JSON ingester.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from lermap.graph.terms import TripleTuple, minted
from lermap.ingest.base import IngestContext, Ingester, Source
from lermap.ingest.frames import read_csv_frame
from lermap.ingest.rsd.mapping import RsdAlignment, RsdFramework, RsdOccupation, RsdSkill, skills_triples

_FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("rsdname", "skillname"),
    "statement": ("skillstatement", "contextualizedskillstatement"),
    "categories": ("categories", "skillcategory", "category"),
    "keywords": ("keywords",),
    "authors": ("authors", "author"),
    "standards": ("standards", "professionalstandards"),
    "collection": ("collection", "collections"),
    "major": ("occupationmajorgroups", "blsmajorgroup"),
    "minor": ("occupationminorgroups", "blsminorgroup"),
    "broad": ("broadoccupations", "blsbroadoccupation"),
    "detailed": ("detailedoccupations", "blsdetailedoccupation"),
    "onet": ("o*netjobcodes", "o*netjobrole"),
}
_ALIGNMENT = re.compile(r"^alignment(?P<n>\d*)(?P<part>name|title|url|framework|)$")


def _norm(header: str) -> str:
    return re.sub(r"[\s_]+", "", header).lower()


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(";") if v.strip()]


class RsdCsvIngester(Ingester):
    """OSMT CSV import layouts → Rich Skill Descriptors in the core view."""

    name = "rsd-csv"
    title = "Rich Skill Descriptors (OSMT CSV import)"
    version = "1"

    def sniff(self, source: Source) -> float:
        if source.is_dir or source.suffix != ".csv":
            return 0.0
        first = source.head(4096).split(b"\n", 1)[0].decode("utf-8", "replace")
        headers = {_norm(h.strip().strip('"')) for h in first.split(",")}
        if headers & {"skillstatement", "contextualizedskillstatement"}:
            return 0.9
        return 0.0

    def parse(self, source: Source, ctx: IngestContext) -> list[RsdSkill]:
        df = read_csv_frame(source, ctx)
        columns: dict[str, str] = {}
        alignment_cols: dict[str, dict[str, str]] = {}  # alignment number → part → header
        for header in map(str, df.columns):
            key = _norm(header)
            for fname, aliases in _FIELDS.items():
                if key in aliases:
                    columns.setdefault(fname, header)
            if (m := _ALIGNMENT.match(key)) is not None:
                part = {"title": "name", "": "url"}.get(m.group("part"), m.group("part"))
                alignment_cols.setdefault(m.group("n") or "1", {})[part] = header
        if "statement" not in columns:
            ctx.fail("line 1", "an OSMT import CSV needs a Skill Statement (or Contextualized Skill Statement) column")
        stem = source.name.rsplit(".", 1)[0]
        title = str(ctx.options.extra.get("framework_title") or stem)
        library = RsdFramework(minted("rsd-library", f"csv:{stem}"), title)
        if df.empty:
            ctx.warn("(document)", "the CSV has a header but no rows: nothing to ingest")

        def cell(row: pd.Series, name: str) -> str:
            header = columns.get(name)
            return str(row[header]).strip() if header is not None else ""

        skills = []
        for i, row in df.iterrows():
            where = f"row {int(str(i)) + 2}"
            statement, name = cell(row, "statement"), cell(row, "name")
            if not statement:
                ctx.fail(f"{where}, column {columns['statement']}", "a Rich Skill Descriptor needs a skill statement")
            frameworks = [library]
            for cname in _split(cell(row, "collection")):
                frameworks.append(RsdFramework(minted("rsd-collection", f"csv:{stem}", cname), cname))
            occupations: list[RsdOccupation] = []
            for level in ("major", "minor", "broad", "detailed", "onet"):
                occupations.extend(RsdOccupation(code=code) for code in _split(cell(row, level)))
            alignments = []
            for parts in alignment_cols.values():
                url = str(row[parts["url"]]).strip() if "url" in parts else ""
                aname = str(row[parts["name"]]).strip() if "name" in parts else ""
                framework = str(row[parts["framework"]]).strip() if "framework" in parts else ""
                if url or aname:
                    alignments.append(RsdAlignment(url=url or None, name=aname or None, framework=framework or None))
            skills.append(RsdSkill(
                node=minted("rsd-skill", f"csv:{stem}", name, statement), statement=statement, where=where,
                name=name or None, categories=_split(cell(row, "categories")), keywords=_split(cell(row, "keywords")),
                authors=_split(cell(row, "authors")), standards=_split(cell(row, "standards")),
                occupations=occupations, alignments=alignments, frameworks=frameworks,
            ))
        return skills

    def map(self, parsed: list[RsdSkill], ctx: IngestContext) -> Iterable[TripleTuple]:
        return skills_triples(parsed, ctx)
