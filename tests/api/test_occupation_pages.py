"""The occupation pages: the job-title search and its type-ahead, and one occupation with its requirements, wage and
crosswalks — over a small store of O*NET's mini fixture, a two-row OEWS file and the hand-built pathway graph."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import lermap
from lermap.api.app import create_app
from tests.conftest import TEST_DATA

HTML = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
ONET = "https://www.onetonline.org/link/summary/"
HOSTILE = '"><script>alert(1)</script>'
OEWS = ("AREA,AREA_TITLE,AREA_TYPE,NAICS,I_GROUP,OCC_CODE,OCC_TITLE,O_GROUP,TOT_EMP,H_MEDIAN,A_MEDIAN,A_MEAN,A_PCT10,A_PCT90\n"
        "99,U.S.,1,000000,cross-industry,19-2099,\"Tide Scientists, All Other\",detailed,\"12,340\",40.00,83200,85000,50000,120000\n"
        "99,U.S.,1,000000,cross-industry,17-3031,Survey Technicians,detailed,\"50,000\",25.00,52000,54000,35000,75000\n")


def build_store(folder: Path) -> str:
    """O*NET mini, an OEWS file for two of its SOC occupations, and the hand-built pathway graph."""
    oews = folder / "national_M2025_dl.csv"
    oews.write_text(OEWS)
    selector = f"oxigraph:{folder / 'store'}"
    with lermap.open_graph(selector) as kg:
        kg.ingest(TEST_DATA / "onet" / "mini")
        kg.ingest(oews)
        kg.ingest(TEST_DATA / "analysis" / "pathway.ttl", format="rdf")
    return selector


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with TestClient(create_app(build_store(tmp_path_factory.mktemp("occupations")))) as c:
        yield c


def test_a_job_title_finds_the_occupation_with_the_matcher(client: TestClient) -> None:
    page = client.get("/occupations", params={"q": "tidal observer"})  # an alternate title, not the name
    assert page.status_code == 200
    answers = re.findall(r'<a href="/occupation\?id=([^"]+)">([^<]+)</a>', page.text)
    assert answers[0] == ("https%3A%2F%2Fwww.onetonline.org%2Flink%2Fsummary%2F19-2099.05", "Tide Observers")
    assert "O*NET-SOC taxonomy" in page.text  # the classification each answer comes from


def test_occupations_outside_the_matched_schemes_are_found_by_their_words(client: TestClient) -> None:
    page = client.get("/occupations", params={"q": "analyst"})
    assert "Data analyst" in page.text  # ex:analyst is in no scheme: found by name


def test_the_list_without_a_query_pages_through_every_occupation(client: TestClient) -> None:
    page = client.get("/occupations")
    assert page.status_code == 200 and "Tide Observers" in page.text and "Welder" in page.text


def test_a_one_letter_query_is_answered_in_words(client: TestClient) -> None:
    page = client.get("/occupations", params={"q": "x"})
    assert page.status_code == 422 and "type at least two letters" in page.text and 'aria-invalid="true"' in page.text


def test_type_ahead_gives_json_with_the_page_of_each(client: TestClient) -> None:
    found = client.get("/occupations/suggest", params={"q": "tide"}).json()
    assert found and {"id", "label", "scheme", "score", "href"} <= set(found[0])
    assert found[0]["href"].startswith("/occupation?id=") and "Tide" in found[0]["label"]
    assert client.get("/occupations/suggest", params={"q": "t"}).json() == []


def test_the_occupation_page_shows_requirements_with_importance_in_words(client: TestClient) -> None:
    page = client.get("/occupation", params={"id": ONET + "19-2099.05"})
    assert page.status_code == 200
    text = page.text
    assert "<h1>Tide Observers</h1>" in text and "Record sea levels at tide gauges." in text
    assert "Tidal Observer" in text and "Sea Level Recorder" in text  # alternate titles
    assert "Reading Comprehension" in text and "very important" in text and "<meter" in text
    assert "Tide Predictor Pro" in text and "hot technology" in text  # a technology with O*NET's flag
    assert "Survey Technicians" in text  # related occupation


def test_the_occupation_page_shows_the_wage_and_how_it_was_reached(client: TestClient) -> None:
    text = client.get("/occupation", params={"id": ONET + "19-2099.05"}).text
    assert "$83,200" in text and "Median (a year)" in text and "$120,000" in text and "12,340" in text
    assert "May 2025" in text
    assert "/v1/wages?occupation=" in text  # the data behind it, in the technical fold


def test_crosswalks_are_listed_in_words(client: TestClient) -> None:
    text = client.get("/occupation", params={"id": ONET + "19-2099.00"}).text
    assert "In other classifications" in text
    assert "is the same as" in text and "published by a person" in text  # O*NET-SOC 19-2099.00 exactMatch SOC 19-2099
    assert "skos:" not in text.split("<details class=\"technical\">")[0]  # no raw predicates outside the fold


@pytest.mark.parametrize("iri", ["http://example.org/nothing", "not an iri", "http://example.org/" + HOSTILE])
def test_an_unknown_occupation_is_a_404_page_with_the_input_escaped(client: TestClient, iri: str) -> None:
    page = client.get("/occupation", params={"id": iri}, headers=HTML)
    assert page.status_code == 404 and "<h1>Not found</h1>" in page.text and "<script>alert(1)</script>" not in page.text


def test_a_hostile_query_is_escaped(client: TestClient) -> None:
    page = client.get("/occupations", params={"q": HOSTILE})
    assert page.status_code == 200 and "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text
    assert all(h["label"] != HOSTILE for h in client.get("/occupations/suggest", params={"q": HOSTILE}).json())


def test_an_overlong_query_is_refused(client: TestClient) -> None:
    assert client.get("/occupations", params={"q": "n" * 201}).status_code == 422
    assert client.get("/occupation", params={"id": "http://x/" + "a" * 2001}).status_code == 422
