"""A learner in headless Chromium, keyboard only: on the default graph (built from data/), types "nurse" to find
Registered Nurses, says they work as a nursing assistant, uploads a badge, and reads a pathway with its wage delta.
The occupation, pathway and framework pages on the sample store have no console errors and no serious or critical
axe-core violation at desktop width and at 375 px."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.browser.conftest import PHONE, activate, active, open_page, require_browser, screenshots, serious_violations, serving, tab_to
from tests.conftest import CONFORMANCE, TEST_DATA
from tests.realgraph import copy_of

pytestmark = pytest.mark.browser
EX = "http://example.org/"
ONET = "https://www.onetonline.org/link/summary/"
# a real Open Badges 3.0 credential (the spec's sample whose achievement aligns to a Credential Engine competency) when the
# conformance folder is there, else the tiny fixture (an achievement aligned to a competency too)
BADGE = CONFORMANCE / "ob3" / "obspec-achievementAlignmentCe-01-Achievement-alignment-Credential-Engine.json"
PAGES = [
    ("/occupations?q=tide", "occupations-search"),
    ("/occupation?id=" + quote(ONET + "19-2099.05", safe=""), "occupation"),
    ("/pathways?hq=python&tq=analyst", "pathways-search"),
    ("/pathways?target=" + quote(ONET + "19-2099.05", safe="") + "&current=" + quote(ONET + "17-3031.00", safe=""), "pathways-wage"),
    ("/frameworks", "frameworks-catalogue"),
    ("/framework?id=" + quote(EX + "fwA", safe=""), "framework-crosswalks"),
    ("/crosswalk?a=" + quote(EX + "fwA", safe="") + "&b=" + quote(EX + "fwB", safe=""), "crosswalk-suggestions"),
]


def axe_at_both_widths(driver: Any) -> list[str]:
    found = serious_violations(driver)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": PHONE, "height": 900, "deviceScaleFactor": 1, "mobile": True})
    try:
        found += [f"at {PHONE} px: {v}" for v in serious_violations(driver)]
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return found


@pytest.mark.parametrize(("path", "shot"), PAGES, ids=[s for _, s in PAGES])
def test_learner_and_framework_pages_are_accessible(browser: Any, live_server: str, path: str, shot: str) -> None:
    assert open_page(browser, live_server + path) == []
    screenshots(browser, shot)
    assert axe_at_both_widths(browser) == []


@pytest.fixture(scope="module")
def real_server(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_browser()
    with serving(copy_of(built_store, tmp_path_factory.mktemp("journey") / "store")) as base:
        yield base


def search_by_keyboard(driver: Any, field: str, words: str) -> None:
    """Tab to the search box ``field``, type ``words`` and press Enter (the form's GET submit)."""
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    box = tab_to(driver, lambda e: e.get_attribute("name") == field)
    box.send_keys(words)
    box.send_keys(Keys.ENTER)
    WebDriverWait(driver, 180).until(lambda d: f"{field}=" in d.current_url and d.execute_script("return document.readyState") == "complete")


def choose_by_keyboard(driver: Any, label: str) -> None:
    """Tab to the "Choose" link of the match named ``label`` and press Enter."""
    from selenium.webdriver.support.ui import WebDriverWait

    link = tab_to(driver, lambda e: e.tag_name == "a" and e.text.startswith("Choose") and
                  driver.execute_script("return arguments[0].parentElement.textContent", e).split("(")[0].strip().endswith(label), limit=200)
    before = driver.current_url
    assert link == active(driver)
    activate(driver)
    WebDriverWait(driver, 180).until(lambda d: d.current_url != before and d.execute_script("return document.readyState") == "complete")


def test_a_learner_finds_registered_nurse_uploads_a_badge_and_sees_the_wage_delta(browser: Any, real_server: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    browser.set_page_load_timeout(300)  # the first search builds the job-title matcher on a fresh server
    assert open_page(browser, real_server + "/pathways") == []
    search_by_keyboard(browser, "tq", "nurse")
    first = browser.find_element("css selector", "#picker-target ~ ul.chosen li, section[aria-labelledby='picker-target'] ul.chosen li")
    assert "Registered Nurses" in first.text  # the job-title matcher puts it first
    choose_by_keyboard(browser, "Registered Nurses")
    search_by_keyboard(browser, "cq", "nursing assistant")
    choose_by_keyboard(browser, "Nursing Assistants")
    assert "Your pathway to Registered Nurses" in browser.find_element("id", "result-title").text

    badge = BADGE if BADGE.is_file() else TEST_DATA / "ob3" / "tiny-ob3.json"
    upload = tab_to(browser, lambda e: e.get_attribute("name") == "document", limit=200)
    upload.send_keys(str(badge))
    button = tab_to(browser, lambda e: e.tag_name == "button" and e.text == "Read the file")
    assert button is not None
    activate(browser)
    WebDriverWait(browser, 180).until(lambda d: d.find_elements("css selector", "p.notice"))
    assert "(not kept)" in browser.find_element("css selector", "p.notice").text
    delta = browser.find_element("id", "wage-delta").text
    assert delta.startswith("Moving would pay $") and delta.endswith("a year more.")
    assert "%" in browser.find_element("id", "coverage").text
    screenshots(browser, "journey-learner-pathway")
    assert axe_at_both_widths(browser) == []
