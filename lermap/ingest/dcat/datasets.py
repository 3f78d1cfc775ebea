"""The manifest of the datasets a graph is built from (``data/datasets.yaml``) as ``schema:Dataset`` descriptions.

Layout::

    datasets:
      - id: onet                                   # a short name, unique in the manifest
        name: O*NET database
        publisher: National Center for O*NET Development for USDOL/ETA
        version: "29.2 (February 2025)"            # or null
        licence: CC BY 4.0
        licence_url: https://creativecommons.org/licenses/by/4.0/
        url: https://www.onetcenter.org/database.html
        path: onet/onet-db-29.2.zip                # the committed file or folder, relative to the manifest
        sha256: 9b064f...                          # of that file as committed (null for a folder)
        attribution: "This page includes information from the O*NET 29.2 Database ..."

Each dataset becomes a ``schema:Dataset`` (IRI ``https://w3id.org/lermap/id/dataset/<id>``) with ``schema:name``,
``schema:publisher``, ``schema:version``, ``schema:license`` (the licence's URL) and ``lermap:licenceName``,
``schema:url``, ``schema:creditText`` (the attribution the licence asks for), ``lermap:dataFile``,
``lermap:sha256`` and ``lermap:sourceKey`` — the key the store catalogues the file's own graph under, so the
service can show next to each dataset what was actually ingested and when. A file that is missing, or whose
checksum differs from the one declared, is reported as a warning (the manifest, and data/README.md, need updating).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from pyoxigraph import Literal, NamedNode

from lermap.graph.terms import TripleTuple, is_iri
from lermap.graph.vocab import LERMAP, LERMAP_ID_BASE, RDF, SCHEMA
from lermap.ingest.base import IngestContext, Ingester, Source, parse_yaml_text

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_TEXT_FIELDS = ("name", "publisher", "version", "licence", "licence_url", "url", "path", "sha256", "attribution")
_REQUIRED = ("name", "publisher", "licence", "path", "attribution")


@dataclass
class Dataset:
    id: str
    name: str
    publisher: str
    licence: str
    path: str
    attribution: str
    version: str | None = None
    licence_url: str | None = None
    url: str | None = None
    sha256: str | None = None


def dataset_iri(dataset_id: str) -> NamedNode:
    return NamedNode(LERMAP_ID_BASE + "dataset/" + dataset_id)


def read_manifest(doc: Any, ctx: IngestContext) -> list[Dataset]:
    if not isinstance(doc, dict) or not isinstance(doc.get("datasets"), list):
        ctx.fail("datasets", "expected a top-level 'datasets' list")
    out: list[Dataset] = []
    seen: set[str] = set()
    for i, item in enumerate(doc["datasets"]):
        where = f"datasets[{i}]"
        if not isinstance(item, dict):
            ctx.fail(where, f"expected a mapping, found {type(item).__name__}")
        unknown = set(item) - {"id", *_TEXT_FIELDS}
        if unknown:
            ctx.fail(where, f"unknown field(s) {', '.join(sorted(unknown))}")
        ident = item.get("id")
        if not isinstance(ident, str) or not _ID.match(ident):
            ctx.fail(f"{where}.id", "expected a short lower-case name (letters, digits, hyphens)")
        if ident in seen:
            ctx.fail(f"{where}.id", f"{ident!r} is used twice")
        seen.add(ident)
        values: dict[str, str | None] = {}
        for key in _TEXT_FIELDS:
            value = item.get(key)
            if value is not None and not isinstance(value, (str, int, float)):
                ctx.fail(f"{where}.{key}", f"expected text, found {type(value).__name__}")
            values[key] = str(value).strip() if value is not None and str(value).strip() else None
        for key in _REQUIRED:
            if values[key] is None:
                ctx.fail(f"{where}.{key}", "missing")
        for key in ("licence_url", "url"):
            if values[key] is not None and not is_iri(str(values[key])):
                ctx.fail(f"{where}.{key}", f"{values[key]!r} is not a URL")
        if values["sha256"] is not None and not _SHA256.match(str(values["sha256"])):
            ctx.fail(f"{where}.sha256", "expected 64 lower-case hex digits")
        path = PurePosixPath(str(values["path"]))
        if path.is_absolute() or ".." in path.parts:
            ctx.fail(f"{where}.path", "must be a path inside the manifest's folder")
        out.append(Dataset(ident, name=str(values["name"]), publisher=str(values["publisher"]), licence=str(values["licence"]),
                           path=str(values["path"]), attribution=str(values["attribution"]), version=values["version"],
                           licence_url=values["licence_url"], url=values["url"], sha256=values["sha256"]))
    return out


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_files(datasets: list[Dataset], folder: Path, ctx: IngestContext) -> dict[str, str]:
    """Each dataset's catalogue name (``data/<file>``: the public name ``lermap build`` gives the file's own graph,
    never the server's path); warns about missing files and changed checksums."""
    keys: dict[str, str] = {}
    root = folder.resolve()
    for i, d in enumerate(datasets):
        target = (root / d.path).resolve()
        keys[d.id] = f"{root.name}/{Path(d.path).as_posix()}"
        if not target.exists():
            ctx.warn(f"datasets[{i}].path", f"{d.path} does not exist")
        elif d.sha256 is not None and target.is_file() and _sha256(target) != d.sha256:
            ctx.warn(f"datasets[{i}].sha256", f"{d.path} has changed since the manifest was written (its sha256 differs); update it")
    return keys


class DatasetsIngester(Ingester):
    """The manifest of the datasets a graph is built from (``datasets.yaml``)."""

    name = "datasets"
    title = "dataset manifest"
    version = "2"  # 2: the catalogue key is the public name data/<file>, not the server path
    writes_canonical_iris = True

    def sniff(self, source: Source) -> float:
        if source.is_dir or source.suffix not in {".yml", ".yaml"}:
            return 0.0
        head = source.head().decode("utf-8", "replace")
        return 0.9 if re.search(r"^datasets:\s*$", head, re.MULTILINE) and "licence" in head and "path:" in head else 0.0

    def parse(self, source: Source, ctx: IngestContext) -> tuple[list[Dataset], dict[str, str]]:
        datasets = read_manifest(parse_yaml_text(source.text(), source.key, "", source.limits), ctx)
        folder = source.origin.resolve().parent if source.origin is not None and source.archive is None else None
        return datasets, (check_files(datasets, folder, ctx) if folder is not None else {})

    def map(self, parsed: tuple[list[Dataset], dict[str, str]], ctx: IngestContext) -> Iterator[TripleTuple]:
        datasets, keys = parsed
        for d in datasets:
            s = dataset_iri(d.id)
            yield s, RDF.type, SCHEMA.Dataset
            yield s, LERMAP.datasetId, Literal(d.id)
            yield s, SCHEMA.name, Literal(d.name)
            yield s, SCHEMA.publisher, Literal(d.publisher)
            yield s, LERMAP.licenceName, Literal(d.licence)
            yield s, SCHEMA.creditText, Literal(d.attribution)
            yield s, LERMAP.dataFile, Literal(d.path)
            for value, prop in ((d.version, SCHEMA.version), (d.sha256, LERMAP.sha256)):
                if value is not None:
                    yield s, prop, Literal(value)
            for url, prop in ((d.licence_url, SCHEMA.license), (d.url, SCHEMA.url)):
                if url is not None:
                    yield s, prop, NamedNode(url)
            if d.id in keys:
                yield s, LERMAP.sourceKey, Literal(keys[d.id])
