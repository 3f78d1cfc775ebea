"""The mapping-driven tabular ingester: our own CSV and XLSX fixtures (the XLSX is written here with openpyxl)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from lermap.errors import SourceError
from lermap.ingest import registry
from lermap.ingest.base import IngestContext, IngestOptions, Source
from lermap.ingest.tabular import TabularIngester
from tests.ingest.corecheck import assert_isomorphic, run

DATA = Path(__file__).resolve().parents[1] / "data" / "tabular"
WIDGETS = yaml.safe_load((DATA / "widgets.lermap.yaml").read_text(encoding="utf-8"))


def test_csv_through_its_mapping_gives_exactly_the_expected_graph() -> None:
    r = run(TabularIngester(), DATA / "widgets.lermap.yaml")
    assert r.ctx.warnings == []
    assert_isomorphic(r.triples, DATA / "widgets.expected.ttl")


def test_a_mapping_file_is_detected_as_tabular() -> None:
    assert registry.detect(Source.from_path(DATA / "widgets.lermap.yaml")).name == "tabular"


def write_xlsx(path: Path, rows: list[list[Any]], sheet: str = "Skills") -> None:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(row)
    book.save(path)


def test_excel_with_a_formula_reads_stored_values_and_never_evaluates(tmp_path: Path) -> None:
    # openpyxl writes formulas without a cached value: a reader that evaluated (or echoed) them would show "2" or "=1+1"
    write_xlsx(tmp_path / "skills.xlsx", [
        ["Code", "Skill", "Description", "Parent code"],
        [101, "Soldering", "=1+1", None],
        [102, "Through-hole soldering", "Pins through the board", 101],
    ])
    mapping = dict(WIDGETS, data="skills.xlsx", sheet="Skills")
    mapping["columns"] = {k: v for k, v in WIDGETS["columns"].items() if k != "alt_label"}
    (tmp_path / "skills.lermap.yaml").write_text(yaml.safe_dump(mapping), encoding="utf-8")
    r = run(TabularIngester(), tmp_path / "skills.lermap.yaml")
    assert r.values("?c skos:notation ?v") == ["101", "102"]  # integers, not "101.0"
    assert r.values("?c skos:definition ?v") == ["Pins through the board"]
    assert r.values("?c skos:broader ?p . ?p skos:notation ?v") == ["101"]


def test_data_file_with_the_mapping_in_options(tmp_path: Path) -> None:
    mapping = dict(WIDGETS)
    mapping.pop("data")
    r = run(TabularIngester(), DATA / "widgets.csv", mapping=mapping)
    assert r.count("?c a skos:Concept") == 3 and r.count("?c skos:broader ?p") == 2


def test_credentials_table(tmp_path: Path) -> None:
    (tmp_path / "creds.csv").write_text(
        "ID,Title,Issuer,Type,Skills\n"
        "c1,Certified Widget Fitter,Example Org,Certification,https://example.org/skills/W.1;https://example.org/skills/W.2\n"
        "c2,Widget Repair Badge,Other Org,Badge,W.2\n",
        encoding="utf-8",
    )
    mapping = {"entity": "credential", "columns": {"id": "ID", "label": "Title", "creator": "Issuer", "kind": "Type",
                                                    "competencies": "Skills"}}
    r = run(TabularIngester(), tmp_path / "creds.csv", mapping=mapping)
    assert r.count("?c a schema:EducationalOccupationalCredential ; skos:prefLabel ?l") == 2
    assert r.count("?o a schema:Organization ; skos:prefLabel ?l") == 2
    assert r.count("?c schema:competencyRequired ?s") == 2
    assert r.values("?c lermap:credentialKind ?v") == ["Badge", "Certification"]
    assert r.ctx.warnings == ["row 3, column Skills: 'W.2' is not an IRI: skipped"]


def test_organisations_table_shares_iris_with_the_directory(tmp_path: Path) -> None:
    from lermap.ingest.identifiers import organisation_iri

    (tmp_path / "orgs.csv").write_text("Name,Country,Roles\nThe Example Org,US,issuer;employer\n", encoding="utf-8")
    mapping = {"entity": "organization", "columns": {"label": "Name", "country": "Country", "role": "Roles"}}
    r = run(TabularIngester(), tmp_path / "orgs.csv", mapping=mapping)
    assert r.values("?o a schema:Organization ; lermap:stakeholderRole ?v") == ["employer", "issuer"]
    assert r.values("?o schema:addressCountry 'US' BIND(STR(?o) AS ?v)") == [organisation_iri("The Example Org").value]


@pytest.mark.parametrize(
    ("change", "location"),
    [
        ({"colour": "blue"}, "mapping.colour"),
        ({"entity": "skill"}, "mapping.entity"),
        ({"columns": {"id": "Code"}}, "mapping.columns.label"),
        ({"columns": {"id": "Code", "label": "Skill", "salary": "Pay"}}, "mapping.columns.salary"),
        ({"id_template": "https://example.org/skills/"}, "mapping.id_template"),
        ({"framework": None}, "mapping.framework.name"),
        ({"framework": {"name": "W", "id": "not an iri"}}, "mapping.framework.id"),
        ({"data": "../../ingest/test_tabular.py"}, "mapping.data"),
        ({"data": "missing.csv"}, "mapping.data"),
        ({"columns": {"id": "Code", "label": "Skill name"}}, "mapping.columns.label"),
    ],
    ids=["unknown-key", "bad-entity", "missing-label", "unknown-column-key", "template-without-id", "no-framework",
         "framework-id-not-iri", "data-leaves-folder", "data-missing", "header-not-in-data"],
)
def test_bad_mappings_are_refused_naming_the_key(tmp_path: Path, change: dict[str, Any], location: str) -> None:
    mapping = dict(WIDGETS, **change)
    (tmp_path / "widgets.csv").write_bytes((DATA / "widgets.csv").read_bytes())
    (tmp_path / "bad.lermap.yaml").write_text(yaml.safe_dump(mapping), encoding="utf-8")
    src = Source.from_path(tmp_path / "bad.lermap.yaml")
    with pytest.raises(SourceError) as err:
        list(TabularIngester().run(src, IngestContext(src)))
    assert err.value.location == location


def test_invalid_yaml_is_refused_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "x.lermap.yaml").write_text("entity: competency\ncolumns: {id: Code\n", encoding="utf-8")
    src = Source.from_path(tmp_path / "x.lermap.yaml")
    with pytest.raises(SourceError, match="invalid YAML") as err:
        list(TabularIngester().run(src, IngestContext(src)))
    assert err.value.location.startswith("line ")


def test_a_row_without_label_is_refused_naming_row_and_column(tmp_path: Path) -> None:
    (tmp_path / "s.csv").write_text("Code,Skill\nA,Alpha\nB,\n", encoding="utf-8")
    mapping = {"entity": "competency", "framework": {"name": "F"}, "columns": {"id": "Code", "label": "Skill"}}
    src = Source.from_path(tmp_path / "s.csv")
    ctx = IngestContext(src, IngestOptions(extra={"mapping": mapping}))
    with pytest.raises(SourceError) as err:
        list(TabularIngester().run(src, ctx))
    assert err.value.location == "row 3, column Skill"


def test_a_data_file_without_mapping_is_refused() -> None:
    src = Source.from_path(DATA / "widgets.csv")
    with pytest.raises(SourceError, match="needs a mapping"):
        list(TabularIngester().run(src, IngestContext(src)))


def test_the_public_api_ingests_a_mapping(memory_graph: object) -> None:
    (report,) = memory_graph.ingest(DATA / "widgets.lermap.yaml")  # type: ignore[attr-defined]
    assert report.format == "tabular"
    assert report.counts["framework"] == 1 and report.counts["competency"] == 3 and report.counts["organization"] == 1
