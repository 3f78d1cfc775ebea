"""Every page in headless Chromium against a live server (tests/browser/conftest.py): no console errors, full-page
screenshots at desktop width and at 375 px in test-artifacts/screenshots/, and no serious or critical axe-core
violation; the map's figure draws every node and follows its filters; the side panel opens from a name."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.browser.conftest import ARTIFACTS, open_page, screenshots, serious_violations
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
EX = "http://example.org/"

PAGES = [
    ("/", "index"),
    ("/map", "map"),
    ("/principles", "principles"),
    ("/principles?kind=standard", "principles-standards"),
    ("/crosswalk", "crosswalk-empty"),
    ("/crosswalk?a=" + quote(EX + "fwA", safe="") + "&b=" + quote(EX + "fwB", safe=""), "crosswalk"),
    ("/pathways", "pathways-empty"),
    ("/pathways?target=" + quote(EX + "analyst", safe="") + "&held=" + quote(EX + "badgePy", safe=""), "pathways"),
    ("/frameworks", "frameworks"),
    ("/framework?id=" + quote(EX + "fwA", safe=""), "framework"),
    ("/entity?id=" + quote(EX + "fwA/py", safe=""), "entity"),
    ("/search?q=credential", "search"),
    ("/search?q=x", "search-error"),
    ("/occupations", "occupations"),
    ("/changes", "changes"),
    ("/about", "about"),
    ("/entity?id=" + quote(EX + "no-such-thing", safe=""), "not-found"),
]


STATUS = {"search-error": 422, "not-found": 404}


@pytest.mark.parametrize(("path", "shot"), PAGES, ids=[s for _, s in PAGES])
def test_page_is_accessible_at_every_width(browser: Any, live_server: str, path: str, shot: str) -> None:
    assert open_page(browser, live_server + path, STATUS.get(shot, 200)) == []
    screenshots(browser, shot)
    assert serious_violations(browser) == []


def test_the_api_docs_load_without_console_errors(browser: Any, live_server: str) -> None:
    # Swagger UI is a third-party page: screenshots and console only (its markup is not ours to fix)
    assert open_page(browser, live_server + "/docs") == []
    screenshots(browser, "api-docs")


def test_old_addresses_still_lead_to_their_pages(browser: Any, live_server: str) -> None:
    open_page(browser, live_server + "/frameworks/" + EX + "fwA")
    assert "/framework?id=" in browser.current_url and browser.find_element("css selector", "h1").text
    open_page(browser, live_server + "/v1/entities/" + EX + "fwA/py")  # a browser asks for HTML: the entity page
    assert "/entity?id=" in browser.current_url and browser.find_element("css selector", "h1").text == "Python programming"


def _points(driver: Any) -> int:
    return int(driver.execute_script("return Number(document.getElementById('chart').dataset.points)"))


def test_map_draws_every_node_and_filters(browser: Any, live_server: str) -> None:
    open_page(browser, live_server + "/map")
    drawn = _points(browser)
    summary = browser.find_element("id", "summary").text
    assert drawn == int(summary.split()[0]) and drawn >= 150
    open_page(browser, live_server + "/map?kind=standard&kind=standard-version")
    standards = _points(browser)
    assert 0 < standards < drawn
    expected = httpx.get(live_server + "/v1/standards", params={"limit": 1}).json()["total"]
    assert standards >= expected


def test_click_opens_side_panel(browser: Any, live_server: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    open_page(browser, live_server + "/map?kind=standard")
    browser.execute_script("document.querySelector('details').open = true")
    link = browser.find_element("css selector", "details [data-entity]")
    name = link.text
    link.click()
    WebDriverWait(browser, 20).until(lambda d: d.find_elements("css selector", "#panel h2"))
    assert browser.find_element("css selector", "#panel h2").text == name
    assert "/map" in browser.current_url  # the panel opened in place of following the link
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "map-panel.png"))


def _swagger_blocks(spec: dict[str, Any]) -> int:
    """Swagger UI draws an operation once under each of its tags."""
    return sum(len(op.get("tags") or [""]) for item in spec["paths"].values() for op in item.values())


def _rendered_operations(driver: Any) -> int:
    from selenium.webdriver.support.ui import WebDriverWait

    drawn, refused = ".opblock", ".errors-wrapper, .version-pragma"  # the operations, or Swagger UI's own complaint
    WebDriverWait(driver, 30).until(lambda d: d.find_elements("css selector", drawn) or d.find_elements("css selector", refused))
    complaints = [e.text for e in driver.find_elements("css selector", refused)]
    assert complaints == []
    return len(driver.find_elements("css selector", drawn))


def test_the_api_docs_render_every_operation(browser: Any, live_server: str) -> None:
    # Swagger UI 4 answered FastAPI's OpenAPI 3.1 with "Unable to render this definition", and no console error
    open_page(browser, live_server + "/docs")
    assert _rendered_operations(browser) == _swagger_blocks(httpx.get(live_server + "/openapi.json").json())


def test_the_reference_sites_offline_explorer_renders_every_operation(browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    monkeypatch.syspath_prepend(str(ROOT / "docs" / "hooks"))
    openapi_page = importlib.import_module("openapi_page")
    spec = openapi_page.openapi_document()
    for name, content in openapi_page.explorer_files(spec).items():
        target = tmp_path / name
        target.write_bytes(content.read_bytes()) if isinstance(content, Path) else target.write_text(content, encoding="utf-8")
    assert open_page(browser, (tmp_path / "index.html").as_uri()) == []  # from disk: what `make docs` readers get
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "site-api-explorer.png"))
    assert _rendered_operations(browser) == _swagger_blocks(spec)
