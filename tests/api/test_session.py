"""Signed session and CSRF cookies for the pages' forms: HttpOnly, SameSite=Strict, Secure over https; forged,
expired or foreign tokens refused in words."""

from __future__ import annotations

import pytest
from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, PlainTextResponse
from fastapi.testclient import TestClient

from lermap.api.errors import install_error_handlers
from lermap.api.session import CSRF_COOKIE, SESSION_COOKIE, CsrfError, Sessions, Signer
from lermap.config import Settings, process_secret


def _app(sessions: Sessions) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/form")
    def form(request: Request) -> HTMLResponse:
        csrf = sessions.csrf_token(request)
        response = HTMLResponse(f'<form method="post"><input name="csrf_token" value="{csrf.token}"></form>')
        csrf.set_cookie(request, response)
        return response

    @app.post("/form")
    def post(request: Request, csrf_token: str = Form("")) -> PlainTextResponse:
        sessions.check_csrf(request, csrf_token)
        return PlainTextResponse("ok")

    @app.post("/sign-in")
    def sign_in(request: Request) -> PlainTextResponse:
        response = PlainTextResponse("in")
        sessions.sign_in(request, response, "ann")
        return response

    @app.get("/who")
    def who(request: Request) -> PlainTextResponse:
        return PlainTextResponse(sessions.current(request) or "nobody")

    return app


@pytest.fixture()
def client() -> TestClient:
    return TestClient(_app(Sessions(b"s" * 32)))


def _token(client: TestClient) -> str:
    return client.get("/form").text.split('value="', 1)[1].split('"', 1)[0]


def test_a_form_posted_with_its_token_passes(client: TestClient) -> None:
    token = _token(client)
    assert client.post("/form", data={"csrf_token": token}).text == "ok"


def test_the_csrf_cookie_is_httponly_strict_and_secure_over_https() -> None:
    plain = TestClient(_app(Sessions(b"s" * 32))).get("/form").headers["set-cookie"]
    assert CSRF_COOKIE in plain and "HttpOnly" in plain and "SameSite=strict" in plain and "Secure" not in plain
    secure = TestClient(_app(Sessions(b"s" * 32)), base_url="https://testserver").get("/form").headers["set-cookie"]
    assert "Secure" in secure


@pytest.mark.parametrize("sent", ["", "forged-token"])
def test_a_missing_or_wrong_token_is_refused_in_words(client: TestClient, sent: str) -> None:
    _token(client)
    res = client.post("/form", data={"csrf_token": sent})
    assert res.status_code == 403 and res.json()["error"]["type"] == "CsrfError"
    assert "token does not match" in res.json()["error"]["message"]


def test_a_form_without_its_cookie_is_refused(client: TestClient) -> None:
    token = _token(client)
    client.cookies.clear()
    res = client.post("/form", data={"csrf_token": token})
    assert res.status_code == 403 and "reload the page" in res.json()["error"]["message"]


def test_a_form_from_another_site_is_refused(client: TestClient) -> None:
    token = _token(client)
    res = client.post("/form", data={"csrf_token": token}, headers={"origin": "https://evil.example"})
    assert res.status_code == 403 and "another site" in res.json()["error"]["message"]


def test_a_token_from_another_secret_is_refused() -> None:
    other = TestClient(_app(Sessions(b"o" * 32)))
    token = _token(other)
    client = TestClient(_app(Sessions(b"s" * 32)))
    client.cookies.set(CSRF_COOKIE, other.cookies[CSRF_COOKIE])
    res = client.post("/form", data={"csrf_token": token})
    assert res.status_code == 403 and "expired" in res.json()["error"]["message"]  # its cookie's signature is not ours


def test_sessions_are_signed(client: TestClient) -> None:
    assert client.get("/who").text == "nobody"
    res = client.post("/sign-in")
    cookie = res.headers["set-cookie"]
    assert SESSION_COOKIE in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert client.get("/who").text == "ann"
    value = client.cookies[SESSION_COOKIE]
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, value.replace(value.split(".")[0], Signer(b"x" * 32).sign({"sub": "mallory"}).split(".")[0]))
    assert client.get("/who").text == "nobody"  # a payload swapped under the old signature is ignored


def test_signatures_expire() -> None:
    signer = Signer(b"k" * 32)
    token = signer.sign({"sub": "ann"}, now=1000.0)
    assert signer.unsign(token, max_age_s=60, now=1050.0) == {"sub": "ann"}
    assert signer.unsign(token, max_age_s=60, now=1061.0) is None
    assert signer.unsign("a.b", max_age_s=60) is None and signer.unsign("x" * 5000, max_age_s=60) is None


def test_the_secret_comes_from_settings_or_is_drawn_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().cookie_secret() == process_secret() == Settings().cookie_secret() and len(process_secret()) == 32
    assert Settings(session_secret="z" * 32).cookie_secret() == b"z" * 32
    from lermap.config import settings
    from lermap.errors import ConfigError

    monkeypatch.setenv("LERMAP_SESSION_SECRET", "short")
    with pytest.raises(ConfigError, match="at least 32 characters"):
        settings()


def test_csrf_error_is_a_403() -> None:
    assert CsrfError.http_status == 403
