"""Sources and datasets: the provenance of every named graph, and the datasets the graph is built from."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter
from pydantic import BaseModel, Field

from lermap.api.deps import GraphDep


class SourcePublic(BaseModel):
    graph: str
    source: str
    format: str
    format_version: str | None = None
    sha256: str | None = None
    ingested_at: str | None = None
    triples: int
    warnings: list[str] = []


class DatasetPublic(BaseModel):
    id: str
    name: str
    publisher: str
    version: str | None = None
    licence: str
    licence_url: str | None = None
    url: str | None = Field(None, description="the publisher's page of the dataset")
    attribution: str = Field(description="the attribution the licence asks for, to show with the data")
    file: str = Field(description="the committed file or folder, relative to the data folder")
    sha256: str | None = Field(None, description="checksum of the committed file, as the manifest declares it")
    ingested_sha256: str | None = Field(None, description="checksum of the file the store ingested")
    ingested_at: str | None = None
    triples: int | None = None
    format: str | None = None
    format_version: str | None = Field(None, description="the version the ingester read from the content")


class DatasetsPublic(BaseModel):
    datasets: list[DatasetPublic]
    built_at: str | None = Field(None, description="when the graph's content last changed (lermap build)")


router = APIRouter(tags=["sources"])


@router.get("/sources", operation_id="list_sources", response_model=list[SourcePublic])
def list_sources(kg: GraphDep) -> list[SourcePublic]:
    """Every shared source in the graph with its provenance (format, version, checksum, time, size)."""
    return [SourcePublic(**{k: v for k, v in i.to_dict().items() if k in SourcePublic.model_fields}) for i in kg.sources() if not i.personal]


@router.get("/datasets", operation_id="list_datasets", response_model=DatasetsPublic)
def list_datasets(kg: GraphDep) -> DatasetsPublic:
    """The datasets the graph is built from: name, publisher, version, licence, the attribution to show with the
    data, the committed file's checksum, what was ingested from it and when, and when the graph was built."""
    overview = kg.datasets()
    return DatasetsPublic(datasets=[DatasetPublic(**asdict(d)) for d in overview.datasets], built_at=overview.built_at)


@router.get("/health", operation_id="health", tags=["meta"])
def health(kg: GraphDep) -> dict[str, object]:
    """Liveness and a count of sources."""
    return {"status": "ok", "sources": len(kg.store.visible_graphs(include_personal=True)) - 1}  # the cached list, less the catalogue
