"""The curated ecosystem directory: counts read from data/ecosystem, sources on every relation, SHACL, refusals."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from lermap.errors import SourceError
from lermap.graph.terms import TripleTuple, to_rdflib_graph
from lermap.graph.validate import validate_graph
from lermap.graph.vocab import LERMAP, RDF
from lermap.ingest.base import IngestContext, Source
from lermap.ingest.ecosystem.directory import DirectoryIngester
from tests.conftest import ROOT, TEST_DATA

DIRECTORY = ROOT / "data" / "ecosystem"
PREFIXES = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX lermap: <https://w3id.org/lermap/vocab#>
"""


def _run(path: Path) -> list[TripleTuple]:
    source = Source.from_path(path)
    return list(DirectoryIngester().run(source, IngestContext(source)))


@pytest.fixture(scope="module")
def directory_graph() -> rdflib.Graph:
    return to_rdflib_graph(_run(DIRECTORY))


def _count(g: rdflib.Graph, query: str) -> int:
    return int(next(iter(g.query(PREFIXES + query)))[0])


@pytest.mark.parametrize(
    ("cls", "expected"),
    [
        pytest.param("schema:Organization", 119, id="organisations"),  # 23 standards bodies + 96 organisations
        pytest.param("lermap:Standard", 38, id="standards"),
        pytest.param("lermap:StandardVersion", 29, id="versions"),
        pytest.param("lermap:Tool", 63, id="tools"),
        pytest.param("rdf:Statement", 308, id="sourced-relations"),
    ],
)
def test_counts(directory_graph: rdflib.Graph, cls: str, expected: int) -> None:
    assert _count(directory_graph, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a {cls} }}") == expected


def test_at_least_150_entities_and_300_sourced_relations(directory_graph: rdflib.Graph) -> None:
    entities = _count(directory_graph, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { VALUES ?c { schema:Organization lermap:Standard lermap:Tool } ?s a ?c }")
    sourced = _count(directory_graph, "SELECT (COUNT(DISTINCT ?st) AS ?n) WHERE { ?st a rdf:Statement ; lermap:relationSource ?src }")
    assert entities >= 150
    assert sourced >= 300


def test_every_relation_has_a_source(directory_graph: rdflib.Graph) -> None:
    unsourced = _count(
        directory_graph,
        """SELECT (COUNT(*) AS ?n) WHERE {
             ?s ?p ?o . FILTER(?p IN (lermap:develops, lermap:maintains, lermap:implements, lermap:supports,
               lermap:certifiedFor, lermap:memberOf, lermap:funds, lermap:convenes, lermap:partnerWith, lermap:publishesTo,
               lermap:issuesCredentials, lermap:usesFramework, schema:provider))
             FILTER NOT EXISTS { ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; lermap:relationSource ?src } }""",
    )
    assert unsourced == 0


def test_directory_conforms_to_shapes(directory_graph: rdflib.Graph) -> None:
    report = validate_graph(directory_graph)
    assert report.conforms, report.summary()


def test_shapes_catch_a_relation_without_source(directory_graph: rdflib.Graph) -> None:
    broken = rdflib.Graph()
    for t in directory_graph:
        broken.add(t)
    st = next(iter(broken.subjects(rdflib.RDF.type, rdflib.RDF.Statement)))
    broken.remove((st, rdflib.URIRef(LERMAP.relationSource.value), None))
    report = validate_graph(broken)
    assert not report.conforms
    assert [v["focus"] for v in report.violations] == [str(st)]


def test_tiny_fixture_graph() -> None:
    expected = rdflib.Graph().parse(TEST_DATA / "directory" / "expected.ttl", format="turtle")
    assert isomorphic(to_rdflib_graph(_run(TEST_DATA / "directory")), expected)


def test_roles_are_the_ler_map_concepts(conformance: Path, memory_graph: object) -> None:
    kg = memory_graph
    kg.ingest(DIRECTORY)  # type: ignore[attr-defined]
    kg.ingest(conformance / "ecosystem" / "ler-ecosystem-map-v2")  # type: ignore[attr-defined]
    df = kg.sparql(PREFIXES + """SELECT ?label (COUNT(DISTINCT ?org) AS ?n) WHERE {
        ?org lermap:stakeholderRole ?role . ?role skos:prefLabel ?label } GROUP BY ?label""")  # type: ignore[attr-defined]
    counts = dict(zip(df["label"], df["n"], strict=True))
    assert len(counts) == 10  # every role in the directory resolves to one of the map's ten concepts
    assert counts["Data Standards Organizations"] >= 20
    # the map's resource authors and the directory's organisations are the same nodes
    jff = kg.sparql(PREFIXES + """SELECT (COUNT(*) AS ?n) WHERE { ?r schema:author ?o . ?o schema:identifier "jff" }""")  # type: ignore[attr-defined]
    assert jff["n"][0] == 6  # five resources by JFF alone, one co-authored


def _broken_copy(tmp_path: Path, file: str, old: str, new: str) -> Path:
    folder = tmp_path / "dir"
    shutil.copytree(TEST_DATA / "directory", folder)
    (folder / "expected.ttl").unlink()
    text = (folder / file).read_text()
    assert old in text
    (folder / file).write_text(text.replace(old, new))
    return folder


@pytest.mark.parametrize(
    ("file", "old", "new", "location"),
    [
        pytest.param("relations.yaml", "source: spec}", "}", "relations.yaml: relations[0].source", id="no-source"),
        pytest.param("relations.yaml", "source: spec}", "source: not a url}", "relations.yaml: relations[0].source", id="bad-source"),
        pytest.param("relations.yaml", "o: exs@1.0, source: spec", "o: exs@9, source: spec", "relations.yaml: relations[0].o", id="unknown-id"),
        pytest.param("relations.yaml", "p: develops", "p: owns", "relations.yaml: relations[0].p", id="unknown-predicate"),
        pytest.param("relations.yaml", "o: exs@1.0, source: spec", "o: exs-tool, source: spec", "relations.yaml: relations[0].o", id="wrong-kind"),
        pytest.param("organisations.yaml", "data-standards-organizations", "pirates", "organisations.yaml: organisations[0].roles", id="unknown-role"),
        pytest.param("organisations.yaml", "sector: nonprofit", "sector: [1]", "organisations.yaml: organisations[0].sector", id="sector-list"),
        pytest.param("tools.yaml", "provider: example-body", "provider: nobody", "tools.yaml: tools[0].provider", id="unknown-provider"),
        pytest.param("tools.yaml", "id: exs-tool", "id: exs", "tools.yaml: tools[0].id", id="duplicate-id"),
        pytest.param("standards.yaml", "released: 2024", "released: soon", "standards.yaml: standards[0].versions[0].released", id="bad-year"),
        pytest.param("standards.yaml", "url: https://standards.example.org/exs\n", "url: javascript:alert(1)\n", "standards.yaml: standards[0].url", id="script-url"),
    ],
)
def test_bad_input_is_refused(tmp_path: Path, file: str, old: str, new: str, location: str) -> None:
    folder = _broken_copy(tmp_path, file, old, new)
    with pytest.raises(SourceError) as err:
        _run(folder)
    assert err.value.location == location


def test_counts_through_public_api(memory_graph: object) -> None:
    (report,) = memory_graph.ingest(DIRECTORY)  # type: ignore[attr-defined]
    assert report.format == "directory"
    assert report.counts["organization"] == 119
    assert RDF.type  # vocab import used


def test_cben_principles_scheme(directory_graph: rdflib.Graph) -> None:
    rows = list(directory_graph.query(PREFIXES + """SELECT ?id ?label WHERE {
        ?c skos:inScheme <https://w3id.org/lermap/id/cben-principles> ; skos:notation ?id ; skos:prefLabel ?label ;
           skos:definition ?d }"""))
    assert sorted(str(r[1]) for r in rows) == [
        "Alignment", "Global Mobility", "Open Standards", "Privacy & Security", "Public-Private Partnerships",
        "Universal Access", "Unlock Learning Anywhere",
    ]
