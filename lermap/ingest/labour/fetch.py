"""Fetching OEWS estimates from BLS: the special-request zips of a May release, kept as downloaded.

``https://www.bls.gov/oes/special-requests/oesm{yy}{part}.zip`` holds one spreadsheet of BLS's layout
(``national_M2025_dl.xlsx``, ``all_data_M_2025.xlsx`` ...), which the ``oews`` ingester reads out of the zip:

=========== ========== ==================================================
``what``    ``part``   what is ingested (``oews_areas``)
=========== ========== ==================================================
national    nat        the national estimates (the default)
state       st         every state's estimates
metro       ma         every metropolitan and nonmetropolitan area's
all         all        all of them, national, state and metro (a large file)
=========== ========== ==================================================
"""

from __future__ import annotations

import re

from lermap.errors import ConfigError
from lermap.ingest.download import Fetcher, FetchResult

OEWS_URL = "https://www.bls.gov/oes/special-requests/oesm{yy}{part}.zip"
OEWS_DEFAULT_YEAR = "2025"
PARTS = {"national": ("nat", "national"), "state": ("st", "state"), "metro": ("ma", "metro"), "all": ("all", "all")}


def fetch_oews(f: Fetcher, url: str | None, version: str | None, what: str | None) -> FetchResult:
    year = version or OEWS_DEFAULT_YEAR
    if not re.fullmatch(r"20\d\d", year):
        raise ConfigError(f"an OEWS release is a year such as '2025' (the May estimates), got {year!r}")
    what = what or "national"
    if what not in PARTS:
        raise ConfigError(f"OEWS files are {', '.join(PARTS)}, not {what!r}")
    part, areas = PARTS[what]
    url = url or OEWS_URL.format(yy=year[2:], part=part)
    name = url.split("?")[0].rstrip("/").rsplit("/", 1)[-1] or f"oesm{year[2:]}{part}.zip"
    archive = f.get(url, f.cache / "oews" / year / name, f.limits.max_file_bytes, version=f"OEWS May {year}")
    return FetchResult("oews", [archive.path], [archive], year, options={"oews_areas": areas, "year": year})
