"""Repository READMEs included in the site at build time, so what they say appears in the docs as it changes.

- ``datasets.md`` is made of ``data/README.md`` (when the repository has it) and each ``data/*/README.md``,
- a page may include any README with a line ``<!-- include: notebooks/README.md -->``: its title is dropped (the
  page's own heading stands for it) and its sections sit under the heading the line is in.

Headings move down to fit; links between included READMEs become links within the page, links to the
documentation become links to its pages, and links to other repository files become their paths in code.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

_HEADING = re.compile(r"^(#{1,6}) (.+?)\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)\)")
_DIRECTIVE = re.compile(r"^<!-- include: (\S+) -->\s*$")


class Page:
    """Where included text lands: the page's path in the docs, the docs' pages, READMEs already on the page."""

    def __init__(self, uri: str, docs_pages: set[str], on_page: dict[str, str] | None = None) -> None:
        self.uri, self.docs_pages, self.on_page = uri, docs_pages, on_page or {}


def data_readmes(data_dir: Path) -> list[Path]:
    """The READMEs of ``data/``, the folder's own first."""
    top = data_dir / "README.md"
    return ([top] if top.is_file() else []) + sorted(data_dir.glob("*/README.md"))


def datasets_markdown(repo: Path, docs_pages: set[str]) -> str:
    """The datasets page, for ``datasets.md``."""
    paths = [p.relative_to(repo).as_posix() for p in data_readmes(repo / "data")]
    page = Page("datasets.md", docs_pages, {p: _anchor(p) for p in paths})
    lines = [
        "# Datasets and licences",
        "",
        "What the default graph (`lermap build`, run by `make run`) is built from, with each dataset's publisher, "
        "version and licence. This page is the text of the READMEs in the repository's `data/` folder, included when the "
        "site is built.",
        "",
    ]
    for path in paths:
        lines += included(repo, path, page, level=2, keep_title=True)
    return "\n".join(lines) + "\n"


def expand_directives(markdown: str, repo: Path, page: Page) -> str:
    """A page's Markdown with each ``<!-- include: PATH -->`` line replaced by that file's sections."""
    out: list[str] = []
    level, in_code = 1, False
    for line in markdown.splitlines():
        if _FENCE.match(line):
            in_code = not in_code
        elif not in_code and (heading := _HEADING.match(line)):
            level = len(heading.group(1))
        elif not in_code and (directive := _DIRECTIVE.match(line)):
            out += included(repo, directive.group(1), page, level=level + 1, keep_title=False)
            continue
        out.append(line)
    return "\n".join(out) + "\n"


def _anchor(repo_path: str) -> str:
    return posixpath.dirname(repo_path).replace("/", "-") or "readme"


def included(repo: Path, repo_path: str, page: Page, level: int, keep_title: bool) -> list[str]:
    """The file's Markdown with its title at ``level`` (or dropped) and its other headings below it."""
    source = repo / repo_path
    if not source.is_file():
        raise FileNotFoundError(f"{page.uri} includes {repo_path}, which is not in the repository")
    out: list[str] = []
    in_code, titled = False, False
    for line in source.read_text(encoding="utf-8").splitlines():
        if _FENCE.match(line):
            in_code = not in_code
        elif not in_code and (m := _HEADING.match(line)):
            if not titled:
                titled = True
                if keep_title:
                    out += [f"{'#' * level} {m.group(2)} {{ #{page.on_page.get(repo_path, _anchor(repo_path))} }}", "",
                            f"*From `{repo_path}`.*"]
                continue
            line = f"{'#' * min(6, len(m.group(1)) + level - (1 if keep_title else 2))} {m.group(2)}"
        if not in_code:
            line = _LINK.sub(lambda m: _link(m.group(1), m.group(2), repo_path, page), line)
        out.append(line)
    out.append("")
    return out


def _link(label: str, target: str, repo_path: str, page: Page) -> str:
    if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
        return f"[{label}]({target})"
    path, _, fragment = target.partition("#")
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(repo_path), path))
    if resolved in page.on_page:
        return f"[{label}](#{fragment or page.on_page[resolved]})"
    if resolved.startswith("docs/") and resolved.removeprefix("docs/") in page.docs_pages:
        relative = posixpath.relpath(resolved.removeprefix("docs/"), posixpath.dirname(page.uri) or ".")
        return f"[{label}]({relative}{'#' + fragment if fragment else ''})"
    return label if label.strip("`") == resolved else f"{label} (`{resolved}`)"
