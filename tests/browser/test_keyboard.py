"""Keyboard only: the skip link comes first and lands on the main content, the navigation and the pages' controls
are reached with Tab and used with Enter, and the focused element always shows a focus ring."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import activate, active, focus_visible, open_page, tab_to

pytestmark = pytest.mark.browser


def test_the_skip_link_is_first_and_moves_to_the_main_content(browser: Any, live_server: str) -> None:
    open_page(browser, live_server + "/")
    link = tab_to(browser, lambda e: True, limit=1)
    assert link.get_attribute("class") == "skip-link" and link.is_displayed() and focus_visible(browser)
    activate(browser)
    assert browser.execute_script("return location.hash") == "#main"
    nxt = tab_to(browser, lambda e: True, limit=1)  # the next stop is inside the main content
    assert browser.execute_script("return document.getElementById('main').contains(arguments[0])", nxt)


def test_the_navigation_works_by_keyboard(browser: Any, live_server: str) -> None:
    open_page(browser, live_server + "/")
    link = tab_to(browser, lambda e: e.tag_name == "a" and e.text == "Principles")
    assert focus_visible(browser)
    activate(browser)
    assert browser.current_url.endswith("/principles")
    current = browser.find_element("css selector", ".site-nav [aria-current='page']")
    assert current.text == "Principles" and link is not None


def test_a_map_filter_is_set_and_applied_by_keyboard(browser: Any, live_server: str) -> None:
    from selenium.webdriver.common.keys import Keys

    open_page(browser, live_server + "/map")
    box = tab_to(browser, lambda e: e.get_attribute("name") == "q")
    box.send_keys("credential")
    tab_to(browser, lambda e: e.tag_name == "button" and e.text == "Apply")
    activate(browser)
    open_page(browser, browser.current_url)
    assert "q=credential" in browser.current_url
    assert int(browser.find_element("id", "summary").text.split()[0]) >= 1
    assert Keys.ENTER  # (the filter was applied by Enter on the button, above)


def test_the_side_panel_opens_from_the_table_by_keyboard(browser: Any, live_server: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    open_page(browser, live_server + "/map?kind=tool")
    tab_to(browser, lambda e: e.tag_name == "summary")
    activate(browser)  # opens the table's fold
    link = tab_to(browser, lambda e: e.get_attribute("data-entity") is not None)
    name = link.text
    assert focus_visible(browser)
    activate(browser)
    WebDriverWait(browser, 20).until(lambda d: d.find_elements("css selector", "#panel h2"))
    assert browser.find_element("css selector", "#panel h2").text == name and active(browser) is not None
