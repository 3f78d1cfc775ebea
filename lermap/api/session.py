"""Signed cookies for the pages' forms: a session (who is signed in) and a CSRF token.

Both cookies are signed with HMAC-SHA256 under :meth:`lermap.config.Settings.cookie_secret` (``LERMAP_SESSION_SECRET``,
or a secret drawn once per process), ``HttpOnly``, ``SameSite=Strict``, ``Path=/``, and ``Secure`` when the request
came over https (behind a proxy: run uvicorn with ``--proxy-headers``). A cookie whose signature or age does not
check out is ignored, as if absent.

**CSRF.** A page with a POST form asks :meth:`Sessions.csrf_token` for a token: the token is an HMAC of a random
nonce that travels in the ``lermap_csrf`` cookie, so a form posted from another site (which can neither read the
cookie nor compute the HMAC) fails :meth:`Sessions.check_csrf` with a 403 that says why. The check also refuses a
request whose ``Origin`` header names another site.

>>> from starlette.requests import Request
>>> s = Sessions(b"k" * 32)
>>> signed = s.signer.sign({"sub": "ann"})
>>> s.signer.unsign(signed, max_age_s=60)
{'sub': 'ann'}
>>> s.signer.unsign(signed[:-2] + "xx", max_age_s=60) is None
True
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from lermap.errors import LermapError

SESSION_COOKIE = "lermap_session"
CSRF_COOKIE = "lermap_csrf"
CSRF_FIELD = "csrf_token"
SESSION_AGE_S = 8 * 3600
CSRF_AGE_S = 24 * 3600


class CsrfError(LermapError):
    """A form was posted without the token of the page it came from (or from another site)."""

    http_status = 403


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Signer:
    """``payload.timestamp.signature``: JSON signed with HMAC-SHA256; :meth:`unsign` checks signature and age."""

    def __init__(self, secret: bytes, purpose: str = "lermap") -> None:
        self._key = hmac.new(secret, purpose.encode("utf-8"), hashlib.sha256).digest()

    def _mac(self, message: str) -> str:
        return _b64(hmac.new(self._key, message.encode("ascii"), hashlib.sha256).digest())

    def sign(self, payload: dict[str, Any], now: float | None = None) -> str:
        body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode("utf-8"))
        message = f"{body}.{int(now if now is not None else time.time())}"
        return f"{message}.{self._mac(message)}"

    def unsign(self, token: str | None, max_age_s: float, now: float | None = None) -> dict[str, Any] | None:
        """The payload of a token this signer made no more than ``max_age_s`` ago; None for anything else."""
        if not token or len(token) > 4096 or token.count(".") != 2:
            return None
        body, stamp, mac = token.split(".")
        if not hmac.compare_digest(mac, self._mac(f"{body}.{stamp}")):
            return None
        try:
            age = (now if now is not None else time.time()) - int(stamp)
            payload = json.loads(_unb64(body))
        except ValueError:
            return None
        if not 0 <= age <= max_age_s or not isinstance(payload, dict):
            return None
        return payload


@dataclass(frozen=True)
class CsrfToken:
    """The token a form carries, and the cookie value to set when the browser has none yet."""

    token: str
    new_cookie: str | None

    def set_cookie(self, request: Request, response: Response) -> None:
        if self.new_cookie is not None:
            _set(request, response, CSRF_COOKIE, self.new_cookie, CSRF_AGE_S)


def _set(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite="strict", secure=request.url.scheme == "https")


class Sessions:
    """Sign-in sessions and CSRF tokens for the pages (one per app, in ``app.state.sessions``)."""

    def __init__(self, secret: bytes, session_age_s: int = SESSION_AGE_S) -> None:
        self.signer = Signer(secret, "session")
        self._csrf = Signer(secret, "csrf")
        self._csrf_key = hmac.new(secret, b"csrf-token", hashlib.sha256).digest()
        self.session_age_s = session_age_s

    # -- sessions ------------------------------------------------------------------------------

    def sign_in(self, request: Request, response: Response, name: str) -> None:
        """Start a session for ``name`` (e.g. a reviewer who gave a valid token)."""
        _set(request, response, SESSION_COOKIE, self.signer.sign({"sub": name}), self.session_age_s)

    def sign_out(self, request: Request, response: Response) -> None:
        response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict", secure=request.url.scheme == "https")

    def current(self, request: Request) -> str | None:
        """Who is signed in on this request (None if nobody, or the cookie is forged or expired)."""
        payload = self.signer.unsign(request.cookies.get(SESSION_COOKIE), self.session_age_s)
        sub = payload.get("sub") if payload else None
        return sub if isinstance(sub, str) else None

    # -- CSRF ------------------------------------------------------------------------------------

    def _token_for(self, nonce: str) -> str:
        return _b64(hmac.new(self._csrf_key, nonce.encode("ascii"), hashlib.sha256).digest())

    def _nonce(self, request: Request) -> str | None:
        payload = self._csrf.unsign(request.cookies.get(CSRF_COOKIE), CSRF_AGE_S)
        nonce = payload.get("n") if payload else None
        return nonce if isinstance(nonce, str) else None

    def csrf_token(self, request: Request) -> CsrfToken:
        """The token for the forms of the page being rendered; call :meth:`CsrfToken.set_cookie` on its response."""
        nonce = self._nonce(request)
        if nonce is not None:
            return CsrfToken(self._token_for(nonce), None)
        nonce = secrets.token_urlsafe(24)
        return CsrfToken(self._token_for(nonce), self._csrf.sign({"n": nonce}))

    def check_csrf(self, request: Request, submitted: str | None) -> None:
        """Refuse (403, in words) a form post that does not carry its page's token or that comes from another site."""
        origin = request.headers.get("origin")
        if origin and origin != "null" and origin.rstrip("/") != f"{request.url.scheme}://{request.url.netloc}":
            raise CsrfError("this form was sent from another site; open the page on this site and send it again")
        nonce = self._nonce(request)
        if nonce is None:
            raise CsrfError("this form has expired or your browser did not keep its cookie; reload the page and send it again")
        if not submitted or not hmac.compare_digest(submitted, self._token_for(nonce)):
            raise CsrfError("this form's security token does not match; reload the page and send it again")
