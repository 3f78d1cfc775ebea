"""The FastAPI application: ``create_app`` plus a lifespan that opens the graph once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

import lermap
from lermap.api.errors import install_error_handlers
from lermap.api.routers import analysis, pages, resources, sources, sparql, views


def _offline_docs(app: FastAPI) -> None:
    import swagger_ui_bundle
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.responses import HTMLResponse
    from fastapi.staticfiles import StaticFiles

    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="swagger")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="lermap API", swagger_js_url="/static/swagger/swagger-ui-bundle.js",
                                   swagger_css_url="/static/swagger/swagger-ui.css", swagger_favicon_url="/static/favicon.svg")


def create_app(store: str | None = None) -> FastAPI:
    """Build the app for the store named by ``store`` (default: settings). Nothing opens until startup."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.kg = lermap.open_graph(store)
        try:
            yield
        finally:
            app.state.kg.close()

    app = FastAPI(
        title="lermap",
        version=lermap.__version__,
        summary="The knowledge graph of the Learning & Employment Records ecosystem",
        lifespan=lifespan,
        docs_url=None,  # served below from the bundled Swagger UI: no CDN, works offline
        redoc_url=None,
    )
    _offline_docs(app)
    install_error_handlers(app)
    app.include_router(pages.router)
    app.include_router(sources.router, prefix="/v1")
    app.include_router(analysis.router, prefix="/v1")  # before resources: its /competencies/{id}/alignments is more specific
    app.include_router(resources.router, prefix="/v1")
    app.include_router(sparql.router)
    app.include_router(views.router)
    return app
