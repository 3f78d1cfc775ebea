"""The occupation, pathway and framework pages on the default graph, as a learner or a curator meets them: "nurse"
finds Registered Nurses (and ESCO's nurses), an occupation shows its OEWS wage — through the crosswalk for an ESCO one —
and a move from nursing assistant to registered nurse shows what it would pay."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lermap.api.app import create_app
from tests.realgraph import copy_of

ONET = "https://www.onetonline.org/link/summary/"
REGISTERED_NURSES = ONET + "29-1141.00"
NURSING_ASSISTANTS = ONET + "31-1131.00"
ESCO_GENERAL_CARE_NURSE = "http://data.europa.eu/esco/occupation/8d3e8aaa-791b-4c75-a465-f3f827028f50"


@pytest.fixture(scope="module")
def client(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with TestClient(create_app(copy_of(built_store, tmp_path_factory.mktemp("learner") / "store"))) as c:
        yield c


def answers(text: str) -> list[str]:
    return [unescape(t) for t in re.findall(r'<a href="/occupation\?id=[^"]+">([^<]+)</a>', text)]


def test_nurse_finds_registered_nurses_first_and_esco_nurses_near_the_top(client: TestClient) -> None:
    found = answers(client.get("/occupations", params={"q": "nurse"}).text)
    assert found[0] == "Registered Nurses"
    assert {"nurse responsible for general care", "specialist nurse"} & set(found[:6])
    typed = client.get("/occupations/suggest", params={"q": "nurse"}).json()
    assert typed[0]["label"] == "Registered Nurses" and typed[0]["scheme"] == "O*NET-SOC taxonomy"


def test_registered_nurses_page_has_requirements_and_a_wage(client: TestClient) -> None:
    page = client.get("/occupation", params={"id": REGISTERED_NURSES})
    text = unescape(page.text)
    assert page.status_code == 200 and "<h1>Registered Nurses</h1>" in text
    median = re.search(r"Median \(a year\)</dt>\s*<dd>\$([\d,]+)</dd>", text)
    assert median and 50_000 < int(median.group(1).replace(",", "")) < 200_000
    assert "People employed" in text and "Occupational Employment and Wage Statistics" in text
    for group in ("Skills (", "Knowledge (", "Technologies ("):
        assert group in text
    assert "Staff Nurse" in text  # an alternate title


def test_an_esco_occupation_gets_its_wage_through_the_crosswalk(client: TestClient) -> None:
    text = unescape(client.get("/occupation", params={"id": ESCO_GENERAL_CARE_NURSE}).text)
    assert "Median (a year)" in text and "through these links" in text
    assert "ESCO → ISCO-08 2221" in text and "Registered Nurses" in text


def test_a_move_from_nursing_assistant_to_registered_nurse_shows_the_pay(client: TestClient) -> None:
    page = client.get("/pathways", params={"current": NURSING_ASSISTANTS, "target": REGISTERED_NURSES})
    text = unescape(page.text)
    assert page.status_code == 200 and "Pathway to Registered Nurses" in text
    assert re.search(r"Moving would pay \$[\d,]+ a year more\.", text)
    assert "What is missing, most important first" in text and "No credential in the graph" in text


def test_the_frameworks_name_their_publishers(client: TestClient) -> None:
    text = unescape(client.get("/frameworks").text)
    assert "ESCO skills" in text and "European Commission" in text
    assert "O*NET Content Model" in text and "O*NET Development" in text
