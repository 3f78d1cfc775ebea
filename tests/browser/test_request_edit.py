"""Request an Edit in headless Chromium, by keyboard: a policymaker on Credential Engine's page corrects its name and
sees the request's page; a reviewer signs in, approves it, and the entity page and the map show the new name. axe
finds no serious or critical violation on the form (also with its messages), the request, review and changes pages,
at desktop width and at 375 px (screenshots in test-artifacts/screenshots/request-edit-*.png)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from lermap.ingest.identifiers import organisation_iri
from tests.browser.conftest import activate, active, build_sample_store, open_page, press, screenshots, serious_violations, serving, tab_to

pytestmark = pytest.mark.browser
TOKEN = "journey-reviewer-token"
NEW_NAME = "Credential Engine Registry"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of its own: the journey changes Credential Engine's name, which other browser tests read."""
    selector = build_sample_store(tmp_path_factory.mktemp("request-edit-store"))
    with serving(selector, {"LERMAP_REVIEW_TOKENS": f"Rita Reviewer:{TOKEN}"}) as base:
        yield base


def _accessible(browser: Any, shot: str) -> None:
    screenshots(browser, shot)
    assert serious_violations(browser) == []


def _type(browser: Any, text: str) -> None:
    press(browser, *text)


def _main_says(browser: Any, text: str) -> None:
    """Wait for the page a form submission loads to show ``text`` in its main region (the old page may still be there
    for a moment after Enter, and its elements go stale when the new one arrives)."""
    from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException,)).until(
            lambda d: text in d.find_element("css selector", "main").text)
    except TimeoutException:
        raise AssertionError(f"the page never said {text!r}: {browser.find_element('css selector', 'main').text[:500]}") from None


def _is(name: str) -> Any:
    return lambda el: el.get_attribute("name") == name


def test_policymaker_requests_a_name_fix_and_a_reviewer_approves_it(browser: Any, server: str) -> None:
    entity_url = server + "/entity?id=" + quote(organisation_iri("Credential Engine").value, safe="")
    assert open_page(browser, entity_url) == []
    assert browser.find_element("css selector", "h1").text == "Credential Engine"
    browser.execute_script("document.querySelectorAll('#request-edit details').forEach(d => d.open = true)")
    _accessible(browser, "request-edit-forms")

    # a mistake first: a script address as the source is refused, with the message next to the field
    assert open_page(browser, entity_url) == []
    tab_to(browser, lambda el: el.tag_name == "summary" and "Correct a field" in el.text)
    activate(browser)  # opens the fold
    tab_to(browser, _is("fix_value"))
    _type(browser, NEW_NAME)
    tab_to(browser, _is("fix_source"))
    _type(browser, "javascript:alert(1)")
    tab_to(browser, lambda el: el.tag_name == "button" and "correction" in el.text)
    activate(browser)
    error = browser.find_element("id", "field-fix-source-error")
    assert "starting with https://" in error.text
    assert active(browser).get_attribute("data-error-summary") is not None  # the summary takes focus
    assert browser.execute_script("return window.__xss === undefined")
    _accessible(browser, "request-edit-errors")

    # corrected, sent by keyboard: the request's page says where it stands
    source = browser.find_element("id", "field-fix-source")
    source.clear()
    source.send_keys("https://credentialengine.org/about/")
    tab_to(browser, lambda el: el.tag_name == "button" and "correction" in el.text)
    activate(browser)
    _main_says(browser, "Waiting for a reviewer")
    assert "/proposals/" in browser.current_url
    assert NEW_NAME in browser.find_element("css selector", "table").text
    request_url = browser.current_url.split("?")[0]
    _accessible(browser, "request-edit-proposal")

    # the reviewer signs in and approves, by keyboard
    assert open_page(browser, server + "/review") == []
    _accessible(browser, "request-edit-sign-in")
    tab_to(browser, _is("token"))
    _type(browser, TOKEN)
    activate(browser)
    _main_says(browser, "Signed in as")
    _accessible(browser, "request-edit-review")
    tab_to(browser, lambda el: (el.get_attribute("name") or "").endswith("-a"))
    _type(browser, "Matches their about page.")
    tab_to(browser, lambda el: el.tag_name == "button" and el.text == "Approve")
    activate(browser)
    _main_says(browser, "Approved: Correct the name of Credential Engine")

    # the change shows at once: request page, entity page, map, changes
    assert open_page(browser, request_url) == []
    _main_says(browser, "Matches their about page.")
    assert open_page(browser, entity_url) == []
    assert browser.find_element("css selector", "h1").text == NEW_NAME
    assert open_page(browser, server + "/map") == []
    assert f'"{NEW_NAME}"' in browser.page_source and '"Credential Engine"' not in browser.page_source
    assert open_page(browser, server + "/changes") == []
    _main_says(browser, "Correct the name of Credential Engine")
    _accessible(browser, "request-edit-changes")
