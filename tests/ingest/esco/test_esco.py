"""ESCO CSV ingester: the publisher's v1.2.0 files, and small fixtures of our own for the files they lack.

Expected counts are derived by reading the CSV files with pandas (cells hold embedded newlines, so
counting lines would be wrong), never typed in by hand.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pandas as pd
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from lermap.errors import SourceError
from lermap.graph.terms import to_rdflib_graph
from lermap.ingest import registry
from lermap.ingest.base import IngestContext, IngestOptions, Source
from lermap.ingest.esco.esco import EscoIngester

DATA = Path(__file__).resolve().parents[2] / "data" / "esco"
ESCO_FOLDER = "esco/v1.2.0-csv"
E = "http://data.europa.eu/esco/"
PREFIXES = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX ceasn: <https://purl.org/ctdlasn/terms/>
PREFIX schema: <https://schema.org/>
PREFIX lermap: <https://w3id.org/lermap/vocab#>
PREFIX esco: <http://data.europa.eu/esco/model#>
"""


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@functools.lru_cache(maxsize=8)
def ingested(path: Path, version: str | None = None) -> tuple[ox.Store, IngestContext]:
    """The triples the ingester writes for ``path``, in a store (cached: several tests read one run)."""
    src = Source.from_path(path)
    ctx = IngestContext(src, IngestOptions(extra={"version": version} if version else {}))
    store = ox.Store()
    store.bulk_extend(ox.Quad(s, p, o, ox.DefaultGraph()) for s, p, o in EscoIngester().run(src, ctx))
    return store, ctx


def count(store: ox.Store, where: str) -> int:
    rows = list(store.query(PREFIXES + f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"))  # type: ignore[union-attr]
    return int(rows[0]["n"].value)


def distinct(store: ox.Store, var: str, where: str) -> int:
    rows = list(store.query(PREFIXES + f"SELECT (COUNT(DISTINCT ?{var}) AS ?n) WHERE {{ {where} }}"))  # type: ignore[union-attr]
    return int(rows[0]["n"].value)


def esco_files(conformance: Path) -> list[Path]:
    return sorted((conformance / ESCO_FOLDER).glob("*.csv"))


CONFORMANCE_FILES = [
    "ISCOGroups_en.csv", "broaderRelationsOccPillar_en.csv", "broaderRelationsSkillPillar_en.csv",
    "conceptSchemes_en.csv", "digCompSkillsCollection_en.csv", "digitalSkillsCollection_en.csv",
    "greenSkillsCollection_en.csv", "languageSkillsCollection_en.csv", "occupations_en.csv",
    "researchOccupationsCollection_en.csv", "researchSkillsCollection_en.csv", "skillGroups_en.csv",
    "skillSkillRelations_en.csv", "skillsHierarchy_en.csv", "transversalSkillsCollection_en.csv",
]  # fmt: skip
COLLECTIONS = [n for n in CONFORMANCE_FILES if "Collection_" in n]


def test_the_conformance_folder_holds_the_files_listed_here(conformance: Path) -> None:
    assert [p.name for p in esco_files(conformance)] == CONFORMANCE_FILES


@pytest.mark.parametrize("name", CONFORMANCE_FILES)
def test_every_conformance_file_ingests_on_its_own(conformance: Path, name: str) -> None:
    path = conformance / ESCO_FOLDER / name
    src = Source.from_path(path)
    assert registry.detect(src).name == "esco"
    ctx = IngestContext(src)
    triples = list(EscoIngester().run(src, ctx))
    assert len(triples) >= len(read(path)) > 0 and ctx.warnings == []


def test_the_folder_ingests_through_the_public_api(conformance: Path, memory_graph: object) -> None:
    (report,) = memory_graph.ingest(conformance / ESCO_FOLDER)  # type: ignore[attr-defined]
    folder = conformance / ESCO_FOLDER
    assert report.format == "esco" and report.format_version == "1.2" and report.warnings == []
    assert report.counts["occupation"] == read(folder / "occupations_en.csv")["conceptUri"].nunique()
    assert report.counts["framework"] == 1


def test_the_derived_four_column_skills_file_ingests(conformance: Path) -> None:
    path = conformance / "esco/derived/moffapps-skills_en.reduced-4col.csv"
    store, ctx = ingested(path)
    frame = read(path)
    assert ctx.warnings == []
    assert distinct(store, "s", "?s a ceasn:Competency ; skos:prefLabel ?l FILTER(lang(?l) = 'en')") == frame["conceptUri"].nunique()
    alt = sum(len({x.strip() for x in cell.split("\n") if x.strip()}) for cell in frame["altLabels"])
    assert count(store, "?s skos:altLabel ?l") == alt


def test_competencies_are_skill_groups_and_collection_skills(conformance: Path) -> None:
    folder = conformance / ESCO_FOLDER
    store, _ = ingested(folder)
    uris = set(read(folder / "skillGroups_en.csv")["conceptUri"])
    hierarchy = read(folder / "skillsHierarchy_en.csv")
    for n in range(4):
        uris |= set(hierarchy[f"Level {n} URI"]) - {""}
    for name in COLLECTIONS:
        frame = read(folder / name)
        uris |= set(frame.loc[frame["conceptType"] == "KnowledgeSkillCompetence", "conceptUri"])
    assert distinct(store, "s", "?s a ceasn:Competency ; skos:inScheme <http://data.europa.eu/esco/concept-scheme/skills>") == len(uris)


def test_isco_groups_are_concepts_with_their_code(conformance: Path) -> None:
    folder = conformance / ESCO_FOLDER
    store, _ = ingested(folder)
    isco = read(folder / "ISCOGroups_en.csv")
    n = count(store, "?g skos:inScheme <http://data.europa.eu/esco/concept-scheme/isco> ; skos:notation ?code")
    assert n == isco["conceptUri"].nunique() == len(isco)
    code = isco.iloc[5]
    assert count(store, f'<{code["conceptUri"]}> skos:notation "{code["code"]}"') == 1


def test_occupations_sit_below_their_isco_group(conformance: Path) -> None:
    folder = conformance / ESCO_FOLDER
    store, _ = ingested(folder)
    occ = read(folder / "occupations_en.csv")
    n = count(store, "?o a schema:Occupation ; skos:broader ?g . ?g skos:inScheme <http://data.europa.eu/esco/concept-scheme/isco>")
    assert n == len(occ[occ["iscoGroup"] != ""])


def test_hierarchy_edges_are_the_union_of_the_hierarchy_files(conformance: Path) -> None:
    folder = conformance / ESCO_FOLDER
    store, _ = ingested(folder)
    edges: set[tuple[str, str]] = set()
    for name in ("broaderRelationsSkillPillar_en.csv", "broaderRelationsOccPillar_en.csv"):
        frame = read(folder / name)
        edges |= set(zip(frame["conceptUri"], frame["broaderUri"], strict=True))
    h = read(folder / "skillsHierarchy_en.csv")
    for _, row in h.iterrows():
        path = [row[f"Level {n} URI"] for n in range(4) if row[f"Level {n} URI"]]
        edges |= set(zip(path[1:], path[:-1], strict=True))
    occ = read(folder / "occupations_en.csv")
    edges |= {(u, f"{E}isco/C{g}") for u, g in zip(occ["conceptUri"], occ["iscoGroup"], strict=True) if g}
    for name in COLLECTIONS:
        frame = read(folder / name)
        for u, cell in zip(frame["conceptUri"], frame["broaderConceptUri"], strict=True):
            edges |= {(u, b) for b in re.split(r"[\s|,]+", cell) if b}
    assert count(store, "?a skos:broader ?b") == len(edges)


@pytest.mark.parametrize("name", COLLECTIONS)
def test_collection_members(conformance: Path, name: str) -> None:
    store, _ = ingested(conformance / ESCO_FOLDER)
    key = name.split("Collection_")[0]
    label = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", key).lower()
    members = read(conformance / ESCO_FOLDER / name)["conceptUri"].nunique()
    where = f'?c a skos:Collection ; skos:prefLabel "ESCO {label} collection"@en ; skos:member ?m'
    assert count(store, where) == members


def test_skill_skill_relations_keep_their_type(conformance: Path) -> None:
    folder = conformance / ESCO_FOLDER
    store, _ = ingested(folder)
    rel = read(folder / "skillSkillRelations_en.csv")
    assert count(store, "?a skos:related ?b") == len(rel.drop_duplicates(["originalSkillUri", "relatedSkillUri"]))
    assert count(store, "?a esco:hasEssentialSkill ?b") == int((rel["relationType"] == "essential").sum())
    assert count(store, "?a esco:hasOptionalSkill ?b") == int((rel["relationType"] == "optional").sum())


def test_occupation_alternative_labels_are_one_per_line(conformance: Path) -> None:
    folder = conformance / ESCO_FOLDER
    store, _ = ingested(folder)
    occ = read(folder / "occupations_en.csv")
    expected = sum(len({x.strip() for x in cell.split("\n") if x.strip()}) for cell in occ["altLabels"])
    assert count(store, "?o a schema:Occupation ; skos:altLabel ?l") == expected


def test_embedded_newlines_in_descriptions_are_kept(conformance: Path) -> None:
    folder = conformance / ESCO_FOLDER
    store, _ = ingested(folder)
    isco = read(folder / "ISCOGroups_en.csv")
    row = isco.iloc[0]
    assert "\n" in row["description"].strip()
    (found,) = store.quads_for_pattern(
        ox.NamedNode(row["conceptUri"]), ox.NamedNode("http://www.w3.org/2004/02/skos/core#definition"), None
    )
    assert found.object == ox.Literal(row["description"].strip(), language="en")


def test_concept_schemes_and_their_top_concepts(conformance: Path) -> None:
    folder = conformance / ESCO_FOLDER
    store, _ = ingested(folder)
    schemes = read(folder / "conceptSchemes_en.csv")
    tops = {
        (s, t)
        for s, cell in zip(schemes["conceptSchemeUri"], schemes["hasTopConcept"], strict=True)
        for t in re.split(r"[\s,]+", cell)
        if t
    }
    h = read(folder / "skillsHierarchy_en.csv")
    tops |= {(f"{E}concept-scheme/skills", u) for u in h["Level 0 URI"] if u}
    assert count(store, "?s a skos:ConceptScheme") == len(schemes)
    assert count(store, "?s skos:hasTopConcept ?t") == len(tops)


# -- our own fixtures: the two files the conformance set lacks ---------------------------------------------------


def test_skills_file_in_two_languages() -> None:
    store, ctx = ingested(DATA / "v1.2.0-mini")
    assert ctx.format_version == "1.2" and ctx.warnings == []
    skills = read(DATA / "v1.2.0-mini/skills_en.csv")
    assert distinct(store, "s", "?s a ceasn:Competency ; skos:inScheme <http://data.europa.eu/esco/concept-scheme/skills>") == len(skills)
    assert count(store, f'<{E}skill/lermap-test-0001> skos:prefLabel "modélisation des marées"@fr') == 1
    assert count(store, f"<{E}skill/lermap-test-0001> skos:altLabel ?l FILTER(lang(?l) = 'en')") == 2
    assert count(store, f"<{E}skill/lermap-test-0001> skos:altLabel ?l FILTER(lang(?l) = 'fr')") == 1
    assert count(store, f'<{E}skill/lermap-test-0002> skos:hiddenLabel "tide gage calibration"@en') == 1
    desc = skills.iloc[0]["description"]
    assert count(store, f"<{E}skill/lermap-test-0001> skos:definition ?d FILTER(?d = {ox.Literal(desc, language='en')})") == 1


def test_occupation_skill_relations_v12_layout() -> None:
    store, _ = ingested(DATA / "v1.2.0-mini")
    rel = read(DATA / "v1.2.0-mini/occupationSkillRelations_en.csv")
    assert count(store, "?r a lermap:SkillRequirement ; lermap:requiredBy ?o ; lermap:requiresCompetency ?s") == len(rel)
    assert count(store, "?r lermap:essential true") == int((rel["relationType"] == "essential").sum())
    assert count(store, "?r lermap:essential false") == int((rel["relationType"] == "optional").sum())
    assert count(store, f"<{E}occupation/lermap-test-occ-1> skos:broader <{E}isco/C3119> . <{E}isco/C3119> skos:notation '3119'") == 1


def test_v11_layout_gives_exactly_the_expected_graph() -> None:
    src = Source.from_path(DATA / "v1.1.1-mini")
    ctx = IngestContext(src)
    got = to_rdflib_graph(EscoIngester().run(src, ctx))
    expected = rdflib.Graph().parse(DATA / "v1.1.1-mini.expected.ttl")
    assert ctx.format_version == "1.1"
    assert isomorphic(got, expected)


def test_version_option_wins_over_the_folder_name() -> None:
    _, ctx = ingested(DATA / "v1.1.1-mini", "1.2")
    assert ctx.format_version == "1.2"


# -- refusals and warnings --------------------------------------------------------------------------------------


def test_a_file_missing_a_required_column_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "occupationSkillRelations_en.csv"
    bad.write_text("occupationUri,skillType,skillUri\nhttp://x.example/o,knowledge,http://x.example/s\n", encoding="utf-8")
    src = Source.from_path(bad)
    with pytest.raises(SourceError, match=r"occupationSkillRelations_en.csv, header: missing column\(s\) relationType"):
        list(EscoIngester().run(src, IngestContext(src)))


def test_a_cell_that_is_not_an_iri_is_warned_about_and_skipped(tmp_path: Path) -> None:
    f = tmp_path / "skills_en.csv"
    f.write_text("conceptUri,preferredLabel\nnot an iri,x\nhttp://data.europa.eu/esco/skill/ok,ok\n", encoding="utf-8")
    src = Source.from_path(f)
    ctx = IngestContext(src)
    triples = list(EscoIngester().run(src, ctx))
    assert ctx.warnings == ["skills_en.csv record 1: 'not an iri' is not an IRI; skipped"]
    assert {t[0].value for t in triples if t[0].value.startswith(E + "skill/")} == {E + "skill/ok"}


def test_a_csv_that_is_not_esco_is_not_claimed(tmp_path: Path) -> None:
    f = tmp_path / "people.csv"
    f.write_text("name,email\nA,a@example.org\n", encoding="utf-8")
    assert EscoIngester().sniff(Source.from_path(f)) == 0.0


def test_files_of_a_full_download_that_are_not_mapped_are_passed_over(tmp_path: Path) -> None:
    (tmp_path / "skills_en.csv").write_text(
        "conceptType,conceptUri,skillType,reuseLevel,preferredLabel\nKnowledgeSkillCompetence,http://data.europa.eu/esco/skill/a,knowledge,,a\n",
        encoding="utf-8",
    )
    (tmp_path / "dictionary_en.csv").write_text("filename,data header,property,description\nskills,conceptUri,uri,x\n", encoding="utf-8")
    (tmp_path / "greenShareOcc_en.csv").write_text(
        "conceptType,conceptUri,code,preferredLabel,greenShare\nOccupation,http://data.europa.eu/esco/occupation/o,1.1,o,0.5\n",
        encoding="utf-8",
    )
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    src = Source.from_path(tmp_path)
    ctx = IngestContext(src)
    subjects = {t[0].value for t in EscoIngester().run(src, ctx)}
    assert ctx.warnings == ["notes.csv: skipped: not an ESCO CSV file"]
    assert E + "skill/a" in subjects and E + "occupation/o" not in subjects


def test_a_modified_date_that_is_not_a_date_is_left_out_with_a_warning(tmp_path: Path) -> None:
    f = tmp_path / "skills_en.csv"
    f.write_text(
        "conceptUri,preferredLabel,skillType,modifiedDate\nhttp://data.europa.eu/esco/skill/x,x,knowledge,yesterday\n", encoding="utf-8"
    )
    src = Source.from_path(f)
    ctx = IngestContext(src)
    triples = list(EscoIngester().run(src, ctx))
    assert ctx.warnings == ["skills_en.csv record 1: modifiedDate 'yesterday' is not a date-time; left out"]
    assert not any(t[1].value == "http://purl.org/dc/terms/modified" for t in triples)


@pytest.mark.parametrize("folder", ["v1.2.0-mini", "v1.1.1-mini"])
def test_fixture_output_conforms_to_the_core_shapes(folder: str) -> None:
    from lermap.graph.validate import validate_graph

    src = Source.from_path(DATA / folder)
    report = validate_graph(to_rdflib_graph(EscoIngester().run(src, IngestContext(src))))
    assert report.conforms, report.summary()
