"""Request an Edit through the pages, as a browser without script does it: the entity page's forms, the proposer's
page, the reviewers' queue (sign-in, CSRF, approve / reject with a comment), /changes and its Atom feed; an approved
name fix shows at once on the entity page and the map; hostile input gets a message on the page and stores nothing."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from xml.etree import ElementTree as ET

import httpx
import pytest
from fastapi.testclient import TestClient

import lermap
from lermap.api.app import create_app
from lermap.config import settings
from lermap.service import KnowledgeGraph
from tests.conftest import ROOT

HTML = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
TOKEN = "review-token-0123456789"
SOURCE = "https://credentialengine.org/about/"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture()
def client(tmp_path: pytest.TempPathFactory) -> Iterator[TestClient]:
    selector = f"oxigraph:{tmp_path / 'store'}"  # type: ignore[operator]
    with lermap.open_graph(selector) as kg:
        kg.ingest(ROOT / "data" / "ecosystem")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LERMAP_REVIEW_TOKENS", f"Rita Reviewer:{TOKEN}")
        app = create_app(selector, dataclasses.replace(settings(), proposal_rate=1000))
    with TestClient(app) as c:
        yield c


def _kg(client: TestClient) -> KnowledgeGraph:
    kg: KnowledgeGraph = client.app.state.kg  # type: ignore[attr-defined]
    return kg


def _iri(client: TestClient, ent_id: str) -> str:
    rows = _kg(client).select("PREFIX schema: <https://schema.org/> SELECT ?e WHERE { ?e schema:identifier ?id }", {"id": ent_id}).rows
    return str(rows[0][0].value)


def _token(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, "the page has no CSRF token"
    return found.group(1)


def _errors(page: httpx.Response) -> dict[str, str]:
    """Each field's message, by the field's id (what the page shows next to the field)."""
    return {m.group(1).removesuffix("-error"): re.sub(r"<[^>]+>", "", m.group(2)).removeprefix("Error: ")
            for m in re.finditer(r'<p class="field__error" id="([^"]+)">(.*?)</p>', page.text)}


def _entity(client: TestClient, iri: str) -> httpx.Response:
    res = client.get("/entity", params={"id": iri}, headers=HTML)
    assert res.status_code == 200
    return res


def _send(client: TestClient, iri: str, action: str, **fields: str | list[str]) -> httpx.Response:
    token = _token(_entity(client, iri))
    return client.post("/proposals", data={"csrf_token": token, "action": action, "entity": iri, **fields}, headers=HTML,
                       follow_redirects=False)


def _sign_in(client: TestClient, token: str = TOKEN) -> httpx.Response:
    csrf = _token(client.get("/review", headers=HTML))
    return client.post("/review/sign-in", data={"csrf_token": csrf, "token": token}, headers=HTML, follow_redirects=False)


def _decide(client: TestClient, pid: str, decision: str, comment: str = "") -> httpx.Response:
    csrf = _token(client.get("/review", headers=HTML))
    return client.post(f"/review/{pid}/{decision}", data={"csrf_token": csrf, f"comment-{pid}-{decision[0]}": comment}, headers=HTML,
                       follow_redirects=False)


def _h1(page: httpx.Response) -> str:
    found = re.search(r"<h1>(.*?)</h1>", page.text)
    assert found
    return found.group(1)


def test_directory_entity_page_has_the_four_forms_and_others_only_the_new_entity_form(client: TestClient) -> None:
    page = _entity(client, _iri(client, "credential-engine"))
    assert page.headers["cache-control"] == "no-store"  # it carries this browser's CSRF token
    for key in ("fix", "relation", "removal", "new"):
        assert f'id="request-edit-{key}"' in page.text
    assert page.text.count('name="csrf_token"') == 4
    scheme = _kg(client).select("SELECT ?s WHERE { ?c <http://www.w3.org/2004/02/skos/core#inScheme> ?s } LIMIT 1").rows[0][0].value
    other = _entity(client, str(scheme))
    assert 'id="request-edit-new"' in other.text and 'id="request-edit-fix"' not in other.text
    assert "Only the organisations, standards and tools of the curated directory" in other.text


def test_name_fix_journey_shows_on_entity_page_and_map_at_once(client: TestClient) -> None:
    iri = _iri(client, "credential-engine")
    sent = _send(client, iri, "fix", fix_field="name", fix_value="Credential Engine Registry", fix_source=SOURCE,
                 fix_proposer="Pat Policymaker", fix_contact="pat@example.org")
    assert sent.status_code == 303 and sent.headers["location"].startswith("/proposals/")
    pid = sent.headers["location"].split("/")[2].split("?")[0]
    mine = client.get(sent.headers["location"], headers=HTML)
    assert "Waiting for a reviewer" in mine.text and "Thank you: your request was sent" in mine.text
    assert "pat@example.org" not in mine.text  # the contact is for reviewers only
    assert re.search(r"<td>Name</td><td>Credential Engine</td><td>Credential Engine Registry</td>", mine.text)
    assert mine.headers["cache-control"] == "no-store"
    etag_entity = client.get("/entity", params={"id": iri}).headers.get("etag")

    assert _sign_in(client).headers["location"] == "/review"
    queue = client.get("/review", headers=HTML)
    assert "Signed in as <strong>Rita Reviewer</strong>" in queue.text and "pat@example.org" in queue.text
    assert "Correct the name of Credential Engine" in queue.text
    done = _decide(client, pid, "approve", "matches the about page")
    assert done.status_code == 303
    assert "Approved: Correct the name of Credential Engine" in client.get(done.headers["location"], headers=HTML).text

    mine = client.get(f"/proposals/{pid}", headers=HTML)
    assert "<strong class=\"status status--approved\">Approved</strong>" in mine.text and "matches the about page" in mine.text
    assert _h1(_entity(client, iri)) == "Credential Engine Registry"
    assert client.get("/entity", params={"id": iri}).headers.get("etag") != etag_entity
    map_page = client.get("/map", headers=HTML).text
    assert '"Credential Engine Registry"' in map_page and '"Credential Engine"' not in map_page

    changes = client.get("/changes", headers=HTML).text
    assert f'href="/proposals/{pid}"' in changes and "Pat Policymaker" in changes and "Rita Reviewer" in changes
    assert "matches the about page" in changes and "/entity?id=" in changes


def test_changes_atom_is_valid_atom(client: TestClient) -> None:
    iri = _iri(client, "lumina-foundation")
    pid = _send(client, iri, "fix", fix_field="description", fix_value="A private foundation, described for this test.",
                fix_source="https://www.luminafoundation.org/").headers["location"].split("/")[2].split("?")[0]
    _sign_in(client)
    _decide(client, pid, "approve", "fine")
    res = client.get("/changes.atom")
    assert res.status_code == 200 and res.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(res.content)
    assert feed.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{tag}") is not None, tag
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry = entries[0]
    for tag in ("id", "title", "updated", "link", "summary"):
        assert entry.find(f"{ATOM}{tag}") is not None, tag
    assert entry.findtext(f"{ATOM}id", "").endswith(f"/proposals/{pid}")
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", entry.findtext(f"{ATOM}updated", ""))
    assert "Lumina Foundation" in entry.findtext(f"{ATOM}title", "")


def test_reject_with_comment_shows_on_the_proposal_page(client: TestClient) -> None:
    iri = _iri(client, "credential-engine")
    pid = _send(client, iri, "relation", rel_p="funds", rel_o="lumina-foundation",
                rel_source=SOURCE).headers["location"].split("/")[2].split("?")[0]
    _sign_in(client)
    assert _decide(client, pid, "reject", "the page says it the other way round").status_code == 303
    page = client.get(f"/proposals/{pid}", headers=HTML).text
    assert "Not accepted" in page and "the page says it the other way round" in page
    assert _kg(client).proposals("approved") == []
    assert _decide(client, pid, "approve").status_code == 422  # decided once only


def test_removal_and_new_entity_through_the_forms(client: TestClient) -> None:
    iri = _iri(client, "credential-engine")
    assert "ctdl" in {o.id for p, o in _kg(client).edit_target(iri).relations if p == "maintains"}  # type: ignore[union-attr]
    rm = _send(client, iri, "removal", rm_what="maintains|ctdl", rm_reason="The CTDL page names another steward now.")
    new = _send(client, iri, "new", new_type="tool", new_name="Test Wallet", new_url="https://wallet.example.org/",
                new_roles=["ler-technology-providers", "learners-earners"], new_provider="credential-engine")
    assert rm.status_code == new.status_code == 303
    _sign_in(client)
    for res in (rm, new):
        assert _decide(client, res.headers["location"].split("/")[2].split("?")[0], "approve").status_code == 303
    assert "ctdl" not in {o.id for p, o in _kg(client).edit_target(iri).relations if p == "maintains"}  # type: ignore[union-attr]
    assert any(e.name == "Test Wallet" and e.kind == "tool" for e in _kg(client).directory_entries())


@pytest.mark.parametrize(("action", "fields", "field_id", "words"), [
    ("fix", {"fix_field": "name", "fix_value": "<script>alert(1)</script>", "fix_source": SOURCE}, "field-fix_value", "markup or script"),
    ("fix", {"fix_field": "name", "fix_value": "Credential Engine", "fix_source": "javascript:alert(1)"}, "field-fix_source", "starting with https://"),
    ("fix", {"fix_field": "name", "fix_value": "Credential \u202eEngine", "fix_source": SOURCE}, "field-fix_value", "bidirectional"),
    ("fix", {"fix_field": "description", "fix_value": "x" * 5000, "fix_source": SOURCE}, "field-fix_value", "the limit is 2000"),
    ("fix", {"fix_field": "name", "fix_value": "", "fix_source": ""}, "field-fix_value", "Enter the correct value"),
    ("fix", {"fix_field": "url", "fix_value": "not a url", "fix_source": SOURCE}, "field-fix_value", "starts with https://"),
    ("relation", {"rel_p": "funds", "rel_o": "lumina-foundation", "rel_source": "ftp://example.org/x"}, "field-rel_source", "public web page"),
    ("relation", {"rel_p": "funds", "rel_o": "lumina-foundation", "rel_source": ""}, "field-rel_source", "Give the address"),
    ("relation", {"rel_p": "develops", "rel_o": "lumina-foundation", "rel_source": SOURCE}, "field-rel_o", "develops goes from"),
    ("removal", {"rm_what": "entity", "rm_reason": ""}, "field-rm_reason", "Say why"),
    ("new", {"new_type": "organisation", "new_name": "Credential Engine", "new_url": "https://x.example/"}, "field-new_name", "already"),
    ("new", {"new_type": "tool", "new_name": "Orphan Tool", "new_url": "https://x.example/"}, "field-new_provider", "Choose the organisation"),
    ("new", {"new_type": "organisation", "new_name": "Fine Org", "new_url": "https://x.example/", "new_proposer": "x" * 400},
     "field-new_proposer", "the limit is 300"),
])
def test_bad_input_gets_a_message_next_to_the_field_and_stores_nothing(client: TestClient, action: str, fields: dict[str, str],
                                                                      field_id: str, words: str) -> None:
    res = _send(client, _iri(client, "credential-engine"), action, **fields)
    assert res.status_code == 422
    errors = _errors(res)
    assert field_id.replace("_", "-") in errors, errors
    assert words in errors[field_id.replace("_", "-")]
    assert "<script>alert(1)</script>" not in res.text and f'id="request-edit-{action}" open' in res.text
    assert 'role="alert"' in res.text  # the error summary, linked to the field
    assert _kg(client).proposals() == []


def test_sent_values_come_back_escaped(client: TestClient) -> None:
    res = _send(client, _iri(client, "credential-engine"), "fix", fix_field="name", fix_value='"><img src=x onerror=alert(1)>',
                fix_source=SOURCE)
    assert res.status_code == 422
    assert "<img src=x" not in res.text and "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in res.text


@pytest.mark.parametrize("case", ["missing", "invalid", "other-site"])
def test_csrf_failures_are_403_pages_and_store_nothing(client: TestClient, case: str) -> None:
    iri = _iri(client, "credential-engine")
    token = _token(_entity(client, iri))
    data = {"action": "fix", "entity": iri, "fix_field": "name", "fix_value": "Hijacked", "fix_source": SOURCE}
    headers = dict(HTML)
    if case == "invalid":
        data["csrf_token"] = token[:-4] + "AAAA"
    elif case == "other-site":
        data["csrf_token"] = token
        headers["origin"] = "https://evil.example"
    res = client.post("/proposals", data=data, headers=headers)
    assert res.status_code == 403 and res.headers["content-type"].startswith("text/html")
    assert "<h1>Not allowed</h1>" in res.text
    assert _kg(client).proposals() == []


def test_review_needs_sign_in_and_a_valid_token(client: TestClient) -> None:
    iri = _iri(client, "credential-engine")
    pid = _send(client, iri, "fix", fix_field="name", fix_value="CE", fix_source=SOURCE).headers["location"].split("/")[2].split("?")[0]
    signed_out = client.get("/review", headers=HTML)
    assert 'type="password"' in signed_out.text and "Correct the name" not in signed_out.text
    assert _decide(client, pid, "approve").status_code == 401
    wrong = _sign_in(client, "not-the-token")
    assert wrong.status_code == 401 and "the reviewer token is not valid" in _errors(wrong)["field-token"]
    assert "lermap_session" not in client.cookies
    assert "Enter your reviewer token" in _errors(_sign_in(client, "  "))["field-token"]
    assert _sign_in(client).status_code == 303 and "lermap_session" in client.cookies
    csrf = _token(client.get("/review", headers=HTML))
    assert client.post("/review/sign-out", data={"csrf_token": csrf}, headers=HTML, follow_redirects=False).status_code == 303
    assert "lermap_session" not in client.cookies
    assert _decide(client, pid, "approve").status_code == 401
    assert _kg(client).proposal(pid).status == "pending"


def test_review_comment_is_checked_too(client: TestClient) -> None:
    iri = _iri(client, "credential-engine")
    pid = _send(client, iri, "fix", fix_field="name", fix_value="CE", fix_source=SOURCE).headers["location"].split("/")[2].split("?")[0]
    _sign_in(client)
    res = _decide(client, pid, "reject", "<script>alert(1)</script>")
    assert res.status_code == 422 and "markup or script" in res.text and "<script>alert(1)" not in res.text
    assert _kg(client).proposal(pid).status == "pending"


def test_unknown_proposal_is_a_404_page(client: TestClient) -> None:
    assert client.get("/proposals/000000000000", headers=HTML).status_code == 404
    assert client.get("/proposals/<script>", headers=HTML).status_code in {404, 422}


def test_guessing_reviewer_tokens_is_rate_limited(client: TestClient) -> None:
    statuses = [_sign_in(client, f"guess-{i}").status_code for i in range(31)]
    assert statuses[:30] == [401] * 30 and statuses[30] == 429
    assert "lermap_session" not in client.cookies
