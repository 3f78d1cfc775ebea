"""Small helpers for writing Markdown text that came from code (help strings, descriptions, Turtle comments)."""

from __future__ import annotations

import re

_CODE_SPAN = re.compile(r"(`+)(.+?)\1")


def text(value: str | None) -> str:
    """Prose from code as Markdown: angle brackets outside code spans escaped (so ``<iri>`` is not read as HTML)."""
    if not value:
        return ""
    parts, last = [], 0
    for m in _CODE_SPAN.finditer(value):
        parts += [_escape(value[last : m.start()]), m.group(0)]
        last = m.end()
    parts.append(_escape(value[last:]))
    return "".join(parts)


def cell(value: str | None) -> str:
    """Text safe inside one cell of a Markdown table: one line, pipes and angle brackets escaped."""
    return text(" ".join((value or "").split())).replace("|", "\\|")


def code(value: str) -> str:
    """Inline code for any text, backticks included, safe in a table cell."""
    fence = "``" if "`" in value else "`"
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return fence + pad + value + pad + fence


def _escape(value: str) -> str:
    return value.replace("<", "&lt;").replace(">", "&gt;")


_FENCE = re.compile(r"^\s*(```|~~~)")
_INTRAWORD_STAR = re.compile(r"(?<=\w)\*(?=\w)")


def escape_intraword_asterisks(markdown: str) -> str:
    """``O*NET`` stays O*NET: an asterisk between two letters is escaped (outside code), not read as emphasis.

    Python-Markdown reads ``O*NET ... O*NET`` on one line as emphasis of the text between the asterisks."""
    out, in_code = [], False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            in_code = not in_code
        elif not in_code and "*" in line:
            parts, last = [], 0
            for m in _CODE_SPAN.finditer(line):
                parts += [_INTRAWORD_STAR.sub(r"\\*", line[last : m.start()]), m.group(0)]
                last = m.end()
            line = "".join([*parts, _INTRAWORD_STAR.sub(r"\\*", line[last:])])
        out.append(line)
    return "\n".join(out)
