"""Bulk downloads: listed, parseable (gzip + N-Quads, SSSOM, CSV), equal to the store's content, served as files with
ETag / Last-Modified / Content-Length, HEAD and 304, written once per state of the store, never learner data."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from fastapi.testclient import TestClient
from sssom.parsers import parse_sssom_table

import lermap
from lermap.api.app import create_app
from lermap.graph.vocab import CATALOG_GRAPH
from tests.conftest import TEST_DATA

EX = "http://example.org/"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    selector = f"oxigraph:{tmp_path_factory.mktemp('dumps') / 'store'}"
    with lermap.open_graph(selector) as kg:
        kg.ingest(TEST_DATA / "analysis" / "pathway.ttl", format="rdf")
        kg.ingest(TEST_DATA / "core" / "tiny.ttl", format="rdf")
        kg.ingest_bytes("learner.ttl", b"<http://example.org/learner> <http://example.org/holds> <http://example.org/secret-badge> .",
                        format="rdf", personal=True)
    return selector


@pytest.fixture(scope="module")
def client(store: str) -> Iterator[TestClient]:
    with TestClient(create_app(store)) as c:
        yield c


def _shared_quad_count(client: TestClient) -> int:
    kg = client.app.state.kg  # type: ignore[attr-defined]
    shared = [g for g in kg.store.visible_graphs() if g != CATALOG_GRAPH]
    catalogue = sum(1 for t in kg.store.backend.triples(CATALOG_GRAPH) if t.subject in set(shared))
    return catalogue + sum(1 for g in shared for _ in kg.store.backend.triples(g))


def test_the_list_names_every_download_with_its_url(client: TestClient) -> None:
    listed = {d["name"]: d for d in client.get("/v1/dumps").json()}
    assert {"graph.nq.gz", "alignments.sssom.tsv", "alignments.sssom.json", "entities.csv", "competencies.csv", "occupations.csv"} <= set(listed)
    assert sum(n.startswith("sources/") for n in listed) == 2  # the two shared sources; the learner's graph is not offered
    for d in listed.values():
        assert client.head(d["url"]).status_code == 200


def test_the_whole_graph_parses_and_matches_the_store(client: TestClient) -> None:
    res = client.get("/v1/dumps/graph.nq.gz")
    assert res.status_code == 200 and res.headers["content-type"] == "application/gzip"
    assert int(res.headers["content-length"]) == len(res.content)
    data = gzip.decompress(res.content)
    ds = rdflib.Dataset()
    ds.parse(data=data, format="nquads")
    assert len(ds) == _shared_quad_count(client) > 100
    assert b"secret-badge" not in data and b"learner" not in data


def test_each_source_dump_is_its_graph(client: TestClient) -> None:
    kg = client.app.state.kg  # type: ignore[attr-defined]
    for name in (d["name"] for d in client.get("/v1/dumps").json() if d["name"].startswith("sources/")):
        ds = rdflib.Dataset()
        ds.parse(data=gzip.decompress(client.get(f"/v1/dumps/{name}").content), format="nquads")
        (graph,) = {str(c.identifier) for c in ds.graphs() if len(c)}
        assert len(ds) == sum(1 for _ in kg.store.graph_triples(graph))


def test_sssom_dumps_parse_with_readable_prefixes(client: TestClient, tmp_path: Path) -> None:
    tsv = client.get("/v1/dumps/alignments.sssom.tsv")
    (tmp_path / "a.sssom.tsv").write_bytes(tsv.content)
    msdf = parse_sssom_table(tmp_path / "a.sssom.tsv")
    kg = client.app.state.kg  # type: ignore[attr-defined]
    assert len(msdf.df) == len(kg.find_alignments()) == 7
    assert not any(p.startswith("ns") for p in msdf.converter.prefix_map) and "fwa" in "".join(msdf.converter.prefix_map)
    assert client.get("/v1/dumps/alignments.sssom.json").json()["mappings"]


@pytest.mark.parametrize(("table", "rows"), [("competencies", 11), ("occupations", 3), ("credentials", 5), ("standards", 0)])
def test_csv_tables_have_every_entity(client: TestClient, table: str, rows: int) -> None:
    res = client.get(f"/v1/dumps/{table}.csv")
    assert res.headers["content-type"].startswith("text/csv")
    found = list(csv.DictReader(io.StringIO(res.text)))
    assert len(found) == rows == client.get(f"/v1/{table}").json()["total"]
    assert all(r["id"].startswith(EX) for r in found)


def test_entities_csv_is_every_table_together(client: TestClient) -> None:
    found = list(csv.DictReader(io.StringIO(client.get("/v1/dumps/entities.csv").text)))
    assert len(found) == sum(client.get(f"/v1/{r}").json()["total"] for r in {x["resource"] for x in found})


def test_conditional_and_head_requests(client: TestClient) -> None:
    first = client.get("/v1/dumps/competencies.csv")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('"') and first.headers["content-length"] == str(len(first.content))
    assert client.get("/v1/dumps/competencies.csv", headers={"if-none-match": etag}).status_code == 304
    assert client.get("/v1/dumps/competencies.csv", headers={"if-modified-since": modified}).status_code == 304
    assert client.get("/v1/dumps/competencies.csv", headers={"if-none-match": '"other"'}).status_code == 200
    head = client.head("/v1/dumps/competencies.csv")
    assert head.status_code == 200 and head.content == b"" and head.headers["content-length"] == first.headers["content-length"]
    assert "content-encoding" not in client.get("/v1/dumps/competencies.csv", headers={"accept-encoding": "gzip"}).headers
    assert client.get("/v1/dumps/nothing.csv").status_code == 404


def test_written_once_per_state_and_again_after_a_change(tmp_path: Path) -> None:
    store = f"oxigraph:{tmp_path / 'store'}"
    with lermap.open_graph(store) as kg:
        kg.ingest(TEST_DATA / "core" / "tiny.ttl", format="rdf")
    with TestClient(create_app(store)) as c:
        kg = c.app.state.kg
        first = kg.dump("graph.nq.gz")
        c.get("/v1/dumps/graph.nq.gz")
        again = kg.dump("graph.nq.gz")
        assert (again.path, again.etag, again.path.stat().st_mtime_ns) == (first.path, first.etag, first.path.stat().st_mtime_ns)
        assert first.path.is_relative_to(tmp_path / "dumps")  # beside the store, not per request
        extra = tmp_path / "extra.ttl"
        extra.write_text("<http://example.org/new> <http://www.w3.org/2004/02/skos/core#prefLabel> \"new\" .\n")
        kg.ingest(extra, format="rdf")
        after = c.get("/v1/dumps/graph.nq.gz")
        assert after.headers["etag"] != first.etag and not first.path.exists()  # the old state's folder is gone
        ds = rdflib.Dataset()
        ds.parse(data=gzip.decompress(after.content), format="nquads")
        assert len(ds) == _shared_quad_count(c)
