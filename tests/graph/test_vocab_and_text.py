"""Closed namespaces, safe value binding, terms, SHACL validation."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib

from lermap.errors import QueryError
from lermap.graph.sparql_text import bind_values
from lermap.graph.terms import from_rdflib, iri, lit, minted, to_rdflib
from lermap.graph.validate import validate_graph
from lermap.graph.vocab import CORE_TYPES, SCHEMA, SKOS


def test_closed_namespace_refuses_misspelt_terms() -> None:
    assert SKOS.prefLabel.value == "http://www.w3.org/2004/02/skos/core#prefLabel"
    with pytest.raises(AttributeError, match="prefLable"):
        _ = SKOS.prefLable
    assert SCHEMA.name in SCHEMA
    assert ox.NamedNode("https://schema.org/nmae") not in SCHEMA


def test_core_types_are_the_ingest_count_keys() -> None:
    assert list(CORE_TYPES) == ["organization", "credential", "assertion", "framework", "competency", "occupation",
                                "alignment", "pathway", "learning_opportunity", "assessment"]


def test_minted_iris_are_deterministic_and_distinct() -> None:
    assert minted("org", "Acme") == minted("org", "Acme")
    assert minted("org", "Acme") != minted("org", "Acme ")
    assert minted("org", "a", "b") != minted("org", "ab")


def test_iri_refuses_non_iris() -> None:
    with pytest.raises(ValueError):
        iri("not an iri")
    with pytest.raises(ValueError):
        iri("http://example.org/a b")


@pytest.mark.parametrize("value", [lit("x"), lit("x", lang="EN-us"), lit(3), lit(2.5), lit(True), iri("http://example.org/a")])
def test_rdflib_round_trip(value: ox.NamedNode | ox.Literal) -> None:
    assert from_rdflib(to_rdflib(value)) == value


def test_bind_values_goes_inside_where() -> None:
    q = 'SELECT (COUNT(?s) AS ?n) WHERE { ?s ?p ?o } # WHERE { in a comment'
    out = bind_values(q, {"p": ox.NamedNode("http://example.org/p")})
    assert out.startswith("SELECT (COUNT(?s) AS ?n) WHERE { VALUES (?p) { (<http://example.org/p>) }")


def test_bind_values_skips_where_in_strings() -> None:
    q = 'SELECT ?s WHERE { ?s ?p "WHERE { x" }'
    out = bind_values(q, {"s": ox.NamedNode("http://example.org/s")})
    assert out.index("VALUES") < out.index('"WHERE { x"')


@pytest.mark.parametrize("bindings", [{"bad name": ox.Literal("x")}, {"b": ox.BlankNode("x")}])
def test_bind_values_refuses_bad_bindings(bindings: dict[str, ox.Literal]) -> None:
    with pytest.raises(QueryError):
        bind_values("SELECT * WHERE { ?s ?p ?o }", bindings)


def test_bind_values_needs_where() -> None:
    with pytest.raises(QueryError):
        bind_values("SELECT * { ?s ?p ?o }", {"s": ox.NamedNode("http://example.org/s")})


def test_shacl_catches_core_view_defects() -> None:
    g = rdflib.Graph().parse(
        data="""
        @prefix ceasn: <https://purl.org/ctdlasn/terms/> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix sssom: <https://w3id.org/sssom/> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
        <http://ex.org/c> a ceasn:Competency ; skos:prefLabel "c" .
        <http://ex.org/m> a sssom:Mapping ; owl:annotatedSource <http://ex.org/c> ; owl:annotatedProperty skos:related ;
            owl:annotatedTarget <http://ex.org/d> ; sssom:mapping_justification <https://w3id.org/semapv/vocab/LexicalMatching> .
        """,
        format="turtle",
    )
    report = validate_graph(g)
    assert not report.conforms
    assert {(v["focus"], v["path"].rsplit("#", 1)[-1]) for v in report.violations} == {
        ("http://ex.org/c", "inScheme"),
        ("http://ex.org/m", "annotatedProperty"),
    }


def test_shacl_accepts_tiny_fixture() -> None:
    from tests.conftest import TEST_DATA

    g = rdflib.Graph().parse(TEST_DATA / "core" / "tiny.ttl")
    assert validate_graph(g).conforms


def test_bind_values_sees_where_after_iri_with_hash() -> None:
    q = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?l WHERE { ?f skos:prefLabel ?l }"
    out = bind_values(q, {"f": ox.NamedNode("http://example.org/f")})
    assert "WHERE { VALUES (?f) { (<http://example.org/f>) }" in out


def test_every_lermap_term_is_declared_in_the_ontology() -> None:
    from importlib import resources

    from lermap.graph.vocab import LERMAP

    ontology = rdflib.Graph().parse(data=(resources.files("lermap.graph") / "ontology" / "lermap.ttl").read_text("utf-8"), format="turtle")
    declared = {str(s) for s in ontology.subjects(rdflib.RDF.type, None)}
    assert [t.value for t in LERMAP if t.value not in declared] == []
