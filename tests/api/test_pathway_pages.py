"""The pathways page: picking what is held, the current and the target occupation by search (GET, no IRI typed), an
uploaded OB3 / CLR file read without touching the store, and the pathway with its gap, plan and wage delta."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import pytest
from fastapi.testclient import TestClient

from lermap.api.app import create_app
from lermap.api.pages.learning import FORM_OVERHEAD_BYTES, upload_limit
from tests.api.test_occupation_pages import HOSTILE, ONET, build_store
from tests.conftest import TEST_DATA

HTML = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
EX = "http://example.org/"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with TestClient(create_app(build_store(tmp_path_factory.mktemp("pathways")))) as c:
        yield c


def links(text: str, words: str) -> list[str]:
    """The hrefs of the links whose text starts with ``words`` (in the order of the page)."""
    return [unescape(h) for h, t in re.findall(r'<a href="([^"]+)">([^<]*)', text) if t.strip().startswith(words)]


def token(text: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', text)
    assert found, "the page has no CSRF token"
    return found.group(1)


def test_everything_is_picked_by_search_and_carried_in_the_url(client: TestClient) -> None:
    page = client.get("/pathways", params={"hq": "python"})
    assert page.status_code == 200 and "Python badge" in page.text and "Python programming" in page.text
    add = links(page.text, "Add")[0]
    page = client.get(add + "&tq=analyst")
    assert "Remove" in page.text and "Data analyst" in page.text
    choose = links(page.text, "Choose")[0]
    page = client.get(choose)
    assert page.status_code == 200 and "Your pathway to" in page.text and 'id="coverage"' in page.text
    assert "held=" in choose and "target=" in choose  # the state travels in the URL: shareable, no script needed


def test_the_pathway_says_the_gap_and_the_plan_in_words(client: TestClient) -> None:
    page = client.get("/pathways", params={"held": EX + "badgePy", "target": EX + "analyst"})
    text = unescape(page.text)
    assert "Pathway to Data analyst" in text
    assert "What is missing, most important first" in text and "use databases" in text
    assert "Credentials that close the gap" in text and ("Data bootcamp" in text or "SQL certificate" in text)
    gap = text[text.index('id="gap"'):text.index('id="plan"')]
    assert gap.index("use databases") < gap.index("create data visualisations")  # essential before optional


def test_the_wage_delta_comes_from_the_current_occupation(client: TestClient) -> None:
    page = client.get("/pathways", params={"current": ONET + "17-3031.00", "target": ONET + "19-2099.05"})
    text = unescape(page.text)
    assert "Tide Observers pays $83,200 a year" in text and "Survey Technicians pays $52,000 a year" in text
    assert "Moving would pay $31,200 a year more." in text


def test_a_held_occupation_gives_the_wage_delta_without_a_current_one(client: TestClient) -> None:
    text = unescape(client.get("/pathways", params={"held": ONET + "17-3031.00", "target": ONET + "19-2099.05"}).text)
    assert "Moving would pay $31,200 a year more." in text


def test_an_occupation_without_requirements_is_explained(client: TestClient) -> None:
    page = client.get("/pathways", params={"target": ONET + "19-2099.00"})
    assert page.status_code == 422 and "lists no requirements for Tide Scientists, All Other" in unescape(page.text)


def test_an_upload_is_read_and_never_stored(client: TestClient) -> None:
    kg = client.app.state.kg  # type: ignore[attr-defined]
    before = kg.digest()
    form = client.get("/pathways", params={"target": EX + "welder"})
    data = (TEST_DATA / "ob3" / "tiny-ob3.json").read_bytes()
    page = client.post("/pathways", data={"csrf_token": token(form.text), "target": EX + "welder"},
                       files={"document": ("badge.json", data, "application/json")})
    assert page.status_code == 200, page.text
    text = unescape(page.text)
    assert "Read badge.json (not kept)" in text and "Welding Basics" in text and "Pathway to Welder" in text
    assert kg.digest() == before and all("badge" not in s.source for s in kg.sources())
    assert "held=https%3A%2F%2Fbadges.test%2Fachievements%2Fwelding" in page.text  # carried on in the links


@pytest.mark.parametrize(("content", "status", "words"), [
    (b"{not json at all", 422, "could not be read"),
    (b'{"@context": "https://example.org/unknown", "<script>": "alert(1)"}', 422, "could not be read"),
    (b"   ", 422, "is empty"),
])
def test_a_bad_upload_is_explained_and_nothing_is_stored(client: TestClient, content: bytes, status: int, words: str) -> None:
    kg = client.app.state.kg  # type: ignore[attr-defined]
    before = kg.digest()
    form = client.get("/pathways")
    page = client.post("/pathways", data={"csrf_token": token(form.text)}, files={"document": (HOSTILE + ".json", content, "application/json")})
    assert page.status_code == status and words in unescape(page.text)
    assert "<script>alert(1)</script>" not in page.text and 'aria-invalid="true"' in page.text
    assert kg.digest() == before


def test_an_upload_over_the_limit_is_refused_in_words(client: TestClient) -> None:
    kg = client.app.state.kg  # type: ignore[attr-defined]
    before = kg.digest()
    form = client.get("/pathways")
    page = client.post("/pathways", data={"csrf_token": token(form.text)},
                       files={"document": ("big.json", b" " * (upload_limit() + 10), "application/json")})
    assert page.status_code == 413 and "larger than" in unescape(page.text)
    huge = client.post("/pathways", data={"csrf_token": token(form.text)},
                       files={"document": ("huge.json", b" " * (upload_limit() + FORM_OVERHEAD_BYTES + 10), "application/json")})
    assert huge.status_code == 413
    assert kg.digest() == before


def test_an_upload_needs_the_page_token_and_a_file(client: TestClient) -> None:
    forged = client.post("/pathways", data={"csrf_token": "forged"}, files={"document": ("a.json", b"{}", "application/json")}, headers=HTML)
    assert forged.status_code == 403
    form = client.get("/pathways")
    missing = client.post("/pathways", data={"csrf_token": token(form.text)})
    assert missing.status_code == 422 and "choose a file to upload" in missing.text


def test_hostile_choices_are_escaped(client: TestClient) -> None:
    page = client.get("/pathways", params={"held": EX + "x" + HOSTILE, "name": HOSTILE, "hq": HOSTILE, "tq": HOSTILE, "target": HOSTILE})
    assert page.status_code == 200 and "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text
