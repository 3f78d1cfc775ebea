"""Every page in headless Chromium against a server started on loopback; screenshots in test-artifacts/.

Chromium is Debian's `chromium` with `chromium-driver`, driven by selenium. Where it is absent the
tests skip and say so; CI sets LERMAP_REQUIRE_BROWSER=1, which turns that skip into a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

import lermap
from tests.conftest import ROOT, TEST_DATA
from tests.servers import free_port, wait_until_up

ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
pytestmark = pytest.mark.browser


def _require_browser() -> None:
    missing = [p for p in (CHROMIUM, DRIVER) if not Path(p).exists()]
    if missing:
        message = f"headless Chromium not installed ({', '.join(missing)} missing): apt-get install chromium chromium-driver"
        if os.environ.get("LERMAP_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _require_browser()
    store = f"oxigraph:{tmp_path_factory.mktemp('browser') / 'store'}"
    with lermap.open_graph(store) as kg:
        kg.ingest(ROOT / "data" / "ecosystem")
        kg.ingest(TEST_DATA / "analysis" / "pathway.ttl", format="rdf")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "lermap.cli", "serve", "--store", store, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/v1/health", proc, 60)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1400,1000", "--disable-dev-shm-usage"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    try:
        yield driver
    finally:
        driver.quit()


def _open(driver: object, url: str, shot: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)  # type: ignore[attr-defined]
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
    if driver.find_elements("id", "chart"):  # type: ignore[attr-defined]
        WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.getElementById('chart').dataset.drawn === 'true'"))
    time.sleep(0.3)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{shot}.png"))  # type: ignore[attr-defined]
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]  # type: ignore[attr-defined]
    assert errors == [], errors


def _points(driver: object) -> int:
    return int(driver.execute_script("return Number(document.getElementById('chart').dataset.points)"))  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("path", "shot"),
    [
        ("/", "index"),
        ("/docs", "api-docs"),
        ("/principles", "principles"),
        ("/principles?kind=standard", "principles-standards"),
        ("/crosswalk?a=" + quote("http://example.org/fwA", safe="") + "&b=" + quote("http://example.org/fwB", safe=""), "crosswalk"),
        ("/pathways?target=" + quote("http://example.org/analyst", safe="") + "&held=" + quote("http://example.org/badgePy", safe=""), "pathways"),
        ("/frameworks/http://example.org/fwA", "framework"),
        ("/v1/entities/http://example.org/fwA/py", "entity"),
    ],
)
def test_page_loads_without_console_errors(browser: object, server: str, path: str, shot: str) -> None:
    _open(browser, server + path, shot)


def test_map_draws_every_node_and_filters(browser: object, server: str) -> None:
    import httpx

    _open(browser, server + "/map", "map")
    drawn = _points(browser)
    summary = browser.find_element("id", "summary").text  # type: ignore[attr-defined]
    assert drawn == int(summary.split()[0]) and drawn >= 150
    _open(browser, server + "/map?kind=standard&kind=standard-version", "map-standards")
    standards = _points(browser)
    assert 0 < standards < drawn
    expected = httpx.get(server + "/v1/standards", params={"limit": 1}).json()["total"]
    assert standards >= expected


def test_click_opens_side_panel(browser: object, server: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    _open(browser, server + "/map?kind=standard", "map-before-click")
    browser.execute_script("document.querySelector('details').open = true")  # type: ignore[attr-defined]
    button = browser.find_element("css selector", "button[data-entity]")  # type: ignore[attr-defined]
    name = button.text
    button.click()
    WebDriverWait(browser, 20).until(lambda d: d.find_elements("css selector", "#panel h2"))
    assert browser.find_element("css selector", "#panel h2").text == name  # type: ignore[attr-defined]
    browser.save_screenshot(str(ARTIFACTS / "map-panel.png"))  # type: ignore[attr-defined]


def _swagger_blocks(spec: dict[str, object]) -> int:
    """Swagger UI draws an operation once under each of its tags."""
    return sum(len(op.get("tags") or [""]) for item in spec["paths"].values() for op in item.values())  # type: ignore[attr-defined]


def _rendered_operations(driver: object) -> int:
    from selenium.webdriver.support.ui import WebDriverWait

    drawn, refused = ".opblock", ".errors-wrapper, .version-pragma"  # the operations, or Swagger UI's own complaint
    WebDriverWait(driver, 30).until(lambda d: d.find_elements("css selector", drawn) or d.find_elements("css selector", refused))
    complaints = [e.text for e in driver.find_elements("css selector", refused)]  # type: ignore[attr-defined]
    assert complaints == []
    return len(driver.find_elements("css selector", drawn))  # type: ignore[attr-defined]


def test_the_api_docs_render_every_operation(browser: object, server: str) -> None:
    # Swagger UI 4 answered FastAPI's OpenAPI 3.1 with "Unable to render this definition", and no console error
    import httpx

    _open(browser, server + "/docs", "api-docs-operations")
    assert _rendered_operations(browser) == _swagger_blocks(httpx.get(server + "/openapi.json").json())


def test_the_reference_sites_offline_explorer_renders_every_operation(browser: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    monkeypatch.syspath_prepend(str(ROOT / "docs" / "hooks"))
    openapi_page = importlib.import_module("openapi_page")
    spec = openapi_page.openapi_document()
    for name, content in openapi_page.explorer_files(spec).items():
        target = tmp_path / name
        target.write_bytes(content.read_bytes()) if isinstance(content, Path) else target.write_text(content, encoding="utf-8")
    _open(browser, (tmp_path / "index.html").as_uri(), "site-api-explorer")  # from disk: what `make docs` readers get
    assert _rendered_operations(browser) == _swagger_blocks(spec)
