"""Fetch public datasets into a local cache, for users with network access; then ingest the returned paths.

With network access (so not run as a doctest)::

    result = fetch("onet", version="29.2")
    kg.ingest(*result.paths)

Sources (every base URL is overridable with ``url``, so a mirror or a test server can stand in); each family's
``fetch`` module says more:

======================= ===================================================================================
``onet``                the O*NET database text release zip (``version`` e.g. "29.2"; a newer release than
                        the repository's), kept as downloaded: the ``onet`` ingester reads it by streaming
``esco``                a bulk-download zip the user points to with ``url`` (the full skills pillar and the
                        occupation–skill relations); or concepts by URI (``ids``) or a whole pillar
                        (``what="skills"``/``"occupations"``, ``limit``) from the web-service API
``ler-map``             the LER Ecosystem Map v2 site data (``version`` = git ref)
``credential-registry`` Credential Registry documents by CTID (``ids``; ``what="resources"`` for
                        ``/resources/``), or the resources a keyword search finds (``query``, ``limit``)
``case``                CFPackages by identifier (``ids``) from a CASE provider (``url`` = its base URL)
``oews``                BLS's OEWS estimates of a May release (``version`` = year): ``what`` national (default),
                        state, metro or all areas
======================= ===================================================================================

Every downloaded file gets a sidecar ``<file>.fetch.json`` (URL, SHA-256, size, retrieval time, version). A cached
file whose checksum still matches its sidecar is reused unless ``refresh=True``. Archives stay as downloaded; the
ingesters read them by streaming, with the zip-bomb and path checks of :mod:`lermap.ingest.sources`. Without the
network a fetch fails with a :class:`~lermap.errors.SourceError` naming the URL and saying the server cannot be
reached. The cache is ``cache_dir``, else ``settings().cache_dir`` (``$LERMAP_CACHE_DIR``, else
``$XDG_CACHE_HOME/lermap``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import httpx

from lermap.config import Limits, settings
from lermap.errors import ConfigError
from lermap.ingest.case.fetch import fetch_case_package
from lermap.ingest.ctdl.fetch import fetch_registry
from lermap.ingest.download import Download, Fetcher, FetchResult, read_sidecar
from lermap.ingest.ecosystem.fetch import fetch_ler_map
from lermap.ingest.esco.fetch import fetch_esco
from lermap.ingest.labour.fetch import fetch_oews
from lermap.ingest.onet.fetch import fetch_onet

SOURCES = ("onet", "esco", "ler-map", "credential-registry", "case", "oews")
__all__ = ["SOURCES", "FetchResult", "fetch"]


def _case(f: Fetcher, url: str | None, ids: Sequence[str]) -> FetchResult:
    if not url or not ids:
        raise ConfigError("case needs url (the CASE provider's base URL) and ids (CFPackage identifiers)")
    folder = f.cache / "case" / re.sub(r"[^A-Za-z0-9._-]+", "_", url.split("://", 1)[-1])
    paths = [fetch_case_package(url, pid, folder, timeout=f.timeout, max_bytes=f.limits.max_json_bytes, client=f.client)
             for pid in ids]
    f.fresh += len(paths)
    downloads = []
    for p in paths:
        side = read_sidecar(p) or {}
        downloads.append(Download(url=str(side.get("url")), path=p, sha256=str(side.get("sha256")),
                                  size=int(side.get("size") or 0), retrieved_at=str(side.get("retrieved_at"))))
    return FetchResult("case", paths, downloads)


def fetch(name: str, *, url: str | None = None, cache_dir: str | Path | None = None, version: str | None = None,
          ids: Sequence[str] = (), what: str | None = None, query: str | None = None, limit: int | None = None, language: str = "en",
          refresh: bool = False, timeout: float = 60.0, limits: Limits | None = None, client: httpx.Client | None = None) -> FetchResult:
    """Download the public dataset ``name`` (one of :data:`SOURCES`) into the cache; returns what to ingest.

    ``url`` overrides the source's URL (a file URL for ``onet``/``esco``/``oews`` zips, a base URL for the services);
    ``version`` picks a release (O*NET, OEWS year) or git ref (LER map); ``ids`` names documents (CTIDs, CFPackage
    identifiers, ESCO concept URIs); ``what`` picks a part (registry ``graph``/``resources``, ESCO ``skills``/
    ``occupations``, OEWS areas); ``query`` searches the Credential Registry; ``limit`` caps a search or a pillar.
    Raises :class:`~lermap.errors.ConfigError` for a bad request and :class:`~lermap.errors.SourceError` when a
    download is refused or the server cannot be reached.
    """
    if name not in SOURCES:
        raise ConfigError(f"unknown dataset {name!r}; choose one of: {', '.join(SOURCES)}")
    if limit is not None and limit < 1:
        raise ConfigError(f"limit must be at least 1, got {limit}")
    cache = Path(cache_dir) if cache_dir is not None else settings().cache_dir
    f = Fetcher(cache, refresh, timeout, limits or Limits.from_env(), client)
    try:
        if name == "onet":
            result = fetch_onet(f, url, version)
        elif name == "esco":
            result = fetch_esco(f, url, version, ids, language, what, limit)
        elif name == "ler-map":
            result = fetch_ler_map(f, url, version)
        elif name == "credential-registry":
            result = fetch_registry(f, url, ids, what or "graph", query, limit)
        elif name == "oews":
            result = fetch_oews(f, url, version, what)
        else:
            result = _case(f, url, ids)
    finally:
        f.close()
    result.cached = f.fresh == 0
    return result
