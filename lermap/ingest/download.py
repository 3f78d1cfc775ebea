"""Downloading public data into a local cache, safely: size limits, timeouts, checksums, a reusable cache.

Used by :mod:`lermap.ingest.fetch` and the families' ``fetch`` modules; nothing else in lermap touches the network.
Every download is streamed to a temporary file, refused past ``max_bytes`` (whatever the server claims), and
recorded in a JSON *sidecar* next to the file (``<name>.fetch.json``: URL, SHA-256, size, retrieval time and
any extra facts such as the dataset version). Archives are kept as downloaded: ingesters read them by streaming
(:mod:`lermap.ingest.sources`), with the zip-bomb and path checks there.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from lermap.config import Limits
from lermap.errors import LimitExceededError, SourceError

SIDECAR_SUFFIX = ".fetch.json"
USER_AGENT = "lermap (+https://w3id.org/lermap)"


@dataclass
class Download:
    """One file fetched: where it came from and what it is."""

    url: str
    path: Path
    sha256: str
    size: int
    retrieved_at: str
    content_type: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["path"] = self.path.name
        return d


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def write_sidecar(info: Download) -> Path:
    """Write ``<file>.fetch.json`` beside the downloaded file; returns its path."""
    side = sidecar_path(info.path)
    side.write_text(json.dumps(info.to_dict(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return side


def read_sidecar(path: Path) -> dict[str, Any] | None:
    """The sidecar of a cached file, or ``None`` when there is none (or it is unreadable)."""
    try:
        value = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def download(url: str, dest: Path, *, max_bytes: int, timeout: float = 60.0, client: httpx.Client | None = None,
             accept: str | None = None, extra: dict[str, Any] | None = None) -> Download:
    """GET ``url`` into ``dest`` (atomically), refusing more than ``max_bytes``; writes the sidecar too."""
    if not url.startswith(("http://", "https://")):
        raise SourceError(url, "(url)", "only http:// and https:// URLs can be fetched")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    own = client is None
    http = client or httpx.Client(timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT})
    h, size = hashlib.sha256(), 0
    try:
        headers = {"Accept": accept} if accept else {}
        with http.stream("GET", url, headers=headers, timeout=timeout) as response:
            if response.status_code >= 400:
                raise SourceError(url, f"HTTP {response.status_code}", f"the server refused the download ({response.reason_phrase})")
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise LimitExceededError(url, "(download)", f"{int(declared):,} bytes is over the limit of {max_bytes:,}")
            with tmp.open("wb") as fh:
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise LimitExceededError(url, "(download)", f"more than {max_bytes:,} bytes: download stopped")
                    h.update(chunk)
                    fh.write(chunk)
            content_type = response.headers.get("Content-Type")
        os.replace(tmp, dest)
    except (httpx.ConnectError, httpx.TimeoutException) as exc:
        raise SourceError(url, "(download)", f"cannot reach the server (offline, or behind a proxy? a mirror can stand in: --url): {exc}") from None
    except httpx.HTTPError as exc:
        raise SourceError(url, "(download)", f"cannot download: {exc}") from None
    finally:
        tmp.unlink(missing_ok=True)
        if own:
            http.close()
    info = Download(url=url, path=dest, sha256=h.hexdigest(), size=size,
                    retrieved_at=datetime.now(UTC).isoformat(timespec="seconds"), content_type=content_type,
                    extra=dict(extra or {}))
    write_sidecar(info)
    return info


def clear(path: Path) -> None:
    """Remove a cached file or folder (and a file's sidecar)."""
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
        sidecar_path(path).unlink(missing_ok=True)


@dataclass
class FetchResult:
    """What a fetch produced: the paths to ingest, the files downloaded (with checksums) and the version."""

    name: str
    paths: list[Path]
    downloads: list[Download] = field(default_factory=list)
    version: str | None = None
    cached: bool = False  # True when nothing had to be downloaded
    warnings: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)  # ingest options the fetched files need (e.g. OEWS areas)

    @property
    def sha256(self) -> str | None:
        """The checksum of the single downloaded file (the archive for zip sources)."""
        return self.downloads[0].sha256 if len(self.downloads) == 1 else None


class Fetcher:
    """One fetch run: the cache folder, the HTTP client, the limits, and a count of what had to be downloaded."""

    def __init__(self, cache: Path, refresh: bool, timeout: float, limits: Limits, client: httpx.Client | None) -> None:
        self.cache, self.refresh, self.timeout, self.limits = cache, refresh, timeout, limits
        self.client = client or httpx.Client(timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT})
        self.own_client = client is None
        self.fresh = 0

    def get(self, url: str, dest: Path, max_bytes: int, accept: str | None = None, version: str | None = None) -> Download:
        """The cached copy when its checksum matches its sidecar, else a new download."""
        side = read_sidecar(dest)
        if not self.refresh and side is not None and dest.is_file() and side.get("url") == url \
                and side.get("sha256") == sha256_of(dest):
            return Download(url=url, path=dest, sha256=str(side["sha256"]), size=int(side.get("size") or 0),
                            retrieved_at=str(side.get("retrieved_at")), content_type=side.get("content_type"),
                            extra=dict(side.get("extra") or {}))
        self.fresh += 1
        extra = {"version": version} if version else {}
        return download(url, dest, max_bytes=max_bytes, timeout=self.timeout, client=self.client, accept=accept, extra=extra)

    def get_json(self, url: str, dest: Path, version: str | None = None) -> tuple[Download, Any]:
        """A JSON document, downloaded (or cached) and parsed; refused with its URL when it is not JSON."""
        got = self.get(url, dest, self.limits.max_json_bytes, accept="application/json", version=version)
        try:
            return got, json.loads(got.path.read_text("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise SourceError(url, "(response)", f"not JSON: {exc}") from None

    def close(self) -> None:
        if self.own_client:
            self.client.close()
