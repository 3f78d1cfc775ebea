"""Sources: the provenance of every named graph."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

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


router = APIRouter(tags=["sources"])


@router.get("/sources", operation_id="list_sources", response_model=list[SourcePublic])
def list_sources(kg: GraphDep) -> list[SourcePublic]:
    """Every shared source in the graph with its provenance (format, version, checksum, time, size)."""
    return [SourcePublic(**{k: v for k, v in i.to_dict().items() if k in SourcePublic.model_fields}) for i in kg.sources() if not i.personal]


@router.get("/health", operation_id="health", tags=["meta"])
def health(kg: GraphDep) -> dict[str, object]:
    """Liveness and a count of sources."""
    return {"status": "ok", "sources": len(kg.store.visible_graphs(include_personal=True)) - 1}  # the cached list, less the catalogue
