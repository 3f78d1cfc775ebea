"""`make docs`: the reference site builds offline with warnings as errors, has every page, and loads nothing
from the network when read."""

from __future__ import annotations

import importlib
import json
import logging
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
import typer
from rdflib import RDF, SH, Graph

import lermap.cli
from lermap.api.app import create_app

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SHAPES = ROOT / "lermap" / "graph" / "shapes"


class SiteBuild:
    def __init__(self, folder: Path, warnings: list[str]) -> None:
        self.folder, self.warnings = folder, warnings

    def page(self, path: str) -> str:
        return (self.folder / path).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    """One build per module, in this process: the test suite's network guard is on, so a build that reached out fails."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    folder = tmp_path_factory.mktemp("site")
    warnings: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            warnings.append(f"{record.levelname} {record.name}: {record.getMessage()}")

    handler = Collect(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(handler)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)  # mkdocs.yml's paths (hooks, snippets, mkdocstrings) are relative to the repository
        patch.setenv("NO_MKDOCS_2_WARNING", "1")
        try:
            build(load_config(str(ROOT / "mkdocs.yml"), site_dir=str(folder), strict=True))
        finally:
            logging.getLogger("mkdocs").removeHandler(handler)
    return SiteBuild(folder, warnings)


def test_builds_with_no_warnings(site: SiteBuild) -> None:
    assert site.warnings == []


def _docs_pages() -> list[str]:
    found = [p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md") if not p.relative_to(DOCS).as_posix().startswith(("hooks/", "examples/"))]
    return sorted(found)


def _html_of(md: str) -> str:
    return re.sub(r"(^|/)README\.md$", r"\1index.html", md).removesuffix(".md") + (".html" if md.endswith(".md") and not md.endswith("README.md") else "")


GENERATED = ["reference/cli.html", "reference/rest-api.html", "reference/shapes.html", "datasets.html"]


def test_every_page_is_built_and_in_the_navigation(site: SiteBuild) -> None:
    pages = [_html_of(p) for p in _docs_pages()] + GENERATED
    assert {"index.html", "start/policymakers.html", "start/analysts.html", "start/developers.html", "start/client.html",
            "reference/python.html", "core-view.html", "reliability.html", "bench-logs/index.html"} <= set(pages)
    nav = set(re.findall(r'<a href="([^"#]+)" class="md-nav__link', site.page("index.html")))
    for page in pages:
        assert (site.folder / page).is_file(), page
        assert page in nav or page == "index.html", f"{page} is not in the site's navigation"


class Resources(HTMLParser):
    """Every address the browser would load by itself while showing a page (not links the reader may follow)."""

    LOADS = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src", "video": "src", "embed": "src",
             "object": "data", "track": "src", "input": "src"}

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and values.get("href"):
            self.loaded.append(values["href"] or "")
        elif tag in self.LOADS and values.get(self.LOADS[tag]):
            self.loaded.append(values[self.LOADS[tag]] or "")
        self.loaded += re.findall(r"url\(\s*['\"]?([^'\")]+)", values.get("style") or "")


def _external(address: str) -> bool:
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", address, re.I)) and not address.startswith("data:")


def test_reading_the_site_needs_no_network(site: SiteBuild) -> None:
    html_files = sorted(site.folder.rglob("*.html"))
    assert len(html_files) >= 20
    for path in html_files:
        parser = Resources()
        text = path.read_text(encoding="utf-8")
        parser.feed(text)
        assert parser.loaded, path  # every page has its stylesheet and scripts: the parser saw them
        assert [a for a in parser.loaded if _external(a)] == [], path
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, path
        for inline in re.findall(r"<style[^>]*>(.*?)</style>", text, re.S):
            assert not [u for u in re.findall(r"(?:url\(|@import)\s*['\"]?([^'\")\s]+)", inline) if _external(u)], path
    for css in site.folder.rglob("*.css"):
        found = re.findall(r"(?:url\(|@import)\s*['\"]?([^'\")\s]+)", css.read_text(encoding="utf-8"))
        assert [u for u in found if _external(u)] == [], css


def test_the_external_resource_check_catches_what_it_should() -> None:
    parser = Resources()
    parser.feed('<link rel="stylesheet" href="https://fonts.googleapis.com/css"><script src="//cdn.example/x.js"></script>'
                '<img src="assets/logo.svg"><a href="https://example.org/">a link is not a load</a>')
    assert [a for a in parser.loaded if _external(a)] == ["https://fonts.googleapis.com/css", "//cdn.example/x.js"]


def test_the_cli_reference_has_every_command_and_option(site: SiteBuild) -> None:
    page = site.page("reference/cli.html")

    def walk(cmd: object, path: list[str]) -> None:
        for name, sub in getattr(cmd, "commands", {}).items():
            assert f'id="{"-".join([*path, name])}"' in page, f"{' '.join([*path, name])} has no section"
            for param in sub.params:
                for opt in getattr(param, "opts", []) if type(param).__name__ == "TyperOption" else []:
                    assert f"<code>{opt}</code>" in page, f"{' '.join([*path, name])} {opt}"
            walk(sub, [*path, name])

    walk(typer.main.get_command(lermap.cli.app), ["lermap"])
    assert "<code>PATHS</code>" in page and "Exit codes" in page


def test_the_rest_reference_is_the_apps_openapi_document(site: SiteBuild) -> None:
    spec = create_app(store="memory:").openapi()
    assert json.loads(site.page("reference/openapi.json")) == spec
    page = site.page("reference/rest-api.html")
    for item in spec["paths"].values():
        for op in item.values():
            assert f'id="op-{op["operationId"].lower().replace("_", "-")}"' in page, op["operationId"]
    assert 'id="schema-pathwayrequest"' in page and "at most 100000 characters" in page  # ExtractRequest.text's limit
    explorer = site.folder / "reference" / "api-explorer"
    assert {"index.html", "swagger-ui-bundle.js", "swagger-ui.css", "explorer.js", "openapi.js"} <= {p.name for p in explorer.iterdir()}
    assert "validatorUrl: null" in (explorer / "explorer.js").read_text()
    assert json.loads((explorer / "openapi.js").read_text().removeprefix("window.LERMAP_OPENAPI = ").rstrip().rstrip(";")) == spec


def test_the_shapes_page_has_every_shape_and_message(site: SiteBuild) -> None:
    page = site.page("reference/shapes.html")
    for path in SHAPES.glob("*.ttl"):
        g = Graph().parse(path)
        for shape in g.subjects(RDF.type, SH.NodeShape):
            assert f"<code>{g.namespace_manager.normalizeUri(shape)}</code>" in page
        for message in g.objects(None, SH.message):
            assert str(message).replace("'", "&#x27;") in page or str(message) in page, message


def test_the_datasets_page_carries_the_data_readmes(site: SiteBuild) -> None:
    page = site.page("datasets.html")
    readmes = ([ROOT / "data" / "README.md"] if (ROOT / "data" / "README.md").exists() else []) + sorted((ROOT / "data").glob("*/README.md"))
    assert readmes
    for readme in readmes:
        title = readme.read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
        assert title.replace("&", "&amp;") in page, readme
        assert f"From <code>{readme.relative_to(ROOT).as_posix()}</code>" in page


def test_the_python_reference_shows_the_public_api_and_its_examples(site: SiteBuild) -> None:
    page = site.page("reference/python.html")
    for method in ("ingest", "sparql", "alignments", "extract", "pathway", "validate"):
        assert f'id="lermap.service.KnowledgeGraph.{method}"' in page
    assert "<blockquote>" not in page  # doctests as code, not nested quotes
    assert '<span class="gp">&gt;&gt;&gt; </span><span class="kn">import</span>' in page
    assert ":func:" not in site.page("reference/analysis.html")


def test_the_client_page_includes_the_module(site: SiteBuild) -> None:
    page = site.page("start/client.html")
    assert '<span class="nc">LermapClient</span>' in page and '<span class="nc">Gap</span>' in page
    assert (site.folder / "examples" / "client.py").read_bytes() == (DOCS / "examples" / "client.py").read_bytes()


def test_a_page_left_out_of_the_nav_is_added_under_more(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(DOCS / "hooks"))
    generate = importlib.import_module("generate")
    for page in ("index.md", "architecture.md", "hooks/notes.md", "reference/cli.md"):
        (tmp_path / page).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / page).write_text("# page\n", encoding="utf-8")
    config = SimpleNamespace(docs_dir=str(tmp_path), nav=[{"Home": "index.md"}])
    generate.on_config(config)
    assert config.nav == [{"Home": "index.md"}, {"More": ["architecture.md"]}]  # not the hooks' files, not generated pages
