"""MkDocs hooks: the reference pages written from the code and data at build time, so none can go stale.

- ``reference/cli.md`` from the Typer app (``cli_page``),
- ``reference/rest-api.md``, ``reference/openapi.json`` and an offline Swagger UI from the app's OpenAPI document
  (``openapi_page``),
- ``reference/shapes.md`` from ``lermap/graph/shapes/*.ttl`` (``shapes_page``),
- ``datasets.md`` from the READMEs of ``data/``, and ``<!-- include: PATH -->`` lines in pages (``readme_include``).

Pages in ``docs/`` that the nav of ``mkdocs.yml`` does not list are added under "More", so a new page is never
left out of the site.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage

from cli_page import cli_markdown
from lermap.views.render import STATIC
from markdown_text import escape_intraword_asterisks
from openapi_page import explorer_files, openapi_document, rest_markdown
from readme_include import Page, datasets_markdown, expand_directives
from shapes_page import shapes_markdown

log = logging.getLogger("mkdocs.hooks.lermap")

GENERATED_PAGES = ("reference/cli.md", "reference/rest-api.md", "reference/shapes.md", "datasets.md")
MORE = "More"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    docs = Path(config.docs_dir)
    listed = set(_nav_pages(config.nav or []))
    excluded = ("hooks/", "examples/")
    unlisted = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
    unlisted = [p for p in unlisted if p not in listed and p not in GENERATED_PAGES and not p.startswith(excluded)]
    if unlisted:
        log.info("pages not in mkdocs.yml's nav, added under %r: %s", MORE, ", ".join(unlisted))
        config.nav = [*(config.nav or []), {MORE: unlisted}]
    return config


def _nav_pages(nav: Any) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, list):
        return [page for item in nav for page in _nav_pages(item)]
    if isinstance(nav, dict):
        return [page for value in nav.values() for page in _nav_pages(value)]
    return []


def on_files(files: Files, config: MkDocsConfig) -> Files:
    repo = Path(config.config_file_path).parent
    spec = openapi_document()
    docs_pages = {f.src_uri for f in files if f.src_uri.endswith(".md")}
    generated: dict[str, str | Path] = {
        "reference/cli.md": cli_markdown(),
        "reference/rest-api.md": rest_markdown(spec),
        "reference/openapi.json": json.dumps(spec, indent=1) + "\n",
        "reference/shapes.md": shapes_markdown(),
        "datasets.md": datasets_markdown(repo, docs_pages),
        **{f"reference/api-explorer/{name}": content for name, content in explorer_files(spec).items()},
        "assets/favicon.svg": STATIC / "favicon.svg",  # the server's own icon
    }
    for uri, content in generated.items():
        if files.get_file_from_path(uri) is not None:
            raise ValueError(f"docs/{uri} is generated at build time; remove the file from docs/")
        if isinstance(content, Path):
            files.append(File.generated(config, uri, abs_src_path=str(content)))
        else:
            files.append(File.generated(config, uri, content=content))
    return files


def on_page_markdown(markdown: str, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
    if "<!-- include: " in markdown:
        docs_pages = {f.src_uri for f in files if f.src_uri.endswith(".md")}
        markdown = expand_directives(markdown, Path(config.config_file_path).parent, Page(page.file.src_uri, docs_pages))
    return escape_intraword_asterisks(markdown)
