"""Property-based fuzzing of the HTTP API against its own OpenAPI schema, on a real ``lermap serve`` on loopback.

Schemathesis generates requests for every operation in the schema (valid ones and, as the negative mode, invalid
ones) and checks each answer: no 5xx, the status code is documented for the operation, the content type is one the
operation declares, and the body validates against the documented schema (error answers included). The server
runs on a small store built from the repository's test data, with a reviewer token configured so that the
moderation and curation endpoints are exercised past their authentication.

The schema is taken from the app object at collection (one test per operation) and compared with the schema the
running server serves, so the fuzzed schema is the running app's. Examples per operation are bounded so the whole
module runs in a couple of minutes on two shared cores.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance, status_code_conformance

import lermap
from lermap.api.app import create_app
from tests.conftest import TEST_DATA
from tests.servers import lermap_server

pytestmark = [pytest.mark.server, pytest.mark.slow]

MAX_EXAMPLES = 25
TOKEN = "schemathesis-reviewer-token"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

# POST /sparql also takes the query as a bare application/sparql-query body: text, sent as it is
schemathesis.serializer.alias("application/sparql-query", "text/plain")

# Nothing opens until start-up: this is only the schema, the same one the server below serves.
SCHEMA = schemathesis.openapi.from_dict(create_app("memory:").openapi())
# Explicit per-operation settings: bounded examples, no deadline (a shared CI machine), and the suite's autouse
# function-scoped fixtures (the loopback guard, the config dir) are fine to share between examples.
SETTINGS = settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much])


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("schemathesis")
    store = f"oxigraph:{tmp / 'store'}"
    with lermap.open_graph(store) as kg:
        kg.ingest(TEST_DATA / "analysis" / "pathway.ttl", format="rdf")
        kg.ingest(TEST_DATA / "core" / "tiny.ttl", format="rdf")
    env = {k: v for k, v in os.environ.items() if k != "LERMAP_STORE"}
    env.update({"LERMAP_CONFIG_DIR": str(tmp / "config"), "LERMAP_REVIEW_TOKENS": f"fuzzer:{TOKEN}",
                # a fuzzer posts far more proposals than a person: a 429 here would only hide the handler's answers
                "LERMAP_PROPOSAL_RATE": "1000000",
                # few /sparql slots and a short timeout: a slot that leaks shows up as a 503 within seconds
                "LERMAP_SPARQL_WORKERS": "2", "LERMAP_QUERY_TIMEOUT": "5"})
    with (tmp / "server.log").open("wb") as log, lermap_server(store, env, log) as base:
        yield base


def test_running_app_serves_the_fuzzed_schema(base_url: str) -> None:
    served: dict[str, Any] = httpx.get(base_url + "/openapi.json", timeout=30).json()
    assert served == SCHEMA.raw_schema


def test_refused_graph_parameters_give_their_query_slot_back(base_url: str) -> None:
    """Found by the fuzzer: a /sparql request naming an unknown graph took a query slot and never gave it back,
    so a few such requests left every later query waiting for a slot until it answered 503."""
    for _ in range(5):  # more than the server's slots
        bad = httpx.get(base_url + "/sparql", params={"query": "ASK {}", "default-graph-uri": "http://example.org/none"}, timeout=30)
        assert bad.status_code == 400 and bad.json()["error"]["type"] == "QueryError"
    assert httpx.get(base_url + "/sparql", params={"query": "ASK {}"}, timeout=30).json() == {"head": {}, "boolean": True}


@SCHEMA.parametrize()
@SETTINGS
def test_api_conforms_to_its_schema(case: schemathesis.Case[Any], base_url: str) -> None:
    case.call_and_validate(base_url=base_url, headers={"Authorization": f"Bearer {TOKEN}"}, checks=CHECKS, timeout=60)
