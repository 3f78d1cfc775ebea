"""SSSOM in three serialisations, SSSOM mapping sets as a source, curation that sticks, and the semantic /
combined methods of suggestions and skills-from-text — on the hand-built graph of tests/data/analysis/pathway.ttl."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import lermap
from lermap.analysis import alignment, semantic
from lermap.errors import SourceError
from lermap.ingest.sssom.mapping import EXACT, MANUAL, Mapping, MappingSet
from lermap.ingest.sssom.read import read_sssom
from lermap.ingest.sssom.write import SSSOM_FORMATS, validate_sssom, write_sssom
from lermap.service import KnowledgeGraph
from tests.conftest import TEST_DATA

EX = "http://example.org/"
A, B = EX + "fwA/", EX + "fwB/"
PATHWAY = TEST_DATA / "analysis" / "pathway.ttl"
needs_extra = pytest.mark.skipif(not semantic.available() and not os.environ.get("LERMAP_REQUIRE_SEMANTIC"),
                                 reason="the [semantic] extra is not installed (set LERMAP_REQUIRE_SEMANTIC=1 to make this a failure)")


@pytest.fixture
def kg() -> Iterator[KnowledgeGraph]:
    graph = lermap.open_graph("memory:")
    graph.ingest(PATHWAY, format="rdf")
    yield graph
    graph.close()


def _pairs(mset: MappingSet) -> dict[tuple[str, str], Mapping]:
    return {(m.subject_id, m.object_id): m for m in mset.mappings}


@pytest.mark.parametrize("fmt", SSSOM_FORMATS)
def test_every_serialisation_round_trips(kg: KnowledgeGraph, tmp_path: Path, fmt: str) -> None:
    mset = alignment.harvest(kg)
    validate_sssom(mset)
    path = tmp_path / {"tsv": "m.sssom.tsv", "json": "m.sssom.json", "rdf": "m.sssom.ttl"}[fmt]
    with path.open("w") as fh:
        write_sssom(mset, fh, fmt)
    back = read_sssom(path)
    expected = mset.mappings
    if fmt == "json":  # sssom-py's JSON writer leaves out falsy slots: a confidence of 0 reads back as absent
        expected = [replace(m, confidence=None) if m.confidence == 0 else m for m in expected]
    assert any(m.confidence == 0 for m in mset.mappings)
    assert sorted(back.mappings, key=lambda m: m.key) == sorted(expected, key=lambda m: m.key)


@pytest.mark.parametrize("fmt", SSSOM_FORMATS)
def test_a_mapping_set_is_a_source(tmp_path: Path, fmt: str) -> None:
    made = [Mapping(A + "stats", "skos:closeMatch", B + "statistics", mapping_justification="semapv:LexicalMatching", confidence=0.7,
                    author_id="https://orcid.org/0000-0002-1825-0097", mapping_date="2026-11-01", comment="from a crosswalk")]
    path = tmp_path / {"tsv": "x.sssom.tsv", "json": "x.sssom.json", "rdf": "x.sssom.ttl"}[fmt]
    with path.open("w") as fh:
        write_sssom(MappingSet(made), fh, fmt)
    with lermap.open_graph("memory:") as graph:
        graph.ingest(PATHWAY, format="rdf")
        report = graph.ingest(path)[0]
        assert report.format == "sssom"
        got = _pairs(graph.alignments())[(A + "stats", B + "statistics")]
    assert (got.predicate_id, got.confidence, got.mapping_justification, got.author_id, got.mapping_date, got.comment) == (
        "skos:closeMatch", 0.7, "semapv:LexicalMatching", "https://orcid.org/0000-0002-1825-0097", "2026-11-01", "from a crosswalk")
    assert (got.subject_source, got.object_source, got.subject_label) == (EX + "fwA", EX + "fwB", "Statistics")


def test_a_bad_mapping_set_is_refused_and_changes_nothing(kg: KnowledgeGraph, tmp_path: Path) -> None:
    bad = tmp_path / "bad.sssom.tsv"
    bad.write_text("# curie_map:\n#   skos: http://www.w3.org/2004/02/skos/core#\nsubject_id\tpredicate_id\tobject_id\tmapping_justification\n"
                   "nope:a\tskos:exactMatch\tnope:b\tsemapv:ManualMappingCuration\n")
    before = kg.digest()
    with pytest.raises(SourceError) as err:
        kg.ingest(bad)
    assert "bad.sssom.tsv" in str(err.value) and "not an IRI" in str(err.value)
    assert kg.digest() == before


def test_rejected_suggestion_is_kept_and_never_suggested_again(kg: KnowledgeGraph) -> None:
    first = _pairs(kg.suggest_alignments(EX + "fwA", EX + "fwB", top_k=1))
    assert (A + "stats", B + "statistics") in first
    decision = kg.curate(A + "stats", B + "statistics", accept=False, author="https://orcid.org/0000-0002-1825-0097")
    assert (decision.mapping_justification, decision.confidence) == (MANUAL, 0.0)
    again = _pairs(kg.suggest_alignments(EX + "fwA", EX + "fwB", top_k=1))
    assert (A + "stats", B + "statistics") not in again and (A + "py", B + "python") in again
    kept = _pairs(kg.alignments())[(A + "stats", B + "statistics")]
    assert (kept.confidence, kept.author_id, kept.comment) == (0.0, "https://orcid.org/0000-0002-1825-0097", "rejected")
    assert (A + "stats", B + "statistics") not in _pairs(kg.alignments().filter(min_confidence=0.5))


def test_acceptance_overrides_a_recorded_mapping_and_can_correct_it(kg: KnowledgeGraph) -> None:
    recorded = alignment.harvest(kg).mappings
    target = next(m for m in recorded if m.predicate_id != EXACT)
    kg.curate(target.subject_id, target.object_id, accept=True, author="Reviewer R", predicate=EXACT)
    now = [m for m in kg.alignments().mappings if {m.subject_id, m.object_id} == {target.subject_id, target.object_id}]
    assert len(now) == 1 and (now[0].predicate_id, now[0].confidence, now[0].author_id) == (EXACT, 1.0, "Reviewer R")
    kg.curate(target.subject_id, target.object_id, accept=False, author="Reviewer S")  # a later decision replaces it
    latest = [m for m in kg.alignments().mappings if {m.subject_id, m.object_id} == {target.subject_id, target.object_id}]
    assert [(m.confidence, m.author_id) for m in latest] == [(0.0, "Reviewer S")]
    assert sum(1 for g in kg.sources() if g.format == "sssom") == 1  # decisions rewrite one source


def test_curating_unknown_things_is_refused(kg: KnowledgeGraph) -> None:
    with pytest.raises(lermap.errors.NotFoundError):
        kg.curate(EX + "nothing", EX + "nowhere", accept=True, author="someone")
    with pytest.raises(lermap.errors.ConfigError):
        kg.curate(A + "py", B + "python", accept=True, author=" ")


def test_cli_exports_sssom_json_and_rdf_and_curates(tmp_path: Path) -> None:
    store = f"oxigraph:{tmp_path / 'store'}"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "lermap.cli", *args, "--store", store], capture_output=True, text=True, timeout=180)

    assert run("ingest", str(PATHWAY), "--format", "rdf").returncode == 0
    done = run("curate", "reject", A + "stats", B + "statistics", "--author", "Reviewer R", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["confidence"] == 0.0
    for fmt, suffix in (("sssom-json", ".json"), ("sssom-rdf", ".ttl")):
        out = tmp_path / f"all{suffix}"
        assert run("export", "--format", fmt, "--output", str(out)).returncode == 0
        pairs = _pairs(read_sssom(out))
        assert pairs[(A + "stats", B + "statistics")].author_id == "Reviewer R"
    wrong = run("curate", "maybe", A + "stats", B + "statistics", "--author", "R")
    assert wrong.returncode == 6 and "accept or reject" in wrong.stderr and "Traceback" not in wrong.stderr


def test_curation_over_http_needs_a_reviewer_token(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from lermap.api.app import create_app

    selector = f"oxigraph:{tmp_path / 'store'}"
    with lermap.open_graph(selector) as graph:
        graph.ingest(PATHWAY, format="rdf")
    monkeypatch.setenv("LERMAP_REVIEW_TOKENS", "ada:s3cret-token")
    with TestClient(create_app(selector)) as client:
        listed = client.get("/v1/suggestions", params={"a": EX + "fwA", "b": EX + "fwB", "top_k": 1}).json()["items"]
        assert {(m["subject_id"], m["object_id"]) for m in listed} >= {(A + "py", B + "python")}
        body = {"subject_id": A + "py", "object_id": B + "python", "decision": "accept", "predicate_id": EXACT}
        assert client.post("/v1/curations", json=body).status_code == 401
        assert client.post("/v1/curations", json=body, headers={"authorization": "Bearer wrong"}).status_code == 401
        made = client.post("/v1/curations", json=body, headers={"authorization": "Bearer s3cret-token"})
        assert made.status_code == 201 and made.json()["author_id"] == "ada" and made.json()["predicate_id"] == EXACT
        after = client.get("/v1/suggestions", params={"a": EX + "fwA", "b": EX + "fwB", "top_k": 1}).json()["items"]
        assert (A + "py", B + "python") not in {(m["subject_id"], m["object_id"]) for m in after}
        around = client.get(f"/v1/competencies/{A}py/alignments").json()["items"]
        assert any(m["object_id"] == B + "python" and m["mapping_justification"] == MANUAL for m in around)
        assert client.get("/v1/suggestions", params={"a": EX + "fwA", "b": EX + "fwB", "method": "fuzzy"}).status_code == 422


@needs_extra
@pytest.mark.parametrize(("method", "justification"), [("semantic", "semapv:SemanticSimilarityThresholdMatching"),
                                                        ("combined", "semapv:CompositeMatching")])
def test_semantic_and_combined_suggestions(kg: KnowledgeGraph, method: str, justification: str) -> None:
    found = kg.suggest_alignments(EX + "fwA", EX + "fwB", top_k=1, method=method).mappings
    best = {m.subject_id: m for m in found}
    assert best[A + "py"].object_id == B + "python" and best[A + "viz"].object_id == B + "charts"
    assert all(m.mapping_justification == justification and 0 <= (m.confidence or 0) <= 1 for m in found)


@needs_extra
def test_semantic_extraction_finds_what_labels_miss(kg: KnowledgeGraph) -> None:
    text = "Experience with statistical analysis, making charts of data and coding in Python. Welding too."
    lexical = {m.competency for m in kg.extract(text)}
    semantic_found = {m.competency: m for m in kg.extract(text, method="semantic")}
    combined = {m.competency for m in kg.extract(text, method="combined")}
    assert lexical == {B + "welding"}
    assert {A + "py", B + "welding"} <= set(semantic_found) and semantic_found[A + "py"].text == "Python"
    assert lexical < combined and set(semantic_found) <= combined
    assert all(text[m.span[0]:m.span[1]] == m.text and 0.8 <= m.confidence <= 1 for m in semantic_found.values())


def test_unknown_method_is_a_config_error(kg: KnowledgeGraph) -> None:
    with pytest.raises(lermap.errors.ConfigError, match="lexical, semantic, combined"):
        kg.extract("SQL", method="magic")
