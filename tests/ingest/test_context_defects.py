"""Defective JSON-LD contexts through the ingest pipeline and the CLI: refused with URL, term and key (exit 2,
nothing written), repaired with --lenient (one warning per repair, in the report and the provenance).

The fixtures model a national badge platform's OB 3.0 extension context whose term definitions say "context" where
JSON-LD requires "@context" (tests/data/jsonld/defects/): ``ob3-ext-repairable.jsonld`` has each defect with one
safe reading, ``ob3-ext-unrepairable.jsonld`` ones without.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

import lermap
from lermap.errors import ContextError, SourceError
from lermap.graph.jsonld import default_registry
from lermap.service import KnowledgeGraph

DATA = Path(__file__).resolve().parents[1] / "data" / "jsonld" / "defects"
EXT = "https://contexts.lermap.test/badge-platform/ob3-ext/v1"
BADGE = DATA / "badge.json"
IN_SCOPE = f'context "{EXT}" term "ParticipationCredit" › @context › term'
REPAIRS = [
    f'/@context/2: context "{EXT}": line 15, column 57: a trailing comma repaired (non-strict JSON)',
    f'/@context/2: context "{EXT}": line 18, column 5: a missing comma repaired (non-strict JSON)',
    f'/@context/2: {IN_SCOPE} "participationType": key "context" read as "@context" (a keyword written without its @)',
    f'/@context/2: {IN_SCOPE} "hours": key "id" read as "@id" (a keyword written without its @)',
    f'/@context/2: {IN_SCOPE} "hours": key "type" read as "@type" (a keyword written without its @)',
    f'/@context/2: {IN_SCOPE} "tags": key "container" read as "@container" (a keyword written without its @)',
]
EXT_VOCAB = "https://vocab.lermap.test/badge-platform#"


@pytest.fixture()
def kg() -> Iterator[KnowledgeGraph]:
    graph = lermap.open_graph("memory:")
    graph.ingest(Path(__file__).resolve().parents[1] / "data" / "ob3" / "tiny-ob3.json")  # something already stored
    yield graph
    graph.close()


def _register(name: str) -> None:
    default_registry().add(EXT, DATA / name)


def _refused(kg: KnowledgeGraph, lenient: bool) -> SourceError:
    before = (kg.digest(), [g.graph for g in kg.sources()])
    with pytest.raises(SourceError) as info:
        kg.ingest(BADGE, lenient=lenient)
    assert (kg.digest(), [g.graph for g in kg.sources()]) == before  # the store is unchanged
    return info.value


def test_strict_ingest_refuses_the_first_defect_with_url_term_and_key(kg: KnowledgeGraph) -> None:
    _register("ob3-ext-repairable.jsonld")
    err = _refused(kg, lenient=False)
    assert isinstance(err, ContextError)
    assert err.location == "/@context/2"
    assert err.reason.startswith(f'context "{EXT}" (')  # the JSON text's defects come first
    assert "not strict JSON at line 15, column 57: a trailing comma (and 1 more)" in err.reason
    assert "--lenient" in err.reason


def test_strict_ingest_of_valid_json_names_the_term_and_the_key(kg: KnowledgeGraph, tmp_path: Path) -> None:
    # the same context with its JSON text mended: the refusal is the one, term and key
    text = (DATA / "ob3-ext-repairable.jsonld").read_text("utf-8")
    mended = tmp_path / "ext.jsonld"
    mended.write_text(text.replace('"@set"},\n', '"@set"}\n').replace("    }\n    \"issuingPlatform\"", "    },\n    \"issuingPlatform\""))
    json.loads(mended.read_text("utf-8"))
    default_registry().add(EXT, mended)
    err = _refused(kg, lenient=False)
    assert err.reason.startswith(
        f'{IN_SCOPE} "participationType": unknown key "context" (did you mean "@context"?); '
        "ingest with --lenient to read it as '@context' (and 3 more: `lermap contexts check")


def test_lenient_ingest_repairs_each_defect_once_and_records_it(kg: KnowledgeGraph) -> None:
    _register("ob3-ext-repairable.jsonld")
    (report,) = kg.ingest(BADGE, lenient=True)
    assert [w for w in report.warnings if "context" in w and EXT in w] == REPAIRS
    stored = next(g for g in kg.sources() if g.graph == report.graph)
    assert sorted(w for w in stored.warnings if EXT in w) == sorted(REPAIRS)  # the provenance carries them
    # the repaired definitions took effect: the scoped terms expand under the extension's vocabulary
    quads = list(ox.parse(kg.export("nquads", graph=report.graph), format=ox.RdfFormat.N_QUADS))
    found = {q.predicate.value for q in quads if q.predicate.value.startswith(EXT_VOCAB)}
    assert found == {EXT_VOCAB + p for p in ("issuingPlatform", "participationType", "role", "level", "hours", "tags")}
    hours = next(q.object for q in quads if q.predicate.value == EXT_VOCAB + "hours")
    assert isinstance(hours, ox.Literal) and hours.datatype.value == "http://www.w3.org/2001/XMLSchema#decimal"


@pytest.mark.parametrize("lenient", [False, True], ids=["strict", "lenient"])
def test_unrepairable_defects_are_refused_in_both_modes(kg: KnowledgeGraph, lenient: bool) -> None:
    _register("ob3-ext-unrepairable.jsonld")
    err = _refused(kg, lenient=lenient)
    assert err.reason.startswith(f'{IN_SCOPE} "participationType": unknown key "comment"')
    assert "more: `lermap contexts check" in err.reason


def test_a_context_defect_in_a_ctdl_document_is_repaired_the_same_way(kg: KnowledgeGraph, tmp_path: Path) -> None:
    doc = {
        "@context": ["https://credreg.net/ctdl/schema/context/json",
                     {"sameAsCourse": {"id": "https://vocab.lermap.test/sameAsCourse", "type": "@id"}}],
        "@id": "https://example.lermap.test/course/1", "@type": "ceterms:Course",
        "ceterms:name": {"en": "Welding I"}, "sameAsCourse": "https://example.lermap.test/course/legacy-1",
    }
    path = tmp_path / "course.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(ContextError, match=r'context \(inline, at /@context/1\) term "sameAsCourse": unknown key "id"'):
        kg.ingest(path, format="ctdl")
    (report,) = kg.ingest(path, format="ctdl", lenient=True)
    assert [w for w in report.warnings if "read as" in w] == [
        '/@context/1: context (inline, at /@context/1) term "sameAsCourse": key "id" read as "@id" (a keyword written without its @)',
        '/@context/1: context (inline, at /@context/1) term "sameAsCourse": key "type" read as "@type" (a keyword written without its @)',
    ]
    assert report.counts["learning_opportunity"] == 1


# --- the CLI: exit codes, nothing written, `contexts check` ------------------------------------------------------------


def _cli(*args: str, env_dir: Path) -> subprocess.CompletedProcess[str]:
    import os

    env = {**os.environ, "LERMAP_CONFIG_DIR": str(env_dir)}
    return subprocess.run([sys.executable, "-m", "lermap.cli", *args], capture_output=True, text=True, env=env, timeout=120)


def test_cli_refuses_with_exit_2_and_writes_nothing_then_repairs_with_lenient(tmp_path: Path) -> None:
    config, store = tmp_path / "config", f"oxigraph:{tmp_path / 'store'}"
    assert _cli("contexts", "add", EXT, str(DATA / "ob3-ext-repairable.jsonld"), env_dir=config).returncode == 0
    refused = _cli("ingest", str(BADGE), "--store", store, env_dir=config)
    assert refused.returncode == 2 and f'context "{EXT}"' in refused.stderr
    assert _cli("sources", "--store", store, "--json", env_dir=config).stdout.strip() == ""
    done = _cli("ingest", str(BADGE), "--store", store, "--lenient", "--json", env_dir=config)
    assert done.returncode == 0, done.stderr
    assert [w for w in json.loads(done.stdout)["warnings"] if EXT in w] == REPAIRS


def test_contexts_check_lists_every_defect_and_what_lenient_repairs(tmp_path: Path) -> None:
    config = tmp_path / "config"
    checked = _cli("contexts", "check", str(DATA / "ob3-ext-repairable.jsonld"), "--json", env_dir=config)
    assert checked.returncode == 2
    report = json.loads(checked.stdout)
    assert report["repairable"] is True and len(report["findings"]) == 6
    assert {f["rule"] for f in report["findings"]} >= {"not strict JSON: a trailing comma", "not strict JSON: a missing comma",
                                                     'unknown key "context" (did you mean "@context"?)'}
    text = _cli("contexts", "check", str(DATA / "ob3-ext-unrepairable.jsonld"), env_dir=config)
    assert text.returncode == 2 and "refused even with --lenient" in text.stdout
    assert 'term "participationType": @container \'@lists\' is not one of' in text.stdout


def test_contexts_check_of_a_clean_bundled_context_and_of_an_unknown_url(tmp_path: Path) -> None:
    config = tmp_path / "config"
    clean = _cli("contexts", "check", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", env_dir=config)
    assert clean.returncode == 0 and "no defects" in clean.stdout
    unknown = _cli("contexts", "check", "https://contexts.lermap.test/nowhere", env_dir=config)
    assert unknown.returncode == 5 and "lermap contexts add" in unknown.stderr
