"""How a source is named in the catalogue: never by the server's file paths.

The catalogue is public (``/v1/sources``, and the catalogue graph through ``/sparql``), so a local file is named by
its path relative to the data folder (``data/onet/Skills.txt``), to the download cache (``cache/esco/…``) or to the
working directory (``tests/data/core/tiny.ttl``) — the first that holds it — and a file outside all three by its
name and a short digest of its full path (``tiny.ttl~3fa2b1c9``: distinct files stay distinct sources, and the path
stays private). Web addresses and names that are not paths (uploads, proposals) are kept as they are; a learner's
personal source keeps its ``personal:`` mark.

>>> from pathlib import Path
>>> source_name("/srv/lermap/data/onet/Skills.txt", [(Path("/srv/lermap/data"), "data")])
'data/onet/Skills.txt'
>>> source_name("https://example.org/framework.json", [])
'https://example.org/framework.json'
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from pathlib import Path

from lermap.config import settings

_URL = re.compile(r"^[a-z][a-z0-9+.-]*://")
_PERSONAL = "personal:"


def source_name(key: str, roots: Sequence[tuple[Path, str]]) -> str:
    """The public name of the source whose key is ``key``; ``roots`` are (folder, its public name), first match wins."""
    if key.startswith(_PERSONAL):
        return _PERSONAL + source_name(key[len(_PERSONAL):], roots)
    if _URL.match(key) or not os.path.isabs(key):
        return key
    path = Path(key)
    for folder, name in roots:
        try:
            relative = path.relative_to(folder)
        except ValueError:
            continue
        return "/".join(p for p in (name, relative.as_posix()) if p and p != ".")
    return f"{path.name}~{hashlib.sha256(key.encode('utf-8')).hexdigest()[:8]}"


def default_roots() -> list[tuple[Path, str]]:
    """The data folder (by its own name), the download cache (``cache``) and the working directory (no prefix)."""
    config = settings()
    data = config.data_dir.resolve()
    return [(data, data.name), (config.cache_dir.resolve(), "cache"), (Path.cwd().resolve(), "")]


def public_source_name(key: str) -> str:
    """:func:`source_name` with the configured folders."""
    return source_name(key, default_roots())
