"""Routes are explicit: every URL matches the same route whatever order the routers were included in (no catch-all
shadows a more specific route), and pages take IRIs as query parameters."""

from __future__ import annotations

import random
import re

import pytest
from starlette.routing import compile_path

from lermap.api.app import create_app

EX = "http://example.org/fwA/py"
URLS = [
    ("GET", f"/v1/competencies/{EX}/alignments"), ("GET", f"/v1/competencies/{EX}"), ("GET", f"/v1/frameworks/{EX}/tree"),
    ("GET", f"/v1/frameworks/{EX}"), ("GET", f"/v1/occupations/{EX}/requirements"), ("GET", f"/v1/occupations/{EX}"),
    ("POST", "/v1/occupations/match"), ("GET", f"/v1/entities/{EX}"), ("GET", "/v1/alignments"), ("GET", "/v1/alignments.sssom.tsv"),
    ("GET", f"/v1/scorecards/{EX}"), ("GET", "/frameworks"), ("GET", "/framework"), ("GET", f"/frameworks/{EX}"), ("GET", "/entity"),
    ("GET", "/static/lermap.css"), ("GET", "/static/plotly.min.js"), ("GET", "/map"), ("GET", "/v1/proposals"),
    ("POST", "/v1/proposals/abc/approve"),
]


def _leaves(routes: list[object]) -> list[tuple[str, set[str], re.Pattern[str]]]:
    """Every route as (name, methods, full path pattern); FastAPI keeps an included router as one entry."""
    out = []
    for route in routes:
        contexts = getattr(route, "effective_route_contexts", None)
        for path, original in ([(c.path, c.original_route) for c in contexts()] if contexts else [(getattr(route, "path", ""), route)]):
            out.append((str(getattr(original, "name", "")), set(getattr(original, "methods", None) or {"GET"}), compile_path(path)[0]))
    return out


def _endpoint(routes: list[tuple[str, set[str], re.Pattern[str]]], method: str, path: str) -> str:
    for name, methods, pattern in routes:
        if method in methods and pattern.match(path):
            return name
    return "(none)"


@pytest.mark.parametrize("seed", range(5))
def test_every_url_matches_the_same_route_in_any_order(seed: int) -> None:
    routes = _leaves(list(create_app("memory:").router.routes))
    expected = {url: _endpoint(routes, *url) for url in URLS}
    assert "(none)" not in expected.values()
    assert expected[("GET", f"/v1/competencies/{EX}/alignments")] == "competency_alignments"
    assert expected[("GET", f"/v1/competencies/{EX}")] != expected[("GET", f"/v1/competencies/{EX}/alignments")]
    random.Random(seed).shuffle(routes)
    assert {url: _endpoint(routes, *url) for url in URLS} == expected
