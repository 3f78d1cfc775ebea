"""A linear scan of SPARQL text, before any parser sees it: bracket nesting depth and the ``SERVICE`` keyword.

pyoxigraph's parser recurses once per nesting level and overflows its stack (the process dies) somewhere between
2,000 and 5,000 levels; :func:`scan` measures the depth in one pass so that a deep query is refused with a clear
error before it reaches the parser. It is a lexer, not a parser: strings (short and long), IRIs and comments are
skipped so that a bracket or a keyword inside them counts for nothing.

**Where it cannot be sure.** In SPARQL ``<`` is both the start of an IRI and the less-than operator, and a lexer
cannot always tell which: ``FILTER(?a<?b)SERVICE?x#>`` is an IRI ``<?b)SERVICE?x#>`` to a lexer that tries IRIs
first, and a comparison, ``SERVICE ?x`` and a comment ``#>`` to the parser. So the scan is sure of a query only
when it found the keyword (refused), or when the word "service" is not in the text at all, or when it is there but
no ``<`` was read as an IRI and no ``\\u`` escape could shift a boundary; any other query is
:attr:`Scan.service_unclear` and the caller must parse it properly (and refuse it if that fails).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LONG_STRING = r'"""(?:[^"\\]|\\.|"(?!""))*"""' + r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
_STRING = r'"(?:[^"\\\n\r]|\\.)*"' + r"|'(?:[^'\\\n\r]|\\.)*'"
_IRI = r"<[^<>\"{}|^`\\\x00-\x20]*>"
_NAME = r"[?$]?[^\W\d][\w.\-]*(?::[\w.\-%]*)?|:[\w.\-%]*"  # keywords, variables, prefixed names
_SKIP = rf"(?P<skip>#[^\n\r]*|{_LONG_STRING}|{_STRING})"
_WITH_IRIS = re.compile(rf"{_SKIP}|(?P<iri>{_IRI})|(?P<open>[(\[{{])|(?P<close>[)\]}}])|(?P<name>{_NAME})", re.DOTALL)
_ESCAPE = re.compile(r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}")


@dataclass(frozen=True)
class Scan:
    """What one pass over a query's text found."""

    depth: int  # deepest nesting of (), [] and {} outside strings, IRIs and comments
    service: bool  # a bare SERVICE keyword
    service_unclear: bool  # the word is there, not as a keyword, but '<' or an escape leaves room for doubt: parse to be sure


def scan(query: str) -> Scan:
    """Nesting depth and SERVICE detection in time linear in the query's length (see the module docstring)."""
    depth = deepest = 0
    iris = False
    service = False
    for m in _WITH_IRIS.finditer(query):
        kind = m.lastgroup
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "iri":
            iris = True
        elif kind == "name" and not service:
            service = m.group().lower() == "service"
    if service or "service" not in query.lower():
        # pyoxigraph reads \\u escapes only inside strings: a SERVICE spelt with them anywhere else is a syntax error
        return Scan(deepest, service, False)
    # the word is there but not as a keyword: sure only if no '<' was read as an IRI and no \\u escape could move a boundary
    return Scan(deepest, False, iris or _ESCAPE.search(query) is not None)
