"""Linked data on every resource route: the negotiation matrix (route × representation, by Accept and by ?format=),
406, labels by language (lang=), and paging with next links on every list."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib.compare import isomorphic

import lermap
from lermap.api.app import create_app
from lermap.graph.terms import to_rdflib_graph
from tests.conftest import TEST_DATA

EX = "http://example.org/"
LD = EX + "ld/"

# one entity per resource route (``None``: the untyped /v1/entities route)
ROUTES = {
    "competencies": EX + "fwA/py", "frameworks": EX + "fwA", "credentials": EX + "badgePy", "occupations": EX + "analyst",
    "organizations": EX + "acme", "concept-schemes": EX + "fwB", "standards": LD + "standard", "tools": LD + "tool",
    "pathways": LD + "pathway", "entities": LD + "skill",
}
RDF_SYNTAX = {"application/ld+json": ("jsonld", "json-ld"), "text/turtle": ("ttl", "turtle"), "application/n-triples": ("nt", "nt"),
              "application/rdf+xml": ("rdf", "xml")}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    selector = f"oxigraph:{tmp_path_factory.mktemp('ld') / 'store'}"
    with lermap.open_graph(selector) as kg:
        for path in (TEST_DATA / "analysis" / "pathway.ttl", TEST_DATA / "core" / "tiny.ttl", TEST_DATA / "api" / "linked.ttl"):
            kg.ingest(path, format="rdf")
    with TestClient(create_app(selector)) as c:
        yield c


def _kind(route: str) -> str | None:
    return None if route == "entities" else route


@pytest.mark.parametrize("media", sorted(RDF_SYNTAX))
@pytest.mark.parametrize("route", sorted(ROUTES))
def test_rdf_by_accept_and_by_format_is_the_services_description(client: TestClient, route: str, media: str) -> None:
    iri = ROUTES[route]
    expected = to_rdflib_graph(client.app.state.kg.describe(iri, _kind(route)))  # type: ignore[attr-defined]
    assert len(expected) > 0
    name, syntax = RDF_SYNTAX[media]
    by_accept = client.get(f"/v1/{route}/{iri}", headers={"accept": f"application/json;q=0.5, {media}"})
    by_format = client.get(f"/v1/{route}/{iri}", params={"format": name}, headers={"accept": "application/json"})
    for res in (by_accept, by_format):
        assert res.status_code == 200 and res.headers["content-type"].startswith(media)
        assert "Accept" in res.headers["vary"]
        assert isomorphic(rdflib.Graph().parse(data=res.text, format=syntax), expected)


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_json_is_the_default_and_html_goes_to_the_page(client: TestClient, route: str) -> None:
    iri = ROUTES[route]
    for headers in ({}, {"accept": "*/*"}, {"accept": "application/json"}, {"accept": "text/turtle;q=0.2, application/*;q=0.9"}):
        res = client.get(f"/v1/{route}/{iri}", headers=headers)
        assert res.status_code == 200 and res.headers["content-type"].startswith("application/json") and res.json()["id"] == iri
    page = client.get(f"/v1/{route}/{iri}", headers={"accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/entity?id=" + quote(iri, safe="")


@pytest.mark.parametrize("route", sorted(ROUTES))
@pytest.mark.parametrize(("headers", "params"), [({"accept": "image/png"}, {}), ({"accept": "text/turtle;q=0, application/json;q=0"}, {}),
                                                 ({}, {"format": "xlsx"})])
def test_406_lists_what_the_route_gives(client: TestClient, route: str, headers: dict[str, str], params: dict[str, str]) -> None:
    res = client.get(f"/v1/{route}/{ROUTES[route]}", headers=headers, params=params)
    assert res.status_code == 406 and "Accept" in res.headers["vary"]
    error = res.json()["error"]
    assert error["type"] == "NotAcceptable" and set(error["formats"]) >= {"json", "jsonld", "ttl", "nt"}
    assert "text/turtle" in error["available"] and "text/turtle" in error["message"]


def test_typed_route_refuses_an_entity_of_another_kind_in_every_representation(client: TestClient) -> None:
    for fmt in ("json", "ttl", "jsonld", "nt", "html"):
        assert client.get(f"/v1/occupations/{EX}fwA/py", params={"format": fmt}, follow_redirects=False).status_code == 404


def test_description_carries_the_blank_node(client: TestClient) -> None:
    g = rdflib.Graph().parse(data=client.get(f"/v1/competencies/{LD}skill", params={"format": "ttl"}).text, format="turtle")
    assert (None, rdflib.URIRef("https://schema.org/name"), rdflib.Literal("a blank set")) in g


@pytest.mark.parametrize(("lang", "label", "tag"), [
    ("de", "Programmierung", "de-de"),            # a range matches a longer tag
    ("it,fr", "programmation", "fr"),             # the second choice when the first has none
    ("it", "programming", "en-gb"),               # no match, no untagged label: English
    ("EN-gb", "programming", "en-gb"),            # tags compare case-insensitively (the store keeps them in lower case)
    (None, "programming", "en-gb"),
])
def test_lang_chooses_the_label_and_says_which(client: TestClient, lang: str | None, label: str, tag: str) -> None:
    params = {"lang": lang} if lang else {}
    detail = client.get(f"/v1/competencies/{LD}skill", params=params)
    assert (detail.json()["label"], detail.json()["label_lang"], detail.headers["content-language"]) == (label, tag, tag)
    listed = client.get("/v1/competencies", params={**params, "scheme": LD + "fw"})
    item = next(i for i in listed.json()["items"] if i["id"] == LD + "skill")
    assert (item["label"], item["label_lang"]) == (label, tag) and tag in listed.headers["content-language"]


def test_lang_falls_back_to_untagged_then_english_then_any(client: TestClient) -> None:
    assert client.get(f"/v1/competencies/{LD}plain", params={"lang": "ja"}).json()["label"] == "untagged label"
    untagged = client.get(f"/v1/competencies/{LD}plain", params={"lang": "ja"})
    assert untagged.json()["label_lang"] is None and "content-language" not in untagged.headers
    assert client.get(f"/v1/competencies/{LD}plain", params={"lang": "de"}).json()["label"] == "deutsches Label"
    assert client.get(f"/v1/competencies/{LD}onlyfr", params={"lang": "de"}).json()["label_lang"] == "fr"


@pytest.mark.parametrize("path", ["/v1/competencies", f"/v1/competencies/{LD}skill", f"/v1/entities/{LD}skill", "/v1/alignments",
                                  f"/v1/competencies/{EX}fwA/py/alignments", f"/v1/frameworks/{LD}fw/tree", "/v1/search?q=pro",
                                  f"/v1/occupations/{EX}analyst/requirements", f"/v1/suggestions?a={EX}fwA&b={EX}fwB"])
@pytest.mark.parametrize("bad", ["en_GB", "en-subtagtoolong", "de,,en", "1234"])
def test_a_malformed_lang_is_a_400_naming_the_parameter(client: TestClient, path: str, bad: str) -> None:
    res = client.get(path, params={"lang": bad})
    assert res.status_code == 400 and res.json()["error"]["message"].startswith("lang:")


def test_lang_on_tree_search_and_alignments(client: TestClient) -> None:
    tree = client.get(f"/v1/frameworks/{LD}fw/tree", params={"lang": "de"})
    assert {n["label"] for n in tree.json()} >= {"Programmierung", "deutsches Label"} and "de-de" in tree.headers["content-language"]
    hits = client.get("/v1/search", params={"q": "programmierung", "lang": "de"}).json()["items"]
    assert [(h["id"], h["label_lang"]) for h in hits] == [(LD + "skill", "de-de")]
    assert client.get("/v1/search", params={"q": "programmierung", "lang": "fr"}).json()["items"] == []


def _walk(client: TestClient, url: str) -> list[str]:
    seen: list[str] = []
    while url:
        res = client.get(url)
        assert res.status_code == 200
        body = res.json()
        seen += [i.get("id") or i.get("competency") or f"{i.get('subject_id')} {i.get('predicate_id')} {i.get('object_id')}" for i in body["items"]]
        assert (body["next"] is None) == ("link" not in res.headers)
        if body["next"]:
            assert res.headers["link"] == f'<{body["next"]}>; rel="next"'
        url = body["next"]
    return seen


@pytest.mark.parametrize(("start", "everything"), [
    ("/v1/competencies?limit=2", "/v1/competencies?limit=1000"),
    ("/v1/competencies?limit=3&sort=-label&lang=de", "/v1/competencies?limit=1000&sort=-label&lang=de"),
    ("/v1/credentials?limit=2", "/v1/credentials?limit=1000"),
    ("/v1/alignments?limit=2", "/v1/alignments?limit=1000"),
    (f"/v1/competencies/{EX}fwA/py/alignments?limit=1", f"/v1/competencies/{EX}fwA/py/alignments?limit=1000"),
    (f"/v1/occupations/{EX}analyst/requirements?limit=1", f"/v1/occupations/{EX}analyst/requirements?limit=1000"),
    ("/v1/search?q=data&limit=1", "/v1/search?q=data&limit=100"),
    (f"/v1/suggestions?a={EX}fwA&b={EX}fwB&limit=2", f"/v1/suggestions?a={EX}fwA&b={EX}fwB&limit=5000"),
])
def test_walking_next_returns_every_item_exactly_once(client: TestClient, start: str, everything: str) -> None:
    walked, whole = _walk(client, start), _walk(client, everything)
    assert len(whole) > 1 and walked == whole and len(set(walked)) == len(walked)


@pytest.mark.parametrize("path", ["/v1/competencies", "/v1/alignments", f"/v1/competencies/{EX}fwA/py/alignments",
                                  f"/v1/occupations/{EX}analyst/requirements"])
def test_page_size_is_bounded(client: TestClient, path: str) -> None:
    assert client.get(path, params={"limit": 1001}).status_code == 422
    assert client.get(path, params={"limit": 0}).status_code == 422
