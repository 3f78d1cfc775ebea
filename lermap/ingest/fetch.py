"""Fetch public datasets into a local cache, for users with network access; then ingest the returned paths.

With network access (so not run as a doctest)::

    result = fetch("onet", version="29.2")
    kg.ingest(*result.paths)

Sources (every base URL is overridable with ``url``, so a mirror or a test server can stand in):

===================== ===================================================================================
``onet``              the O*NET database text release zip (``version`` e.g. "29.2"), unpacked safely; the
                      path returned is the release folder the ``onet`` ingester reads
``esco``              a bulk-download zip the user points to with ``url`` (ESCO's downloads sit behind a
                      form, so there is no stable URL), unpacked safely; or, with ``ids`` (concept URIs),
                      each concept's JSON from the ESCO web-service API (``url`` = API base)
``ler-map``           the LER Ecosystem Map v2 site data: its ``_data/*.yml`` files and stakeholder pages,
                      stored under the flat names the ``ler-map`` ingester reads (``version`` = git ref)
``credential-registry`` Credential Registry documents by CTID (``ids``): ``/graph/{ctid}`` (default) or
                      ``/resources/{ctid}`` (``what="resources"``)
``case``              CFPackages by identifier (``ids``) from a CASE provider (``url`` = its base URL)
===================== ===================================================================================

Every downloaded file gets a sidecar ``<file>.fetch.json`` (URL, SHA-256, size, retrieval time, version). A cached
file whose checksum still matches its sidecar is reused unless ``refresh=True``. Zip archives are unpacked with
:func:`lermap.ingest.download.safe_extract` (zip-bomb and path-traversal checks, limits from :class:`lermap.config.Limits`).
The cache is ``cache_dir``, else ``settings().cache_dir`` (``$LERMAP_CACHE_DIR``, else ``$XDG_CACHE_HOME/lermap``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx

from lermap.config import Limits, settings
from lermap.errors import ConfigError, SourceError
from lermap.ingest.case.fetch import fetch_case_package
from lermap.ingest.download import USER_AGENT, Download, download, read_sidecar, safe_extract, sha256_of
from lermap.ingest.ecosystem.ler_map import STAKEHOLDER_TYPES

SOURCES = ("onet", "esco", "ler-map", "credential-registry", "case")
ONET_URL = "https://www.onetcenter.org/dl_files/database/db_{version}_text.zip"
ONET_DEFAULT_VERSION = "29.2"
ESCO_API = "https://ec.europa.eu/esco/api"
LER_MAP_URL = "https://raw.githubusercontent.com/gwalsh311/ler-ecosystem-map-v2/{ref}/"
LER_MAP_DATA = ("stakeholders-list.yml", "glossary-list.yml", "resources-list.yml", "action-items-content.yml", "pagelist.yml")
REGISTRY_URL = "https://credentialengineregistry.org"
_CTID = re.compile(r"^ce-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)


@dataclass
class FetchResult:
    """What a fetch produced: the paths to ingest, the files downloaded (with checksums) and the version."""

    name: str
    paths: list[Path]
    downloads: list[Download] = field(default_factory=list)
    version: str | None = None
    cached: bool = False  # True when nothing had to be downloaded
    warnings: list[str] = field(default_factory=list)

    @property
    def sha256(self) -> str | None:
        """The checksum of the single downloaded file (the archive for zip sources)."""
        return self.downloads[0].sha256 if len(self.downloads) == 1 else None


class _Fetcher:
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

    def unpack(self, archive: Download, folder: Path) -> Path:
        """The archive unpacked into ``folder`` (reused when already unpacked from this very archive)."""
        marker = folder / ".lermap-archive-sha256"
        if self.refresh or not marker.is_file() or marker.read_text().strip() != archive.sha256:
            safe_extract(archive.path, folder, self.limits)
            marker.write_text(archive.sha256 + "\n")
            self.fresh += 1
        entries = [p for p in folder.iterdir() if not p.name.startswith(".")]
        return entries[0] if len(entries) == 1 and entries[0].is_dir() else folder

    def close(self) -> None:
        if self.own_client:
            self.client.close()


def _onet(f: _Fetcher, url: str | None, version: str | None) -> FetchResult:
    version = version or ONET_DEFAULT_VERSION
    if not re.fullmatch(r"\d+\.\d+", version):
        raise ConfigError(f"an O*NET version looks like '29.2', got {version!r}")
    url = url or ONET_URL.format(version=version.replace(".", "_"))
    base = f.cache / "onet" / version
    archive = f.get(url, base / Path(url).name.split("?")[0], f.limits.max_file_bytes, version=f"O*NET {version}")
    return FetchResult("onet", [f.unpack(archive, base / "unpacked")], [archive], version)


def _esco(f: _Fetcher, url: str | None, version: str | None, ids: Sequence[str], language: str) -> FetchResult:
    if ids:
        api = (url or ESCO_API).rstrip("/")
        folder = f.cache / "esco" / "api"
        downloads = []
        for uri in ids:
            if not uri.startswith(("http://", "https://")):
                raise ConfigError(f"ESCO concepts are fetched by URI, got {uri!r}")
            name = re.sub(r"[^A-Za-z0-9._-]+", "_", uri.split("://", 1)[1])[-150:] + f".{language}.json"
            target = f"{api}/resource/concept?uri={quote(uri, safe='')}&language={quote(language)}"
            downloads.append(f.get(target, folder / name, f.limits.max_json_bytes, accept="application/json", version=version))
        return FetchResult("esco", [d.path for d in downloads], downloads, version)
    if not url:
        raise ConfigError("ESCO bulk downloads have no stable URL: pass the zip's url (or ids for the web-service API)")
    label = version or "download"
    base = f.cache / "esco" / re.sub(r"[^A-Za-z0-9._-]+", "_", label)
    archive = f.get(url, base / (Path(url.split("?")[0]).name or "esco.zip"), f.limits.max_file_bytes, version=version)
    return FetchResult("esco", [f.unpack(archive, base / "unpacked")], [archive], version)


def _ler_map(f: _Fetcher, url: str | None, version: str | None) -> FetchResult:
    ref = version or "main"
    base = (url or LER_MAP_URL.format(ref=ref)).rstrip("/") + "/"
    folder = f.cache / "ler-map" / re.sub(r"[^A-Za-z0-9._-]+", "_", ref)
    wanted = [(f"_data/{n}", f"data-{n}") for n in LER_MAP_DATA]
    wanted += [(f"_stakeholders/{slug}.md", f"stakeholders-{slug}.md") for slug in STAKEHOLDER_TYPES]
    result = FetchResult("ler-map", [folder], [], ref)
    for remote, local in wanted:
        try:
            result.downloads.append(f.get(base + remote, folder / local, f.limits.max_file_bytes, version=ref))
        except SourceError as exc:
            if local == "data-stakeholders-list.yml":
                raise
            result.warnings.append(f"{remote}: {exc.reason}")
    return result


def _registry(f: _Fetcher, url: str | None, ids: Sequence[str], what: str) -> FetchResult:
    if what not in ("graph", "resources"):
        raise ConfigError(f"credential-registry documents are 'graph' or 'resources', got {what!r}")
    if not ids:
        raise ConfigError("credential-registry needs ids: the CTIDs to fetch (ce-...)")
    base = (url or REGISTRY_URL).rstrip("/")
    downloads = []
    for ctid in ids:
        if not _CTID.match(ctid):
            raise ConfigError(f"not a CTID (ce-<uuid>): {ctid!r}")
        suffix = ".graph.json" if what == "graph" else ".json"
        downloads.append(f.get(f"{base}/{what}/{ctid.lower()}", f.cache / "credential-registry" / f"{ctid.lower()}{suffix}",
                               f.limits.max_json_bytes, accept="application/ld+json, application/json"))
    return FetchResult("credential-registry", [d.path for d in downloads], downloads)


def _case(f: _Fetcher, url: str | None, ids: Sequence[str]) -> FetchResult:
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
          ids: Sequence[str] = (), what: str = "graph", language: str = "en", refresh: bool = False,
          timeout: float = 60.0, limits: Limits | None = None, client: httpx.Client | None = None) -> FetchResult:
    """Download the public dataset ``name`` (one of :data:`SOURCES`) into the cache; returns what to ingest.

    ``url`` overrides the source's URL (a file URL for ``onet``/``esco`` zips, a base URL for the services);
    ``version`` picks a release (O*NET) or git ref (LER map); ``ids`` names documents (CTIDs, CFPackage
    identifiers, ESCO concept URIs). Raises :class:`~lermap.errors.ConfigError` for a bad request and
    :class:`~lermap.errors.SourceError` when a download or an archive is refused.
    """
    if name not in SOURCES:
        raise ConfigError(f"unknown dataset {name!r}; choose one of: {', '.join(SOURCES)}")
    cache = Path(cache_dir) if cache_dir is not None else settings().cache_dir
    f = _Fetcher(cache, refresh, timeout, limits or Limits.from_env(), client)
    try:
        if name == "onet":
            result = _onet(f, url, version)
        elif name == "esco":
            result = _esco(f, url, version, ids, language)
        elif name == "ler-map":
            result = _ler_map(f, url, version)
        elif name == "credential-registry":
            result = _registry(f, url, ids, what)
        else:
            result = _case(f, url, ids)
    finally:
        f.close()
    result.cached = f.fresh == 0
    return result
