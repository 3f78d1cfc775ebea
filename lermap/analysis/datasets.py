"""Where the graph's data comes from: each dataset with its licence and attribution, what was ingested, and when.

The manifest (``data/datasets.yaml``, ingested as ``schema:Dataset`` descriptions) says what each dataset is; the
store's catalogue says what was actually ingested from its file (checksum, time, size, the version read from the
content); the build record says when the graph last changed. Pages and the API show this as it is.

>>> import lermap
>>> overview(lermap.open_graph("memory:")).datasets
[]
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lermap.analysis.kg import Graph, text


@dataclass
class DatasetInfo:
    """One dataset of the graph, for a page or an API response."""

    id: str
    name: str
    publisher: str
    licence: str
    attribution: str
    file: str  # the committed file or folder, relative to the data folder
    version: str | None = None
    licence_url: str | None = None
    url: str | None = None
    sha256: str | None = None  # as declared in the manifest
    ingested_sha256: str | None = None  # as the store recorded when it ingested the file
    ingested_at: str | None = None
    triples: int | None = None
    format: str | None = None
    format_version: str | None = None  # what the ingester read from the content (e.g. O*NET's Read Me)

    @property
    def in_graph(self) -> bool:
        return self.ingested_at is not None


@dataclass
class DatasetsOverview:
    datasets: list[DatasetInfo] = field(default_factory=list)
    built_at: str | None = None  # when the graph's content last changed (the build record), if it was built


def overview(kg: Graph) -> DatasetsOverview:
    """The datasets described in the graph, joined with the catalogue entries of their files."""
    catalogue = {i.source: i for i in kg.sources() if not i.personal}
    out = DatasetsOverview()
    seen: set[str] = set()
    for r in kg.rows("datasets"):
        ident = str(r["id"])
        if ident in seen:
            continue
        seen.add(ident)
        info = DatasetInfo(ident, str(r["name"]), str(r["publisher"]), str(r["licence"]), str(r["attribution"]), str(r["file"]),
                           text(r.get("version")), text(r.get("licenceUrl")), text(r.get("url")), text(r.get("sha256")))
        entry = catalogue.get(str(r["key"])) if r.get("key") is not None else None
        if entry is not None:
            info.ingested_sha256, info.ingested_at, info.triples = entry.sha256, entry.ingested_at, entry.triples
            info.format, info.format_version = entry.format, entry.format_version
        out.datasets.append(info)
    record = kg.rows("build-record")
    out.built_at = str(record[0]["at"]) if record else None
    return out
