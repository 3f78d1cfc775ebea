"""Downloading public data into a local cache, safely: size limits, timeouts, checksums, safe unzipping.

Used by :mod:`lermap.ingest.fetch` and :mod:`lermap.ingest.case.fetch`; nothing else in lermap touches the network.
Every download is streamed to a temporary file, refused past ``max_bytes`` (whatever the server claims), and
recorded in a JSON *sidecar* next to the file (``<name>.fetch.json``: URL, SHA-256, size, retrieval time and
any extra facts such as the dataset version).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import zipfile
import zlib
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
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


def safe_extract(archive: Path, dest: Path, limits: Limits | None = None) -> list[Path]:
    """Unpack a zip into ``dest``, refusing zip bombs and entries that would land outside ``dest``.

    Refused: absolute paths, ``..`` segments, symbolic links, a total unpacked size over ``max_file_bytes``, an
    unpacked/packed ratio over ``max_archive_ratio`` (for the archive and for any entry). Sizes are counted as
    bytes are written, not trusted from the archive's headers. Unpacks into ``<dest>.part`` and renames it
    to ``dest`` only when everything passed. Returns the files written.
    """
    limits = limits or Limits.from_env()
    key = str(archive)
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(key, "(archive)", f"not a readable zip archive: {exc}") from None
    packed = max(archive.stat().st_size, 1)
    staging = dest.with_name(dest.name + ".part")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        with zf:
            _extract_all(zf, key, packed, staging.resolve(), limits)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if dest.exists():
        shutil.rmtree(dest)
    os.replace(staging, dest)
    return sorted(p for p in dest.rglob("*") if p.is_file())


def _extract_all(zf: zipfile.ZipFile, key: str, packed: int, root: Path, limits: Limits) -> None:
    total = 0
    infos = zf.infolist()
    declared = sum(i.file_size for i in infos)
    if declared > limits.max_file_bytes or declared / packed > limits.max_archive_ratio:
        raise LimitExceededError(key, "(archive)", f"unpacks to {declared:,} bytes from {packed:,}: refused as a zip bomb")
    for info in infos:
        name = info.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or (parts and ":" in parts[0]) or ".." in parts:
            raise SourceError(key, name, "entry path leaves the extraction folder: refused")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise SourceError(key, name, "symbolic links are not extracted: refused")
        target = (root / Path(*parts)).resolve() if parts else root
        if not target.is_relative_to(root):
            raise SourceError(key, name, "entry path leaves the extraction folder: refused")
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        entry_limit = max(info.compress_size, 1) * limits.max_archive_ratio
        count = 0
        try:
            with zf.open(info) as src, target.open("wb") as out:
                for chunk in iter(lambda: src.read(1 << 20), b""):  # noqa: B023 - src is bound per iteration
                    count += len(chunk)
                    total += len(chunk)
                    if count > info.file_size or count > entry_limit or total > limits.max_file_bytes:
                        raise LimitExceededError(key, name, "unpacks to more than it declares or allows: refused as a zip bomb")
                    out.write(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # CRC mismatch, corrupt deflate stream, cut short
            raise SourceError(key, name, f"damaged archive entry: {exc}") from None


def clear(path: Path) -> None:
    """Remove a cached file or folder (and a file's sidecar)."""
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
        sidecar_path(path).unlink(missing_ok=True)
