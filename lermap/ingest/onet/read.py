"""Recognise and read the files of an O*NET database release: tab-separated text or Excel.

A release is a folder of files named by their content (``Occupation Data.txt``, ``Skills.xlsx`` ...).
Both layouts have the same columns (Excel adds ``Title`` and ``Scale Name``); where a file exists in
both, the text one is read. Excel workbooks are read as values (formulas give their cached result),
with python-calamine when it is installed (several times faster) and openpyxl otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lermap.ingest.base import IngestContext, Source
from lermap.ingest.frames import strict_csv

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


def looks_like_onet_folder(folder: Path) -> bool:
    try:
        return any(p.is_file() and stem_of(p.name) for p in folder.iterdir())
    except OSError:
        return False


def version_of(source: Source) -> str | None:
    """The release number from ``Read Me.txt`` ("O*NET 29.2 Database") or the folder name (``v29.2``, ``db_29_2``)."""
    folder = source.path if source.is_dir else (source.path.parent if source.path is not None else None)
    if folder is None:
        return None
    readme = folder / "Read Me.txt"
    if readme.is_file():
        try:
            m = re.search(r"O\*NET\s+(\d+(?:\.\d+)?)\s+Database", readme.read_text("utf-8", errors="replace")[:500])
        except OSError:
            m = None
        if m:
            return m.group(1)
    m = re.search(r"db_(\d+)_(\d+)", folder.name)
    if m:
        return f"{m.group(1)}.{m.group(2)}"
    m = re.search(r"v(\d+(?:\.\d+)?)", folder.name)
    return m.group(1) if m else None


def _read_text(path: Path, ctx: IngestContext) -> pd.DataFrame:
    try:
        return strict_csv(path, sep="\t", na_filter=False, encoding="utf-8-sig")
    except UnicodeDecodeError:
        ctx.warn(path.name, "not UTF-8; read as Windows-1252")
        return strict_csv(path, sep="\t", na_filter=False, encoding="cp1252")


def _read_excel(path: Path) -> pd.DataFrame:
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
        frame = pd.read_excel(path, dtype=str, engine=engine)
    except errors as exc:
        raise ValueError(str(exc)) from None
    return frame.fillna("")


def read_files(source: Source, ctx: IngestContext) -> list[OnetFile]:
    """Every O*NET file of the source that lermap maps, read and checked, in mapping order."""
    if source.path is None:
        ctx.fail("(document)", "an O*NET release is read from a folder or file on disk")
    paths = sorted(p for p in source.path.iterdir() if p.is_file()) if source.is_dir else [source.path]
    # Text before Excel, so a stem present in both layouts is read from the (faster) text file.
    paths.sort(key=lambda p: (p.suffix.lower() != ".txt", p.name))
    seen: set[str] = set()
    out: list[OnetFile] = []
    limit = source.limits.max_file_bytes
    for p in paths:
        stem = stem_of(p.name)
        if stem is None or stem in seen:
            continue
        seen.add(stem)
        if p.stat().st_size > limit:
            ctx.fail(p.name, f"{p.stat().st_size:,} bytes is over the limit of {limit:,}")
        kind, required = FILES[stem]
        try:
            frame = _read_excel(p) if p.suffix.lower() == ".xlsx" else _read_text(p, ctx)
        except pd.errors.EmptyDataError:
            ctx.fail(p.name, "empty file: no header row")
        except pd.errors.ParserError as exc:
            ctx.fail(p.name, f"not a readable tab-separated file: {exc}")
        except (ValueError, OSError, KeyError) as exc:  # bad or truncated workbooks
            ctx.fail(p.name, f"not a readable Excel workbook: {exc}")
        frame.columns = [str(c).strip() for c in frame.columns]
        missing = [c for c in required if c not in frame.columns]
        if missing:
            ctx.fail(f"{p.name}, header", f"missing column(s) {', '.join(missing)} of the O*NET {stem} file")
        out.append(OnetFile(p.name, stem, kind, frame))
    if not out:
        ctx.fail("(folder)", "no O*NET database files found (e.g. 'Occupation Data.txt')")
    out.sort(key=lambda f: _ORDER.index(f.kind))
    return out
