"""Reviewer tokens and a per-client rate limit for the moderation API.

Reviewer tokens come from ``LERMAP_REVIEW_TOKENS`` (comma-separated; an entry ``name:token`` names the reviewer
in the provenance of what they approve, an entry without a name is recorded as ``reviewer-N``). A request's bearer
token is compared with every configured token by :func:`hmac.compare_digest`; tokens are never logged, echoed in
errors or kept anywhere but in :class:`Reviewers` (whose ``repr`` hides them).
"""

from __future__ import annotations

import hmac
import threading
import time
from collections import OrderedDict, deque

from starlette.requests import Request

from lermap.config import settings
from lermap.errors import LermapError


class AuthError(LermapError):
    """A reviewer endpoint was called without a valid bearer token."""

    http_status = 401


class BodyTooLarge(LermapError):
    """A request body is over its limit."""

    http_status = 413


class RateLimited(LermapError):
    """Too many requests from one client in the window."""

    http_status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Reviewers:
    """The configured reviewer tokens (name, token bytes); empty means moderation over HTTP is off."""

    def __init__(self, raw: str | None) -> None:
        self._tokens: list[tuple[str, bytes]] = []
        for i, entry in enumerate(e.strip() for e in (raw or "").split(",")):
            if not entry:
                continue
            name, sep, token = entry.partition(":")
            if not sep:
                name, token = f"reviewer-{i + 1}", entry
            if token:
                self._tokens.append((name.strip() or f"reviewer-{i + 1}", token.encode("utf-8")))

    @classmethod
    def from_env(cls) -> Reviewers:
        return cls(settings().review_tokens)

    def __repr__(self) -> str:
        return f"Reviewers({len(self._tokens)} tokens)"

    def authenticate(self, authorization: str | None) -> str:
        """The reviewer's name for an ``Authorization: Bearer ...`` header; raises :class:`AuthError`."""
        if not self._tokens:
            raise AuthError("moderation over HTTP is off: no reviewer tokens are configured (LERMAP_REVIEW_TOKENS)")
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            raise AuthError("a reviewer bearer token is required (Authorization: Bearer ...)")
        candidate = given.strip().encode("utf-8")
        found = None
        for name, token in self._tokens:  # no early exit: the time taken does not depend on which token matched
            if hmac.compare_digest(candidate, token) and found is None:
                found = name
        if found is None:
            raise AuthError("the reviewer token is not valid")
        return found


class RateLimiter:
    """At most ``limit`` events per client in a sliding ``window_s``; remembers at most ``max_clients`` clients."""

    def __init__(self, limit: int, window_s: float = 3600.0, max_clients: int = 100_000) -> None:
        self.limit = limit
        self.window_s = window_s
        self.max_clients = max_clients
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, client: str) -> None:
        """Count one event for ``client``; raises :class:`RateLimited` past the limit."""
        now = time.monotonic()
        with self._lock:
            times = self._seen.pop(client, None) or deque()
            while times and now - times[0] > self.window_s:
                times.popleft()
            self._seen[client] = times
            while len(self._seen) > self.max_clients:
                self._seen.popitem(last=False)
            if len(times) >= self.limit:
                retry = int(self.window_s - (now - times[0])) + 1
                raise RateLimited(f"at most {self.limit} proposals per client per {self.window_s / 3600:g} h; try again in {retry} s",
                                  retry)
            times.append(now)


def client_id(request: Request) -> str:
    """The client a rate limit counts (its address)."""
    return request.client.host if request.client else "unknown"
