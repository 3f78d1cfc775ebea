"""ESCO API JSON (what `lermap fetch esco` saves): a concept, a search page, a folder of them, in ESCO's core view."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib.compare import isomorphic

from lermap.errors import SourceError
from lermap.graph.terms import to_rdflib_graph
from lermap.graph.vocab import CEASN, LERMAP, RDF, SKOS
from lermap.ingest import registry
from lermap.ingest.base import IngestContext, Source
from lermap.ingest.esco.esco import SKILLS_SCHEME
from tests.conftest import TEST_DATA

FOLDER = TEST_DATA / "esco-api"
OCCUPATION = FOLDER / "occupation-data-scientist.en.json"
SKILL = FOLDER / "skill-data-mining.en.json"
MINING = ox.NamedNode("http://data.europa.eu/esco/skill/25f0ea33-b4a2-4f31-b7b4-7d20e827b180")
DS = "http://data.europa.eu/esco/occupation/258e46f9-0075-4a2e-adae-1ff0477e0f30"
PREFIXES = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX lermap: <https://w3id.org/lermap/vocab#>
"""


@pytest.mark.parametrize("path", [OCCUPATION, SKILL, FOLDER / "search-skills-page.en.json", FOLDER], ids=lambda p: p.name)
def test_detected_by_content(path: Path) -> None:
    assert registry.detect(Source.from_path(path)).name == "esco-api"


def test_a_skill_exactly(tmp_path: Path) -> None:
    doc = json.loads(SKILL.read_text())
    doc["_links"].pop("isEssentialForOccupation")  # the skill alone
    (tmp_path / "skill.json").write_text(json.dumps(doc))
    source = Source.from_path(tmp_path / "skill.json")
    triples = list(registry.get("esco-api").run(source, IngestContext(source)))
    mine = [t for t in triples if t[0] == MINING]
    expected = [
        (MINING, RDF.type, CEASN.Competency), (MINING, RDF.type, SKOS.Concept), (MINING, SKOS.inScheme, SKILLS_SCHEME),
        (MINING, CEASN.competencyCategory, ox.Literal("knowledge")), (MINING, LERMAP.reuseLevel, ox.Literal("sector-specific")),
        (MINING, SKOS.prefLabel, ox.Literal("data mining", language="en")), (MINING, SKOS.prefLabel, ox.Literal("Data-Mining", language="de")),
        (MINING, SKOS.definition, ox.Literal("The methods of artificial intelligence, machine learning, statistics and databases used to "
                                             "extract content from a dataset.", language="en")),
    ]
    assert isomorphic(to_rdflib_graph(mine), to_rdflib_graph(expected))


def test_an_occupation_with_its_group_and_skills(memory_graph: Any) -> None:
    (report,) = memory_graph.ingest(OCCUPATION)
    assert report.format == "esco-api" and report.warnings == []
    assert report.counts["occupation"] == 1 and report.counts["competency"] == 4
    rows = memory_graph.sparql(PREFIXES + """SELECT ?label ?essential WHERE {
        ?r lermap:requiredBy ?o ; lermap:requiresCompetency ?s ; lermap:essential ?essential . ?s skos:prefLabel ?label }""",
                               {"o": DS}).to_dict("records")
    assert sorted((r["label"], r["essential"]) for r in rows) == [
        ("Python (computer programming)", False), ("data mining", True), ("manage data", True), ("perform data analysis", True)]
    facts = memory_graph.sparql(PREFIXES + """SELECT ?code ?isco ?alt WHERE {
        ?o skos:notation ?code ; skos:broader ?g ; skos:altLabel ?alt . ?g skos:notation ?isco }""", {"o": DS}).to_dict("records")
    assert {(f["code"], f["isco"]) for f in facts} == {("2511.4", "2511")} and len(facts) == 3


def test_a_folder_of_pages_merges_full_descriptions_over_link_titles(memory_graph: Any) -> None:
    (report,) = memory_graph.ingest(FOLDER)
    assert report.format == "esco-api" and report.counts["occupation"] == 1 and report.counts["competency"] == 4
    # Python is named by the occupation's link and described in full by the search page: its alt labels are kept
    alts = memory_graph.sparql(PREFIXES + 'SELECT ?a WHERE { ?s skos:prefLabel "Python (computer programming)"@en ; skos:altLabel ?a }')
    assert sorted(alts["a"]) == ["Python", "Python 3K"]


@pytest.mark.parametrize(("doc", "reason"), [
    ({"title": "no uri", "_links": {}}, "has a 'uri'"),
    ([1, 2], "expected an ESCO API object"),
])
def test_bad_documents_are_refused(memory_graph: Any, tmp_path: Path, doc: Any, reason: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    with pytest.raises(SourceError, match=reason):
        memory_graph.ingest(bad, format="esco-api")
    assert memory_graph.sources() == []


def test_a_concept_that_is_not_an_occupation_skill_or_group_is_skipped_with_a_warning(memory_graph: Any, tmp_path: Path) -> None:
    docs = [json.loads(SKILL.read_text()), {"uri": "http://data.europa.eu/esco/concept-scheme/skills", "className": "ConceptScheme",
                                            "_links": {}}]
    (tmp_path / "mixed.json").write_text(json.dumps(docs))
    (report,) = memory_graph.ingest(tmp_path / "mixed.json", format="esco-api")
    assert any("concept-scheme/skills is not an ESCO occupation" in w for w in report.warnings)
