"""The pages, mounted by the app: thin routers that parse the request, make one service call, and render a view
(``lermap/views``). IRIs travel as query parameters (``/entity?id=IRI``), so no page route is a path catch-all and
the order routers are included in does not matter."""

from __future__ import annotations

from fastapi import APIRouter

from lermap.api.pages import ecosystem, entities, frameworks, home, learning, proposals, static

router = APIRouter(include_in_schema=False)
for _module in (static, home, ecosystem, frameworks, learning, entities, proposals):
    router.include_router(_module.router)
