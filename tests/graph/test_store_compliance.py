"""One compliance suite, run against every backend: they must answer the same questions the same way."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic

import lermap
from lermap.errors import NotFoundError, QueryError, ReadOnlyStoreError, SourceError
from lermap.graph.source_names import public_source_name
from lermap.service import KnowledgeGraph
from tests.conftest import TEST_DATA
from tests.servers import Virtuoso, engine_missing, oxigraph_binary, oxigraph_server, virtuoso_binary, virtuoso_server

TINY = TEST_DATA / "core" / "tiny.ttl"
TINY_V2 = TEST_DATA / "core" / "tiny-v2.ttl"
SKOS = "http://www.w3.org/2004/02/skos/core#"


@pytest.fixture(scope="module")
def sparql_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if oxigraph_binary() is None:
        engine_missing("the Oxigraph server (PyPI package `oxigraph`)")
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-server")) as base:
        yield base


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    if virtuoso_binary() is None:
        engine_missing("OpenLink Virtuoso (Debian package `virtuoso-opensource`)")
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


BACKENDS = ["memory", "oxigraph-disk", "sparql-oxigraph-server", "sparql-oxigraph-update-only", "sparql-virtuoso"]


@pytest.fixture(params=BACKENDS)
def kg(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[KnowledgeGraph]:
    if request.param == "memory":
        selector = "memory:"
    elif request.param == "oxigraph-disk":
        selector = f"oxigraph:{tmp_path / 'store'}"
    elif request.param.startswith("sparql-oxigraph"):
        base = request.getfixturevalue("sparql_server")
        # "update-only": no Graph Store Protocol, writes as chunked INSERT DATA and reads paged (tiny pages, many of them)
        extra = ",gsp=none,page=7,chunk=5" if request.param.endswith("update-only") else ""
        selector = f"sparql:{base}/query,{base}/update{extra}"
        # each test starts from an empty dataset on the shared server
        httpx.post(f"{base}/update", data={"update": "DROP ALL"}).raise_for_status()
    else:
        server: Virtuoso = request.getfixturevalue("virtuoso")
        selector = server.selector
        # DROP ALL would also drop Virtuoso's own system graphs: clear only lermap's
        server.update(
            "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'https://w3id.org/lermap/')) }"
        )
    graph = lermap.open_graph(selector)
    try:
        yield graph
    finally:
        graph.close()


def _tiny(kg: KnowledgeGraph) -> None:
    (report,) = kg.ingest(TINY, format="rdf")
    assert report.triples == 29


def test_ingest_reports_counts_and_triples(kg: KnowledgeGraph) -> None:
    (report,) = kg.ingest(TINY, format="rdf")
    assert report.format == "rdf"
    assert report.triples == 29
    assert report.counts == {
        "organization": 1, "credential": 1, "assertion": 0, "framework": 1, "competency": 2,
        "occupation": 1, "alignment": 1, "pathway": 0, "learning_opportunity": 0, "assessment": 0,
    }


def test_select_returns_dataframe_with_plain_values(kg: KnowledgeGraph) -> None:
    _tiny(kg)
    df = kg.sparql(f"SELECT ?c ?label WHERE {{ ?c <{SKOS}inScheme> <http://example.org/tiny/fw> ; <{SKOS}prefLabel> ?label }} ORDER BY ?label")
    assert list(df.columns) == ["c", "label"]
    assert df["label"].tolist() == ["Program in Python", "Query data with SQL"]


def test_bound_values_are_data_not_syntax(kg: KnowledgeGraph) -> None:
    _tiny(kg)
    q = f"SELECT ?c WHERE {{ ?c <{SKOS}notation> ?code }}"
    assert kg.sparql(q, {"code": "S1"})["c"].tolist() == ["http://example.org/tiny/python"]
    hostile = 'S1" } ; DROP ALL ; SELECT * WHERE { "'
    assert kg.sparql(q, {"code": hostile}).empty
    assert kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")["n"][0] > 29


def test_bindings_reach_aggregates(kg: KnowledgeGraph) -> None:
    _tiny(kg)
    q = f"SELECT (COUNT(?c) AS ?n) WHERE {{ ?c <{SKOS}inScheme> ?fw }}"
    assert kg.sparql(q, {"fw": "http://example.org/tiny/fw"})["n"][0] == 2
    assert kg.sparql(q, {"fw": "http://example.org/tiny/nothing"})["n"][0] == 0


def test_ask_and_construct(kg: KnowledgeGraph) -> None:
    _tiny(kg)
    assert kg.sparql("ASK { <http://example.org/tiny/acme> ?p ?o }") is True
    assert kg.sparql("ASK { <http://example.org/tiny/nobody> ?p ?o }") is False
    g = kg.sparql(f"CONSTRUCT {{ ?c <{SKOS}prefLabel> ?l }} WHERE {{ ?c a <https://schema.org/Organization> ; <{SKOS}prefLabel> ?l }}")
    assert isinstance(g, rdflib.Graph)
    assert set(g) == {(rdflib.URIRef("http://example.org/tiny/acme"), rdflib.URIRef(SKOS + "prefLabel"), rdflib.Literal("Acme Training", lang="en"))}


def test_reingest_replaces_graph_and_keeps_count(kg: KnowledgeGraph) -> None:
    first = kg.ingest(TINY, format="rdf")[0]
    total = kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")["n"][0]
    second = kg.ingest(TINY, format="rdf")[0]
    assert second.graph != first.graph
    assert kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")["n"][0] == total
    assert [s.graph for s in kg.sources()] == [second.graph]
    assert first.graph not in {g.value for g in kg.store.backend.named_graphs()}


def test_sources_carry_provenance(kg: KnowledgeGraph) -> None:
    _tiny(kg)
    (info,) = kg.sources()
    assert info.source == public_source_name(str(TINY.resolve())) and not info.source.startswith("/")
    assert info.format == "rdf" and info.format_version == "Turtle"
    assert info.triples == 29
    assert info.sha256 is not None and len(info.sha256) == 64
    assert info.ingested_at is not None


def test_two_sources_and_drop(kg: KnowledgeGraph) -> None:
    _tiny(kg)
    kg.ingest(TINY_V2, format="rdf")
    labels = set(kg.sparql(f"SELECT ?l WHERE {{ <http://example.org/tiny/acme> <{SKOS}prefLabel> ?l }}")["l"])
    assert labels == {"Acme Training", "Acme Training (renamed)"}
    kg.drop("tiny-v2.ttl")
    labels = set(kg.sparql(f"SELECT ?l WHERE {{ <http://example.org/tiny/acme> <{SKOS}prefLabel> ?l }}")["l"])
    assert labels == {"Acme Training"}
    with pytest.raises(NotFoundError):
        kg.drop("tiny-v2.ttl")


def test_failed_ingest_leaves_store_unchanged(kg: KnowledgeGraph, tmp_path: Path) -> None:
    _tiny(kg)
    before = kg.digest()
    bad = tmp_path / "tiny.ttl"
    bad.write_text(TINY.read_text() + "\nex:broken ex:p \"unterminated .\n")
    with pytest.raises(SourceError) as err:
        kg.ingest(bad, format="rdf")
    assert err.value.location.startswith("line ")
    assert kg.digest() == before
    assert len(kg.sources()) == 1


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml"])
def test_export_round_trips(kg: KnowledgeGraph, fmt: str) -> None:
    _tiny(kg)
    (info,) = kg.sources()
    data = kg.export(fmt, graph=info.graph)
    parsed = rdflib.Dataset() if fmt in {"nquads", "trig", "jsonld"} else rdflib.Graph()
    parsed.parse(data=data, format={"ntriples": "nt", "rdfxml": "xml", "jsonld": "json-ld"}.get(fmt, fmt))
    triples = rdflib.Graph()
    for t in (parsed.quads() if isinstance(parsed, rdflib.Dataset) else ((*t, None) for t in parsed)):
        triples.add(t[:3])
    assert isomorphic(triples, rdflib.Graph().parse(TINY))


def test_whole_dataset_export_includes_provenance(kg: KnowledgeGraph) -> None:
    _tiny(kg)
    data = kg.export("nquads").decode()
    assert "https://w3id.org/lermap/vocab#sha256" in data
    assert "Program in Python" in data


def test_bad_query_is_a_query_error(kg: KnowledgeGraph) -> None:
    with pytest.raises(QueryError):
        kg.sparql("SELEC nothing")


def test_read_only_sparql_store_refuses_writes(sparql_server: str) -> None:
    ro = lermap.open_graph(f"sparql:{sparql_server}/query")
    with pytest.raises(ReadOnlyStoreError):
        ro.ingest(TINY, format="rdf")
