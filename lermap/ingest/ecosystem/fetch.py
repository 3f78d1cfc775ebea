"""Fetching the LER Ecosystem Map site's data files, under the flat names the ``ler-map`` ingester reads."""

from __future__ import annotations

import re

from lermap.errors import SourceError
from lermap.ingest.download import Fetcher, FetchResult
from lermap.ingest.ecosystem.ler_map import STAKEHOLDER_TYPES

LER_MAP_URL = "https://raw.githubusercontent.com/gwalsh311/ler-ecosystem-map-v2/{ref}/"
LER_MAP_DATA = ("stakeholders-list.yml", "glossary-list.yml", "resources-list.yml", "action-items-content.yml", "pagelist.yml")


def fetch_ler_map(f: Fetcher, url: str | None, version: str | None) -> FetchResult:
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
