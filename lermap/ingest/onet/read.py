"""Recognise and read the files of an O*NET database release: tab-separated text or Excel.

A release is a folder of files named by their content (``Occupation Data.txt``, ``Skills.xlsx`` ...).
Both layouts have the same columns (Excel adds ``Title`` and ``Scale Name``); where a file exists in
both, the text one is read. Excel workbooks are read as values (formulas give their cached result),
with python-calamine when it is installed (several times faster) and openpyxl otherwise.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pandas as pd

from lermap.errors import SourceError
from lermap.ingest.base import IngestContext, Source
from lermap.ingest.frames import strict_csv
from lermap.ingest.sources import Entry

CODE = "O*NET-SOC Code"
# file stem -> (kind, required columns)
FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Occupation Data": ("occupations", (CODE, "Title")),
    "Content Model Reference": ("content_model", ("Element ID", "Element Name")),
    "Scales Reference": ("scales", ("Scale ID", "Minimum", "Maximum")),
    "Skills": ("ratings", (CODE, "Element ID", "Element Name", "Scale ID", "Data Value")),
    "Knowledge": ("ratings", (CODE, "Element ID", "Element Name", "Scale ID", "Data Value")),
    "Abilities": ("ratings", (CODE, "Element ID", "Element Name", "Scale ID", "Data Value")),
    "Work Activities": ("ratings", (CODE, "Element ID", "Element Name", "Scale ID", "Data Value")),
    "Work Styles": ("ratings", (CODE, "Element ID", "Element Name", "Scale ID", "Data Value")),
    "Alternate Titles": ("alternate_titles", (CODE, "Alternate Title")),
    "Technology Skills": ("technology", (CODE, "Example", "Commodity Code", "Commodity Title")),
    "Job Zones": ("job_zones", (CODE, "Job Zone")),
    "Related Occupations": ("related", (CODE, "Related O*NET-SOC Code")),
    "Task Statements": ("tasks", (CODE, "Task")),
}
_ORDER = ["scales", "content_model", "occupations", "ratings", "technology", "alternate_titles", "job_zones", "related", "tasks"]
_SUFFIXES = (".txt", ".xlsx")


@dataclass
class OnetFile:
    """One O*NET file read into a frame of strings (empty cells are ``""``)."""

    name: str
    stem: str
    kind: str
    frame: pd.DataFrame

    def column(self, name: str) -> list[str]:
        if name in self.frame.columns:
            return [str(v).strip() for v in self.frame[name].tolist()]
        return [""] * len(self.frame)


def stem_of(name: str) -> str | None:
    """The O*NET file stem of a file name (``Occupation Data.2018.txt`` -> ``Occupation Data``), or None."""
    if not name.lower().endswith(_SUFFIXES):
        return None
    stem = name.split(".", 1)[0].strip()
    return stem if stem in FILES else None


def looks_like_onet_folder(source: Source) -> bool:
    """True when a folder or zip source holds O*NET files at its top."""
    try:
        return any(stem_of(e.name) for e in source.top_entries())
    except SourceError:  # a damaged or hostile archive: not recognised here, refused when it is read
        return False


_README_TITLE = re.compile(r"^\s*O\*NET\s+(\d+(?:\.\d+)?)\s+Database\b")


def version_of(source: Source) -> str | None:
    """The release number: from the first line of the release's ``Read Me.txt`` ("O*NET 29.2 Database"), else
    from a name of the source (``db_29_2``, ``v29.2``); None for content that does not say it is a release."""
    readme = source.entry("Read Me.txt") if source.is_dir else None
    if readme is not None:
        m = _README_TITLE.match(readme.head(200).decode("utf-8", errors="replace"))
        return m.group(1) if m else None
    for name in source.names:
        m = re.search(r"db_(\d+)_(\d+)", name)
        if m:
            return f"{m.group(1)}.{m.group(2)}"
        m = re.search(r"(?:^|[^a-z])v(\d+(?:\.\d+)?)", name)
        if m:
            return m.group(1)
    return None


def _read_text(entry: Entry, ctx: IngestContext) -> pd.DataFrame:
    try:
        with entry.open() as handle:
            return strict_csv(handle, sep="\t", na_filter=False, encoding="utf-8-sig")
    except UnicodeDecodeError:
        ctx.warn(entry.basename, "not UTF-8; read as Windows-1252")
        with entry.open() as handle:
            return strict_csv(handle, sep="\t", na_filter=False, encoding="cp1252")


def _read_excel(entry: Entry) -> pd.DataFrame:
    """The first sheet as strings; a file no reader can open raises ValueError."""
    errors: tuple[type[BaseException], ...]
    try:
        from python_calamine import CalamineError

        engine, errors = "calamine", (CalamineError,)
    except ImportError:
        from zipfile import BadZipFile

        from openpyxl.utils.exceptions import InvalidFileException

        engine, errors = "openpyxl", (BadZipFile, InvalidFileException)
    try:
        frame = pd.read_excel(io.BytesIO(entry.read_bytes()), dtype=str, engine=engine)
    except errors as exc:
        raise ValueError(str(exc)) from None
    return frame.fillna("")


def read_files(source: Source, ctx: IngestContext) -> list[OnetFile]:
    """Every O*NET file of the source (a release folder or zip, or one file) that lermap maps, read and checked,
    in mapping order."""
    entries = source.top_entries() if source.is_dir else source.entries()[:1]
    # Text before Excel, so a stem present in both layouts is read from the (faster) text file.
    entries.sort(key=lambda e: (e.suffix != ".txt", e.name))
    seen: set[str] = set()
    out: list[OnetFile] = []
    limit = source.limits.max_file_bytes
    for entry in entries:
        name = entry.basename
        stem = stem_of(name)
        if stem is None or stem in seen:
            continue
        seen.add(stem)
        if entry.size is not None and entry.size > limit:
            ctx.fail(name, f"{entry.size:,} bytes is over the limit of {limit:,}")
        kind, required = FILES[stem]
        try:
            frame = _read_excel(entry) if entry.suffix == ".xlsx" else _read_text(entry, ctx)
        except pd.errors.EmptyDataError:
            ctx.fail(name, "empty file: no header row")
        except pd.errors.ParserError as exc:
            ctx.fail(name, f"not a readable tab-separated file: {exc}")
        except (ValueError, OSError, KeyError) as exc:  # bad or truncated workbooks
            ctx.fail(name, f"not a readable Excel workbook: {exc}")
        frame.columns = [str(c).strip() for c in frame.columns]
        missing = [c for c in required if c not in frame.columns]
        if missing:
            ctx.fail(f"{name}, header", f"missing column(s) {', '.join(missing)} of the O*NET {stem} file")
        out.append(OnetFile(name, stem, kind, frame))
    if not out:
        ctx.fail("(folder)", "no O*NET database files found (e.g. 'Occupation Data.txt')")
    out.sort(key=lambda f: _ORDER.index(f.kind))
    return out
