"""The browser test harness: a live ``lermap serve`` over a small but realistic store, headless Chromium, and helpers
for screenshots (desktop and 375 px), axe-core accessibility checks, keyboard-only navigation and console errors.

Chromium is Debian's ``chromium`` with ``chromium-driver``, driven by selenium. Where it is absent the tests skip and
say so; CI sets LERMAP_REQUIRE_BROWSER=1, which turns that skip into a failure. axe-core is the ``axe.min.js`` that
the PyPI package ``axe-selenium-python-nhsuk`` bundles (the test extra installs it).

A page test usually reads::

    def test_my_page(browser, live_server):
        errors = open_page(browser, live_server + "/my-page")
        assert errors == []
        screenshots(browser, "my-page")          # test-artifacts/screenshots/my-page.png and my-page-375.png
        assert serious_violations(browser) == []  # axe: no serious or critical violation
"""

from __future__ import annotations

import base64
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import lermap
from tests.conftest import ROOT, TEST_DATA
from tests.servers import lermap_server

ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
DESKTOP = (1400, 1000)
PHONE = 375
# the sample store: the real ecosystem directory plus small hand-written fixtures of every other kind of data
SAMPLE_SOURCES: list[tuple[Path, str | None]] = [
    (ROOT / "data" / "ecosystem", None),
    (TEST_DATA / "analysis" / "pathway.ttl", "rdf"),
    (TEST_DATA / "core" / "tiny.ttl", "rdf"),
    (TEST_DATA / "onet" / "mini", None),
    (TEST_DATA / "ob3" / "tiny-ob3.json", None),
]


def require_browser() -> None:
    missing = [p for p in (CHROMIUM, DRIVER) if not Path(p).exists()]
    if missing:
        message = f"headless Chromium not installed ({', '.join(missing)} missing): apt-get install chromium chromium-driver"
        if os.environ.get("LERMAP_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)


def build_sample_store(folder: Path) -> str:
    """A store in ``folder`` with :data:`SAMPLE_SOURCES`, derived products computed (as ``lermap build`` leaves it)."""
    selector = f"oxigraph:{folder / 'store'}"
    with lermap.open_graph(selector) as kg:
        for path, fmt in SAMPLE_SOURCES:
            kg.ingest(path, format=fmt)
        kg.derive()
    return selector


@contextmanager
def serving(selector: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """``lermap serve`` on a free loopback port over ``selector``; yields the base URL."""
    with lermap_server(selector, {**os.environ, **(env or {})}) as base:
        yield base


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    require_browser()
    return build_sample_store(tmp_path_factory.mktemp("browser-store"))


@pytest.fixture(scope="session")
def live_server(sample_store: str) -> Iterator[str]:
    """The base URL of a server over the sample store, for the whole session (reviewer token ``reviewer-token``)."""
    with serving(sample_store, {"LERMAP_REVIEW_TOKENS": "rita:reviewer-token"}) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", f"--window-size={DESKTOP[0]},{DESKTOP[1]}", "--disable-dev-shm-usage"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    try:
        yield driver
    finally:
        driver.quit()


# -- helpers -----------------------------------------------------------------------------------------------------


def console_errors(driver: Any) -> list[str]:
    """The browser console's errors since the last call (the log is drained by reading it)."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def open_page(driver: Any, url: str, status: int = 200) -> list[str]:
    """Load ``url``, wait until it is complete and its figure (if any) is drawn; returns the console errors (for a
    page expected to answer ``status`` other than 200, less the browser's note of that status for the page itself)."""
    from selenium.webdriver.support.ui import WebDriverWait

    console_errors(driver)  # drain what earlier pages left
    driver.get(url)
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
    if driver.find_elements("id", "chart"):
        WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.getElementById('chart').dataset.drawn === 'true'"))
    time.sleep(0.2)
    expected = f"{driver.current_url} - Failed to load resource: the server responded with a status of {status} "
    return [m for m in console_errors(driver) if status == 200 or not m.startswith(expected)]


def _capture(driver: Any, path: Path, width: int, max_height: int = 8000) -> None:
    mobile = width < 600
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": mobile})
    time.sleep(1.0)  # the layout reflows and the figure redraws at the new width (Plotly debounces its resize)
    height = min(int(driver.execute_script("return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)")), max_height)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
    time.sleep(0.2)
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
    path.write_bytes(base64.b64decode(shot["data"]))


def screenshots(driver: Any, name: str) -> list[Path]:
    """Full-page screenshots of the current page at desktop width and at 375 px: ``<name>.png`` and ``<name>-375.png``."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    paths = [ARTIFACTS / f"{name}.png", ARTIFACTS / f"{name}-{PHONE}.png"]
    try:
        _capture(driver, paths[0], DESKTOP[0])
        _capture(driver, paths[1], PHONE)
        overflow = driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert overflow <= 0, f"{name}: the page is {overflow} px wider than a {PHONE} px screen"
    return paths


@cache
def axe_source() -> str:
    import axe_selenium_python

    return (Path(axe_selenium_python.__file__).parent / "node_modules" / "axe-core" / "axe.min.js").read_text("utf-8")


def axe_violations(driver: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict[str, Any]]:
    """axe-core's violations on the current page with one of ``impacts`` (WCAG 2.x A and AA rules and best practices)."""
    driver.execute_script(axe_source())
    driver.set_script_timeout(60)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations)).catch(e => done({error: String(e)}));")
    if isinstance(result, dict):
        raise AssertionError(f"axe-core failed: {result['error']}")
    return [v for v in result if v.get("impact") in impacts]


def serious_violations(driver: Any) -> list[str]:
    """axe's serious and critical violations as readable lines (rule, impact, help, first elements): [] when none."""
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}" for v in axe_violations(driver)]


def press(driver: Any, *keys: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    chain = ActionChains(driver)
    for key in keys:
        chain.send_keys(key)
    chain.perform()


def active(driver: Any) -> Any:
    return driver.switch_to.active_element


def tab_to(driver: Any, matches: Callable[[Any], bool], limit: int = 150, shift: bool = False) -> Any:
    """Press Tab (Shift+Tab with ``shift``) until the focused element satisfies ``matches``; returns it. Fails after
    ``limit`` presses: the element is not reachable by keyboard."""
    from selenium.webdriver.common.keys import Keys

    for _ in range(limit):
        if shift:
            from selenium.webdriver.common.action_chains import ActionChains

            ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
        else:
            press(driver, Keys.TAB)
        element = active(driver)
        if matches(element):
            return element
    raise AssertionError(f"no element reached by {limit} presses of Tab")


def activate(driver: Any) -> None:
    """Press Enter on the focused element (follow a link, press a button, open a details fold)."""
    from selenium.webdriver.common.keys import Keys

    press(driver, Keys.ENTER)


def focus_visible(driver: Any) -> bool:
    """Whether the focused element shows a focus ring (an outline or a box shadow)."""
    return bool(driver.execute_script(
        "const s = getComputedStyle(document.activeElement);"
        "return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';"))
