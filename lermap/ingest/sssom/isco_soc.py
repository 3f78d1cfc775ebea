"""The BLS ISCO-08 ↔ SOC 2010 crosswalk (``ISCO_SOC_Crosswalk.xls``, public domain) as SSSOM-shaped alignments.

BLS publishes one Excel workbook with two sheets, ``ISCO-08 to 2010 SOC`` and ``2010 SOC to ISCO-08``: a few title
rows, then the columns ``ISCO-08 Code``, ``ISCO-08 Title EN``, ``part``, ``2010 SOC Code``, ``2010 SOC Title`` and a
comment (the SOC columns first in the second sheet). Both list the same pairs. The workbook is recognised by its
content (the sheet names and those column names), whatever the file is called, in ``.xls`` or ``.xlsx``.

**What ``part`` means, and the predicate it gives.** An asterisk marks that only *part* of the occupation in the
row's first column corresponds to the one in the same row — so it says something different in each sheet: in
``ISCO-08 to 2010 SOC`` that the ISCO group is split (it is not wholly inside the SOC occupation), in ``2010 SOC to
ISCO-08`` that the SOC occupation is. Reading both for a pair (ISCO group *I*, SOC occupation *S*):

========================  ==========================  =========================================================
part in ISCO→SOC sheet    part in SOC→ISCO sheet      mapping written (subject *I*, object *S*)
========================  ==========================  =========================================================
no                        no                          ``skos:exactMatch`` — each is wholly the other
yes                       no                          ``skos:narrowMatch`` — *S* lies inside *I*, which is wider
no                        yes                         ``skos:broadMatch`` — *I* lies inside *S*, which is wider
yes                       yes                         ``skos:closeMatch`` — they overlap; neither contains the other
========================  ==========================  =========================================================

With one sheet only, what the other would say is unknown, so only what that sheet proves is written: a whole
first-column occupation lies inside the other (``broadMatch`` / ``narrowMatch`` from the ISCO side), a partial one
only overlaps it (``closeMatch``); a warning says the other sheet is missing.

Each mapping is a reified ``sssom:Mapping`` (``semapv:ManualMappingCuration``, author BLS, source versions
``ISCO-08`` / ``SOC 2010``, the BLS comment and what ``part`` said in ``sssom:comment``) plus the direct SKOS triple.
ISCO groups are ESCO's IRIs (``http://data.europa.eu/esco/isco/C2511``), the nodes the ESCO ingester writes, in the
ISCO scheme with their code as notation; SOC 2010 occupations are ``skos:Concept`` in the SOC 2010 scheme with code
and title. The SOC 2010 → 2018 relation (``soc-2010-2018``) continues the chain to the SOC 2018 occupations that
O*NET and OEWS describe.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pandas as pd
from pyoxigraph import Literal

from lermap.graph.terms import TripleTuple
from lermap.graph.vocab import RDF, SKOS
from lermap.ingest.base import IngestContext, Ingester, Source
from lermap.ingest.identifiers import ISCO_SCHEME, SOC2010_SCHEME, isco_iri, soc2010_iri
from lermap.ingest.sssom.mapping import BROAD, CLOSE, EXACT, MANUAL, NARROW, Mapping, crosswalk_triples

ISCO_CODE, ISCO_TITLE, SOC_CODE, SOC_TITLE, PART = "ISCO-08 Code", "ISCO-08 Title EN", "2010 SOC Code", "2010 SOC Title", "part"
BLS = "https://www.bls.gov/"
_SHEET_NAMES = (b"ISCO-08 to 2010 SOC", b"2010 SOC to ISCO-08")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ISCO = re.compile(r"^\d{1,4}$")
_SOC = re.compile(r"^\d{2}-\d{4}$")
_DATE = re.compile(r"^[A-Z][a-z]+ \d{4}(?: \(Updated [A-Z][a-z]+ \d{4}\))?$")


@dataclass
class Pair:
    isco: str
    soc: str
    isco_title: str = ""
    soc_title: str = ""
    isco_part: bool | None = None  # None: the sheet that says it is missing
    soc_part: bool | None = None
    comments: list[str] = field(default_factory=list)


@dataclass
class Crosswalk:
    pairs: dict[tuple[str, str], Pair]
    sheets: list[str]
    edition: str | None


def predicate_of(isco_part: bool | None, soc_part: bool | None) -> str:
    """The SKOS predicate from ISCO group to SOC occupation for what the two sheets say (None: not said).

    >>> predicate_of(False, False), predicate_of(True, False), predicate_of(False, True), predicate_of(True, True)
    ('skos:exactMatch', 'skos:narrowMatch', 'skos:broadMatch', 'skos:closeMatch')
    >>> predicate_of(False, None), predicate_of(None, False), predicate_of(True, None)
    ('skos:broadMatch', 'skos:narrowMatch', 'skos:closeMatch')
    """
    if isco_part is None and soc_part is None:
        raise ValueError("at least one side must be known")
    if isco_part is None:
        return NARROW if soc_part is False else CLOSE
    if soc_part is None:
        return BROAD if isco_part is False else CLOSE
    return {(False, False): EXACT, (True, False): NARROW, (False, True): BROAD, (True, True): CLOSE}[(isco_part, soc_part)]


def _header_row(frame: pd.DataFrame) -> int | None:
    for i in range(min(len(frame), 30)):
        cells = {str(v).strip() for v in frame.iloc[i].tolist()}
        if {ISCO_CODE, SOC_CODE, PART} <= cells:
            return i
    return None


def read_crosswalk(source: Source, ctx: IngestContext) -> Crosswalk:
    """Both sheets (or the one present) into pairs; codes read as text and stripped (BLS pads some with spaces)."""
    try:
        sheets = pd.read_excel(io.BytesIO(source.read_bytes()), sheet_name=None, header=None, dtype=str, engine="calamine")
    except Exception as exc:  # noqa: BLE001 - calamine raises its own error types for damaged workbooks
        ctx.fail("(document)", f"not a readable Excel workbook: {exc}")
    pairs: dict[tuple[str, str], Pair] = {}
    read: list[str] = []
    edition = None
    for name, raw in sheets.items():
        raw = raw.fillna("")
        header = _header_row(raw)
        if header is None:
            continue
        for cell in raw.iloc[:header, 0].tolist():
            if _DATE.match(str(cell).strip()):
                edition = str(cell).strip()
        columns = [str(c).strip() for c in raw.iloc[header].tolist()]
        frame = raw.iloc[header + 1 :].set_axis(columns, axis=1)
        isco_first = columns.index(ISCO_CODE) < columns.index(SOC_CODE)
        comment_col = next((c for c in columns if c.lower().startswith("comment")), None)
        read.append(str(name))
        for i, rec in enumerate(frame.to_dict("records")):
            isco, soc = str(rec[ISCO_CODE]).strip(), str(rec[SOC_CODE]).strip()
            if not isco and not soc:
                continue
            where = f"sheet {name!r}, row {header + i + 2}"
            if not _ISCO.match(isco) or not _SOC.match(soc):
                ctx.warn(where, f"{isco[:12]!r} / {soc[:12]!r} is not an ISCO-08 code and a SOC 2010 code; row skipped")
                continue
            pair = pairs.setdefault((isco, soc), Pair(isco, soc))
            pair.isco_title = pair.isco_title or str(rec.get(ISCO_TITLE, "")).strip()
            pair.soc_title = pair.soc_title or str(rec.get(SOC_TITLE, "")).strip()
            partial = str(rec[PART]).strip() == "*"
            if isco_first:
                pair.isco_part = partial
            else:
                pair.soc_part = partial
            note = str(rec.get(comment_col, "")).strip() if comment_col else ""
            if note and note not in pair.comments:
                pair.comments.append(note)
    if not read:
        ctx.fail("(document)", f"no sheet with the columns {ISCO_CODE!r}, {PART!r} and {SOC_CODE!r}: not the BLS ISCO-08 / SOC 2010 crosswalk")
    if len(read) == 1:
        ctx.warn("(document)", f"only the sheet {read[0]!r}: what the other direction says about 'part' is unknown, so "
                               "exact, broad and narrow matches that need it are written as what the sheet proves")
    return Crosswalk(pairs, read, edition)


def _comment(pair: Pair) -> str:
    said = []
    if pair.isco_part is not None:
        said.append(f"ISCO-08 {pair.isco} is {'partly' if pair.isco_part else 'wholly'} within SOC 2010 {pair.soc}")
    if pair.soc_part is not None:
        said.append(f"SOC 2010 {pair.soc} is {'partly' if pair.soc_part else 'wholly'} within ISCO-08 {pair.isco}")
    return "; ".join(said + pair.comments)


class IscoSocIngester(Ingester):
    """BLS ISCO-08 ↔ SOC 2010 crosswalk (Excel, as published)."""

    name = "isco-soc"
    title = "BLS ISCO-08 / SOC 2010 crosswalk"
    version = "1"
    writes_canonical_iris = True

    def sniff(self, source: Source) -> float:
        if source.is_dir or source.suffix not in {".xls", ".xlsx"}:
            return 0.0
        head = source.head(1 << 16)
        if head.startswith(_OLE2) and any(n in head or n.decode().encode("utf-16-le") in head for n in _SHEET_NAMES):
            return 0.95  # BIFF keeps the sheet names near the start of the workbook stream
        if source.suffix == ".xlsx" and re.search(r"isco.*soc|soc.*isco", source.name, re.IGNORECASE):
            return 0.8
        return 0.0

    def parse(self, source: Source, ctx: IngestContext) -> Crosswalk:
        crosswalk = read_crosswalk(source, ctx)
        ctx.format_version = crosswalk.edition
        return crosswalk

    def map(self, parsed: Crosswalk, ctx: IngestContext) -> Iterator[TripleTuple]:
        seen: set[str] = set()
        for scheme, label in ((ISCO_SCHEME, "ISCO 2008"), (SOC2010_SCHEME, "Standard Occupational Classification 2010")):
            yield scheme, RDF.type, SKOS.ConceptScheme
            yield scheme, SKOS.prefLabel, Literal(label, language="en")
        for (isco, soc), pair in sorted(parsed.pairs.items()):
            i, s = isco_iri(isco), soc2010_iri(soc)
            if isco not in seen:
                seen.add(isco)
                yield i, RDF.type, SKOS.Concept
                yield i, SKOS.inScheme, ISCO_SCHEME
                yield i, SKOS.notation, Literal(isco)
            if soc not in seen:
                seen.add(soc)
                yield s, RDF.type, SKOS.Concept
                yield s, SKOS.inScheme, SOC2010_SCHEME
                yield s, SKOS.notation, Literal(soc)
                if pair.soc_title:
                    yield s, SKOS.prefLabel, Literal(pair.soc_title, language="en")
            m = Mapping(i.value, predicate_of(pair.isco_part, pair.soc_part), s.value, MANUAL, subject_label=pair.isco_title or None,
                        object_label=pair.soc_title or None, author_id=BLS, subject_source=ISCO_SCHEME.value,
                        object_source=SOC2010_SCHEME.value, subject_source_version="ISCO-08",
                        object_source_version="SOC 2010", comment=_comment(pair))
            yield from crosswalk_triples(m, f"ISCO-08 {isco} / SOC 2010 {soc}", ctx)
