"""A griffe extension: lermap's docstrings use a little reStructuredText; show it as Markdown on the site.

- roles (``:func:`~lermap.analysis.alignment.harvest` ``) become code (``harvest``; the full path without ``~``),
- doctest examples (lines from ``>>>`` to the next blank line) become ``pycon`` code blocks, which Markdown
  would otherwise read as nested quotes.

The docstrings themselves stay as they are: ``tests/docs/test_doctests.py`` runs the examples.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

from markdown_text import escape_intraword_asterisks

_ROLE = re.compile(r":(?:py:)?(?:func|class|meth|mod|data|attr|obj|exc):`(~?)([^`]+)`")


def markdown_docstring(value: str) -> str:
    """The docstring's text with roles as code, doctest blocks fenced and ``O*NET`` kept whole."""
    value = _ROLE.sub(lambda m: f"`{m.group(2).rsplit('.', 1)[-1] if m.group(1) else m.group(2)}`", value)
    out: list[str] = []
    in_example, indent = False, ""
    for line in value.split("\n"):
        if line.lstrip().startswith(">>>") and not in_example:
            indent = line[: len(line) - len(line.lstrip())]
            out.append(indent + "```pycon")
            in_example = True
        elif in_example and not line.strip():
            out.append(indent + "```")
            in_example = False
        out.append(line)
    if in_example:
        out.append(indent + "```")
    return escape_intraword_asterisks("\n".join(out))


class RstToMarkdown(griffe.Extension):
    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        _convert(obj)

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        _convert(pkg)  # on_object is called for a package's members, not for the package itself


def _convert(obj: griffe.Object) -> None:
    if obj.docstring is not None and "```pycon" not in obj.docstring.value:
        obj.docstring.value = markdown_docstring(obj.docstring.value)
