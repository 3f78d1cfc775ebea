"""CASE CSV (OpenSALT layouts): counts read from the CSVs with pandas, tiny fixtures as exact graphs.

How the expected counts are derived (the rules OpenSALT's importers apply, see lermap/ingest/case/case_csv.py):
* smartLevel layout: parent = the item whose smartLevel is this one's minus its last ".N"; none → top concept;
* generic layout: parent = the item whose human coding scheme the "Is Child Of"/"parent" cell names, or (empty
  cell) whose code is this one's minus its last ".x"; none → top concept. Association columns give mappings.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from rdflib.compare import isomorphic

from lermap.errors import SourceError
from lermap.graph.terms import to_rdflib_graph
from lermap.ingest import registry
from lermap.ingest.base import IngestContext, Source
from lermap.ingest.case.case import CaseIngester
from lermap.ingest.case.case_csv import CaseCsvIngester
from tests.ingest.corecheck import run

DATA = Path(__file__).resolve().parents[2] / "data" / "case"
CSVS = ["opensalt-ccsso_ela_item.csv", "opensalt-sample_case.csv", "opensalt-test_items.csv"]
ASSOCIATION_HEADERS = {"IsPartOf", "replacedBy", "Exemplar", "hasSkillLevel", "IsRelatedTo", "exactMatchOf"}


def expected(path: Path) -> dict[str, int]:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    cols = {c.replace(" ", "").lower(): c for c in df.columns}
    items = df[df[cols["fullstatement"]] != ""]
    if "smartlevel" in cols:
        levels = set(items[cols["smartlevel"]])
        has_parent = [("." in lv and lv.rsplit(".", 1)[0] in levels) for lv in items[cols["smartlevel"]]]
    else:
        codes = set(items[cols["humancodingscheme"]])
        parent_col = cols.get("ischildof") or cols.get("parent")
        has_parent = []
        for _, row in items.iterrows():
            ref = row[parent_col] if parent_col else ""
            code = row[cols["humancodingscheme"]]
            ref = ref or (code.rsplit(".", 1)[0] if "." in code else "")
            has_parent.append(ref in codes)
    links = sum(len([v for v in row.split(",") if v.strip()]) for c in df.columns if c in ASSOCIATION_HEADERS for row in items[c])
    return {"competency": len(items), "broader": sum(has_parent), "top": len(items) - sum(has_parent), "alignment": links}


@pytest.mark.parametrize("name", CSVS)
def test_every_opensalt_csv_ingests_with_the_counts_read_from_it(conformance: Path, name: str) -> None:
    path = conformance / "case/csv" / name
    want = expected(path)
    r = run(CaseCsvIngester(), path)
    assert r.ctx.warnings == []
    assert r.count("?f a ceasn:CompetencyFramework, skos:ConceptScheme ; skos:prefLabel ?l") == 1
    assert r.count("?c a ceasn:Competency ; skos:prefLabel ?l ; skos:inScheme ?f") == want["competency"]
    assert r.count("?c skos:broader ?p . ?p skos:narrower ?c") == want["broader"]
    assert r.count("?c skos:topConceptOf ?f . ?f skos:hasTopConcept ?c") == want["top"]
    assert r.count("?m a sssom:Mapping") == want["alignment"]


@pytest.mark.parametrize("name", CSVS)
def test_every_opensalt_csv_is_detected_as_case_csv(conformance: Path, name: str) -> None:
    assert registry.detect(Source.from_path(conformance / "case/csv" / name)).name == "case-csv"


def test_the_common_core_ela_framework(conformance: Path) -> None:
    # ccsso_ela_item.csv: 1,189 rows, every smartLevel distinct; 12 levels have no dot (the roots), and every other
    # level's parent level is present, so 1,177 broader edges. 901 rows carry a human coding scheme.
    path = conformance / "case/csv/opensalt-ccsso_ela_item.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    r = run(CaseCsvIngester(), path)
    assert r.count("?c a ceasn:Competency") == len(df) == 1189
    assert r.count("?c skos:broader ?p") == 1177
    assert r.count("?c skos:topConceptOf ?f") == 12
    assert r.count("?c skos:notation ?n") == int((df["humanCodingScheme"] != "").sum()) == 901
    depth4 = int((df["smartLevel"].str.count(r"\.") == 4).sum())
    assert r.count("?c skos:broader ?p . ?p skos:broader ?g . ?g skos:broader ?gg . ?gg skos:broader ?ggg") == depth4
    # GUID identifiers become urn:uuid: IRIs; educationLevel "KG,01,..." is split on commas
    kg = int(df["educationLevel"].str.split(",").apply(lambda levels: "KG" in levels).sum())
    assert r.count("?c schema:educationalLevel 'KG' FILTER(STRSTARTS(STR(?c), 'urn:uuid:'))") == kg


def test_sample_case_associations_keep_their_targets(conformance: Path) -> None:
    # sample_case.csv: IsRelatedTo holds two CCSS codes and one ASN URL; Exemplar one URL.
    r = run(CaseCsvIngester(), conformance / "case/csv/opensalt-sample_case.csv")
    assert r.values("?m lermap:associationType ?v") == ["exemplar", "isRelatedTo"]
    assert r.values("?m lermap:targetCode ?v") == ["CCSS.MATH.CONTENT.1.G.A.1", "CCSS.Math.Content.HSF-IF.C.8b"]
    assert r.values("?m owl:annotatedTarget ?v FILTER(!STRSTARTS(STR(?v), 'https://w3id.org/lermap/'))") == [
        "http://asn.jesandco.org/resources/S1143417",
        "https://www.opened.com/video/classify-and-order-real-numbers-using-subsets/801540",
    ]


def test_generic_layout_tiny_fixture() -> None:
    # tiny-generic.csv: R is the root; R.1 names R; R.2 (empty cell) falls back to R; R.2.a to R.2.
    r = run(CaseCsvIngester(), DATA / "tiny-generic.csv", framework_title="Tiny reading", framework_uri="https://example.org/fw/reading")
    assert r.values("?f a ceasn:CompetencyFramework ; skos:prefLabel ?v") == ["Tiny reading"]
    assert r.values("?c skos:topConceptOf <https://example.org/fw/reading> ; skos:notation ?v") == ["R"]
    assert r.values("?c skos:broader ?p . ?c skos:notation ?a . ?p skos:notation ?b BIND(CONCAT(?a, '<', ?b) AS ?v)") == [
        "R.1<R", "R.2.a<R.2", "R.2<R",
    ]
    # an embedded newline and a non-BMP character survive
    assert "Read closely:\ncite textual evidence" in r.values("?c skos:prefLabel ?v")
    assert "Reading 📖" in r.values("?c skos:prefLabel ?v")
    # IsRelatedTo "R.1" resolves to the item of this file; exactMatchOf a foreign code keeps the code
    assert r.values("?m lermap:associationType 'isRelatedTo' ; owl:annotatedTarget ?v") == [
        "http://asn.example.org/resources/S1", "urn:uuid:8e5f0d9e-0000-4000-8000-000000000002",
    ]
    assert r.values("?m lermap:associationType 'exactMatchOf' ; lermap:targetCode ?v") == ["CCSS.ELA-LITERACY.RL.1.2"]


def test_smartlevel_layout_tiny_fixture() -> None:
    # tiny-smartlevel.csv: 1 → 1.1 → 1.1.1; 2.5 has no level 2, so it is a root too.
    r = run(CaseCsvIngester(), DATA / "tiny-smartlevel.csv")
    assert r.values("?c skos:topConceptOf ?f ; skos:notation ?v") == ["L", "X"]
    assert r.count("?c skos:broader ?p") == 2
    assert r.values("?c skos:notation 'L' ; schema:educationalLevel ?v") == ["01", "KG"]
    assert r.values("?c skos:notation 'L.1.a' ; ceasn:competencyCategory ?v") == ["Component"]
    assert r.values("?c skos:notation 'L.1.a' ; skos:prefLabel ?l BIND(LANG(?l) AS ?v)") == ["en"]


def test_an_item_reads_the_same_from_csv_and_from_json(tmp_path: Path) -> None:
    # Both formats go through case/mapping.py: the same CFItem gives the same competency triples.
    guid, fw = "0d000000-0000-4000-8000-000000000001", "https://example.org/fw"
    package = {
        "CFDocument": {"identifier": "fw", "uri": fw, "title": "T", "creator": "C", "lastChangeDateTime": "2024-01-01T00:00:00Z"},
        "CFItems": [{"identifier": guid, "fullStatement": "Do 𝔸", "humanCodingScheme": "A", "CFItemType": "Standard",
                     "educationLevel": ["KG", "01"], "lastChangeDateTime": "2024-01-01T00:00:00Z"}],
        "CFAssociations": [{"identifier": "a", "associationType": "isChildOf", "lastChangeDateTime": "2024-01-01T00:00:00Z",
                            "originNodeURI": {"identifier": guid, "title": "A"}, "destinationNodeURI": {"identifier": "fw", "title": "T"}}],
    }
    (tmp_path / "p.json").write_text(json.dumps(package), encoding="utf-8")
    (tmp_path / "p.csv").write_text(
        f"identifier,fullStatement,humanCodingScheme,CFItemType,educationLevel,lastChangeDateTime\n{guid},Do 𝔸,A,Standard,\"KG,01\",2024-01-01T00:00:00Z\n",
        encoding="utf-8",
    )
    item = f"urn:uuid:{guid}"
    from_json = [t for t in run(CaseIngester(), tmp_path / "p.json").triples if item in (t[0].value, t[2].value)]
    from_csv = [t for t in run(CaseCsvIngester(), tmp_path / "p.csv", framework_uri=fw).triples if item in (t[0].value, t[2].value)]
    assert len(from_json) == 12  # 2 types, scheme, label, identifier, notation, category, 2 levels, date, top concept both ways
    assert isomorphic(to_rdflib_graph(from_json), to_rdflib_graph(from_csv))


def test_a_csv_without_full_statement_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("identifier,humanCodingScheme\n1,A\n", encoding="utf-8")
    src = Source.from_path(path)
    with pytest.raises(SourceError, match="fullStatement"):
        list(CaseCsvIngester().run(src, IngestContext(src)))


def test_rows_without_statement_are_skipped_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("fullStatement,humanCodingScheme\nKeep me,A\n,B\n", encoding="utf-8")
    r = run(CaseCsvIngester(), path)
    assert r.count("?c a ceasn:Competency") == 1
    assert r.ctx.warnings == ["row 3: no fullStatement: row skipped"]
