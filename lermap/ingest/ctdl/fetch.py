"""Fetching from the Credential Registry: documents by CTID, or the resources a keyword search finds.

* ``ids``: ``{base}/graph/{ctid}`` (default) or ``{base}/resources/{ctid}`` (``what="resources"``);
* ``query``: the registry's full-text search, ``{base}/{community}/search?fts=...&page=...&per_page=...``
  (the Metadata Registry search API), whose answer is a list of envelopes; each envelope's ``decoded_resource``
  (the CTDL JSON-LD the ``ctdl`` ingesters read) is saved as ``<ctid>.json``, up to ``limit`` of them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from lermap.errors import ConfigError, SourceError
from lermap.ingest.download import Download, Fetcher, FetchResult, write_sidecar

REGISTRY_URL = "https://credentialengineregistry.org"
COMMUNITY = "ce-registry"
_CTID = re.compile(r"^ce-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
PAGE_SIZE = 50


def fetch_registry(f: Fetcher, url: str | None, ids: Sequence[str], what: str, query: str | None, limit: int | None) -> FetchResult:
    if what not in ("graph", "resources"):
        raise ConfigError(f"credential-registry documents are 'graph' or 'resources', got {what!r}")
    if not ids and not query:
        raise ConfigError("credential-registry needs ids (the CTIDs to fetch, ce-...) or a query (keywords to search for)")
    base = (url or REGISTRY_URL).rstrip("/")
    if query:
        return _search(f, base, query, limit or PAGE_SIZE)
    downloads = []
    for ctid in ids:
        if not _CTID.match(ctid):
            raise ConfigError(f"not a CTID (ce-<uuid>): {ctid!r}")
        suffix = ".graph.json" if what == "graph" else ".json"
        downloads.append(f.get(f"{base}/{what}/{ctid.lower()}", f.cache / "credential-registry" / f"{ctid.lower()}{suffix}",
                               f.limits.max_json_bytes, accept="application/ld+json, application/json"))
    return FetchResult("credential-registry", [d.path for d in downloads], downloads)


def ctid_of(envelope: dict[str, Any]) -> str | None:
    """The CTID an envelope carries: on the envelope, on its resource, or on the resource's first node."""
    resource = envelope.get("decoded_resource")
    candidates = [envelope.get("envelope_ceterms_ctid"), envelope.get("envelope_ctid")]
    if isinstance(resource, dict):
        candidates.append(resource.get("ceterms:ctid"))
        graph = resource.get("@graph")
        if isinstance(graph, list) and graph and isinstance(graph[0], dict):
            candidates.append(graph[0].get("ceterms:ctid"))
    return next((c.lower() for c in candidates if isinstance(c, str) and _CTID.match(c)), None)


def _search(f: Fetcher, base: str, query: str, limit: int) -> FetchResult:
    folder = f.cache / "credential-registry" / "search"
    result = FetchResult("credential-registry", [], [])
    page = 1
    while len(result.paths) < limit:
        per_page = min(PAGE_SIZE, limit - len(result.paths))
        params = urlencode({"fts": query, "page": page, "per_page": per_page})
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", query)[:60]
        got, envelopes = f.get_json(f"{base}/{COMMUNITY}/search?{params}", folder / f"search-{name}-{page:04d}.json")
        result.downloads.append(got)
        if not isinstance(envelopes, list):
            raise SourceError(got.url, "(response)", "not a registry search answer: expected a list of envelopes")
        for i, envelope in enumerate(envelopes):
            resource = envelope.get("decoded_resource") if isinstance(envelope, dict) else None
            ctid = ctid_of(envelope) if isinstance(envelope, dict) else None
            if not isinstance(resource, dict) or ctid is None:
                result.warnings.append(f"{got.url}: envelope {i}: no decoded resource with a CTID; skipped")
                continue
            path = folder / f"{ctid}.json"
            data = json.dumps(resource, ensure_ascii=False, indent=1).encode("utf-8")
            path.write_bytes(data)
            write_sidecar(Download(url=got.url, path=path, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                                   retrieved_at=got.retrieved_at, content_type="application/ld+json", extra={"query": query}))
            if path not in result.paths:
                result.paths.append(path)
            if len(result.paths) >= limit:
                break
        if len(envelopes) < per_page:
            break
        page += 1
    if not result.paths:
        result.warnings.append(f"the registry found nothing for {query!r}")
    return result
