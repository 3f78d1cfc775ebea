"""On the default graph, as a user would: `lermap extract`, `lermap occupations`, `lermap pathway`, a rebuild, the
datasets in the API and on the about page. Each runs on its own copy of the graph built once for the session."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from lermap.api.app import create_app
from lermap.ingest.esco.esco import SKILLS_SCHEME
from lermap.ingest.identifiers import ONET_SOC_SCHEME
from tests.conftest import ROOT

ONET = "https://www.onetonline.org/link/summary/"
# a job posting as employers write them (written for this test)
POSTING = """Data Analyst — Public Health Analytics (full time, hybrid)

The county health department is hiring a data analyst to turn survey and hospital records into decisions. You will
clean and transform large datasets with SQL and Python, build dashboards in Tableau and Microsoft Excel, apply
statistical analysis and data mining to find trends, and write clear reports for programme managers and the public.

What you bring: two years of experience with relational databases, Python or R programming, data visualisation and
statistics; project management skills; strong written and oral communication; attention to detail.
"""


def lermap(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lermap.cli", *args], capture_output=True, text=True, timeout=600, cwd=ROOT)


def real_frameworks(store: str) -> set[str]:
    """The competency frameworks of the default graph that a publisher released: ESCO's skills and O*NET's."""
    from lermap.service import open_graph

    with open_graph(store) as kg:
        rows = kg.sparql("""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            SELECT ?s WHERE { ?s a skos:ConceptScheme ; skos:prefLabel ?l FILTER(STRSTARTS(STR(?l), "O*NET")) }""")
    return {SKILLS_SCHEME.value, *rows["s"].tolist()}


def test_extract_finds_competencies_of_real_frameworks_in_a_posting(real_store: str, tmp_path: Path) -> None:
    posting = tmp_path / "posting.txt"
    posting.write_text(POSTING, encoding="utf-8")
    done = lermap("extract", str(posting), "--json", "--store", real_store)
    assert done.returncode == 0, done.stderr
    found = [json.loads(line) for line in done.stdout.splitlines()]
    distinct = {m["competency"] for m in found}
    assert len(distinct) >= 5
    assert {m["framework"] for m in found} <= real_frameworks(real_store)
    labels = {m["label"].casefold() for m in found}
    assert {"sql", "python", "tableau", "statistics"} <= labels


def test_occupations_puts_data_scientists_first(real_store: str) -> None:
    done = lermap("occupations", "data scientist", "--scheme", ONET_SOC_SCHEME.value, "--json", "--store", real_store)
    assert done.returncode == 0, done.stderr
    (answer,) = [json.loads(line) for line in done.stdout.splitlines()]
    assert answer["matches"][0]["occupation"] == ONET + "15-2051.00"


def test_pathway_from_one_occupation_to_another(real_store: str) -> None:
    """Statistical Assistants -> Statisticians: a gap, a plan (the default graph has no credential catalogue, so the
    plan says so and lists what to learn) and the wage delta between the two OEWS medians."""
    done = lermap("pathway", "--from", ONET + "43-9111.00", "--target", ONET + "15-2041.00", "--json", "--store", real_store)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert 0 < result["coverage"] < 1 and len(result["gap"]) > 0
    assert result["plan"] == [] and result["plan_note"].startswith("No credential in the graph gives any of the")
    assert result["target_wage"] > result["current_wage"] > 0
    assert result["wage_delta"] == round(result["target_wage"] - result["current_wage"], 2)
    text = lermap("pathway", "--from", ONET + "43-9111.00", "--target", ONET + "15-2041.00", "--store", real_store).stdout
    assert "Statisticians: coverage" in text and "wage delta from" in text and "  plan: No credential" in text


def test_a_rebuild_skips_what_did_not_change(real_store: str) -> None:
    done = lermap("build", "--data", str(ROOT / "data"), "--store", real_store, "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["ingested"] == [] and len(report["unchanged"]) == 9 and report["derived"] == []


def test_the_datasets_in_the_api_and_on_the_about_page(real_store: str) -> None:
    with TestClient(create_app(real_store)) as client:
        body = client.get("/v1/datasets").json()
        about = client.get("/about").text
        footer = client.get("/map").text
    assert body["built_at"] and len(body["datasets"]) == 8
    onet = next(d for d in body["datasets"] if d["id"] == "onet")
    assert onet["licence"] == "CC BY 4.0" and onet["ingested_sha256"] == onet["sha256"] and onet["format_version"] == "29.2"
    for d in body["datasets"]:
        assert d["name"] in about and d["licence"] in about
    assert "USDOL/ETA has not approved, endorsed, or tested these modifications" in about and "built on" in about
    assert 'href="/about"' in footer
