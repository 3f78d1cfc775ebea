"""The FastAPI application: ``create_app`` plus a lifespan that opens the graph once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

import lermap
from lermap.api.errors import install_error_handlers
from lermap.api.routers import pages, sources, sparql


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
    )
    install_error_handlers(app)
    app.include_router(pages.router)
    app.include_router(sources.router, prefix="/v1")
    app.include_router(sparql.router)
    return app
