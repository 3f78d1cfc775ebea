"""RSD CSV (OSMT import layouts): counts read from the CSVs with pandas, our own fixture with newlines and emoji.

Expected mappings per row = distinct occupation codes over the BLS/O*NET columns (";"-separated) + distinct
standards + alignments with a name or URL. CSV occupations carry codes only (no titles), so no schema:Occupation.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lermap.errors import SourceError
from lermap.ingest import registry
from lermap.ingest.base import IngestContext, Source
from lermap.ingest.rsd.rsd_csv import RsdCsvIngester
from tests.ingest.corecheck import run

DATA = Path(__file__).resolve().parents[2] / "data" / "rsd"
CSVS = ["osmt-Skills-Import.csv", "osmt-batch-import-example.csv"]
OCCUPATION_HEADERS = {
    "BLS Major Group", "BLS Minor Group", "BLS Broad Occupation", "BLS Detailed Occupation", "O*NET Job Role",
    "Occupation Major Groups", "Occupation Minor Groups", "Broad Occupations", "Detailed Occupations", "O*NET Job Codes",
}


def split(cell: str) -> set[str]:
    return {v.strip() for v in cell.split(";") if v.strip()}


def expected(path: Path) -> dict[str, int]:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    mappings = 0
    for _, row in df.iterrows():
        codes = set().union(*(split(row[c]) for c in df.columns if c in OCCUPATION_HEADERS))
        standards = split(row.get("Standards", "") or row.get("Professional Standards", ""))
        pairs = [("Alignment Title", "Alignment"), ("Alignment Name", "Alignment URL"), ("Alignment 2 Name", "Alignment 2 URL")]
        links = sum(1 for n, u in pairs if (row.get(n, "") or row.get(u, "")))
        mappings += len(codes) + len(standards) + links
    return {"competency": len(df), "alignment": mappings}


@pytest.mark.parametrize("name", CSVS)
def test_every_osmt_csv_ingests_with_the_counts_read_from_it(conformance: Path, name: str) -> None:
    path = conformance / "rsd/csv" / name
    want = expected(path)
    r = run(RsdCsvIngester(), path)
    assert r.count("?c a ceasn:Competency ; skos:prefLabel ?l ; skos:inScheme ?f", of="?c") == want["competency"]
    assert r.count("?m a sssom:Mapping ; owl:annotatedTarget ?t", of="?m") == want["alignment"]
    assert r.count("?o a schema:Occupation") == 0


@pytest.mark.parametrize("name", CSVS)
def test_every_osmt_csv_is_detected_as_rsd_csv(conformance: Path, name: str) -> None:
    assert registry.detect(Source.from_path(conformance / "rsd/csv" / name)).name == "rsd-csv"


def test_skills_import_reads_the_older_column_names(conformance: Path) -> None:
    # Skills-Import.csv row 1: "Contextualized Skill Statement", category ".NET Framework", alignment to Emsi KS1200B62W5ZF38RJ7TD
    r = run(RsdCsvIngester(), conformance / "rsd/csv/osmt-Skills-Import.csv")
    assert r.values("?c skos:altLabel ?v") == ["Data and Data Store Access", "Large-Scale Web Application Build"]
    assert r.values("?c ceasn:competencyCategory ?v") == [".NET Framework"]
    assert r.values("?m lermap:nativePredicate 'alignments' ; owl:annotatedTarget ?v") == [
        "https://skills.emsidata.com/skills/KS1200B62W5ZF38RJ7TD"
    ]
    assert "15-1299" in r.values("?m lermap:nativePredicate 'occupations' ; lermap:targetCode ?v")


def test_the_empty_template_ingests_nothing_with_a_warning(conformance: Path) -> None:
    r = run(RsdCsvIngester(), conformance / "rsd/csv/osmt-batch-import-example.csv")
    assert r.triples == []
    assert r.ctx.warnings == ["(document): the CSV has a header but no rows: nothing to ingest"]


def test_tiny_csv() -> None:
    # tiny-rsd.csv: row 2 has 5 occupation codes + 1 standard + 1 alignment; row 3 has 3 codes + 1 named alignment.
    r = run(RsdCsvIngester(), DATA / "tiny-rsd.csv", framework_title="Tiny RSD import")
    assert r.ctx.warnings == []
    assert r.values("?f a ceasn:CompetencyFramework ; skos:prefLabel ?v") == ["Tiny RSD import"]
    assert r.count("?m a sssom:Mapping") == 11
    assert "Clean and dress minor wounds\nfollowing infection-control procedures." in r.values("?c skos:prefLabel ?v")
    assert r.values("?c skos:altLabel ?v") == ["Vital Signs", "Wound Care 🩹"]
    assert r.values("?m lermap:targetCode '31-1131.00' ; owl:annotatedTarget ?v") == [
        "https://www.onetonline.org/link/summary/31-1131.00"
    ]
    # the second alignment has a name but no URL: a minted target keeps the name and framework
    assert r.values("?m lermap:targetName 'Vital signs' ; lermap:targetFramework ?v") == ["Example Skills Taxonomy"]


def test_a_row_without_statement_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("RSD Name,Skill Statement\nA,Do A\nB,\n", encoding="utf-8")
    src = Source.from_path(path)
    with pytest.raises(SourceError) as err:
        list(RsdCsvIngester().run(src, IngestContext(src)))
    assert err.value.location == "row 3, column Skill Statement"
