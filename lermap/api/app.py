"""The FastAPI application: ``create_app`` plus a lifespan that opens the graph once."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.types import Scope

import lermap
from lermap.analysis import proposals as proposal_checks
from lermap.api import pages
from lermap.api.body_limits import BodyLimit, BodyLimits
from lermap.api.errors import install_error_handlers
from lermap.api.middleware import CSP, HeadAsGet, HttpHeaders
from lermap.api.routers import analysis, curation, labour, proposals, resources, sources, sparql
from lermap.api.security import RateLimiter, Reviewers
from lermap.api.session import Sessions
from lermap.config import Settings, settings
from lermap.graph.query_limits import QueryLimits
from lermap.graph.query_runner import open_runner


def _offline_docs(app: FastAPI) -> None:
    import swagger_ui_bundle
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.responses import HTMLResponse
    from fastapi.staticfiles import StaticFiles

    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="swagger")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        page = get_swagger_ui_html(openapi_url="/openapi.json", title="lermap API", swagger_js_url="/static/swagger/swagger-ui-bundle.js",
                                   swagger_css_url="/static/swagger/swagger-ui.css", swagger_favicon_url="/static/favicon.svg")
        # Swagger UI starts from one inline script: allow exactly that script by its hash, nothing else inline
        body = bytes(page.body).decode("utf-8")
        hashes = " ".join("'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
                          for s in re.findall(r"<script>(.*?)</script>", body, flags=re.S))
        page.headers["content-security-policy"] = CSP.replace("script-src 'self'", f"script-src 'self' {hashes}")
        return page


def _store_state(scope: Scope) -> str:
    kg: lermap.KnowledgeGraph = scope["app"].state.kg
    return "|".join(kg.state())


def body_limits(config: Settings) -> list[BodyLimit]:
    """Each route's largest request body: what its schema accepts, with room for JSON escaping."""
    sparql_bytes = config.max_query_bytes * 3 + 4096  # a form carries the query percent-encoded: up to 3 bytes a character
    return [
        BodyLimit(re.compile(r"/sparql"), sparql_bytes, "the query request (LERMAP_MAX_QUERY_BYTES)"),
        BodyLimit(re.compile(r"/v1/proposals"), proposal_checks.MAX_PROPOSAL_BYTES + 2048, "the proposal"),  # + proposer, contact
        BodyLimit(re.compile(r"/v1/proposals/.+"), 8 * 1024, "the decision"),
        BodyLimit(re.compile(r"/v1/curations"), 16 * 1024, "the curation"),
        BodyLimit(re.compile(r"/v1/extract"), 1024 * 1024, "the text to extract skills from"),
        BodyLimit(re.compile(r"/v1/occupations/match"), 512 * 1024, "the list of job titles"),
        BodyLimit(re.compile(r"/v1/pathways"), config.max_upload_bytes, "the pathway request with its credential (LERMAP_MAX_UPLOAD_BYTES)"),
    ]


def create_app(store: str | None = None, config: Settings | None = None) -> FastAPI:
    """Build the app for the store named by ``store`` (default: settings). Nothing opens until startup.

    Limits, CORS origins and the proposal rate come from ``config`` (default: the environment, read now);
    reviewer tokens only ever from ``LERMAP_REVIEW_TOKENS``."""
    config = config or settings()
    limits = QueryLimits(config.query_timeout_s, config.result_cap, config.sparql_workers, config.max_query_bytes, config.max_query_depth)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.kg = lermap.open_graph(store or config.store, read_only=config.read_only)
        app.state.sparql_runner = open_runner(app.state.kg.store, limits)
        await asyncio.to_thread(app.state.sparql_runner.start)
        try:
            yield
        finally:
            app.state.sparql_runner.close()
            app.state.kg.close()

    app = FastAPI(
        title="lermap",
        version=lermap.__version__,
        summary="The knowledge graph of the Learning & Employment Records ecosystem",
        lifespan=lifespan,
        docs_url=None,  # served below from the bundled Swagger UI: no CDN, works offline
        redoc_url=None,
    )
    app.state.config = config
    app.state.reviewers = Reviewers.from_env()
    app.state.proposal_limiter = RateLimiter(config.proposal_rate)
    app.state.sign_in_limiter = RateLimiter(30, window_s=600)  # reviewer sign-in attempts per client: tokens are not guessable by trying
    app.state.sessions = Sessions(config.cookie_secret())
    _offline_docs(app)
    install_error_handlers(app)
    app.include_router(pages.router)
    app.include_router(sources.router, prefix="/v1")
    app.include_router(proposals.router, prefix="/v1")
    app.include_router(labour.router, prefix="/v1")
    app.include_router(curation.router, prefix="/v1")
    app.include_router(analysis.router, prefix="/v1")
    app.include_router(resources.router, prefix="/v1")
    app.include_router(sparql.router)

    from starlette.middleware.gzip import GZipMiddleware

    app.add_middleware(HttpHeaders, state=_store_state, salt=f"{lermap.__version__}:{uuid.uuid4().hex}")
    # level 5, not Starlette's 9: on the 3 MB page of a 5,000-node map, 9 takes ~0.9 s for 3 % smaller output, 5 ~0.15 s
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=5)
    if config.cors_origins:  # closed by default: no CORS headers at all unless origins are configured
        from starlette.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(config.cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Accept", "Content-Type", "Authorization", "If-None-Match"], expose_headers=["ETag"],
                           max_age=600)
    app.add_middleware(HeadAsGet)
    app.add_middleware(BodyLimits, routes=body_limits(config))  # outermost: nothing reads a body before its limit holds
    return app
