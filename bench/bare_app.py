"""The reference of ``bench_serving``: a bare FastAPI app with lermap's two measured routes and nothing else.

``/v1/health`` answers a constant; ``/v1/alignments`` answers the body lermap's own ``/v1/alignments`` gave in the
same run (read from the JSON file named by ``BENCH_ALIGNMENTS``), serialised again on every request through
FastAPI's default path — no store, no middleware, no ETag.
"""

from __future__ import annotations

import json
import os
from typing import Any

from fastapi import FastAPI


def create_app() -> FastAPI:
    with open(os.environ["BENCH_ALIGNMENTS"], encoding="utf-8") as fh:
        payload: Any = json.load(fh)
    app = FastAPI()

    @app.get("/v1/health")
    def health() -> dict[str, object]:
        return {"status": "ok", "sources": 1}

    @app.get("/v1/alignments")
    def alignments() -> Any:
        return payload

    return app
