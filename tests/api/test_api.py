"""Every API endpoint: status, schema, pagination, negotiation, errors (graph: hand-built fixtures)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import rdflib
from fastapi.testclient import TestClient

import lermap
from lermap.api.app import create_app
from tests.conftest import TEST_DATA

EX = "http://example.org/"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    selector = f"oxigraph:{tmp_path_factory.mktemp('api') / 'store'}"
    with lermap.open_graph(selector) as kg:
        kg.ingest(TEST_DATA / "analysis" / "pathway.ttl", format="rdf")
        kg.ingest(TEST_DATA / "core" / "tiny.ttl", format="rdf")
    with TestClient(create_app(selector)) as c:
        yield c


@pytest.mark.parametrize(("resource", "total"), [("competencies", 11), ("frameworks", 3), ("credentials", 5), ("occupations", 3),
                                                 ("organizations", 2), ("concept-schemes", 2), ("standards", 0), ("pathways", 0)])
def test_list_totals(client: TestClient, resource: str, total: int) -> None:
    body = client.get(f"/v1/{resource}").json()
    assert body["total"] == total and len(body["items"]) == min(total, 50)


def test_pagination_next_links_walk_everything(client: TestClient) -> None:
    seen, url = [], "/v1/competencies?limit=4"
    while url:
        page = client.get(url).json()
        seen += [i["id"] for i in page["items"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 11


def test_filter_and_sort(client: TestClient) -> None:
    body = client.get("/v1/competencies", params={"scheme": EX + "fwA", "sort": "-label"}).json()
    assert [i["label"] for i in body["items"]] == ["Statistics", "SQL", "Python programming", "Data visualisation"]
    assert client.get("/v1/competencies", params={"q": "python"}).json()["total"] == 3
    assert client.get("/v1/competencies", params={"sort": "color"}).status_code == 422


def test_detail_with_provenance_and_not_found(client: TestClient) -> None:
    body = client.get(f"/v1/competencies/{EX}fwA/py").json()
    assert body["label"] == "Python programming"
    assert all(f["graph"].startswith("https://w3id.org/lermap/graph/pathway-ttl/") for f in body["facts"])
    assert {i["subject"] for i in body["incoming"]} >= {EX + "badgePy", EX + "m1"}
    missing = client.get(f"/v1/competencies/{EX}nothing")
    assert missing.status_code == 404 and missing.json()["error"]["type"] == "NotFoundError"
    assert client.get(f"/v1/occupations/{EX}fwA/py").status_code == 404  # exists, but not an occupation


def test_content_negotiation(client: TestClient) -> None:
    iri = EX + "fwA/py"
    turtle = client.get(f"/v1/entities/{iri}", headers={"accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=turtle.text, format="turtle")
    assert (rdflib.URIRef(iri), rdflib.SKOS.prefLabel, rdflib.Literal("Python programming")) in g
    jsonld = client.get(f"/v1/entities/{iri}", headers={"accept": "application/ld+json"})
    assert len(rdflib.Graph().parse(data=jsonld.text, format="json-ld")) == len(g)
    html = client.get(f"/v1/entities/{iri}", headers={"accept": "text/html"})
    assert html.headers["content-type"].startswith("text/html") and "<h1>Python programming</h1>" in html.text
    assert client.get(f"/v1/entities/{iri}").json()["id"] == iri


def test_framework_tree_and_requirements(client: TestClient) -> None:
    tree = client.get(f"/v1/frameworks/{EX}tiny/fw/tree").json()
    assert [n["label"] for n in tree] == ["Program in Python"] and [c["label"] for c in tree[0]["children"]] == ["Query data with SQL"]
    reqs = client.get(f"/v1/occupations/{EX}analyst/requirements").json()["items"]
    assert sorted((r["label"], r["essential"]) for r in reqs) == [
        ("Statistics", True), ("create data visualisations", False), ("programming in Python", True), ("use databases", True)]


def test_alignments_filters_and_shortcut(client: TestClient) -> None:
    assert client.get("/v1/alignments").json()["total"] == 7
    body = client.get("/v1/alignments", params={"subject": B("python")}).json()
    assert [(i["subject_id"], i["object_id"]) for i in body["items"]] == [(B("python"), A("py"))]
    assert client.get("/v1/alignments", params={"predicate": "skos:exactMatch", "min_confidence": 0.5}).json()["total"] == 4
    assert client.get("/v1/alignments", params={"predicate": "skos:sameAs"}).status_code == 400
    short = client.get(f"/v1/competencies/{A('py')}/alignments", params={"min_confidence": 0.5}).json()["items"]
    assert [a["object_id"] for a in short] == [B("python")]
    tsv = client.get("/v1/alignments.sssom.tsv")
    assert tsv.status_code == 200 and "mapping_set_id" in tsv.text and tsv.text.count("skos:exactMatch") == 5


def A(local: str) -> str:  # noqa: N802 - mirrors the fixture's prefixes
    return EX + "fwA/" + local


def B(local: str) -> str:  # noqa: N802
    return EX + "fwB/" + local


def test_extract(client: TestClient) -> None:
    found = client.post("/v1/extract", json={"text": "SQL, welding and Python programming"}).json()
    assert [(f["text"], f["span"]) for f in found] == [("SQL", [0, 3]), ("welding", [5, 12]), ("Python programming", [17, 35])]
    assert client.post("/v1/extract", json={"text": "x" * 100_001}).status_code == 422


def test_pathways(client: TestClient) -> None:
    body = client.post("/v1/pathways", json={"held": [EX + "badgePy"], "target": EX + "analyst"}).json()
    assert body["coverage"] == pytest.approx(0.9 / 3.5, abs=1e-4) and [s["credential"] for s in body["plan"]] == [EX + "bootcamp"]
    assert client.post("/v1/pathways", json={"held": [], "target": EX + "analyst"}).status_code == 400
    assert client.post("/v1/pathways", json={"held": [EX + "badgePy"], "target": EX + "nothing"}).status_code == 404


def test_search(client: TestClient) -> None:
    hits = client.get("/v1/search", params={"q": "data analyst"}).json()["items"]
    assert {h["id"] for h in hits} == {EX + "analyst", EX + "tiny/analyst"} and hits[0]["label"] == "Data analyst"
    assert client.get("/v1/search", params={"q": "x"}).status_code == 422


def test_sources_and_health(client: TestClient) -> None:
    assert len(client.get("/v1/sources").json()) == 2
    assert client.get("/v1/health").json() == {"status": "ok", "sources": 2}


def test_openapi_has_clean_operation_ids(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    ids = [op["operationId"] for path in spec["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids))
    assert {"list_competencies", "get_competencies", "list_alignments", "competency_alignments", "extract_skills", "compute_pathway",
            "get_entity", "search", "download_sssom", "framework_tree"} <= set(ids)


def test_docs_are_served_offline(client: TestClient) -> None:
    page = client.get("/docs").text
    assert "/static/swagger/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/plotly.min.js").status_code == 200


@pytest.mark.parametrize("path", ["/map", "/crosswalk", f"/crosswalk?a={quote(EX + 'fwA')}&b={quote(EX + 'fwB')}", "/pathways",
                                  f"/frameworks/{EX}fwA"])
def test_pages_render(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")


def test_user_text_is_escaped(tmp_path: Path) -> None:
    selector = f"oxigraph:{tmp_path / 'store'}"
    evil = tmp_path / "evil.ttl"
    evil.write_text('<http://example.org/evil> a <https://schema.org/Organization> ; '
                    '<http://www.w3.org/2004/02/skos/core#prefLabel> "<script>alert(1)</script>" .\n')
    with lermap.open_graph(selector) as kg:
        kg.ingest(evil, format="rdf")
    with TestClient(create_app(selector)) as c:
        for path in ["/map", "/v1/entities/http://example.org/evil"]:
            text = c.get(path, headers={"accept": "text/html"}).text
            assert "<script>alert(1)</script>" not in text
            assert "alert(1)" in text
