"""/sparql used by the field's clients (SPARQLWrapper, rdflib's SPARQLStore) against a real server on loopback."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore

import lermap
from tests.conftest import TEST_DATA
from tests.servers import free_port, wait_until_up

SKOS = "http://www.w3.org/2004/02/skos/core#"
NOTATIONS = f"SELECT ?code WHERE {{ ?c <{SKOS}notation> ?code }} ORDER BY ?code"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = f"oxigraph:{tmp_path_factory.mktemp('clients') / 'store'}"
    with lermap.open_graph(store) as kg:
        kg.ingest(TEST_DATA / "core" / "tiny.ttl", format="rdf")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "lermap.cli", "serve", "--store", store, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/v1/health", proc, 60)
        yield base + "/sparql"
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_sparqlwrapper_select(endpoint: str, method: str, fmt: str) -> None:
    from SPARQLWrapper import CSV, JSON, POST, TSV, XML, SPARQLWrapper

    sw = SPARQLWrapper(endpoint)
    sw.setQuery(NOTATIONS)
    sw.setReturnFormat({"json": JSON, "xml": XML, "csv": CSV, "tsv": TSV}[fmt])
    if method == "POST":
        sw.setMethod(POST)
    got = sw.query().convert()
    if fmt == "json":
        assert [b["code"]["value"] for b in got["results"]["bindings"]] == ["15-2051", "S1"]  # type: ignore[index]
    elif fmt == "xml":
        assert [n.firstChild.data for n in got.getElementsByTagName("literal")] == ["15-2051", "S1"]  # type: ignore[union-attr]
    else:
        text = got.decode("utf-8") if isinstance(got, bytes) else str(got)
        assert "15-2051" in text and "S1" in text and text.splitlines()[0].lstrip("?") == "code"


@pytest.mark.parametrize("fmt", ["turtle", "xml", "n3"])
def test_sparqlwrapper_construct_gives_a_graph(endpoint: str, fmt: str) -> None:
    from SPARQLWrapper import N3, TURTLE, XML, SPARQLWrapper

    sw = SPARQLWrapper(endpoint)
    sw.setQuery(f"CONSTRUCT {{ ?c <{SKOS}notation> ?code }} WHERE {{ ?c <{SKOS}notation> ?code }}")
    sw.setReturnFormat({"turtle": TURTLE, "xml": XML, "n3": N3}[fmt])
    got = sw.query().convert()
    g = got if isinstance(got, rdflib.Graph) else rdflib.Graph().parse(data=got, format="turtle")
    assert {str(o) for o in g.objects()} == {"15-2051", "S1"}


def test_sparqlwrapper_update_is_refused(endpoint: str) -> None:
    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    sw = SPARQLWrapper(endpoint, updateEndpoint=endpoint)
    sw.setQuery("INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }")
    sw.setMethod(POST)
    with pytest.raises((SPARQLWrapperException, OSError)) as info:
        sw.query()
    assert "403" in str(info.value) or "read-only" in str(info.value)


def test_sparqlwrapper_ask(endpoint: str) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    sw = SPARQLWrapper(endpoint)
    sw.setQuery(f"ASK {{ ?c <{SKOS}notation> \"S1\" }}")
    sw.setReturnFormat(JSON)
    assert sw.query().convert()["boolean"] is True  # type: ignore[index]


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore(endpoint: str, method: str) -> None:
    g = rdflib.Graph(store=SPARQLStore(endpoint, method=method))
    rows = g.query(NOTATIONS)
    assert [str(r[0]) for r in rows] == ["15-2051", "S1"]  # type: ignore[index]
    assert (rdflib.URIRef("http://example.org/tiny/python"), rdflib.URIRef(SKOS + "notation"), rdflib.Literal("S1")) in g
    built = g.query(f"CONSTRUCT {{ ?c <{SKOS}notation> ?code }} WHERE {{ ?c <{SKOS}notation> ?code }}")
    assert len(built.graph) == 2  # type: ignore[arg-type]


def test_rdflib_sparqlstore_is_read_only(endpoint: str) -> None:
    g = rdflib.Graph(store=SPARQLStore(endpoint))
    with pytest.raises(TypeError):
        g.add((rdflib.URIRef("http://e/a"), rdflib.URIRef("http://e/b"), rdflib.Literal("c")))
