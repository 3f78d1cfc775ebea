"""CASE CSV ingester: OpenSALT's CSV layouts of a CASE framework, into the same core view as CASE JSON.

Columns are found by header name (case, spaces and underscores ignored), so every OpenSALT layout reads:

* the "CF Item" sheet of OpenSALT's spreadsheet export saved as CSV (``identifier, fullStatement,
  humanCodingScheme, smartLevel, ...``): the hierarchy comes from ``smartLevel`` (``3.6.2`` is the child of
  ``3.6``; a level whose parent level is absent is a top concept of the framework), as OpenSALT's importer does;
* the "generic CSV" import (``Identifier, fullStatement, Human Coding Scheme, Is Child Of, IsRelatedTo, ...``
  or ``CFItemType, fullStatement, humanCodingScheme, parent``): the parent is the item whose human coding scheme
  (or identifier) the ``Is Child Of`` / ``parent`` cell names; an empty cell falls back to the coding scheme
  minus its last ``.`` segment; association columns (``IsRelatedTo``, ``Exemplar``, ``IsPartOf``, ``replacedBy``,
  ``hasSkillLevel``, ...) hold comma-separated references (an item's code or identifier, a GUID, a URL or a code
  of another framework) and become mappings.

A CSV has no CFDocument: the framework is titled ``IngestOptions.extra["framework_title"]`` (default: the file
name without suffix) and identified by ``extra["framework_uri"]`` when given, else a minted IRI.
Cells may hold embedded newlines (pandas reads quoted fields whole).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from lermap.graph.terms import TripleTuple, is_iri
from lermap.ingest.base import IngestContext, Ingester, Source
from lermap.ingest.case.mapping import (
    ASSOCIATION_PREDICATES,
    CaseAssociation,
    CaseDocument,
    CaseItem,
    CasePackage,
    CaseRef,
    is_uuid,
    package_triples,
)
from lermap.ingest.frames import read_csv_frame

_ITEM_COLUMNS = {
    "identifier": "identifier", "fullstatement": "fullStatement", "humancodingscheme": "humanCodingScheme",
    "smartlevel": "smartLevel", "abbreviatedstatement": "abbreviatedStatement", "alternativelabel": "alternativeLabel",
    "conceptkeywords": "conceptKeywords", "notes": "notes", "language": "language", "educationlevel": "educationLevel",
    "cfitemtype": "CFItemType", "lastchangedatetime": "lastChangeDateTime", "ischildof": "parent", "parent": "parent",
}
# association columns: normalised header → CASE association type
_ASSOCIATION_COLUMNS = {t.lower(): t for t in ASSOCIATION_PREDICATES if t != "isChildOf"}


def _norm(header: str) -> str:
    return re.sub(r"[\s_]+", "", header).lower()


def _ref(item: CaseItem) -> CaseRef:
    return CaseRef(identifier=item.identifier, title=item.human_coding or item.full_statement)


def _target(ref: str, index: dict[str, CaseItem]) -> CaseRef:
    """An association cell's reference: an item of this file (by code or identifier), else as written."""
    if ref in index:
        return _ref(index[ref])
    if is_uuid(ref) or is_iri(ref):
        return CaseRef(identifier=ref if is_uuid(ref) else None, uri=ref if is_iri(ref) else None)
    return CaseRef(identifier=ref, title=ref)


def _hierarchy(items: list[CaseItem], parents: list[str], levels: list[str], document: CaseDocument,
               smart: bool) -> list[CaseAssociation]:
    """``isChildOf`` associations as OpenSALT's importers derive them (see the module docstring)."""
    by_code = {it.human_coding: it for it in items if it.human_coding}
    by_id = {it.identifier: it for it in items}
    by_level = {lv: it for it, lv in zip(items, levels, strict=True) if lv and lv != "0"}
    doc = CaseRef(identifier=document.identifier, title=document.title)
    out = []
    for item, parent_ref, level in zip(items, parents, levels, strict=True):
        parent: CaseItem | None = None
        if parent_ref:
            parent = by_code.get(parent_ref) or by_id.get(parent_ref)
        elif smart:
            parent = by_level.get(level.rsplit(".", 1)[0]) if "." in level else None
        elif item.human_coding and "." in item.human_coding:
            parent = by_code.get(item.human_coding.rsplit(".", 1)[0])
        if parent is item:
            parent = None
        out.append(CaseAssociation("isChildOf", _ref(item), _ref(parent) if parent else doc, item.where))
    return out


class CaseCsvIngester(Ingester):
    """OpenSALT CASE CSV layouts → competency framework, competencies, hierarchy and alignments."""

    name = "case-csv"
    title = "CASE CSV (OpenSALT layouts)"
    version = "1"

    def sniff(self, source: Source) -> float:
        if source.is_dir or source.suffix != ".csv":
            return 0.0
        first = source.head(4096).split(b"\n", 1)[0].decode("utf-8", "replace")
        headers = {_norm(h.strip().strip('"')) for h in first.split(",")}
        if "fullstatement" in headers:
            return 0.9 if headers & {"humancodingscheme", "smartlevel", "identifier", "cfitemtype"} else 0.7
        return 0.0

    def parse(self, source: Source, ctx: IngestContext) -> CasePackage:
        df = read_csv_frame(source, ctx)
        columns: dict[str, str] = {}
        assoc_columns: dict[str, str] = {}
        for header in df.columns:
            key = _norm(str(header))
            if key in _ITEM_COLUMNS:
                columns.setdefault(_ITEM_COLUMNS[key], str(header))
            elif key in _ASSOCIATION_COLUMNS:
                assoc_columns[str(header)] = _ASSOCIATION_COLUMNS[key]
        if "fullStatement" not in columns:
            ctx.fail("line 1", "a CASE CSV needs a fullStatement column")
        extra = ctx.options.extra
        stem = source.name.rsplit(".", 1)[0]
        title = str(extra.get("framework_title") or stem)
        uri = extra.get("framework_uri")
        document = CaseDocument(
            identifier=stem, title=title, uri=str(uri) if uri else None, mint_key=f"case-csv:{stem}"
        )

        def cell(row: pd.Series, name: str) -> str:
            header = columns.get(name)
            return str(row[header]).strip() if header is not None else ""

        items: list[CaseItem] = []
        parents: list[str] = []
        levels: list[str] = []
        refs: list[tuple[int, str, str, str]] = []  # (item index, association type, reference, location)
        for i, row in df.iterrows():
            where = f"row {int(str(i)) + 2}"
            statement = cell(row, "fullStatement")
            if not statement:
                ctx.warn(where, "no fullStatement: row skipped")
                continue
            identifier = cell(row, "identifier") or cell(row, "humanCodingScheme") or where
            items.append(CaseItem(
                identifier=identifier,
                full_statement=statement,
                where=f"{where}, column {columns['fullStatement']}",
                human_coding=cell(row, "humanCodingScheme") or None,
                abbreviated=cell(row, "abbreviatedStatement") or None,
                alternative_label=cell(row, "alternativeLabel") or None,
                item_type=cell(row, "CFItemType") or None,
                education_levels=[v.strip() for v in cell(row, "educationLevel").split(",") if v.strip()],
                keywords=[v.strip() for v in re.split(r"[|,]", cell(row, "conceptKeywords")) if v.strip()],
                notes=cell(row, "notes") or None,
                language=cell(row, "language") or None,
                last_change=cell(row, "lastChangeDateTime") or None,
            ))
            parents.append(cell(row, "parent"))
            levels.append(cell(row, "smartLevel"))
            for header, atype in assoc_columns.items():
                for ref in (r.strip() for r in str(row[header]).split(",")):
                    if ref:
                        refs.append((len(items) - 1, atype, ref, f"{where}, column {header}"))
        associations = _hierarchy(items, parents, levels, document, "smartLevel" in columns)
        index = {it.identifier: it for it in items} | {it.human_coding: it for it in items if it.human_coding}
        associations += [CaseAssociation(atype, _ref(items[k]), _target(ref, index), where) for k, atype, ref, where in refs]
        return CasePackage(document, items, associations)

    def map(self, parsed: CasePackage, ctx: IngestContext) -> Iterable[TripleTuple]:
        return package_triples(parsed, ctx)
