"""A learner's personal graph stays out of everything shared; `lermap validate` reports SHACL results."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import lermap
from tests.conftest import TEST_DATA

CREDENTIAL = TEST_DATA / "ob3" / "tiny-ob3.json"


def test_personal_graph_is_marked_and_never_shared(tmp_path: Path) -> None:
    doc = json.loads(CREDENTIAL.read_text())
    subject = doc["credentialSubject"]["id"]
    with lermap.open_graph("memory:") as kg:
        shared = kg.ingest(CREDENTIAL)[0]
        personal = kg.ingest(CREDENTIAL, personal=True)[0]
        assert personal.personal and personal.graph.startswith("https://w3id.org/lermap/graph/personal/")
        assert personal.source == "personal:" + shared.source  # a separate source: neither replaces the other
        assert {s.graph for s in kg.sources()} == {shared.graph, personal.graph}
        assert subject in kg.export("nquads", graph=personal.graph).decode()  # the learner keeps their own identity
        for fmt in ("nquads", "turtle", "jsonld"):
            assert subject not in kg.export(fmt).decode()
        assert kg.sparql("SELECT ?o WHERE { ?s ?p ?o FILTER(STR(?o) = ?id) }", {"id": subject}).empty
        assert personal.graph not in kg.sparql("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")["g"].tolist()


def test_validate_cli_exit_codes(tmp_path: Path) -> None:
    store = f"oxigraph:{tmp_path / 'store'}"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "lermap.cli", *args, "--store", store], capture_output=True, text=True, timeout=180)

    assert run("ingest", str(TEST_DATA / "core" / "tiny.ttl"), "--format", "rdf").returncode == 0
    ok = run("validate", "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["conforms"] is True
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://example.org/c> a <https://purl.org/ctdlasn/terms/Competency> .\n")
    assert run("ingest", str(bad), "--format", "rdf").returncode == 0
    failed = run("validate", "--json")
    assert failed.returncode == 7
    report = json.loads(failed.stdout)
    assert {(v["focus"], v["path"].rsplit("#", 1)[-1]) for v in report["violations"]} == {
        ("http://example.org/c", "prefLabel"), ("http://example.org/c", "inScheme")}
