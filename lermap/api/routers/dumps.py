"""``/v1/dumps``: bulk downloads of the shared dataset, written once per state of the store and served as files
(``Content-Length``, a strong ``ETag``, ``Last-Modified``, ``If-None-Match`` / ``If-Modified-Since`` → 304, ranges,
HEAD). See :mod:`lermap.service.dumps`."""

from __future__ import annotations

from email.utils import format_datetime, parsedate_to_datetime

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from lermap.api.deps import GraphDep
from lermap.api.errors import errors
from lermap.service.dumps import DumpFile

router = APIRouter(prefix="/dumps", tags=["dumps"])
CACHE_CONTROL = "public, max-age=300"  # a state's file never changes; a new state is a new ETag


class DumpPublic(BaseModel):
    name: str = Field(examples=["graph.nq.gz"])
    url: str
    media_type: str
    title: str


@router.get("", response_model=list[DumpPublic], operation_id="list_dumps")
def list_dumps(kg: GraphDep, request: Request) -> list[DumpPublic]:
    """Every bulk download: the whole shared dataset and each source as gzipped N-Quads, the alignments as SSSOM TSV
    and JSON, the directory's tables as CSV. Never learner data."""
    return [DumpPublic(name=k.name, url=str(request.url_for("get_dump", name=k.name)), media_type=k.media_type, title=k.title)
            for k in kg.dumps()]


def _not_modified(request: Request, dump: DumpFile) -> bool:
    tags = request.headers.get("if-none-match")
    if tags is not None:  # If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2)
        return any(t.strip() in {dump.etag, "*", "W/" + dump.etag} for t in tags.split(","))
    since = request.headers.get("if-modified-since")
    if since:
        try:
            return dump.modified.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


@router.get("/{name:path}", operation_id="get_dump", responses={
    200: {"description": "the file", "content": {"application/gzip": {}, "text/csv": {}, "text/tab-separated-values": {}}},
    304: {"description": "not modified since the ETag or date the request gave"}, **errors(404)})
async def get_dump(kg: GraphDep, name: str, request: Request) -> Response:
    """One bulk download (see `GET /v1/dumps`); written on the first request after the graph changes, then served as a file."""
    dump = await run_in_threadpool(kg.dump, name)
    headers = {"etag": dump.etag, "last-modified": format_datetime(dump.modified, usegmt=True), "cache-control": CACHE_CONTROL}
    if _not_modified(request, dump):
        return Response(status_code=304, headers=headers)
    filename = name.rsplit("/", 1)[-1]
    return FileResponse(dump.path, media_type=dump.media_type, headers={**headers, "content-disposition": f'attachment; filename="lermap-{filename}"'})
