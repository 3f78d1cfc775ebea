"""The frameworks pages: the catalogue with sizes and publishers, a framework's hierarchy with its crosswalks, and the
crosswalk between two frameworks where a signed-in curator accepts or rejects suggestions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import pytest
from fastapi import Request
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient

from lermap.api.app import create_app
from lermap.views.components import page_href
from tests.api.test_occupation_pages import HOSTILE, build_store

HTML = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
EX = "http://example.org/"
CROSSWALK = page_href("/crosswalk", a=EX + "fwA", b=EX + "fwB")


def sign_in(request: Request) -> PlainTextResponse:
    response = PlainTextResponse("ok")
    request.app.state.sessions.sign_in(request, response, "rita")
    return response


@pytest.fixture()
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = create_app(build_store(tmp_path_factory.mktemp("frameworks")))
    app.add_api_route("/test-sign-in", sign_in, methods=["POST"])
    with TestClient(app) as c:
        yield c


def token(text: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', text)
    assert found
    return found.group(1)


def decision_forms(text: str) -> list[dict[str, str]]:
    """The hidden fields of each accept / reject form on the page."""
    forms = re.findall(r'<form class="inline" method="post" action="/crosswalk/decide">(.*?)</form>', text, re.S)
    return [dict(re.findall(r'name="([^"]+)" value="([^"]*)"', unescape(f))) for f in forms]


def test_the_catalogue_lists_sizes_publishers_and_alignments(client: TestClient) -> None:
    page = client.get("/frameworks")
    text = unescape(page.text)
    assert page.status_code == 200 and "Framework A" in text and "O*NET Content Model" in text
    row = text[text.index(f'href="{page_href("/framework", id=EX + "fwA")}">Framework A</a>'):].split("</tr>")[0]
    assert ">4<" in row  # four competencies
    assert "Framework B" in row  # most aligned with, linked to the crosswalk
    assert page_href("/crosswalk", a=EX + "fwA", b=EX + "fwB").replace("&", "&amp;") in page.text


def test_a_framework_page_shows_its_hierarchy_and_crosswalks(client: TestClient) -> None:
    page = client.get("/framework", params={"id": EX + "fwA"})
    assert page.status_code == 200 and 'id="figure-data"' in page.text and "Crosswalks to other frameworks" in page.text
    assert "Framework B (" in unescape(page.text)


def test_the_crosswalk_shows_alignments_in_words_and_suggestions(client: TestClient) -> None:
    page = client.get(CROSSWALK)
    text = unescape(page.text)
    assert page.status_code == 200 and "alignments between the two" in text
    assert "is the same as" in text and "published by a person" in text and "skos:exactMatch" not in text
    assert "Suggestions to decide" in text and "Sign in as a reviewer" in text
    assert decision_forms(page.text) == []  # no decision forms for someone not signed in


def test_a_signed_in_curator_accepts_a_suggestion_and_sees_it_at_once(client: TestClient) -> None:
    client.post("/test-sign-in")
    page = client.get(CROSSWALK)
    forms = [f for f in decision_forms(page.text) if f["decision"] == "accept"]
    assert forms, "a signed-in curator gets a form for each suggestion"
    chosen = forms[0]
    done = client.post("/crosswalk/decide", data=chosen, follow_redirects=False)
    assert done.status_code == 303 and "decided=accepted" in done.headers["location"]
    after = client.get(done.headers["location"])
    text = unescape(after.text)
    assert "Saved: the alignment is accepted" in text
    decisions = text[text.index('id="decisions"'):text.index('id="suggestions"')]
    assert "accepted" in decisions and "rita" in decisions
    remaining = [(f["subject"], f["object"]) for f in decision_forms(after.text)]
    assert (chosen["subject"], chosen["object"]) not in remaining
    kg = client.app.state.kg  # type: ignore[attr-defined]
    assert any(m.author_id == "rita" and m.subject_id == chosen["subject"] for m in kg.find_alignments(between=(EX + "fwA", EX + "fwB")))


def test_a_rejected_suggestion_is_not_suggested_again(client: TestClient) -> None:
    client.post("/test-sign-in")
    page = client.get(CROSSWALK)
    chosen = next(f for f in decision_forms(page.text) if f["decision"] == "reject")
    assert client.post("/crosswalk/decide", data=chosen, follow_redirects=False).status_code == 303
    after = client.get(CROSSWALK)
    assert (chosen["subject"], chosen["object"]) not in [(f["subject"], f["object"]) for f in decision_forms(after.text)]
    text = unescape(after.text)
    assert "rejected" in text[text.index('id="decisions"'):text.index('id="suggestions"')]


def test_deciding_needs_a_signed_in_curator_and_the_page_token(client: TestClient) -> None:
    kg = client.app.state.kg  # type: ignore[attr-defined]
    before = kg.digest()
    page = client.get("/pathways")  # a page with a form: the browser's token (the crosswalk shows none before sign-in)
    fields = {"a": EX + "fwA", "b": EX + "fwB", "subject": EX + "fwA/py", "object": EX + "fwB/python", "predicate": "skos:exactMatch",
              "decision": "accept", "csrf_token": token(page.text)}
    assert client.post("/crosswalk/decide", data=fields, headers=HTML).status_code == 401
    client.post("/test-sign-in")
    assert client.post("/crosswalk/decide", data={**fields, "csrf_token": "forged"}, headers=HTML).status_code == 403
    incomplete = client.post("/crosswalk/decide", data={**fields, "subject": "", "csrf_token": token(client.get(CROSSWALK).text)}, headers=HTML)
    assert incomplete.status_code == 422 and "incomplete" in incomplete.text
    hostile = client.post("/crosswalk/decide", data={**fields, "predicate": HOSTILE, "csrf_token": token(client.get(CROSSWALK).text)},
                          headers=HTML)
    assert hostile.status_code == 400 and "<script>alert(1)</script>" not in hostile.text
    assert kg.digest() == before


def test_unknown_or_hostile_frameworks_are_refused_in_words(client: TestClient) -> None:
    page = client.get("/crosswalk", params={"a": EX + HOSTILE, "b": EX + "fwB"}, headers=HTML)
    assert page.status_code == 404 and "<script>alert(1)</script>" not in page.text
    assert client.get("/framework", params={"id": EX + HOSTILE}, headers=HTML).status_code == 404
    assert client.get("/crosswalk").status_code == 200
