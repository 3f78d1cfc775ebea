"""The pages' static files (lermap/views/static) and Plotly's bundle, served by the app itself (no CDN).

A URL that carries the file's content hash (``?v=``, as :func:`lermap.views.render.static_url` writes it) is cached
for a year as immutable; any other request for the file for an hour."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from lermap.errors import NotFoundError
from lermap.views.render import STATIC, static_path, static_version

router = APIRouter(include_in_schema=False)
_MEDIA = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
LONG = "public, max-age=31536000, immutable"
SHORT = "public, max-age=3600"


@router.get("/static/{name}")
def static(name: str, v: str | None = None) -> FileResponse:
    path = static_path(name)
    if path is None or path.suffix not in _MEDIA:
        raise NotFoundError(f"no static file {name}")
    return FileResponse(path, media_type=_MEDIA[path.suffix], headers={"cache-control": LONG if v and v == static_version(name) else SHORT})


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml", headers={"cache-control": SHORT})
