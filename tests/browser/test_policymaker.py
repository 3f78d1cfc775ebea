"""A policymaker's journey in headless Chromium (issue 20): types "Credential Engine" in the search box and picks it
from the type-ahead, reads its page (relations with their sources, the scorecard's evidence), focuses it on the map
and opens a neighbour in the side panel; every page touched has no serious or critical axe-core violation at desktop
width and at 375 px, and works by keyboard. Screenshots in test-artifacts/screenshots/."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.browser.conftest import PHONE, activate, active, focus_visible, open_page, press, screenshots, serious_violations, tab_to

pytestmark = pytest.mark.browser
CTDL = "https://w3id.org/lermap/id/standard/ctdl"


@pytest.fixture(scope="module")
def engine(live_server: str) -> str:
    hits = httpx.get(live_server + "/search/suggest", params={"q": "Credential Engine"}).json()
    return str(hits[0]["href"]).split("id=", 1)[1]  # quoted IRI


def violations_at_both_widths(driver: Any) -> list[str]:
    """axe's serious and critical violations at desktop width, then at 375 px (the page reflowed)."""
    found = serious_violations(driver)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": PHONE, "height": 900, "deviceScaleFactor": 1, "mobile": True})
    try:
        driver.execute_script("window.dispatchEvent(new Event('resize'))")
        found += [f"at {PHONE} px: {v}" for v in serious_violations(driver)]
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return found


def wait(driver: Any, condition: Any, seconds: int = 20) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds).until(condition)


def test_policymaker_finds_credential_engine_reads_its_page_and_focuses_it_on_the_map(browser: Any, live_server: str) -> None:
    from selenium.webdriver.common.keys import Keys

    assert open_page(browser, live_server + "/") == []
    box = browser.find_element("id", "q")
    box.send_keys("Credential Engine")
    first = wait(browser, lambda d: d.find_elements("css selector", "#q-suggestions:not([hidden]) a"))[0]
    assert first.text.startswith("Credential Engine")
    assert "suggestion" in browser.find_element("id", "q-status").text  # announced to screen readers
    screenshots(browser, "journey-typeahead")
    box.send_keys(Keys.ARROW_DOWN)
    assert active(browser).text.startswith("Credential Engine") and focus_visible(browser)
    activate(browser)
    wait(browser, lambda d: "/entity?id=" in d.current_url)
    assert open_page(browser, browser.current_url) == []
    assert browser.find_element("css selector", "h1").text == "Credential Engine"
    sources = [a.get_attribute("href") for a in browser.find_elements("css selector", ".relation-group a.source")]
    assert "https://credreg.net/ctdl/terms" in sources and "https://credentialengine.org/about/" in sources
    evidence = browser.find_elements("css selector", "#principle-open-standards .evidence li")
    assert evidence and all(li.text for li in evidence)
    assert browser.find_elements("css selector", "#scorecard ~ .principle .missing li")
    assert "w3id.org/lermap/vocab" not in browser.find_element("id", "main").text.split("Technical details")[0]
    screenshots(browser, "journey-entity")
    assert violations_at_both_widths(browser) == []

    browser.find_element("link text", "Show Credential Engine on the map").click()
    wait(browser, lambda d: "/map?focus=" in d.current_url)
    assert open_page(browser, browser.current_url) == []
    assert "Focused on Credential Engine" in browser.find_element("id", "focus-notice").text
    dimmed = browser.execute_script(
        "return document.getElementById('chart').data.filter(t => t.customdata).flatMap(t => t.marker.opacity).filter(o => o < 1).length")
    assert dimmed > 100  # everything outside Credential Engine's neighbourhood is dimmed
    screenshots(browser, "journey-map-focus")
    assert violations_at_both_widths(browser) == []
    # choosing a neighbour on the figure focuses it in place and opens its brief in the side panel
    browser.execute_script(
        "const chart = document.getElementById('chart');"
        "const tools = chart.data.find(t => t.name === 'Tools');"
        "const i = tools.customdata.findIndex((id, k) => tools.meta.labels[k] === 'Credential Finder');"
        "chart.emit('plotly_click', {points: [{customdata: tools.customdata[i]}]});")
    wait(browser, lambda d: d.find_elements("css selector", "#panel h2"))
    assert browser.find_element("css selector", "#panel h2").text == "Credential Finder"
    assert "Credential Finder is provided by" in browser.find_element("id", "panel").text
    assert "focus=https%3A%2F%2Fw3id.org%2Flermap%2Fid%2Ftool%2Fcredential-finder" in browser.current_url  # the URL follows
    screenshots(browser, "journey-map-panel")


def test_the_map_downloads_a_picture_of_its_view(browser: Any, live_server: str) -> None:
    open_page(browser, live_server + "/map?kind=standard")
    assert browser.find_element("css selector", "#map-tools button").text == "Picture of this view (PNG)"
    browser.set_script_timeout(60)
    png = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "Plotly.toImage(document.getElementById('chart'), {format: 'png', width: 800, height: 600}).then(done, e => done(String(e)));")
    assert png.startswith("data:image/png;base64,") and len(png) > 5000
    links = [a.get_attribute("href") for a in browser.find_elements("css selector", "#map-tools a")]
    assert any("/map/export.csv?kind=standard" in h and "part=nodes" in h for h in links) and any("export.graphml" in h for h in links)


@pytest.mark.parametrize("path", ["/", "/search?q=credential", "/map", "/principles", "/principles?sort=privacy-security&kind=tool",
                                  "/principles/compare?id=ENGINE&id=" + quote(CTDL, safe=""), "/entity?id=ENGINE", "/map?q=badge"])
def test_the_pages_pass_axe_at_both_widths(browser: Any, live_server: str, engine: str, path: str) -> None:
    assert open_page(browser, live_server + path.replace("ENGINE", engine)) == []
    shot = "i20-" + "".join(c if c.isalnum() else "-" for c in path.split("?id=")[0].strip("/") or "home")[:40]
    screenshots(browser, shot)
    assert violations_at_both_widths(browser) == []


def test_a_comparison_of_one_says_what_to_do_and_passes_axe(browser: Any, live_server: str, engine: str) -> None:
    assert open_page(browser, live_server + "/principles/compare?id=" + engine, status=422) == []
    summary = browser.find_element("css selector", ".error-summary")
    assert "choose two to four entities" in summary.text and active(browser) == summary  # focused, so it is heard
    screenshots(browser, "i20-compare-error")
    assert violations_at_both_widths(browser) == []


def test_the_matrix_is_sorted_and_compared_by_keyboard(browser: Any, live_server: str) -> None:
    open_page(browser, live_server + "/principles")
    link = tab_to(browser, lambda e: e.get_attribute("data-sort") == "privacy-security", limit=200)
    assert focus_visible(browser) and link.text.startswith("Privacy")
    activate(browser)
    wait(browser, lambda d: "sort=privacy-security" in d.current_url)
    open_page(browser, browser.current_url)
    assert browser.find_element("css selector", "th[aria-sort]").text.startswith("Privacy")
    for _ in range(2):  # the first two rows' compare boxes
        tab_to(browser, lambda e: e.get_attribute("type") == "checkbox" and not e.is_selected(), limit=200)
        press(browser, " ")
    tab_to(browser, lambda e: e.tag_name == "button" and e.text.startswith("Compare"), shift=True, limit=400)
    activate(browser)
    wait(browser, lambda d: "/principles/compare?" in d.current_url)
    assert browser.find_element("css selector", "h1").text.startswith("Compare: ")
    assert len(browser.find_elements("css selector", "table.compare thead th")) == 3
