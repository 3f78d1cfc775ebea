"""The pages a policymaker reads (issue 20): the home page's counts and search, search grouped by kind and its
type-ahead, the entity page in words with sources and scorecard evidence, the principles explained with their
sortable matrix and the comparison — and hostile text in every parameter shown as text, never run."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote, unquote

import pytest
from fastapi.testclient import TestClient

import lermap
from lermap.api.app import create_app
from lermap.views.render import http_url
from tests.conftest import ROOT, TEST_DATA

HTML = {"accept": "text/html"}
EVIL = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
CTDL = "https://w3id.org/lermap/id/standard/ctdl"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    selector = f"oxigraph:{tmp_path_factory.mktemp('policy') / 'store'}"
    with lermap.open_graph(selector) as kg:
        kg.ingest(ROOT / "data" / "datasets.yaml", ROOT / "data" / "ecosystem", ROOT / "data" / "ler-ecosystem-map")
        kg.ingest(TEST_DATA / "analysis" / "pathway.ttl", format="rdf")
        kg.derive()
    return selector


@pytest.fixture(scope="module")
def client(store: str) -> Iterator[TestClient]:
    with TestClient(create_app(store)) as c:
        yield c


@pytest.fixture(scope="module")
def engine(client: TestClient) -> str:
    hits = client.get("/search/suggest", params={"q": "Credential Engine"}).json()
    assert hits[0]["label"] == "Credential Engine" and hits[0]["kind"] == "Organisation"
    return str(hits[0]["href"]).split("id=", 1)[1]


def before_technical(text: str) -> str:
    """The page up to its technical-details fold (what a reader sees without asking)."""
    return text.split('<details class="technical">', 1)[0]


def test_every_page_has_the_header_navigation_and_one_stylesheet(client: TestClient, engine: str) -> None:
    for path in ("/", "/search?q=badge", f"/entity?id={engine}", "/map", "/principles"):
        text = client.get(path, headers=HTML).text
        assert text.count('rel="stylesheet"') == 1 and 'class="site-nav"' in text, path
        assert all(f'href="{href}"' in text for href in ("/map", "/principles", "/search", "/about")), path


def test_home_counts_what_the_graph_holds_and_has_the_search_box(client: TestClient) -> None:
    text = client.get("/", headers=HTML).text
    counts = dict((what, int(n.replace(",", ""))) for n, what in re.findall(r'counts__n">([\d,]+)</span> <span class="counts__what">([^<]+)<', text))
    assert counts["organisations"] >= 100 and counts["standards"] >= 30 and counts["tools"] >= 50 and counts["competency frameworks"] >= 2
    assert 'data-suggest="/search/suggest"' in text and 'action="/search"' in text
    datasets = text.split('id="datasets"', 1)[1]
    assert "8 datasets" in datasets and "LER Ecosystem Map v2 site data" in datasets
    assert '<a href="https://creativecommons.org/publicdomain/zero/1.0/">CC0-1.0</a>' in datasets and "Apache-2.0" in datasets


def test_search_groups_results_by_kind_with_links_to_their_pages(client: TestClient) -> None:
    text = client.get("/search", params={"q": "credential engine"}, headers=HTML).text
    groups = re.findall(r'<h3 id="group-\d+">([^<]+) \((\d+)\)</h3>', text)
    assert [g for g, _ in groups] == ["Organisations", "Tools"]
    assert '>Credential Engine</a>' in text and '>Credential Engine Publisher</a>' in text
    assert re.search(r'href="/entity\?id=https%3A%2F%2Fw3id\.org%2Flermap%2Fid%2Ftool%2Fce-publisher"', text)
    empty = client.get("/search", params={"q": "zzzz qqqq"}, headers=HTML).text
    assert "Nothing in the graph has a name with all of these words" in empty
    short = client.get("/search", params={"q": "x"}, headers=HTML)
    assert short.status_code == 422 and "type at least two letters" in short.text


def test_suggest_answers_few_names_with_kind_and_page(client: TestClient) -> None:
    hits = client.get("/search/suggest", params={"q": "cred"}).json()
    assert 0 < len(hits) <= 8 and all("cred" in h["label"].casefold() and h["href"].startswith("/entity?id=") for h in hits)
    assert client.get("/search/suggest", params={"q": "c"}).json() == []
    assert client.get("/search/suggest", params={"q": "x" * 201}).status_code == 422


@pytest.mark.parametrize("path", ["/search", "/search/suggest", "/map", "/map/export.csv", "/map/export.graphml"])
def test_hostile_search_text_is_shown_escaped_never_run(client: TestClient, path: str) -> None:
    res = client.get(path, params={"q": EVIL}, headers=HTML)
    assert res.status_code == 200
    assert "<script>alert(1)</script>" not in res.text and "<img src=x" not in res.text
    if path in ("/search", "/map"):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in res.text


@pytest.mark.parametrize("path", ["/entity", "/entity/summary", "/principles/compare"])
def test_hostile_ids_are_refused_in_words_and_escaped(client: TestClient, path: str) -> None:
    params = {"id": [EVIL, "https://example.org/" + EVIL]} if path.endswith("compare") else {"id": "https://example.org/" + EVIL}
    res = client.get(path, params=params, headers=HTML)
    assert res.status_code == 404 and "<script>alert(1)</script>" not in res.text and "<img src=x" not in res.text


def test_hostile_focus_and_filters_on_the_map_are_ignored_and_escaped(client: TestClient) -> None:
    res = client.get("/map", params={"focus": EVIL, "role": EVIL, "region": EVIL, "kind": EVIL}, headers=HTML)
    assert res.status_code == 200 and "<script>alert(1)</script>" not in res.text
    assert "The chosen node is not on this view of the map" in res.text
    assert client.get("/map", params={"hops": 3}, headers=HTML).status_code == 422


def test_entity_page_speaks_in_words_with_sources_and_scorecard_evidence(client: TestClient, engine: str) -> None:
    text = client.get(f"/entity?id={engine}", headers=HTML).text
    seen = before_technical(text)
    assert "<h1>Credential Engine</h1>" in text and 'class="kind-tag">Organisation<' in text
    assert "maintains the CTDL vocabularies" in seen and 'href="https://credentialengine.org/"' in seen
    assert "Region" in seen and "North America" in seen and "Data Standards Organizations" in seen and "LER Technology Providers" in seen
    # relations grouped by type in words, each with the page it was sourced from
    assert '<h3 id="rel-1">Credential Engine' in seen
    maintains = seen.split("Credential Engine maintains</h3>", 1)[1].split("</section>", 1)[0]
    assert "Credential Transparency Description Language" in maintains and 'href="https://credreg.net/ctdl/terms"' in maintains
    funded = seen.split("Credential Engine is funded by</h3>", 1)[1].split("</section>", 1)[0]
    assert "Lumina Foundation" in funded and 'href="https://credentialengine.org/about/"' in funded
    assert "Credential Engine provides</h3>" in seen and "Credential Finder" in seen
    assert re.search(r'<h3 id="related-\d+">Tools \(3\)</h3>', seen) and "Credential Engine url" not in seen
    # no predicates, reified statements or IRIs outside the technical fold
    for raw in ("w3id.org/lermap/vocab#", "schema.org/provider", "rdf:Statement", "/id/relation/", "stakeholderRole", ">type<", "prefLabel"):
        assert raw not in re.sub(r'href="[^"]*"|data-entity="[^"]*"', "", seen), raw
    # the scorecard: each principle, its evidence with sources, and what is missing
    assert 'id="principle-open-standards"' in seen and 'id="principle-global-mobility"' in seen
    opens = seen.split('id="principle-open-standards"', 1)[1].split("</section>", 1)[0]
    evidence = opens.split('class="evidence"', 1)[1].split("</ul>", 1)[0]
    assert evidence.count("<li>") >= 1 and 'href="https://credreg.net/' in evidence
    assert "What is missing" in seen
    assert 'href="/map?focus=' + engine + '"' in seen
    assert "Technical details" in text and unquote(engine) in text.split('<details class="technical">', 1)[1]


def test_a_link_to_a_page_the_graph_does_not_describe_is_a_fact_not_a_relation(client: TestClient) -> None:
    seen = before_technical(client.get("/entity?id=" + quote("https://w3id.org/lermap/id/tool/lcw", safe=""), headers=HTML).text)
    licence = seen.split("<dt>Licence</dt>", 1)[1].split("</div>", 1)[0]
    assert re.search(r'<a href="https://[^"]+">https://', licence) and "Learner Credential Wallet licence" not in seen


def test_entity_page_ends_with_request_an_edit_before_the_technical_details(client: TestClient, engine: str) -> None:
    text = client.get(f"/entity?id={engine}", headers=HTML).text
    assert text.index('id="scorecard"') < text.index('id="request-edit"') < text.index('<details class="technical">')


def test_a_source_that_is_no_web_address_is_never_a_link() -> None:
    assert http_url("javascript:alert(1)") is None and http_url("https://a.org/x y") is None
    assert http_url("https://credreg.net/ctdl/terms") == "https://credreg.net/ctdl/terms"


def test_entity_summary_is_the_brief_for_the_side_panel(client: TestClient, engine: str) -> None:
    brief = client.get(f"/entity/summary?id={engine}").json()
    assert brief["label"] == "Credential Engine" and brief["kind"] == "Organisation" and len(brief["scores"]) == 7
    maintains = next(r for r in brief["relations"] if r["words"] == "maintains")
    assert "Credential Transparency Description Language" in maintains["names"] and maintains["more"] == 0
    assert brief["href"] == f"/entity?id={engine}" and brief["map"] == f"/map?focus={engine}"


def test_principles_are_explained_and_scores_described(client: TestClient) -> None:
    text = client.get("/principles", headers=HTML).text
    names = ["Open Standards", "Privacy &amp; Security", "Unlock Learning Anywhere", "Universal Access", "Alignment",
             "Public-Private Partnerships", "Global Mobility"]
    explained = text.split('id="the-principles"', 1)[1].split('id="how-scores-work"', 1)[0]
    assert all(f"<h3>{n}</h3>" in explained for n in names)
    assert "openly published, community-maintained data standards" in explained  # the seed definition
    how = text.split('id="how-scores-work"', 1)[1].split('id="matrix"', 1)[0]
    assert "number of different" in how and "kinds of evidence found, from 0 to 3" in how and "minus one" in how
    header = text.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert all(n in header for n in names) and 'aria-sort="ascending"' in header


def _matrix(text: str) -> list[tuple[str, list[int]]]:
    body = text.split('id="principles-matrix"', 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>(.*?)</tr>', body, re.S)
    return [(name, [int(v) for v in re.findall(r'data-value="(\d+)"', cells)]) for name, cells in rows]


def test_matrix_sorts_and_filters_on_the_server(client: TestClient) -> None:
    by_name = _matrix(client.get("/principles", headers=HTML).text)
    assert len(by_name) > 150 and [n for n, _ in by_name] == sorted((n for n, _ in by_name), key=str.casefold)
    assert all(len(scores) == 8 and scores[-1] == sum(scores[:-1]) for _, scores in by_name)
    privacy = _matrix(client.get("/principles?sort=privacy-security", headers=HTML).text)
    assert [s[1] for _, s in privacy] == sorted((s[1] for _, s in privacy), reverse=True) and privacy[0][1][1] > 0
    ascending = _matrix(client.get("/principles?sort=-total", headers=HTML).text)
    assert [s[-1] for _, s in ascending] == sorted(s[-1] for _, s in ascending)
    tools = client.get("/principles?kind=tool", headers=HTML).text
    assert 0 < len(_matrix(tools)) < len(by_name) and "Learner Credential Wallet" in tools and ">Credential Engine<" not in tools
    role = "https://w3id.org/lermap/id/ler-map/stakeholder/funders"
    funders = _matrix(client.get("/principles", params={"role": role}, headers=HTML).text)
    assert 0 < len(funders) < len(by_name) and any("Foundation" in n for n, _ in funders)
    assert client.get("/principles?sort=<script>", headers=HTML).status_code == 422


def test_matrix_scores_link_to_their_evidence(client: TestClient) -> None:
    text = client.get("/principles?kind=standard", headers=HTML).text
    assert re.search(r'href="/entity\?id=https%3A%2F%2Fw3id\.org%2Flermap%2Fid%2Fstandard%2Fctdl#principle-open-standards"', text)


def test_compare_two_to_four_side_by_side(client: TestClient, engine: str) -> None:
    res = client.get(f"/principles/compare?id={engine}&id={quote(CTDL, safe='')}", headers=HTML)
    assert res.status_code == 200 and "Compare: Credential Engine · Credential Transparency Description Language" in res.text
    rows = re.findall(r'<tr><th scope="row">.*?</tr>', res.text, re.S)
    assert len(rows) == 7 and all(r.count('class="score-line"') == 2 for r in rows)
    assert 'href="https://credreg.net/' in res.text and "Missing:" in res.text
    one = client.get(f"/principles/compare?id={engine}", headers=HTML)
    assert one.status_code == 422 and "choose two to four entities to compare (you chose 1)" in one.text
    five = "&".join(f"id={quote(CTDL + str(i), safe='')}" for i in range(5))
    assert client.get(f"/principles/compare?{five}", headers=HTML).status_code == 422
