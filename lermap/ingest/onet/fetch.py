"""Fetching an O*NET database release: the text release zip, kept as downloaded and read by streaming."""

from __future__ import annotations

import re
from pathlib import Path

from lermap.errors import ConfigError
from lermap.ingest.download import Fetcher, FetchResult

ONET_URL = "https://www.onetcenter.org/dl_files/database/db_{version}_text.zip"
ONET_DEFAULT_VERSION = "29.2"


def fetch_onet(f: Fetcher, url: str | None, version: str | None) -> FetchResult:
    """The release zip (``version`` e.g. "29.2"; ``url`` a mirror or another layout's zip, e.g. the Excel release)."""
    version = version or ONET_DEFAULT_VERSION
    if not re.fullmatch(r"\d+\.\d+", version):
        raise ConfigError(f"an O*NET version looks like '29.2', got {version!r}")
    url = url or ONET_URL.format(version=version.replace(".", "_"))
    archive = f.get(url, f.cache / "onet" / version / (Path(url.split("?")[0]).name or "onet.zip"), f.limits.max_file_bytes,
                    version=f"O*NET {version}")
    return FetchResult("onet", [archive.path], [archive], version)
