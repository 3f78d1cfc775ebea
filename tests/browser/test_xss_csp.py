"""An organisation named ``<script>alert(1)</script>`` renders as text on the map, in its side panel and on its
entity page, with the Content-Security-Policy on and no dialog ever opening (headless Chromium, loopback server)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

import lermap
from tests.browser.conftest import ARTIFACTS, open_page, require_browser, serving
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
EVIL = "<script>alert(1)</script>"
EVIL_IRI = "http://example.org/evil-org"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_browser()
    folder = tmp_path_factory.mktemp("xss")
    (folder / "evil.ttl").write_text(
        f'<{EVIL_IRI}> a <https://schema.org/Organization> ; <http://www.w3.org/2004/02/skos/core#prefLabel> "{EVIL}" ; '
        f'<https://schema.org/name> "{EVIL}" ; <https://schema.org/description> "<img src=x onerror=alert(2)>" .\n')
    store = f"oxigraph:{folder / 'store'}"
    with lermap.open_graph(store) as kg:
        kg.ingest(ROOT / "data" / "ecosystem")
        kg.ingest(folder / "evil.ttl", format="rdf")
    with serving(store) as base:
        yield base


def _open(driver: Any, url: str, shot: str) -> None:
    assert open_page(driver, url) == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{shot}.png"))


def _no_dialog(driver: object) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # type: ignore[attr-defined]  # noqa: B018 - touching it is the check


def test_map_and_side_panel_show_the_name_as_text(browser: object, server: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    _open(browser, server + "/map?q=" + quote("alert"), "xss-map")
    _no_dialog(browser)
    browser.execute_script("document.querySelector('details').open = true")  # type: ignore[attr-defined]
    link = browser.find_element("css selector", f'[data-entity="{EVIL_IRI}"]')  # type: ignore[attr-defined]
    assert link.text == EVIL
    link.click()
    WebDriverWait(browser, 20).until(lambda d: d.find_elements("css selector", "#panel h2"))
    assert browser.find_element("css selector", "#panel h2").text == EVIL  # type: ignore[attr-defined]
    assert browser.find_elements("css selector", "#panel script, #panel img") == []  # type: ignore[attr-defined]
    _no_dialog(browser)
    browser.save_screenshot(str(ARTIFACTS / "xss-panel.png"))  # type: ignore[attr-defined]


def test_entity_page_shows_the_name_as_text(browser: object, server: str) -> None:
    _open(browser, server + "/entity?id=" + quote(EVIL_IRI, safe=""), "xss-entity")
    _no_dialog(browser)
    assert browser.find_element("css selector", "h1").text == EVIL  # type: ignore[attr-defined]
    assert "<img src=x onerror=alert(2)>" in browser.find_element("css selector", "main").text  # type: ignore[attr-defined]
    scripts = browser.execute_script("return [...document.scripts].map(s => s.src || s.type)")  # type: ignore[attr-defined]
    assert all(s.startswith(("http://127.0.0.1", "application/json")) for s in scripts)


def test_an_inline_script_is_blocked_by_the_policy(browser: object, server: str) -> None:
    """The policy is really enforced: a script element added inline is refused (and says so on the console)."""
    _open(browser, server + "/map?kind=standard", "csp-check")
    blocked = browser.execute_script(  # type: ignore[attr-defined]
        "window.__ran = false; const s = document.createElement('script'); s.textContent = 'window.__ran = true';"
        "document.body.append(s); return window.__ran;")
    assert blocked is False
    errors = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]  # type: ignore[attr-defined]
    assert any("Content Security Policy" in m for m in errors)
