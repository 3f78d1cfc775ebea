"""What every page stands on: static files with long cache headers on versioned URLs, errors as pages for browsers
(JSON for API clients), the old addresses sent to the new pages, and text from the graph or the request escaped."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi import Request
from fastapi.responses import HTMLResponse, PlainTextResponse
from fastapi.testclient import TestClient

import lermap
from lermap.api.app import create_app
from lermap.api.pages.render import SignedInReviewer, html, posted_form
from lermap.views.components import Field, Form
from lermap.views.render import Page, static_url
from tests.conftest import TEST_DATA

EX = "http://example.org/"
HTML = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    selector = f"oxigraph:{tmp_path_factory.mktemp('pages') / 'store'}"
    with lermap.open_graph(selector) as kg:
        kg.ingest(TEST_DATA / "analysis" / "pathway.ttl", format="rdf")
    with TestClient(create_app(selector)) as c:
        yield c


@pytest.mark.parametrize("name", ["lermap.css", "lermap.js", "favicon.svg", "plotly.min.js"])
def test_versioned_static_urls_are_cached_for_a_year(client: TestClient, name: str) -> None:
    url = static_url(name)
    assert "?v=" in url
    assert client.get(url).headers["cache-control"] == "public, max-age=31536000, immutable"
    assert client.get(f"/static/{name}").headers["cache-control"] == "public, max-age=3600"
    assert client.get(f"/static/{name}?v=stale").headers["cache-control"] == "public, max-age=3600"


@pytest.mark.parametrize("name", ["..%2Fpyproject.toml", ".hidden.js", "nothing.css", "render.py"])
def test_only_shipped_static_files_are_served(client: TestClient, name: str) -> None:
    assert client.get(f"/static/{name}").status_code == 404


def test_errors_are_pages_for_browsers_and_json_for_clients(client: TestClient) -> None:
    hostile = EX + '"><script>alert(1)</script>'
    page = client.get("/entity", params={"id": hostile}, headers=HTML)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in page.text and "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text
    api = client.get("/entity", params={"id": hostile})
    assert api.status_code == 404 and api.json()["error"]["type"] == "NotFoundError"


def test_a_browser_asking_an_entity_gets_its_page(client: TestClient) -> None:
    res = client.get(f"/v1/entities/{EX}fwA/py", headers=HTML, follow_redirects=False)
    assert res.status_code == 303 and res.headers["location"] == "/entity?id=" + quote(EX + "fwA/py", safe="")
    assert client.get(f"/v1/entities/{EX}nothing", headers=HTML, follow_redirects=False).status_code == 404


def test_the_framework_page_moved_to_a_query_parameter(client: TestClient) -> None:
    res = client.get(f"/frameworks/{EX}fwA", follow_redirects=False)
    assert res.status_code == 301 and res.headers["location"] == "/framework?id=" + quote(EX + "fwA", safe="")
    page = client.get(res.headers["location"])
    assert page.status_code == 200 and 'id="figure-data"' in page.text


@pytest.mark.parametrize("path", ["/", "/map", "/principles", "/frameworks", f"/framework?id={quote(EX + 'fwA')}", "/crosswalk",
                                  "/pathways", f"/entity?id={quote(EX + 'fwA/py')}", "/search?q=python", "/occupations", "/changes",
                                  "/about"])
def test_every_page_has_the_shared_layout(client: TestClient, path: str) -> None:
    res = client.get(path)
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/html")
    text = res.text
    assert '<a class="skip-link" href="#main">' in text and '<main id="main"' in text and 'href="/about"' in text
    assert "<script>" not in text and 'content-security-policy' in {k.lower() for k in res.headers}


def test_search_asks_for_two_letters_in_words(client: TestClient) -> None:
    res = client.get("/search", params={"q": "x"})
    assert res.status_code == 422 and "type at least two letters" in res.text and 'aria-invalid="true"' in res.text
    found = client.get("/search", params={"q": "python"})
    assert "Python programming" in found.text and "/entity?id=" in found.text


def test_a_page_form_is_checked_for_its_token_and_a_reviewer_page_asks_to_sign_in() -> None:
    app = create_app("memory:")

    async def form_page(request: Request) -> HTMLResponse:
        form = Form("/test-form", [Field("name", "Name")], method="post")
        return html(request, Page("pages/listing.html", "Form", {"intro": None, "form": form, "table": None, "pagination": None,
                                                                "links": []}), csrf=True)

    async def post(request: Request) -> PlainTextResponse:
        form = await posted_form(request)
        return PlainTextResponse(f"got {form['name']}")

    def review(who: SignedInReviewer) -> PlainTextResponse:
        return PlainTextResponse(who)

    def sign_in(request: Request) -> PlainTextResponse:
        response = PlainTextResponse("ok")
        request.app.state.sessions.sign_in(request, response, "rita")
        return response

    app.add_api_route("/test-form", form_page, methods=["GET"])
    app.add_api_route("/test-form", post, methods=["POST"])
    app.add_api_route("/test-review", review, methods=["GET"])
    app.add_api_route("/test-sign-in", sign_in, methods=["POST"])
    with TestClient(app) as c:
        page = c.get("/test-form")
        assert page.status_code == 200, page.text
        assert page.headers["cache-control"] == "no-store" and "lermap_csrf" in page.headers["set-cookie"]
        token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        assert c.post("/test-form", data={"name": "Ada", "csrf_token": token}).text == "got Ada"
        refused = c.post("/test-form", data={"name": "x", "csrf_token": "forged"}, headers=HTML)
        assert refused.status_code == 403 and "security token" in refused.text and refused.headers["content-type"].startswith("text/html")
        assert c.get("/test-review", headers=HTML).status_code == 401
        c.post("/test-sign-in")
        assert c.get("/test-review").text == "rita"
