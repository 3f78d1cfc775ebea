"""Every endpoint on a graph built from the publishers' conformance documents (OB 3.0, CTDL-ASN, CASE, ESCO, O*NET)
plus our small O*NET extract with Skills.txt (the conformance O*NET and ESCO folders hold no occupation requirements):
status, response schema, pagination, content negotiation and errors. Builds in about 30-40 s, once per module;
skipped with the reason when ../shared/conformance is absent (a failure in CI, see the `conformance` fixture)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import rdflib
from fastapi.testclient import TestClient

import lermap
from lermap.api.app import create_app
from lermap.api.routers.sources import SourcePublic
from lermap.api.schemas import AlignmentPage, AlignmentPublic, EntityDetail, Page, SearchHit, SkillMentionPublic, TreeNode
from lermap.service.entities import RESOURCES
from tests.conftest import TEST_DATA

PARTS = ["ob3", "ctdl-asn", "case", "esco/v1.2.0-csv", "onet/v28-ish-txt"]
NON_EMPTY = ["competencies", "frameworks", "credentials", "occupations", "organizations", "concept-schemes"]


@pytest.fixture(scope="module")
def client(conformance: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    selector = f"oxigraph:{tmp_path_factory.mktemp('conf-api') / 'store'}"
    with lermap.open_graph(selector) as kg:
        results = list(kg.iter_ingest([conformance / p for p in PARTS] + [TEST_DATA / "onet" / "mini"]))
        assert sum(1 for r in results if not isinstance(r, Exception)) > 150
    with TestClient(create_app(selector)) as c:
        yield c


@pytest.fixture(scope="module")
def first(client: TestClient) -> dict[str, str]:
    """The first entity of each non-empty resource."""
    return {name: client.get(f"/v1/{name}", params={"limit": 1}).json()["items"][0]["id"] for name in NON_EMPTY}


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_list_schema(client: TestClient, name: str) -> None:
    res = client.get(f"/v1/{name}", params={"limit": 5})
    assert res.status_code == 200
    page = Page.model_validate(res.json())
    assert page.limit == 5 and len(page.items) == min(5, page.total)
    if name in NON_EMPTY:
        assert page.total > 0


@pytest.mark.parametrize("name", NON_EMPTY)
def test_pagination_is_disjoint_and_complete(client: TestClient, name: str) -> None:
    total = client.get(f"/v1/{name}", params={"limit": 1}).json()["total"]
    size = max(1, min(total, 200) // 3)
    ids: list[str] = []
    url: str | None = f"/v1/{name}?limit={size}"
    while url and len(ids) < 3 * size:
        page = client.get(url).json()
        ids += [i["id"] for i in page["items"]]
        url = page["next"]
    assert len(ids) == len(set(ids)) == min(total, 3 * size)


@pytest.mark.parametrize("name", NON_EMPTY)
def test_detail_schema_and_provenance(client: TestClient, first: dict[str, str], name: str) -> None:
    detail = EntityDetail.model_validate(client.get(f"/v1/{name}/{first[name]}").json())
    graphs = {s["graph"] for s in client.get("/v1/sources").json()}
    assert detail.id == first[name] and detail.facts and {f.graph for f in detail.facts} <= graphs


@pytest.mark.parametrize("name", NON_EMPTY)
def test_detail_not_found(client: TestClient, name: str) -> None:
    res = client.get(f"/v1/{name}/http://example.org/none")
    assert res.status_code == 404 and res.json()["error"]["type"] == "NotFoundError"


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                             ("application/n-triples", "nt"), ("application/rdf+xml", "xml")])
def test_entity_negotiation_gives_one_graph(client: TestClient, first: dict[str, str], accept: str, fmt: str) -> None:
    iri = first["competencies"]
    res = client.get(f"/v1/entities/{iri}", headers={"accept": accept})
    assert res.headers["content-type"].startswith(accept)
    g = rdflib.Graph().parse(data=res.text, format=fmt)
    ref = rdflib.Graph().parse(data=client.get(f"/v1/entities/{iri}", headers={"accept": "application/n-triples"}).text, format="nt")
    assert len(g) == len(ref) > 0 and set(g.subjects()) == {rdflib.URIRef(iri)}


def test_entity_html(client: TestClient, first: dict[str, str]) -> None:
    res = client.get(f"/v1/entities/{first['occupations']}", headers={"accept": "text/html"})
    assert res.headers["content-type"].startswith("text/html") and "<h1>" in res.text


def test_framework_tree(client: TestClient) -> None:
    frameworks = client.get("/v1/frameworks", params={"limit": 500}).json()["items"]
    trees = [client.get(f"/v1/frameworks/{f['id']}/tree") for f in frameworks[:10]]
    ok = [t for t in trees if t.status_code == 200]
    assert ok and all(t.status_code == 404 for t in trees if t not in ok)
    nodes = [TreeNode.model_validate(n) for n in ok[0].json()]
    assert nodes and all(n.id for n in nodes)


def test_occupation_requirements(client: TestClient) -> None:
    q = ("SELECT ?o WHERE { ?r <https://w3id.org/lermap/vocab#requiredBy> ?o } LIMIT 1")
    occ = client.get("/sparql", params={"query": q}).json()["results"]["bindings"][0]["o"]["value"]
    reqs = client.get(f"/v1/occupations/{occ}/requirements").json()["items"]
    assert reqs and all("competency" in r for r in reqs)


def test_alignments_page_and_filters(client: TestClient) -> None:
    page = AlignmentPage.model_validate(client.get("/v1/alignments", params={"limit": 10}).json())
    assert page.total > 0 and len(page.items) == min(10, page.total)
    subject = page.items[0].subject_id
    around = [AlignmentPublic.model_validate(a) for a in client.get(f"/v1/competencies/{subject}/alignments").json()["items"]]
    assert around and all(a.subject_id == subject for a in around)
    assert client.get("/v1/alignments", params={"min_confidence": 2}).status_code == 422


def test_sssom_download(client: TestClient) -> None:
    res = client.get("/v1/alignments.sssom.tsv")
    assert res.headers["content-type"].startswith("text/tab-separated-values") and "subject_id" in res.text


def test_extract(client: TestClient) -> None:
    found = [SkillMentionPublic.model_validate(m) for m in client.post("/v1/extract", json={"text": "We need someone to manage projects and perform data analysis."}).json()]
    assert found and all(0 <= m.confidence <= 1 for m in found)


def test_pathway(client: TestClient) -> None:
    q = ("SELECT ?o ?c WHERE { ?r <https://w3id.org/lermap/vocab#requiredBy> ?o ; <https://w3id.org/lermap/vocab#requiresCompetency> ?c }"
         " LIMIT 1")
    row = client.get("/sparql", params={"query": q}).json()["results"]["bindings"][0]
    body = client.post("/v1/pathways", json={"held": [row["c"]["value"]], "target": row["o"]["value"]}).json()
    assert 0 < body["coverage"] <= 1 and "gap" in body and "plan" in body


def test_scorecard(client: TestClient, first: dict[str, str]) -> None:
    card = client.get(f"/v1/scorecards/{first['organizations']}").json()
    assert len(card["assessments"]) == 7


@pytest.mark.parametrize(("q", "status"), [("data", 200), ("x", 422)])
def test_search(client: TestClient, q: str, status: int) -> None:
    res = client.get("/v1/search", params={"q": q})
    assert res.status_code == status
    if status == 200:
        assert [SearchHit.model_validate(h) for h in res.json()["items"]]


def test_sources_and_health(client: TestClient) -> None:
    sources = [SourcePublic.model_validate(s) for s in client.get("/v1/sources").json()]
    assert len(sources) > 150 and {s.format for s in sources} >= {"ob3", "ctdl-asn", "case", "esco", "onet"}
    assert client.get("/v1/health").json()["sources"] >= len(sources)


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "text/csv"])
def test_sparql_over_the_conformance_graph(client: TestClient, accept: str) -> None:
    q = "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a <https://purl.org/ctdlasn/terms/Competency> }"
    res = client.get("/sparql", params={"query": q}, headers={"accept": accept})
    assert res.status_code == 200 and res.headers["content-type"].startswith(accept)


@pytest.mark.parametrize("path", ["/", "/map", "/principles", "/crosswalk", "/pathways", "/docs"])
def test_pages(client: TestClient, path: str) -> None:
    res = client.get(path)
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/html")


def test_framework_page(client: TestClient, first: dict[str, str]) -> None:
    res = client.get("/frameworks/" + quote(first["frameworks"], safe=":/"))
    assert res.status_code == 200 and 'id="figure-data"' in res.text


def test_match_occupations(client: TestClient) -> None:
    from lermap.api.schemas import TitleMatches
    from lermap.ingest.esco.esco import OCCUPATIONS_SCHEME

    body = {"titles": ["helpdesk agent for ICT", "sous chef"], "scheme": OCCUPATIONS_SCHEME.value, "top": 2}
    found = [TitleMatches.model_validate(t) for t in client.post("/v1/occupations/match", json=body).json()]
    assert [t.title for t in found] == body["titles"] and [len(t.matches) for t in found] == [2, 2]
    assert [t.matches[0].label for t in found] == ["ICT help desk agent", "chef"]
    assert client.post("/v1/occupations/match", json={**body, "scheme": "https://example.org/none"}).status_code == 404
    assert client.post("/v1/occupations/match", json={**body, "titles": [""]}).status_code == 422
    assert client.post("/v1/occupations/match", json={**body, "titles": []}).status_code == 422
