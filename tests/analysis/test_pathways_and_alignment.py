"""Analysis on a hand-built graph (tests/data/analysis/pathway.ttl); every expected number is worked out there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import lermap
from lermap.analysis import alignment, pathways
from lermap.analysis.extract import extract
from lermap.analysis.matching import scheme_concepts, suggest
from lermap.ingest.sssom.mapping import EXACT, Mapping, MappingSet
from lermap.ingest.sssom.read import read_sssom_tsv
from lermap.ingest.sssom.write import validate_sssom, write_sssom_tsv
from lermap.service import KnowledgeGraph
from tests.conftest import TEST_DATA

EX = "http://example.org/"
A = EX + "fwA/"
B = EX + "fwB/"


@pytest.fixture(scope="module")
def kg() -> Iterator[KnowledgeGraph]:
    graph = lermap.open_graph("memory:")
    graph.ingest(TEST_DATA / "analysis" / "pathway.ttl", format="rdf")
    yield graph
    graph.close()


def test_pathway_coverage_gap_and_plan(kg: KnowledgeGraph) -> None:
    result = pathways.pathway(kg, [EX + "badgePy"], EX + "analyst")
    # python covered through the exact mapping (0.9) out of weights 1+1+1+0.5
    assert result.coverage == pytest.approx(0.9 / 3.5, abs=1e-4)
    assert [e.requirement for e in result.covered] == [B + "python"]
    assert result.covered[0].path == [EX + "badgePy", A + "py", B + "python"]
    assert [r.competency for r in result.gap] == [A + "stats", B + "databases", B + "charts"]
    # greedy picks the charts badge, the SQL certificate, then the bootcamp; reverse delete keeps the bootcamp alone
    assert [s.credential for s in result.plan] == [EX + "bootcamp"]
    assert result.plan[0].cost == 900.0
    assert {e.requirement for e in result.plan[0].covers} == {A + "stats", B + "databases", B + "charts"}
    assert result.not_closable == []
    assert result.alternatives == [(EX + "welder", "Welder", 0.0)]


def test_rejected_mapping_carries_no_evidence(kg: KnowledgeGraph) -> None:
    result = pathways.pathway(kg, [A + "py"], EX + "welder")
    assert result.coverage == 0.0 and [r.competency for r in result.gap] == [B + "welding"]
    assert result.plan == [] and [r.competency for r in result.not_closable] == [B + "welding"]


def test_held_competencies_directly(kg: KnowledgeGraph) -> None:
    result = pathways.pathway(kg, [A + "py", A + "sql", A + "stats", A + "viz"], EX + "analyst")
    assert result.coverage == pytest.approx((0.9 + 0.8 + 1.0 + 0.5) / 3.5, abs=1e-4)
    assert result.gap == []


def test_harvest_reads_every_mapping(kg: KnowledgeGraph) -> None:
    mset = alignment.harvest(kg)
    assert len(mset) == 6
    m1 = next(m for m in mset.mappings if m.subject_id == A + "py" and m.object_id == B + "python")
    assert (m1.predicate_id, m1.confidence, m1.subject_source, m1.object_source) == (EXACT, 0.9, EX + "fwA", EX + "fwB")
    assert m1.subject_label == "Python programming" and m1.mapping_justification == "semapv:ManualMappingCuration"
    assert alignment.conflicts(mset) == []  # the second exact match of a:py was rejected (confidence 0)


def test_coverage_and_agreement(kg: KnowledgeGraph) -> None:
    mset = alignment.harvest(kg)
    fw_a = [A + x for x in ("py", "sql", "stats", "viz")]
    assert alignment.coverage(mset, fw_a) == 0.75  # stats only has a broad match
    assert alignment.agreement(mset, mset)["jaccard"] == 1.0
    half = MappingSet(mset.mappings[:3])
    assert alignment.agreement(mset, half)["jaccard"] == 0.5


def test_conflict_detected() -> None:
    ms = MappingSet([Mapping("x:a", EXACT, "y:1", object_source="y"), Mapping("x:a", EXACT, "y:2", object_source="y"),
                     Mapping("x:b", EXACT, "y:3", object_source="y")])
    assert alignment.conflicts(ms) == [("x:a", "y", ["y:1", "y:2"])]


def test_chaining_never_makes_broad_exact() -> None:
    ms = [Mapping("x:a", EXACT, "y:b", confidence=0.9), Mapping("y:b", "skos:broadMatch", "z:c", confidence=0.8),
          Mapping("y:b", EXACT, "w:d", confidence=0.5)]
    chained = {(m.subject_id, m.object_id): m for m in alignment.chain(ms)}
    assert chained[("x:a", "z:c")].predicate_id == "skos:broadMatch"
    assert chained[("x:a", "z:c")].confidence == pytest.approx(0.72)
    assert chained[("x:a", "w:d")].predicate_id == EXACT and chained[("x:a", "w:d")].mapping_justification == "semapv:MappingChaining"
    assert chained[("z:c", "x:a")].predicate_id == "skos:narrowMatch"
    assert all(m.predicate_id != EXACT for k, m in chained.items() if "z:c" in k)


def test_lexical_suggestions(kg: KnowledgeGraph) -> None:
    suggestions = suggest(scheme_concepts(kg, EX + "fwA"), scheme_concepts(kg, EX + "fwB"), top_k=1)
    best = {m.subject_id: m.object_id for m in suggestions}
    assert best[A + "py"] == B + "python"
    assert best[A + "viz"] == B + "charts"
    assert all(m.mapping_justification == "semapv:LexicalMatching" and 0 < (m.confidence or 0) <= 1 for m in suggestions)


def test_curation_becomes_manual() -> None:
    m = Mapping("x:a", "skos:closeMatch", "y:b", mapping_justification="semapv:LexicalMatching", confidence=0.6)
    accepted = alignment.curate(m, True, "orcid:0000-0002-1825-0097")
    assert (accepted.mapping_justification, accepted.confidence) == ("semapv:ManualMappingCuration", 1.0)
    assert alignment.curate(m, False, "someone").confidence == 0.0


def test_sssom_round_trip_and_validation(kg: KnowledgeGraph, tmp_path: Path) -> None:
    mset = alignment.harvest(kg)
    validate_sssom(mset)
    out = tmp_path / "m.sssom.tsv"
    write_sssom_tsv(mset, out)
    back = read_sssom_tsv(out)
    assert [(m.subject_id, m.predicate_id, m.object_id, m.confidence) for m in back.mappings] == [
        (m.subject_id, m.predicate_id, m.object_id, m.confidence) for m in mset.mappings]


def test_extract_from_text(kg: KnowledgeGraph) -> None:
    text = "Wanted: analyst with Python programming, SQL (structured query language) and welding."
    found = {(m.competency, m.text, m.confidence) for m in extract(kg, text)}
    assert found == {
        (A + "py", "Python programming", 0.95),
        (A + "sql", "SQL", 0.95),
        (A + "sql", "structured query language", 0.85),
        (B + "welding", "welding", 0.95),
    }


def test_a_label_in_capitals_matches_only_capitals() -> None:
    from lermap.analysis.extract import Extractor

    ex = Extractor([("x:tanks", "TANKS", True, "x:tech"), ("x:sql", "SQL", True, "x:tech"), ("x:excel", "Excel", True, "x:tech")])
    text = "Inspect storage tanks; query records in SQL and TANKS; keep an excel sheet"
    assert [(m.competency, m.text) for m in ex.extract(text)] == [("x:sql", "SQL"), ("x:tanks", "TANKS"), ("x:excel", "excel")]


def test_cli_analysis_commands(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    store = f"oxigraph:{tmp_path / 'store'}"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "lermap.cli", *args, "--store", store], capture_output=True, text=True, timeout=120)

    assert run("ingest", str(TEST_DATA / "analysis" / "pathway.ttl"), "--format", "rdf").returncode == 0
    sssom = run("export", "--format", "sssom")
    assert sssom.returncode == 0 and sssom.stdout.count("skos:exactMatch") == 4
    aligned = run("align", EX + "fwA", EX + "fwB", "--top-k", "1")
    assert aligned.returncode == 0 and "semapv:LexicalMatching" in aligned.stdout
    found = [json.loads(x) for x in run("extract", "I know SQL and welding", "--json").stdout.splitlines()]
    assert {f["label"] for f in found} == {"SQL", "welding"}
    plan = json.loads(run("pathway", "--held", EX + "badgePy", "--target", EX + "analyst", "--json").stdout)
    assert [s["credential"] for s in plan["plan"]] == [EX + "bootcamp"]
    missing = run("align", EX + "nothing", EX + "fwB")
    assert missing.returncode == 5 and "Traceback" not in missing.stderr
    no_target = run("pathway", "--held", EX + "badgePy", "--target", EX + "nothing")
    assert no_target.returncode == 5 and "has no requirements" in no_target.stderr and "Traceback" not in no_target.stderr


def test_curation_can_correct_the_predicate() -> None:
    m = Mapping("x:a", "skos:relatedMatch", "y:b", mapping_justification="semapv:LexicalMatching", confidence=0.65)
    fixed = alignment.curate(m, True, "someone", predicate=EXACT)
    assert (fixed.predicate_id, fixed.confidence) == (EXACT, 1.0)
    with pytest.raises(ValueError):
        alignment.curate(m, True, "someone", predicate="skos:sameAs")
