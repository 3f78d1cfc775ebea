"""Fetching ESCO: a bulk-download zip, concepts by URI from the web-service API, or a whole pillar from its search.

* ``url`` alone: the bulk-download zip the user points to (ESCO's downloads sit behind a form, so there is no stable
  URL), kept as downloaded and read by streaming — the way to the full skills pillar and the occupation–skill
  relations the repository does not carry;
* ``ids``: each concept's JSON from ``{api}/resource/concept?uri=...&language=...``;
* ``what="skills"`` or ``"occupations"``: every concept of that pillar, page by page from
  ``{api}/search?type=skill&language=en&full=true&limit=...&offset=...`` (each page saved as it came, read by the
  ``esco-api`` ingester; ``limit`` caps the number of concepts).

Everything the API returns is read by the ``esco-api`` ingester into the same core view as the CSVs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote, urlencode

from lermap.errors import ConfigError, SourceError
from lermap.ingest.download import Download, Fetcher, FetchResult

ESCO_API = "https://ec.europa.eu/esco/api"
PILLARS = {"skills": "skill", "occupations": "occupation"}
PAGE_SIZE = 100


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text)


def fetch_esco(f: Fetcher, url: str | None, version: str | None, ids: Sequence[str], language: str, what: str | None,
               limit: int | None) -> FetchResult:
    if what is not None and what not in PILLARS:
        raise ConfigError(f"ESCO fetches the pillars {', '.join(PILLARS)} (or concepts by --id, or a bulk zip by --url), not {what!r}")
    api = (url or ESCO_API).rstrip("/")
    if ids:
        folder = f.cache / "esco" / "api"
        downloads = []
        for uri in ids:
            if not uri.startswith(("http://", "https://")):
                raise ConfigError(f"ESCO concepts are fetched by URI, got {uri!r}")
            name = _safe(uri.split("://", 1)[1])[-150:] + f".{language}.json"
            target = f"{api}/resource/concept?uri={quote(uri, safe='')}&language={quote(language)}"
            downloads.append(f.get(target, folder / name, f.limits.max_json_bytes, accept="application/json", version=version))
        return FetchResult("esco", [d.path for d in downloads], downloads, version)
    if what is not None:
        return _pillar(f, api, PILLARS[what], language, version, limit)
    if not url:
        raise ConfigError("ESCO bulk downloads have no stable URL: pass the zip's url, concept ids, or --what skills/occupations")
    label = version or "download"
    archive = f.get(url, f.cache / "esco" / _safe(label) / (Path(url.split("?")[0]).name or "esco.zip"), f.limits.max_file_bytes,
                    version=version)
    return FetchResult("esco", [archive.path], [archive], version)


def _pillar(f: Fetcher, api: str, kind: str, language: str, version: str | None, limit: int | None) -> FetchResult:
    folder = f.cache / "esco" / f"api-{kind}-{_safe(language)}"
    downloads: list[Download] = []
    offset, total = 0, None
    while total is None or offset < total:
        size = PAGE_SIZE if limit is None else min(PAGE_SIZE, limit - offset)
        if size <= 0:
            break
        query = urlencode({"type": kind, "language": language, "full": "true", "limit": size, "offset": offset})
        got, page = f.get_json(f"{api}/search?{query}", folder / f"search-{kind}-{offset:06d}.{_safe(language)}.json", version)
        downloads.append(got)
        results = (page.get("_embedded") or {}).get("results") if isinstance(page, dict) else None
        if not isinstance(results, list):
            raise SourceError(got.url, "(response)", "not an ESCO search page: no _embedded.results list")
        found = page.get("total")
        total = int(found) if isinstance(found, int) else offset + len(results)
        if not results:
            break
        offset += len(results)
    return FetchResult("esco", [folder], downloads, version)
