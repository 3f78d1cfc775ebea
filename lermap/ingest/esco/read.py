"""Recognise and read the files of an ESCO bulk download (CSV, v1.1 and v1.2 layouts).

A download is a folder of files named ``<kind>_<language>.csv`` (``skills_en.csv``,
``occupationSkillRelations_en.csv``, ``digitalSkillsCollection_fr.csv`` ...). Columns are read by
header name, never by position, and every cell as text: cells hold embedded newlines (lists of
labels, multi-paragraph descriptions) that only a real CSV parser reads right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lermap.errors import SourceError
from lermap.ingest.base import IngestContext, Source
from lermap.ingest.frames import strict_csv
from lermap.ingest.sources import Entry

# kind -> the columns a file of that kind must have
REQUIRED: dict[str, tuple[str, ...]] = {
    "conceptSchemes": ("conceptSchemeUri",),
    "ISCOGroups": ("conceptUri", "code"),
    "skillGroups": ("conceptUri", "preferredLabel"),
    "skills": ("conceptUri", "preferredLabel"),
    "occupations": ("conceptUri", "preferredLabel"),
    "skillsHierarchy": ("Level 0 URI",),
    "broaderRelationsSkillPillar": ("conceptUri", "broaderUri"),
    "broaderRelationsOccPillar": ("conceptUri", "broaderUri"),
    "collection": ("conceptUri",),
    "skillSkillRelations": ("originalSkillUri", "relationType", "relatedSkillUri"),
    "occupationSkillRelations": ("occupationUri", "relationType", "skillUri"),
}
# The order files are mapped in: concepts described by their own file before the files that only mention them.
ORDER = list(REQUIRED)
# Kinds whose content is the same in every language of a download: one file of each is enough.
LANGUAGE_NEUTRAL = {"broaderRelationsSkillPillar", "broaderRelationsOccPillar", "skillSkillRelations", "occupationSkillRelations"}

_KINDS = "|".join(k for k in REQUIRED if k != "collection")
_NAME = re.compile(
    rf"(?:^|[^A-Za-z])(?:(?P<kind>{_KINDS})|(?P<coll>[A-Za-z]+)Collection)_(?P<lang>[a-z]{{2,3}}(?:-[A-Za-z]{{2,4}})?)(?:\.|$)"
)
# Files of a full download that hold no concepts or relations lermap maps (the data dictionary, green shares).
_NOT_MAPPED = re.compile(r"^(dictionary|greenShare[A-Za-z]*)_[a-z]{2,3}\.csv$")
_VERSION = re.compile(r"v(\d+)\.(\d+)(?:\.\d+)?")


@dataclass
class EscoFile:
    """One ESCO CSV read into a frame of strings (empty cells are ``""``)."""

    name: str
    kind: str
    lang: str | None
    collection: str | None  # the collection key ("digital", "greenSkills" ...) for collection files
    frame: pd.DataFrame

    def column(self, name: str) -> list[str]:
        """The column's cells, or empty strings where the file lacks the column."""
        if name in self.frame.columns:
            return [str(v) for v in self.frame[name].tolist()]
        return [""] * len(self.frame)


def classify_name(name: str) -> tuple[str, str | None, str | None] | None:
    """``(kind, language, collection)`` from an ESCO file name, or None when the name is not one."""
    if not name.lower().endswith(".csv"):
        return None
    m = _NAME.search(name)
    if m is None:
        return None
    if m.group("coll"):
        return "collection", m.group("lang").lower(), m.group("coll")
    return m.group("kind"), m.group("lang").lower(), None


def classify_header(columns: list[str], name: str) -> tuple[str, str | None, str | None] | None:
    """The kind of a CSV whose name is not ESCO's, from its header; the language from a ``_xx`` suffix."""
    cols = set(columns)
    m = re.search(r"_([a-z]{2,3})(?:\.|$)", name)
    lang = m.group(1) if m else None
    if "conceptSchemeUri" in cols:
        return "conceptSchemes", lang, None
    if {"originalSkillUri", "relatedSkillUri"} <= cols:
        return "skillSkillRelations", lang, None
    if {"occupationUri", "skillUri"} <= cols:
        return "occupationSkillRelations", lang, None
    if "Level 0 URI" in cols:
        return "skillsHierarchy", lang, None
    if "conceptUri" not in cols:
        return None
    if "broaderUri" in cols:
        return "broaderRelationsSkillPillar", lang, None
    if "broaderConceptUri" in cols:
        return "collection", lang, Path(name).stem.split("_")[0]
    if "iscoGroup" in cols:
        return "occupations", lang, None
    if "code" in cols and "preferredLabel" in cols and "skillType" not in cols and "inScheme" in cols:
        return "ISCOGroups", lang, None
    if "preferredLabel" in cols and ("skillType" in cols or "reuseLevel" in cols):
        return "skills", lang, None
    return None


def _sniff_header(head: bytes) -> list[str]:
    first = head.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace").strip()
    return [c.strip().strip('"') for c in first.split(",")]


def looks_like_esco(name: str, head: bytes) -> float:
    """How sure we are that one file is an ESCO CSV (0-1)."""
    if classify_name(name) is not None and (b"esco" in head or b"conceptUri" in head or b"Level 0 URI" in head):
        return 0.95
    if not name.lower().endswith(".csv") and not head:
        return 0.0
    if b"data.europa.eu/esco/" in head and classify_header(_sniff_header(head), name) is not None:
        return 0.9
    return 0.0


def folder_files(source: Source) -> list[Entry]:
    """The ESCO-named CSV files at the top of a folder or zip source."""
    try:
        return [e for e in source.top_entries() if classify_name(e.name) is not None]
    except SourceError:  # a damaged or hostile archive: not recognised here, refused when it is read
        return []


def version_from_names(*names: str) -> str | None:
    """``"1.2"`` from a name like ``v1.2.0-csv`` or ``ESCO dataset - v1.2.0 - classification``."""
    for n in names:
        m = _VERSION.search(n)
        if m:
            return f"{m.group(1)}.{m.group(2)}"
    return None


def _read_csv(entry: Entry, ctx: IngestContext, nrows: int | None = None) -> pd.DataFrame:
    name = entry.basename
    try:
        with entry.open() as handle:
            frame = strict_csv(handle, na_filter=False, encoding="utf-8-sig", nrows=nrows)
    except pd.errors.EmptyDataError:
        ctx.fail(name, "empty file: no header row")
    except pd.errors.ParserError as exc:
        ctx.fail(name, f"not a readable CSV: {exc}")
    except UnicodeDecodeError as exc:
        ctx.fail(name, f"invalid UTF-8 at byte {exc.start}")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def read_files(source: Source, ctx: IngestContext) -> list[EscoFile]:
    """Every ESCO file of the source (a folder, a zip, or one CSV), classified and read, in mapping order."""
    found: list[EscoFile] = []
    items = [e for e in source.top_entries() if e.suffix == ".csv"] if source.is_dir else source.entries()[:1]
    limit = source.limits.max_file_bytes
    for entry in items:
        name = entry.basename
        if entry.size is not None and entry.size > limit:
            ctx.fail(name, f"{entry.size:,} bytes is over the limit of {limit:,}")
        if _NOT_MAPPED.match(name) and len(items) > 1:
            continue
        kind = classify_name(name)
        if kind is None:
            kind = classify_header(list(_read_csv(entry, ctx, nrows=0).columns), name)
        if kind is None:
            if len(items) == 1:
                ctx.fail(name, "not an ESCO CSV file: neither its name nor its header is one of ESCO's")
            ctx.warn(name, "skipped: not an ESCO CSV file")
            continue
        frame = _read_csv(entry, ctx)
        missing = [c for c in REQUIRED[kind[0]] if c not in frame.columns]
        if missing:
            ctx.fail(f"{name}, header", f"missing column(s) {', '.join(missing)} of an ESCO {kind[0]} file")
        found.append(EscoFile(name, kind[0], kind[1], kind[2], frame))
    chosen: list[EscoFile] = []
    neutral_done: set[str] = set()
    # English first, so language-neutral kinds come from the English file when there is one.
    for f in sorted(found, key=lambda f: (ORDER.index(f.kind), f.lang != "en", f.lang or "", f.name)):
        if f.kind in LANGUAGE_NEUTRAL:
            if f.kind in neutral_done:
                continue
            neutral_done.add(f.kind)
        chosen.append(f)
    if not chosen:
        ctx.fail("(folder)", "no ESCO CSV files found")
    return chosen
