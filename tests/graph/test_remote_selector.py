"""The `sparql:` locator grammar, credentials and engine dialects (no server needed)."""

from __future__ import annotations

import pytest

from lermap.errors import ConfigError
from lermap.graph.backends.dialects import OXIGRAPH, VIRTUOSO, detect
from lermap.graph.backends.sparql_http import mask, parse_locator


def test_legacy_two_url_form_still_means_query_and_update() -> None:
    loc = parse_locator("http://h:7878/query,http://h:7878/update")
    assert (loc.query_url, loc.update_url, loc.gsp_url) == ("http://h:7878/query", "http://h:7878/update", None)


def test_third_url_is_the_graph_store_endpoint() -> None:
    loc = parse_locator("http://h/q,http://h/u,http://h/gsp?x=1")
    assert loc.gsp_url == "http://h/gsp?x=1"


def test_keywords_name_urls_and_options() -> None:
    loc = parse_locator("query=http://h/q,update=http://h/u,gsp=none,engine=virtuoso,page=500,chunk=7,timeout=2.5,pool=3,catalog_ttl=0")
    assert (loc.query_url, loc.update_url, loc.gsp_disabled, loc.engine) == ("http://h/q", "http://h/u", True, "virtuoso")
    assert (loc.page_rows, loc.chunk_triples, loc.timeout_s, loc.pool, loc.catalog_ttl_s) == (500, 7, 2.5, 3, 0.0)


def test_read_only_form_has_no_update_url() -> None:
    assert parse_locator("http://h/sparql").update_url is None


def test_credentials_are_taken_out_of_the_url() -> None:
    loc = parse_locator("http://h/sparql,http://dba:s%40cret@h:8890/sparql-auth")
    assert loc.update_url == "http://h:8890/sparql-auth"
    assert (loc.user, loc.password) == ("dba", "s@cret")


def test_credentials_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LERMAP_SPARQL_USER", "lermap")
    monkeypatch.setenv("LERMAP_SPARQL_PASSWORD", "pw")
    loc = parse_locator("http://h/sparql,http://h/sparql-auth")
    assert (loc.user, loc.password) == ("lermap", "pw")


def test_passwords_are_masked_in_messages() -> None:
    assert mask("sparql:http://h/q,http://dba:secret@h:8890/sparql-auth") == "sparql:http://h/q,http://dba:***@h:8890/sparql-auth"


@pytest.mark.parametrize(
    ("locator", "message"),
    [
        ("", "needs a query URL"),
        ("ftp://h/q", "http"),
        ("http://h/q,colour=blue", "unknown option 'colour'"),
        ("http://h/q,page=many", "numbers"),
        ("http://h/q,chunk=0", "at least 1"),
        ("http://h/q,http://h/u,http://h/g,http://h/x", "at most three"),
    ],
)
def test_bad_locators_name_the_problem(locator: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_locator(locator)


@pytest.mark.parametrize(
    ("header", "name"),
    [("Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu", "virtuoso"), ("Oxigraph/0.5.13", "oxigraph"), ("Jetty(9.4)", "generic")],
)
def test_dialect_from_server_header(header: str, name: str) -> None:
    assert detect(header).name == name


@pytest.mark.parametrize(
    ("dialect", "query", "update", "gsp"),
    [
        (OXIGRAPH, "http://h:7878/query", "http://h:7878/update", "http://h:7878/store"),
        (VIRTUOSO, "http://h:8890/sparql", "http://h:8890/sparql-auth", "http://h:8890/sparql-graph-crud-auth"),
        (VIRTUOSO, "http://h:8890/sparql", "http://h:8890/sparql", "http://h:8890/sparql-graph-crud"),
    ],
)
def test_graph_store_endpoint_is_derived_per_engine(dialect: object, query: str, update: str, gsp: str) -> None:
    assert dialect.gsp_url(query, update) == gsp  # type: ignore[attr-defined]
