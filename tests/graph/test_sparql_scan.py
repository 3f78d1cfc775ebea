"""The linear pre-parse scan: nesting depth and the SERVICE keyword, with strings, IRIs and comments skipped."""

from __future__ import annotations

import pytest

from lermap.graph.query_checks import check_text
from lermap.graph.query_limits import FederationRefused, QueryTooDeep
from lermap.graph.sparql_scan import scan


@pytest.mark.parametrize(("query", "depth"), [
    ("ASK {}", 1),
    ("SELECT * WHERE { ?s ?p ?o FILTER((1)) }", 3),
    ("SELECT * WHERE { ?s ?p [ ?q [ ?r ?o ] ] }", 3),
    ('SELECT * WHERE { BIND("((((((((" AS ?x) }', 2),
    ("SELECT * WHERE { BIND('''{{{{\n{{{{''' AS ?x) }", 2),
    ("SELECT * WHERE { ?s <http://e/((((((> ?o }", 1),
    ("SELECT * WHERE { ?s ?p ?o } # ((((((((((", 1),
    ("SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }", 5002),
    (")))))) ((", 2),
])
def test_depth_counts_brackets_outside_strings_iris_and_comments(query: str, depth: int) -> None:
    assert scan(query).depth == depth


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }",
    "select * where { sErViCe silent <http://x/> { ?s ?p ?o } }",
])
def test_service_as_a_keyword_is_found(query: str) -> None:
    assert scan(query).service


@pytest.mark.parametrize(("query", "unclear"), [
    ('SELECT ?x WHERE { BIND("SERVICE" AS ?x) }', False),
    ("SELECT ?service WHERE { ?service ?p ?o }", False),
    ("PREFIX service: <http://e/> SELECT * WHERE { ?s service:p ?o }", True),  # an IRI was read: a parse must confirm
    ("SELECT * WHERE { ?s ?p ?o } # SERVICE <http://e/>", False),
    ("SELECT * WHERE { ?s <http://e/service/1> ?o }", True),
    ("SELECT * WHERE { ?a ?b ?c FILTER(?a<?b)SERVICE?x#>\n{ ?s ?p ?o } }", True),  # read as an IRI, '<?b)SERVICE?x#>' hides it
    ("SELECT * WHERE { ?s ?p ?o } # service", False),
    ("SELECT * WHERE { ?s ?p ?o FILTER(?o IN (" + "1," * 32_000 + "1)) } #service", False),
])
def test_the_word_elsewhere_is_not_the_keyword(query: str, unclear: bool) -> None:
    found = scan(query)
    assert not found.service and found.service_unclear is unclear


def test_check_text_names_the_depth_limit() -> None:
    with pytest.raises(QueryTooDeep, match=r"5,002 deep; this endpoint accepts at most 100 levels \(LERMAP_MAX_QUERY_DEPTH\)"):
        check_text("SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }", 100)
    check_text("SELECT * WHERE { ?s ?p ?o FILTER((1)) }", 100)


def test_an_unclear_query_is_parsed_and_a_hidden_service_refused() -> None:
    check_text("PREFIX service: <http://e/> SELECT * WHERE { ?s service:p ?o }", 100)  # parsed: no SERVICE clause
    check_text("SELECT * WHERE { ?s <http://e/service/1> ?o }", 100)
    with pytest.raises(FederationRefused, match="not allowed"):
        check_text("SELECT * WHERE { ?a ?b ?c FILTER(?a<?b)SERVICE?x#>\n{ ?s ?p ?o } }", 100)
    with pytest.raises(FederationRefused, match="could not be checked"):
        check_text("SELECT * WHERE { ?s <http://e/service> ?o", 100)  # unparseable: fail closed
    with pytest.raises(FederationRefused, match="escapes"):
        check_text('SELECT * WHERE { ?s <http://e/p> "\\u0022" } # service', 100)
