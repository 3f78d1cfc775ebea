"""READMEs pulled into the site (docs/hooks/readme_include.py): headings fitted under the page, links rewritten.

The fixture is laid out like the repository once data/README.md (the dataset table) is there: the datasets page
must pick it up by itself."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest

HOOKS = Path(__file__).resolve().parents[2] / "docs" / "hooks"


@pytest.fixture()
def hooks(monkeypatch: pytest.MonkeyPatch) -> tuple[ModuleType, ModuleType]:
    monkeypatch.syspath_prepend(str(HOOKS))
    return importlib.import_module("readme_include"), importlib.import_module("markdown_text")


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    (tmp_path / "data" / "examples").mkdir(parents=True)
    (tmp_path / "data" / "onet").mkdir()
    (tmp_path / "data" / "README.md").write_text(
        "# Data: the real datasets\n\nInvented data lives in [`examples/`](examples/README.md). See [the map](../docs/ecosystem.md#core-view)"
        " and [the zip](onet/onet-db.zip), [O*NET](https://www.onetcenter.org/).\n\n## Attribution\n\n"
        "```sh\n# not a heading\n```\n\nO*NET data, O*NET codes.\n", encoding="utf-8")
    (tmp_path / "data" / "examples" / "README.md").write_text("# Examples\n\nBack to [the datasets](../README.md#attribution).\n",
                                                             encoding="utf-8")
    return tmp_path


def test_the_datasets_page_takes_the_top_readme_first_and_rewrites_links(hooks: tuple[ModuleType, ModuleType], repo: Path) -> None:
    include, _ = hooks
    page = include.datasets_markdown(repo, {"ecosystem.md", "index.md"})
    lines = page.splitlines()
    assert lines[0] == "# Datasets and licences"
    headings = [line for line in lines if line.startswith("#") and line != "# not a heading"]
    assert headings == ["# Datasets and licences", "## Data: the real datasets { #data }", "### Attribution", "## Examples { #data-examples }"]
    assert "Invented data lives in [`examples/`](#data-examples)." in page  # the other README is on the page
    assert "[the map](ecosystem.md#core-view)" in page                       # a documentation page
    assert "the zip (`data/onet/onet-db.zip`)" in page                       # any other file: its path
    assert "[O*NET](https://www.onetcenter.org/)" in page                    # the web, as it is
    assert "Back to [the datasets](#attribution)." in page
    assert "# not a heading" in page and "#### not a heading" not in page    # code is left alone


def test_an_include_line_puts_the_sections_under_the_heading_it_is_in(hooks: tuple[ModuleType, ModuleType], repo: Path) -> None:
    include, _ = hooks
    markdown = "# Analysts\n\n## The data\n\n<!-- include: data/README.md -->\n\n## Next\n"
    out = include.expand_directives(markdown, repo, include.Page("start/analysts.md", {"ecosystem.md"}))
    assert [line for line in out.splitlines() if line.startswith("#")] == ["# Analysts", "## The data", "### Attribution", "# not a heading",
                                                                          "## Next"]
    assert "[the map](../ecosystem.md#core-view)" in out and "[`examples/`] (`data/examples/README.md`)" not in out
    assert "[`examples/`](examples/README.md)" not in out and "`examples/` (`data/examples/README.md`)" in out


def test_a_missing_include_is_an_error_naming_the_page(hooks: tuple[ModuleType, ModuleType], repo: Path) -> None:
    include, _ = hooks
    with pytest.raises(FileNotFoundError, match=r"start/x\.md includes notebooks/README\.md"):
        include.expand_directives("<!-- include: notebooks/README.md -->\n", repo, include.Page("start/x.md", set()))


def test_onet_is_not_read_as_emphasis(hooks: tuple[ModuleType, ModuleType]) -> None:
    _, text = hooks
    assert text.escape_intraword_asterisks("O*NET data and O*NET codes, `O*NET` in code, *emphasis*") == \
        "O\\*NET data and O\\*NET codes, `O*NET` in code, *emphasis*"
    assert text.escape_intraword_asterisks("```\nO*NET O*NET\n```") == "```\nO*NET O*NET\n```"
