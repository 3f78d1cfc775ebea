"""Fetching a CFPackage from a CASE provider's REST API (``/ims/case/v1p0/CFPackages/{id}``), for later ingest.

The one function here is the only part of the CASE support that uses the network; the ``case`` ingester reads
the stored file like any other. The package is checked to be a CFPackage before it is kept.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx

from lermap.config import Limits
from lermap.errors import SourceError
from lermap.ingest.download import clear, download, write_sidecar

CASE_PACKAGE_PATH = "/ims/case/v1p0/CFPackages/"
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def fetch_case_package(base_url: str, package_id: str, dest_dir: str | Path, *, timeout: float = 60.0,
                       max_bytes: int | None = None, client: httpx.Client | None = None) -> Path:
    """GET ``{base_url}/ims/case/v1p0/CFPackages/{package_id}`` into ``dest_dir``; returns the JSON file's path.

    The response is refused over ``max_bytes`` (default: the JSON limit, ``LERMAP_MAX_JSON_BYTES``) or when it is
    not a CFPackage. Beside the file, ``<file>.fetch.json`` records the URL, SHA-256 and retrieval time.

    With network access (so not run as a doctest)::

        fetch_case_package("https://case.example.org", "c5fb0812-d7cb-11e8-824f-0242ac160002", "cache/case")
        # -> PosixPath('cache/case/c5fb0812-d7cb-11e8-824f-0242ac160002.json')
    """
    if not _ID.match(package_id):
        raise SourceError(package_id, "(package id)", "a CFPackage identifier is letters, digits, '.', '_' and '-'")
    url = base_url.rstrip("/") + CASE_PACKAGE_PATH + package_id
    dest = Path(dest_dir) / f"{package_id}.json"
    limit = max_bytes if max_bytes is not None else Limits.from_env().max_json_bytes
    info = download(url, dest, max_bytes=limit, timeout=timeout, client=client, accept="application/json",
                    extra={"format": "case", "package_id": package_id})
    try:
        data = json.loads(dest.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        clear(dest)
        raise SourceError(url, "(document)", f"the provider did not return JSON: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("CFPackage"), dict):
        data = data["CFPackage"]
    if not (isinstance(data, dict) and isinstance(data.get("CFDocument"), dict)):
        clear(dest)
        raise SourceError(url, "(document)", "the provider's answer is not a CFPackage (no CFDocument)")
    info.extra["title"] = data["CFDocument"].get("title")
    write_sidecar(info)
    return dest
