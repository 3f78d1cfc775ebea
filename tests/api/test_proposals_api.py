"""Edit proposals over HTTP: propose → refused without a token → approve → visible with provenance → revert;
malformed, oversized and script-laden proposals; the rate limit; tokens never logged."""

from __future__ import annotations

import dataclasses
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

import lermap
from lermap.api.app import create_app
from lermap.config import settings
from tests.conftest import ROOT
from tests.servers import free_port, wait_until_up

TOKEN = "s3cret-review-token-0123456789"
OTHER = "another-token-abcdef"
TOKENS = f"Grace Hopper:{TOKEN},{OTHER}"
AUTH = {"authorization": f"Bearer {TOKEN}"}
RELATION = {"kind": "relation", "s": "lcw", "p": "implements", "o": "clr@2.0", "source": "https://lcw.app/"}
LCW = "https://w3id.org/lermap/id/"


@pytest.fixture(scope="module")
def selector(tmp_path_factory: pytest.TempPathFactory) -> str:
    selector = f"oxigraph:{tmp_path_factory.mktemp('proposals') / 'store'}"
    with lermap.open_graph(selector) as kg:
        kg.ingest(ROOT / "data" / "ecosystem")
    return selector


@pytest.fixture(scope="module")
def client(selector: str) -> Iterator[TestClient]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LERMAP_REVIEW_TOKENS", TOKENS)
        app = create_app(selector, dataclasses.replace(settings(), proposal_rate=1000))
    with TestClient(app) as c:
        yield c


def _propose(client: TestClient, proposal: Any, **extra: Any) -> httpx.Response:
    return client.post("/v1/proposals", json={"proposal": proposal, **extra})


def _lcw_implements_clr(client: TestClient) -> bool:
    q = ("ASK { ?t <https://schema.org/identifier> 'lcw' ; <https://w3id.org/lermap/vocab#implements> "
         "<https://w3id.org/lermap/id/standard/clr/2.0> }")
    return bool(client.get("/sparql", params={"query": q}).json()["boolean"])


def test_propose_approve_visible_with_provenance_revert(client: TestClient) -> None:
    created = _propose(client, RELATION, proposer="Ada", contact="ada@example.org")
    assert created.status_code == 201, created.text
    p = created.json()
    assert p["status"] == "pending" and "contact" not in p and created.headers["cache-control"] == "no-store"
    assert not _lcw_implements_clr(client)

    assert client.post(f"/v1/proposals/{p['id']}/approve").status_code == 401
    wrong = client.post(f"/v1/proposals/{p['id']}/approve", headers={"authorization": "Bearer not-the-token"})
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"].startswith("Bearer")
    assert client.get("/v1/proposals").status_code == 401

    approved = client.post(f"/v1/proposals/{p['id']}/approve", headers=AUTH).json()
    assert approved["status"] == "approved" and approved["reviewer"] == "Grace Hopper"
    assert _lcw_implements_clr(client)
    source = next(s for s in client.get("/v1/sources").json() if s["graph"] == approved["graph"])
    assert source["format"] == "proposal" and source["format_version"] == "relation" and source["sha256"]
    lcw = client.get("/v1/tools", params={"q": "Learner Credential Wallet"}).json()["items"][0]["id"]
    facts = client.get(f"/v1/entities/{lcw}").json()["facts"]
    assert any(f["predicate"].endswith("#implements") and f["graph"] == approved["graph"] for f in facts)
    sparql = client.get("/sparql", params={"query": f"SELECT ?r WHERE {{ <{approved['graph']}> <https://w3id.org/lermap/vocab#reviewedBy> ?r }}"})
    assert [b["r"]["value"] for b in sparql.json()["results"]["bindings"]] == ["Grace Hopper"]
    assert b"ada@example.org" not in client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}).content

    listed = client.get("/v1/proposals", headers=AUTH, params={"status": "approved"}).json()
    assert p["id"] in [x["id"] for x in listed]
    reverted = client.post(f"/v1/proposals/{p['id']}/revert", headers={"authorization": f"Bearer {OTHER}"}).json()
    assert reverted["status"] == "reverted" and reverted["reviewer"] == "reviewer-2"
    assert not _lcw_implements_clr(client)
    assert approved["graph"] not in {s["graph"] for s in client.get("/v1/sources").json()}


def test_reject_with_reason(client: TestClient) -> None:
    p = _propose(client, {**RELATION, "o": "ob@3.0"}).json()
    rejected = client.post(f"/v1/proposals/{p['id']}/reject", headers=AUTH, json={"reason": "not on that page"}).json()
    assert rejected["status"] == "rejected" and rejected["reason"] == "not on that page"
    again = client.post(f"/v1/proposals/{p['id']}/approve", headers=AUTH)
    assert again.status_code == 422 and "rejected" in again.json()["error"]["message"]
    assert client.get(f"/v1/proposals/{p['id']}", headers=AUTH).json()["status"] == "rejected"
    assert client.get("/v1/proposals/nope", headers=AUTH).status_code == 404


@pytest.mark.parametrize(("body", "status"), [
    (b"not json", 422),
    (b"[1, 2]", 422),
    (b'{"proposal": "text"}', 422),
    (b'{"proposal": {"kind": "delete-everything"}}', 422),
    (b'{"proposal": {"kind": "relation", "s": "lcw", "p": "implements", "o": "no-such-id", "source": "https://x.example/"}}', 422),
    (b'{"proposal": {"kind": "relation", "s": "lcw", "p": "owns", "o": "clr@2.0", "source": "https://x.example/"}}', 422),
    (b'{"proposal": {"kind": "relation", "s": "lcw", "p": "implements", "o": "clr@2.0", "source": "ftp://x"}}', 422),
    (b'{"proposal": {"kind": "fix", "entity": "lcw", "field": "description", "value": "' + b"x" * 40_000 + b'", "source": "https://x.example/"}}', 413),
], ids=["not-json", "array", "string", "kind", "unknown-id", "predicate", "source-scheme", "oversized"])
def test_malformed_and_oversized_are_refused(client: TestClient, body: bytes, status: int) -> None:
    res = client.post("/v1/proposals", content=body, headers={"content-type": "application/json"})
    assert res.status_code == status and res.json()["error"]["message"]


@pytest.mark.parametrize("value", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "nice <b>bold</b> text",
], ids=["script", "img-onerror", "js-url", "markup"])
def test_script_laden_text_is_refused(client: TestClient, value: str) -> None:
    res = _propose(client, {"kind": "fix", "entity": "lcw", "field": "description", "value": value, "source": "https://lcw.app/"})
    assert res.status_code == 422 and "markup or script" in res.json()["error"]["message"]


def test_script_in_proposer_is_refused(client: TestClient) -> None:
    assert _propose(client, RELATION, proposer="<script>alert(1)</script>").status_code == 422


def test_control_characters_are_removed(client: TestClient) -> None:
    p = _propose(client, {"kind": "fix", "entity": "lcw", "field": "description", "value": "clean\x00\x07 text",
                          "source": "https://lcw.app/"}).json()
    assert p["payload"]["value"] == "clean text"


def test_rate_limit_per_client(tmp_path: Path) -> None:
    config = dataclasses.replace(settings(), proposal_rate=2)
    with TestClient(create_app("memory:", config)) as c:
        codes = [c.post("/v1/proposals", json={"proposal": RELATION}).status_code for _ in range(3)]
        assert codes[:2] == [422, 422]  # counted although refused (no entities in this store)
        limited = c.post("/v1/proposals", json={"proposal": RELATION})
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0
        assert limited.json()["error"]["type"] == "RateLimited"


def test_moderation_is_off_without_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LERMAP_REVIEW_TOKENS", raising=False)
    with TestClient(create_app("memory:")) as c:
        res = c.get("/v1/proposals", headers=AUTH)
        assert res.status_code == 401 and "LERMAP_REVIEW_TOKENS" in res.json()["error"]["message"]


def test_reviewers_repr_hides_tokens() -> None:
    from lermap.api.security import Reviewers

    reviewers = Reviewers(TOKENS)
    assert TOKEN not in repr(reviewers) and reviewers.authenticate(f"Bearer {TOKEN}") == "Grace Hopper"


def test_tokens_never_reach_the_logs_in_process(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    p = _propose(client, {**RELATION, "o": "clr@1.0"}).json()
    client.post(f"/v1/proposals/{p['id']}/approve", headers={"authorization": "Bearer wrong-" + TOKEN})
    client.post(f"/v1/proposals/{p['id']}/reject", headers=AUTH)
    text = caplog.text + "".join(str(r.__dict__) for r in caplog.records)
    assert TOKEN not in text and OTHER not in text


def test_tokens_never_reach_the_server_logs(selector: str, client: TestClient, tmp_path: Path) -> None:
    """A real uvicorn at debug level with access logs: the requests are logged, the tokens are not."""
    kg = client.app.state.kg  # type: ignore[attr-defined]
    copy = f"oxigraph:{tmp_path / 'store'}"
    with lermap.open_graph(copy) as other:
        other.store.backend.store.bulk_extend(kg.store.backend.store.quads_for_pattern(None, None, None, None))
    port = free_port()
    env = {"PATH": "/usr/bin:/bin", "LERMAP_STORE": copy, "LERMAP_REVIEW_TOKENS": TOKENS, "LERMAP_CONFIG_DIR": str(tmp_path / "cfg")}
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "lermap.api.app:create_app", "--factory", "--port", str(port),
                                 "--log-level", "debug"], stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base + "/v1/health", proc, 60)
            p = httpx.post(base + "/v1/proposals", json={"proposal": {**RELATION, "o": "clr@1.0"}}).json()
            httpx.post(f"{base}/v1/proposals/{p['id']}/approve", headers={"authorization": "Bearer wrong-" + TOKEN})
            assert httpx.post(f"{base}/v1/proposals/{p['id']}/approve", headers=AUTH).status_code == 200
            httpx.get(base + "/v1/proposals", headers={"authorization": f"Bearer {OTHER}"})
        finally:
            proc.terminate()
            proc.wait(10)
    text = log.read_text()
    assert f"/v1/proposals/{p['id']}/approve" in text  # the log was written...
    assert TOKEN not in text and OTHER not in text  # ...without the tokens


@pytest.mark.parametrize("char", ["\u202e", "\u202a", "\u202d", "\u2066", "\u2067", "\u2069", "\u200e", "\u200f", "\u061c"])
@pytest.mark.parametrize("place", ["name", "description", "proposer"])
def test_bidi_controls_are_refused_in_names_and_text(client: TestClient, char: str, place: str) -> None:
    text = f"Acme {char}gpj.exe"
    if place == "proposer":
        res = _propose(client, RELATION, proposer=text)
    else:
        res = _propose(client, {"kind": "fix", "entity": "lcw", "field": place, "value": text, "source": "https://lcw.app/"})
    assert res.status_code == 422
    assert f"U+{ord(char):04X}" in res.json()["error"]["message"] and "bidirectional" in res.json()["error"]["message"]


def test_right_to_left_text_itself_is_welcome(client: TestClient) -> None:
    res = _propose(client, {"kind": "fix", "entity": "lcw", "field": "description", "value": "منصة سجلات التعلم",
                            "source": "https://lcw.app/"})
    assert res.status_code == 201, res.text
