"""The getting-started pages' commands are real: the analysts' Python runs on the default graph, and every URL
the developers' page sends a request to is a route of the app."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from fastapi import FastAPI
from starlette.routing import Match

from lermap.api.app import create_app

ROOT = Path(__file__).resolve().parents[2]
START = ROOT / "docs" / "start"


def _python_blocks(page: Path) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", page.read_text(encoding="utf-8"), re.S | re.M)


def test_the_analysts_page_runs_top_to_bottom_on_the_default_graph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   real_store: str) -> None:
    (tmp_path / "data").symlink_to(ROOT / "data")  # the page speaks from the repository's root; its files land here
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LERMAP_STORE", real_store)  # the default graph as `make build` leaves it (built once per session)
    blocks = _python_blocks(START / "analysts.md")
    assert len(blocks) >= 5
    namespace: dict[str, object] = {}
    for number, block in enumerate(blocks, 1):
        exec(compile(block, f"docs/start/analysts.md, block {number}", "exec"), namespace)  # noqa: S102 - the page's own code
    kg = namespace["kg"]
    assert len(kg.sources()) >= 2  # type: ignore[attr-defined]
    assert len(namespace["frameworks"]) >= 2 and len(namespace["concepts"]) >= 1  # type: ignore[arg-type]
    gap = namespace["gap"]
    assert 0 < gap.coverage < 1 and gap.gap  # type: ignore[attr-defined]
    assert namespace["g"].number_of_nodes() > 0  # type: ignore[attr-defined]
    assert (tmp_path / "alignments.sssom.tsv").read_text().startswith("#") and (tmp_path / "concepts.csv").stat().st_size > 0
    assert len(rdflib.Graph().parse(data=namespace["turtle"], format="turtle")) > 0  # type: ignore[arg-type]


def _routed(app: FastAPI, path: str) -> bool:
    scope = {"type": "http", "path": path, "root_path": "", "method": "GET", "query_string": b"", "headers": []}
    return any(route.matches(scope)[0] != Match.NONE for route in app.routes)


@pytest.mark.parametrize("page", ["developers.md", "policymakers.md", "../reference/linked-data.md"])
def test_every_url_on_the_page_is_a_route(page: str) -> None:
    text = (START / page).read_text(encoding="utf-8")
    urls = re.findall(r"http://127\.0\.0\.1:8000(/[^\s'\"?]*)", text)
    paths = [p.replace("…", "x").split("?")[0] for p in re.findall(r"^\| `(/[^`]*)`", text, re.M)]  # the policymakers' table of pages
    app = create_app(store="memory:")
    assert urls or paths
    assert not _routed(app, "/nowhere")
    for url in urls + paths:
        assert _routed(app, url), f"{page}: {url} is not a route of the app"
