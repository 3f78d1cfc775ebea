"""JSON text as publishers write it: a strict read with a precise diagnosis, and a lenient read that repairs
only the defects with one safe reading.

Used for the documents ingesters read (``lermap.ingest.jsonld``) and for JSON-LD context documents
(:mod:`lermap.graph.jsonld`), so a trailing comma is diagnosed and repaired the same way wherever it is.

What the lenient read repairs, each recorded as a :class:`TextRepair` at its place in the original text:

* ``//`` and ``/* */`` comments (blanked out);
* a trailing comma before ``}`` or ``]`` (blanked out);
* a missing comma between two values or members (inserted where the decoder expected it);
* several JSON values one after another (read in turn), only when the caller accepts several values.

Anything else (an unquoted key, an elided ``...``, a bare fragment) is still refused, in both modes.

>>> values, repairs = read_json_text('{"a": 1 "b": [2, 3,],}', lenient=True)
>>> values, [str(r) for r in repairs]
([{'a': 1, 'b': [2, 3]}], ['line 1, column 9: a missing comma', 'line 1, column 19: a trailing comma', 'line 1, column 21: a trailing comma'])
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

_MAX_REPAIRS = 10_000
_VALUE_END = re.compile(r'["\d}\]el]')  # the last character of a JSON value: string, number, object, array, true/false/null


@dataclass(frozen=True)
class TextRepair:
    """One defect of a JSON text that the lenient read repaired."""

    line: int
    column: int
    defect: str  # "a trailing comma", "a missing comma", "a comment", "a second JSON value"

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.defect}"


class JsonTextError(ValueError):
    """A JSON text that does not parse: where, what, and whether the lenient read would repair it."""

    def __init__(self, line: int, column: int, defect: str, repairable: bool) -> None:
        self.line = line
        self.column = column
        self.defect = defect
        self.repairable = repairable
        super().__init__(f"line {line}, column {column}: {defect}")

    @property
    def location(self) -> str:
        return f"line {self.line}, column {self.column}"


def read_json_text(text: str, lenient: bool = False, several: bool = False) -> tuple[list[Any], list[TextRepair]]:
    """The JSON value(s) of ``text`` and the repairs made to read them.

    Strict (``lenient=False``): exactly one value and no repairs, or :class:`JsonTextError` saying whether a lenient
    read would succeed. Lenient: the repaired values; still :class:`JsonTextError` when a defect has no safe reading.
    ``several`` accepts several values one after another (a lenient read only). ``RecursionError`` propagates.
    """
    try:
        return [json.loads(text)], []
    except json.JSONDecodeError as exc:
        strict_error = exc
    try:
        values, repairs = _read_repaired(text, several)
    except JsonTextError:
        if lenient:
            raise
        raise JsonTextError(strict_error.lineno, strict_error.colno, _describe(text, strict_error), False) from None
    if not lenient:
        raise JsonTextError(strict_error.lineno, strict_error.colno, _describe(text, strict_error), True)
    return values, repairs


def _describe(text: str, exc: json.JSONDecodeError) -> str:
    """What makes ``text`` invalid where ``exc`` points, in the publisher's terms."""
    pos = exc.pos
    rest = text[pos:].lstrip()
    if rest.startswith(("//", "/*")):
        return "a comment (JSON has none)"
    if exc.msg.startswith("Extra data"):
        return "more than one JSON value in one file"
    if text[:pos].rstrip().endswith(",") and rest[:1] in ("}", "]"):
        return "a trailing comma"
    if exc.msg.startswith("Expecting ',' delimiter"):
        return "a missing comma"
    if "/*" in text or re.search(r"^\s*//", text, re.MULTILINE):
        return f"{exc.msg} (the file also holds comments, which JSON does not allow)"
    return exc.msg


def _position(text: str, pos: int) -> tuple[int, int]:
    return text.count("\n", 0, pos) + 1, pos - text.rfind("\n", 0, pos)


def _blank_comments_and_trailing_commas(text: str) -> tuple[str, list[tuple[int, str]]]:
    """``text`` with comments and trailing commas outside strings replaced by spaces (offsets and lines kept)."""
    out = list(text)
    found: list[tuple[int, str]] = []
    i, n = 0, len(text)
    in_str = False
    last_sig = -1  # index of the last significant character outside strings and comments
    while i < n:
        c = text[i]
        if in_str:
            if c == "\\":
                i += 2
                continue
            if c == '"':
                in_str = False
                last_sig = i
            i += 1
            continue
        if c == '"':
            in_str = True
        elif text.startswith("//", i) or text.startswith("/*", i):
            line_comment = text.startswith("//", i)
            end = text.find("\n" if line_comment else "*/", i + 2)
            end = n if end < 0 else (end if line_comment else end + 2)
            found.append((i, "a comment"))
            for k in range(i, end):
                if out[k] != "\n":
                    out[k] = " "
            i = end
            continue
        elif c in "}]" and last_sig >= 0 and out[last_sig] == ",":
            out[last_sig] = " "
            found.append((last_sig, "a trailing comma"))
        if not c.isspace():
            last_sig = i
        i += 1
    return "".join(out), found


def _read_repaired(text: str, several: bool) -> tuple[list[Any], list[TextRepair]]:
    cleaned, found = _blank_comments_and_trailing_commas(text)
    repairs = [TextRepair(*_position(text, pos), what) for pos, what in found]
    inserted: list[int] = []  # positions (in the current text) of the commas put in

    def original(pos: int) -> int:
        return pos - sum(1 for q in inserted if q < pos)

    decoder = json.JSONDecoder()
    values: list[Any] = []
    pos = 0
    while True:
        while pos < len(cleaned) and cleaned[pos].isspace():
            pos += 1
        if pos >= len(cleaned):
            break
        if values and not several:
            line, col = _position(text, original(pos))
            raise JsonTextError(line, col, "more than one JSON value in one file", False)
        start = pos
        try:
            value, pos = decoder.raw_decode(cleaned, pos)
        except json.JSONDecodeError as exc:
            at = _missing_comma_at(cleaned, exc)
            if at is None or len(repairs) >= _MAX_REPAIRS:
                line, col = _position(text, original(exc.pos))
                raise JsonTextError(line, col, exc.msg, False) from None
            repairs.append(TextRepair(*_position(text, original(exc.pos)), "a missing comma"))
            cleaned = cleaned[:at] + "," + cleaned[at:]
            inserted[:] = [q + 1 if q >= at else q for q in inserted]
            inserted.append(at)
            continue  # decode the repaired text again from the start of this value
        if values:
            repairs.append(TextRepair(*_position(text, original(start)), "a second JSON value"))
        values.append(value)
    if not values:
        raise JsonTextError(1, 1, "no JSON value in the text", False)
    return values, sorted(repairs, key=lambda r: (r.line, r.column))


def _missing_comma_at(text: str, exc: json.JSONDecodeError) -> int | None:
    """Where a comma goes when the decoder expected one: right after the value that ends before ``exc.pos``."""
    if not exc.msg.startswith("Expecting ',' delimiter"):
        return None
    end = len(text[: exc.pos].rstrip())
    if end == 0 or not _VALUE_END.match(text[end - 1]):
        return None
    return end
