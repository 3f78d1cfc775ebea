"""O*NET ingester: the 29.2 release as text and as Excel, an older occupation file, and our own fixture.

Expected counts are derived by reading the publisher's files with pandas, never typed in by hand.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd
import pyoxigraph as ox
import pytest

from lermap.errors import SourceError
from lermap.graph.vocab import SCHEMA
from lermap.ingest import registry
from lermap.ingest.base import IngestContext, Source
from lermap.ingest.onet.onet import OnetIngester

MINI = Path(__file__).resolve().parents[2] / "data" / "onet" / "mini"
FOLDERS = ["onet/v29.2-txt", "onet/v29.2-xlsx", "onet/v28-ish-txt"]
ONET = "https://www.onetonline.org/link/summary/"
PREFIXES = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX ceasn: <https://purl.org/ctdlasn/terms/>
PREFIX schema: <https://schema.org/>
PREFIX lermap: <https://w3id.org/lermap/vocab#>
PREFIX sssom: <https://w3id.org/sssom/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""


def read(path: Path) -> pd.DataFrame:
    if path.suffix == ".xlsx":
        return pd.read_excel(path, dtype=str, engine="calamine").fillna("")
    return pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)


@functools.lru_cache(maxsize=4)
def ingested(path: Path) -> tuple[ox.Store, IngestContext]:
    src = Source.from_path(path)
    ctx = IngestContext(src)
    store = ox.Store()
    store.bulk_extend(ox.Quad(s, p, o, ox.DefaultGraph()) for s, p, o in OnetIngester().run(src, ctx))
    return store, ctx


def count(store: ox.Store, where: str) -> int:
    rows = list(store.query(PREFIXES + f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"))  # type: ignore[union-attr]
    return int(rows[0]["n"].value)


def occupation_file(folder: Path) -> Path:
    (path,) = [p for p in folder.iterdir() if p.name.startswith("Occupation Data")][:1]
    return path


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_conformance_folder_ingests(conformance: Path, folder: str) -> None:
    store, ctx = ingested(conformance / folder)
    occ = read(occupation_file(conformance / folder))
    assert ctx.warnings == []
    assert count(store, "?o a schema:Occupation ; skos:prefLabel ?t ; skos:notation ?c") == occ["O*NET-SOC Code"].nunique()


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_conformance_folder_is_detected_as_onet(conformance: Path, folder: str) -> None:
    assert registry.detect(Source.from_path(conformance / folder)).name == "onet"


SINGLE_FILES = [
    "onet/v29.2-txt/Alternate Titles.txt", "onet/v29.2-txt/Content Model Reference.txt", "onet/v29.2-txt/Job Zones.txt",
    "onet/v29.2-txt/Occupation Data.txt", "onet/v29.2-txt/Related Occupations.txt", "onet/v29.2-txt/Task Statements.txt",
    "onet/v29.2-txt/Technology Skills.txt", "onet/v29.2-txt/Work Styles.txt", "onet/v28-ish-txt/Occupation Data.2018.txt",
    "onet/v29.2-xlsx/Occupation Data.xlsx", "onet/v29.2-xlsx/Content Model Reference.xlsx",
]  # fmt: skip


@pytest.mark.parametrize("name", SINGLE_FILES)
def test_a_single_release_file_ingests_on_its_own(conformance: Path, name: str) -> None:
    src = Source.from_path(conformance / name)
    assert registry.detect(src).name == "onet"
    ctx = IngestContext(src)
    triples = list(OnetIngester().run(src, ctx))
    assert len(triples) >= len(read(conformance / name)) and ctx.warnings == []


def test_the_txt_release_through_the_public_api(conformance: Path, memory_graph: object) -> None:
    (report,) = memory_graph.ingest(conformance / "onet/v29.2-txt")  # type: ignore[attr-defined]
    occ = read(conformance / "onet/v29.2-txt/Occupation Data.txt")
    assert report.format == "onet" and report.format_version == "29.2"
    assert report.counts["occupation"] == len(occ)
    assert report.counts["alignment"] == int(occ["O*NET-SOC Code"].str.endswith(".00").sum())


@pytest.mark.parametrize("folder", ["onet/v29.2-txt", "onet/v28-ish-txt"])
def test_soc_links_exact_match_for_00_and_broader_for_the_rest(conformance: Path, folder: str) -> None:
    store, _ = ingested(conformance / folder)
    codes = read(occupation_file(conformance / folder))["O*NET-SOC Code"]
    n00 = int(codes.str.endswith(".00").sum())
    assert (
        count(store, "?m a sssom:Mapping ; owl:annotatedProperty skos:exactMatch ; owl:annotatedSource ?o ; owl:annotatedTarget ?s") == n00
    )
    assert count(store, "?o a schema:Occupation ; skos:exactMatch ?s") == n00
    assert count(store, "?o a schema:Occupation ; skos:broader ?s") == len(codes) - n00


def test_content_model_is_a_framework_with_a_prefix_hierarchy(conformance: Path) -> None:
    store, _ = ingested(conformance / "onet/v29.2-xlsx")
    cm = read(conformance / "onet/v29.2-xlsx/Content Model Reference.xlsx")
    ids = set(cm["Element ID"])
    with_parent = sum(1 for e in ids if "." in e and e.rsplit(".", 1)[0] in ids)
    assert count(store, '?f a ceasn:CompetencyFramework ; skos:prefLabel "O*NET Content Model"@en') == 1
    assert count(store, "?e a ceasn:Competency ; skos:notation ?id") == len(ids)
    assert count(store, "?e a ceasn:Competency ; skos:broader ?p") == with_parent
    assert count(store, "?f skos:hasTopConcept ?e") == len(ids) - with_parent


@functools.lru_cache(maxsize=1)
def _ratings(conformance: Path) -> pd.DataFrame:
    frames = [read(conformance / f"onet/v29.2-xlsx/{n}.xlsx") for n in ("Skills", "Knowledge")]
    return pd.concat(frames)


def test_requirements_are_one_per_occupation_and_element_with_a_kept_value(conformance: Path) -> None:
    store, _ = ingested(conformance / "onet/v29.2-xlsx")
    df = _ratings(conformance)
    kept = df[df["Scale ID"].isin(["IM", "LV"]) & (df["Recommend Suppress"] != "Y")]
    expected = kept[["O*NET-SOC Code", "Element ID"]].drop_duplicates()
    assert count(store, "?r a lermap:SkillRequirement ; lermap:requiredBy ?o ; lermap:requiresCompetency ?e") == len(expected)
    im = kept[kept["Scale ID"] == "IM"]
    lv = kept[kept["Scale ID"] == "LV"]
    assert count(store, "?r lermap:importance ?v") == len(im)
    assert count(store, "?r lermap:level ?v") == len(lv)


def test_not_relevant_is_flagged(conformance: Path) -> None:
    store, _ = ingested(conformance / "onet/v29.2-xlsx")
    df = _ratings(conformance)
    nr = df[(df["Scale ID"] == "LV") & (df["Not Relevant"] == "Y")]
    keys = set(zip(nr["O*NET-SOC Code"], nr["Element ID"], strict=True))
    kept = df[df["Scale ID"].isin(["IM", "LV"]) & (df["Recommend Suppress"] != "Y")]
    keys &= set(zip(kept["O*NET-SOC Code"], kept["Element ID"], strict=True))
    assert count(store, "?r lermap:notRelevant true") == len(keys)


def test_alternate_titles_are_alt_labels(conformance: Path) -> None:
    store, _ = ingested(conformance / "onet/v29.2-txt")
    alt = read(conformance / "onet/v29.2-txt/Alternate Titles.txt")
    assert count(store, "?o a schema:Occupation ; skos:altLabel ?l") == len(alt.drop_duplicates(["O*NET-SOC Code", "Alternate Title"]))


def test_technology_skills_and_their_flags(conformance: Path) -> None:
    store, _ = ingested(conformance / "onet/v29.2-txt")
    tech = read(conformance / "onet/v29.2-txt/Technology Skills.txt")
    assert count(store, '?t a ceasn:Competency ; ceasn:competencyCategory "technology"') == tech["Example"].nunique()
    assert count(store, "?r lermap:hotTechnology true") == int((tech["Hot Technology"] == "Y").sum())
    assert count(store, "?r lermap:inDemand true") == int((tech["In Demand"] == "Y").sum())
    pairs = tech[["Example", "Commodity Code"]].drop_duplicates()
    assert count(store, '?t ceasn:competencyCategory "technology" ; skos:broader ?c') == len(pairs)


def test_job_zones_related_occupations_and_tasks(conformance: Path) -> None:
    folder = conformance / "onet/v29.2-txt"
    store, _ = ingested(folder)
    assert count(store, "?o lermap:jobZone ?z") == len(read(folder / "Job Zones.txt"))
    rel = read(folder / "Related Occupations.txt")
    assert count(store, "?a skos:related ?b") == len(rel.drop_duplicates(["O*NET-SOC Code", "Related O*NET-SOC Code"]))
    tasks = read(folder / "Task Statements.txt")
    assert count(store, "?o schema:responsibilities ?t") == len(tasks.drop_duplicates(["O*NET-SOC Code", "Task"]))


# -- our own fixture: suppression, not relevant, normalisation ------------------------------------------------------


def _requirement(store: ox.Store, code: str, element: str) -> dict[str, str]:
    rows = store.query(
        PREFIXES
        + f"""SELECT ?p ?v WHERE {{ ?r lermap:requiredBy <{ONET}{code}> ; lermap:requiresCompetency ?e ; ?p ?v .
        ?e skos:notation "{element}" }}"""
    )
    return {str(r["p"].value).rsplit("#", 1)[-1].rsplit("/", 1)[-1]: r["v"].value for r in rows}  # type: ignore[union-attr]


def test_importance_and_level_are_normalised_to_0_1() -> None:
    store, ctx = ingested(MINI)
    assert ctx.format_version == "99.1" and ctx.warnings == []
    req = _requirement(store, "19-2099.05", "2.A.1.a")
    assert float(req["importance"]) == pytest.approx((4.0 - 1) / 4)
    assert float(req["level"]) == pytest.approx(3.5 / 7)
    assert req["comment"] == "IM=4; LV=3.5"
    assert "notRelevant" not in req


def test_a_suppressed_value_is_dropped_and_said_in_the_comment() -> None:
    store, _ = ingested(MINI)
    req = _requirement(store, "19-2099.05", "2.A.1.b")
    assert "importance" not in req
    assert float(req["level"]) == pytest.approx(1.4 / 7)
    assert req["comment"] == "IM=2 (suppressed); LV=1.4"


def test_a_requirement_with_every_value_suppressed_is_dropped() -> None:
    store, _ = ingested(MINI)
    assert _requirement(store, "17-3031.00", "2.A.1.b") == {}


def test_not_relevant_rows_are_flagged() -> None:
    store, _ = ingested(MINI)
    req = _requirement(store, "17-3031.00", "2.A.1.a")
    assert req["notRelevant"] == "true" and float(req["level"]) == 0.0


def test_fixture_alternate_titles_zones_and_technology() -> None:
    store, _ = ingested(MINI)
    occ = f"<{ONET}19-2099.05>"
    assert count(store, f"{occ} skos:altLabel ?l") == 2  # "Sea Level Recorder" is listed twice
    assert count(store, f"{occ} lermap:jobZone 3") == 1
    assert count(store, f"{occ} skos:related <{ONET}17-3031.00>") == 1
    assert count(store, '?t ceasn:competencyCategory "technology"') == 2
    assert count(store, "?r lermap:hotTechnology true") == 2
    assert count(store, "?r lermap:inDemand true") == 1


def test_a_ratings_file_without_its_columns_is_refused(tmp_path: Path) -> None:
    (tmp_path / "Skills.txt").write_text("O*NET-SOC Code\tElement ID\n11-1011.00\t2.A.1.a\n", encoding="utf-8")
    src = Source.from_path(tmp_path)
    with pytest.raises(SourceError, match=r"Skills.txt, header: missing column\(s\) Element Name, Scale ID, Data Value"):
        list(OnetIngester().run(src, IngestContext(src)))


def test_a_malformed_code_is_warned_about(tmp_path: Path) -> None:
    (tmp_path / "Occupation Data.txt").write_text("O*NET-SOC Code\tTitle\tDescription\n11-1011\tChiefs\tx\n", encoding="utf-8")
    src = Source.from_path(tmp_path)
    ctx = IngestContext(src)
    triples = list(OnetIngester().run(src, ctx))
    assert not any(t[2] == SCHEMA.Occupation for t in triples)
    assert ctx.warnings == ["Occupation Data.txt record 1: '11-1011' is not an O*NET-SOC code (XX-XXXX.XX); rows with it skipped"]


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    (tmp_path / "Skills.xlsx").write_bytes(b"this is not a spreadsheet")
    src = Source.from_path(tmp_path)
    with pytest.raises(SourceError, match=r"Skills.xlsx: not a readable Excel workbook"):
        list(OnetIngester().run(src, IngestContext(src)))


def test_fixture_output_conforms_to_the_core_shapes() -> None:
    from lermap.graph.terms import to_rdflib_graph
    from lermap.graph.validate import validate_graph

    src = Source.from_path(MINI)
    report = validate_graph(to_rdflib_graph(OnetIngester().run(src, IngestContext(src))))
    assert report.conforms, report.summary()
