"""Reading CSV and Excel sources into pandas frames of strings, with clear refusals.

Shared by the tabular ingesters (CASE CSV, RSD CSV, the mapping-driven ``tabular`` ingester). Every cell comes
back as a string (empty cells as ``""``); spreadsheet formulas are read as the values the spreadsheet stored,
never evaluated (a formula with no stored value reads as empty).
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import IO, Any

import pandas as pd

from lermap.ingest.base import IngestContext, Source

EXCEL_SUFFIXES = (".xlsx", ".xlsm")


def strict_csv(handle: str | Path | IO[Any], **options: Any) -> pd.DataFrame:
    """``pd.read_csv`` of strings where a row longer than the header is an error, wherever it is.

    By default pandas silently turns the extra leading fields of an over-long *first* data row into the index,
    shifting every column; later over-long rows already raise ``ParserError``. ``index_col=False`` plus the
    warning pandas then gives makes the first row fail the same way."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.ParserWarning)
        try:
            return pd.read_csv(handle, dtype=str, keep_default_na=False, index_col=False, **options)
        except pd.errors.ParserWarning:
            raise pd.errors.ParserError("the first data row has more fields than the header") from None


def read_csv_frame(source: Source, ctx: IngestContext, text: str | None = None) -> pd.DataFrame:
    """The CSV as strings, headers as written; quoted cells may span lines."""
    try:
        return strict_csv(io.StringIO(source.text() if text is None else text))
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        ctx.fail("(document)", f"not a readable CSV: {str(exc).strip()}")


def read_excel_frame(path: Path, ctx: IngestContext, sheet: str | None = None) -> pd.DataFrame:
    """One sheet (default: the first) of an Excel workbook as strings; formulas give their stored values."""
    import openpyxl

    try:
        # data_only=True: the values the spreadsheet application last computed; formulas are never evaluated.
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a damaged workbook
        ctx.fail("(document)", f"not a readable Excel workbook: {exc}")
    try:
        if sheet is not None and sheet not in book.sheetnames:
            ctx.fail("(document)", f"no sheet named {sheet!r}; the workbook has {', '.join(book.sheetnames)}")
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        rows = [["" if v is None else _cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        book.close()
    if not rows:
        return pd.DataFrame()
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    header = [h if h else f"column {i + 1}" for i, h in enumerate(rows[0])]
    body = [r for r in rows[1:] if any(c != "" for c in r)]
    return pd.DataFrame(body, columns=header, dtype=str)


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
