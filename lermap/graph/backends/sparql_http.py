"""The HTTP side of the ``sparql:`` store: its locator, credentials and a pooled client.

Locator grammar (everything after ``sparql:``), comma-separated::

    QUERY_URL[,UPDATE_URL][,GSP_URL][,key=value ...]

Positional parts are URLs (query, then update, then Graph Store Protocol). Keywords may replace or
follow them: ``query=``, ``update=``, ``gsp=`` (``gsp=none`` writes with SPARQL Update only),
``engine=oxigraph|virtuoso|generic`` (default: read from the engine's ``Server`` header),
``page=`` rows per read page, ``chunk=`` triples per write request, ``timeout=`` seconds,
``pool=`` connections kept open, ``catalog_ttl=`` seconds before the list of sources is re-read (other
processes ingest into the same engine). A comma inside a URL is written ``%2C``.

Credentials come from the URL (``http://user:pass@host/sparql-auth``) or from ``LERMAP_SPARQL_USER`` and
``LERMAP_SPARQL_PASSWORD``; basic or digest is chosen from the server's challenge. They never appear
in messages: the selector is shown with the password masked.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Generator
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit, urlunsplit

import httpx

from lermap.config import settings
from lermap.errors import ConfigError

_KEYS = {"query", "update", "gsp", "engine", "page", "chunk", "timeout", "pool", "catalog_ttl"}
_KEYWORD = re.compile(r"^([a-z_]+)=(.*)$")


@dataclass
class Locator:
    """A parsed ``sparql:`` locator."""

    query_url: str
    update_url: str | None = None
    gsp_url: str | None = None
    gsp_disabled: bool = False
    engine: str | None = None
    page_rows: int | None = None
    chunk_triples: int = 50_000
    timeout_s: float | None = None
    pool: int = 10
    catalog_ttl_s: float = 5.0
    user: str | None = None
    password: str | None = None


def parse_locator(locator: str) -> Locator:
    """Parse ``QUERY_URL[,UPDATE_URL][,GSP_URL][,key=value ...]``; raises ConfigError naming the bad part."""
    positional: list[str] = []
    keywords: dict[str, str] = {}
    for raw in locator.split(","):
        part = raw.strip()
        if not part:
            continue
        match = _KEYWORD.match(part)
        if match and not part.startswith(("http://", "https://")):
            key, value = match.groups()
            if key not in _KEYS:
                raise ConfigError(f"sparql: store: unknown option {key!r}; use one of {', '.join(sorted(_KEYS))}")
            keywords[key] = value
        else:
            positional.append(part)
    if len(positional) > 3:
        raise ConfigError("sparql: store takes at most three URLs: QUERY_URL[,UPDATE_URL][,GSP_URL]")
    urls = dict(zip(("query", "update", "gsp"), positional, strict=False))
    for key in ("query", "update", "gsp"):
        if key in keywords:
            urls[key] = keywords[key]
    if "query" not in urls:
        raise ConfigError("sparql: store needs a query URL: sparql:QUERY_URL[,UPDATE_URL][,GSP_URL]")
    gsp_disabled = urls.get("gsp", "").lower() == "none"
    user = password = None
    clean: dict[str, str] = {}
    for key, url in urls.items():
        if key == "gsp" and gsp_disabled:
            continue
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"sparql: store needs http(s) URLs, got {key} URL {url!r}")
        clean[key], u, p = _strip_userinfo(url)
        user, password = user or u, password or p
    loc = Locator(
        query_url=clean["query"],
        update_url=clean.get("update"),
        gsp_url=clean.get("gsp"),
        gsp_disabled=gsp_disabled,
        engine=keywords.get("engine"),
        user=user or settings().sparql_user,
        password=password or settings().sparql_password,
    )
    try:
        if "page" in keywords:
            loc.page_rows = int(keywords["page"])
        if "chunk" in keywords:
            loc.chunk_triples = int(keywords["chunk"])
        if "timeout" in keywords:
            loc.timeout_s = float(keywords["timeout"])
        if "pool" in keywords:
            loc.pool = int(keywords["pool"])
        if "catalog_ttl" in keywords:
            loc.catalog_ttl_s = float(keywords["catalog_ttl"])
    except ValueError as exc:
        raise ConfigError(f"sparql: store: option values page, chunk, pool, timeout and catalog_ttl are numbers ({exc})") from None
    if (loc.page_rows is not None and loc.page_rows < 1) or loc.chunk_triples < 1 or loc.pool < 1:
        raise ConfigError("sparql: store: page, chunk and pool must be at least 1")
    return loc


def mask(selector: str) -> str:
    """The selector with any password in it replaced by ``***``."""
    return re.sub(r"(https?://[^:/@,\s]+):[^@/,\s]*@", r"\1:***@", selector)


def _strip_userinfo(url: str) -> tuple[str, str | None, str | None]:
    parts = urlsplit(url)
    if parts.username is None:
        return url, None, None
    netloc = parts.hostname or ""
    if ":" in netloc:  # an IPv6 literal
        netloc = f"[{netloc}]"
    if parts.port is not None:
        netloc += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc)), unquote(parts.username), unquote(parts.password or "")


class ChallengeAuth(httpx.Auth):
    """Basic or digest, whichever the server's ``WWW-Authenticate`` asks for; remembered after the first."""

    def __init__(self, user: str, password: str) -> None:
        self.digest = httpx.DigestAuth(user, password)
        self.basic = httpx.BasicAuth(user, password)
        self.scheme: str | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self.scheme == "basic":
            yield from self.basic.auth_flow(request)
            return
        if self.scheme == "digest":
            yield from self.digest.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        self.scheme = response.headers.get("www-authenticate", "").split(" ", 1)[0].lower()
        if self.scheme == "basic":
            yield from self.basic.auth_flow(request)
        elif self.scheme == "digest":
            flow = self.digest.auth_flow(request)
            next(flow)  # the unauthenticated request, already answered above
            try:
                retry = flow.send(response)
            except StopIteration:
                return
            answer = yield retry
            with contextlib.suppress(StopIteration):
                flow.send(answer)


def make_client(loc: Locator) -> httpx.Client:
    """One pooled client per store: keep-alive connections, the configured timeout, credentials if any."""
    timeout = loc.timeout_s if loc.timeout_s is not None else settings().query_timeout_s
    limits = httpx.Limits(max_connections=loc.pool, max_keepalive_connections=loc.pool)
    auth = ChallengeAuth(loc.user, loc.password or "") if loc.user else None
    # Writes of a big chunk may take longer than a query: the read timeout applies per socket read, not per request.
    return httpx.Client(timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)), limits=limits, auth=auth)
