"""Wages of occupations reached through the graph's own links, and wages in pathways (hand-built graphs)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lermap.analysis import wages
from lermap.graph.terms import minted

ONET = "https://www.onetonline.org/link/summary/"
ESCO = "http://data.europa.eu/esco/occupation/"
CSV = """OCC_CODE,OCC_TITLE,TOT_EMP,A_MEAN,A_MEDIAN,A_PCT10,A_PCT90,H_MEDIAN
15-1252,Software Developers,1687890,148100,135980,82460,#,65.38
15-1211,Computer Systems Analysts,500000,110000,103000,60000,160000,49.52
43-4051,Customer Service Representatives,2800000,44000,42000,30000,60000,20.19
"""


def soc(code: str) -> str:
    return minted("soc2018", code).value


def links_ttl() -> bytes:
    """O*NET occupations tied to SOC as the O*NET ingester ties them, an ESCO occupation mapped to an
    O*NET one, one ESCO occupation with no mapping, and requirements for a pathway."""
    return f"""
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix lermap: <https://w3id.org/lermap/vocab#> .
@prefix ex: <https://example.org/> .
<{ONET}15-1252.00> a schema:Occupation ; skos:prefLabel "Software Developers" ; skos:exactMatch <{soc("15-1252")}> .
<{ONET}15-1211.01> a schema:Occupation ; skos:prefLabel "Informatics Nurse Specialists" ; skos:broader <{soc("15-1211")}> .
<{ONET}43-4051.00> a schema:Occupation ; skos:prefLabel "Customer Service Representatives" ; skos:exactMatch <{soc("43-4051")}> .
<{ESCO}dev> a schema:Occupation ; skos:prefLabel "software developer" ; skos:exactMatch <{ONET}15-1252.00> .
<{ESCO}unmapped> a schema:Occupation ; skos:prefLabel "tour guide" .
ex:r1 a lermap:SkillRequirement ; lermap:requiredBy <{ONET}15-1252.00> ; lermap:requiresCompetency ex:python ; lermap:essential true .
ex:r2 a lermap:SkillRequirement ; lermap:requiredBy <{ONET}15-1211.01> ; lermap:requiresCompetency ex:python ; lermap:essential true .
ex:r3 a lermap:SkillRequirement ; lermap:requiredBy <{ONET}43-4051.00> ; lermap:requiresCompetency ex:python ; lermap:essential true .
ex:r4 a lermap:SkillRequirement ; lermap:requiredBy <{ESCO}unmapped> ; lermap:requiresCompetency ex:python ; lermap:essential true .
ex:python skos:prefLabel "Python" .
""".encode()


@pytest.fixture()
def kg(memory_graph: Any, tmp_path: Path) -> Any:
    csv = tmp_path / "national_M2025_dl.csv"
    csv.write_text(CSV)
    memory_graph.ingest(csv)
    memory_graph.ingest_bytes("urn:test:links.ttl", links_ttl(), format="rdf")
    return memory_graph


@pytest.mark.parametrize(("occupation", "median", "link"), [
    (soc("15-1252"), 135980.0, "self"),
    (ONET + "15-1252.00", 135980.0, "exactMatch"),
    (ONET + "15-1211.01", 103000.0, "broader"),
    (ESCO + "dev", 135980.0, "exactMatch/exactMatch"),
])
def test_for_occupation_follows_graph_links(kg: Any, occupation: str, median: float, link: str) -> None:
    wage = wages.for_occupation(kg, occupation)
    assert wage is not None
    assert (wage.annual_median, wage.link) == (median, link)


@pytest.mark.parametrize("occupation", [ESCO + "unmapped", "https://example.org/nothing"])
def test_no_wage_without_a_link(kg: Any, occupation: str) -> None:
    assert wages.for_occupation(kg, occupation) is None


def test_full_distribution(kg: Any) -> None:
    wage = wages.for_occupation(kg, ONET + "15-1252.00")
    assert wage is not None
    assert wage.soc_code == "15-1252" and wage.soc_label == "Software Developers"
    assert wage.annual == {"median": 135980.0, "mean": 148100.0, "pct10": 82460.0}
    assert wage.hourly == {"median": 65.38}
    assert wage.employment == 1687890
    assert wage.top_coded == ["a_pct90"]
    assert wage.year == "2025" and wage.currency == "USD"


def test_wage_delta(kg: Any) -> None:
    index = wages.wage_index(kg)
    assert wages.wage_delta(index, ONET + "15-1252.00", ONET + "43-4051.00") == 135980.0 - 42000.0
    assert wages.wage_delta(index, ONET + "15-1252.00", ESCO + "unmapped") is None


def test_pathway_carries_wages(kg: Any) -> None:
    result = kg.pathway(["https://example.org/python"], ONET + "15-1252.00", current=ONET + "43-4051.00")
    assert result.coverage == 1.0
    assert result.target_wage == 135980.0
    assert result.current_wage == 42000.0
    assert result.wage_delta == 93980.0
    assert result.alternative_wages == {ONET + "15-1211.01": 103000.0, ONET + "43-4051.00": 42000.0, ESCO + "unmapped": None}


def test_alternatives_with_equal_coverage_ranked_by_wage(kg: Any) -> None:
    result = kg.pathway(["https://example.org/python"], ONET + "15-1252.00")
    assert [a[0] for a in result.alternatives] == [ONET + "15-1211.01", ONET + "43-4051.00", ESCO + "unmapped"]
    assert result.wage_delta is None and result.current is None


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lermap.cli", *args], capture_output=True, text=True, timeout=120)


def test_cli_pathway_current(tmp_path: Path) -> None:
    store = f"oxigraph:{tmp_path / 'store'}"
    csv = tmp_path / "national_M2025_dl.csv"
    csv.write_text(CSV)
    links = tmp_path / "links.ttl"
    links.write_bytes(links_ttl())
    assert _cli("ingest", str(csv), str(links), "--store", store).returncode == 0
    args = ["pathway", "--target", ONET + "15-1252.00", "--held", "https://example.org/python", "--current", ONET + "43-4051.00",
            "--store", store]
    done = _cli(*args)
    assert done.returncode == 0, done.stderr
    assert "wage: $135,980 a year" in done.stdout
    assert f"wage delta from {ONET}43-4051.00: +93,980" in done.stdout
    as_json = json.loads(_cli(*args, "--json").stdout)
    assert (as_json["target_wage"], as_json["current_wage"], as_json["wage_delta"]) == (135980.0, 42000.0, 93980.0)
