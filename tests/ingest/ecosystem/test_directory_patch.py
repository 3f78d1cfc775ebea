"""`lermap proposals export`: approved edits written back into data/ecosystem/*.yaml — a unified diff that applies
with `git apply`, or the files edited in place — and round-tripped: rebuild from the patched files and every edit is
in the graph (a corrected organisation keeps its IRI); exporting again changes nothing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import lermap
from lermap.analysis import proposals as P
from lermap.errors import SourceError
from lermap.graph.store import to_term
from lermap.ingest.ecosystem.patch import ALREADY, flow_item, patch_directory, scalar, set_fields
from tests.conftest import ROOT

PREFIX = "PREFIX lermap: <https://w3id.org/lermap/vocab#> PREFIX schema: <https://schema.org/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
EDITS = [
    {"kind": "fix", "entity": "credential-engine", "field": "name", "value": "Credential Engine Registry", "source": "https://credentialengine.org/about/"},
    {"kind": "fix", "entity": "vc", "field": "description", "value": "The W3C model for credentials: tamper-evident, held by the learner.",
     "source": "https://www.w3.org/TR/vc-data-model-2.0/"},
    {"kind": "relation", "s": "lumina-foundation", "p": "funds", "o": "dcc", "source": "https://www.luminafoundation.org/"},
    {"kind": "entity", "entity_type": "tool", "entity": {"id": "test-wallet", "name": "Test Wallet", "provider": "dcc",
                                                          "url": "https://wallet.example.org/", "features": ["learner-held"]}},
    {"kind": "removal", "entity": "credential-engine", "p": "maintains", "o": "qdata", "reason": "a test removal of a relation"},
    {"kind": "removal", "entity": "walmart-foundation", "reason": "a test removal of an organisation"},
]


def _copy(tmp: Path, name: str) -> Path:
    folder = tmp / name / "data" / "ecosystem"
    shutil.copytree(ROOT / "data" / "ecosystem", folder)
    return folder


def _ask(kg: lermap.KnowledgeGraph, where: str, **bindings: str) -> bool:
    return kg.ask(PREFIX + "ASK WHERE { " + where + " }", {k: to_term(v) for k, v in bindings.items()})


@pytest.fixture()
def approved(tmp_path: Path) -> tuple[str, Path, str]:
    """A store built from a copy of the directory, with the edits proposed and approved; its selector, folder, and
    Credential Engine's IRI."""
    folder = _copy(tmp_path, "repo")
    selector = f"oxigraph:{tmp_path / 'store'}"
    with lermap.open_graph(selector) as kg:
        kg.ingest(folder)
        for edit in EDITS:
            P.approve(kg, P.propose(kg, edit).id, "Rita")
        iri = str(kg.select(PREFIX + "SELECT ?e WHERE { ?e schema:identifier 'credential-engine' }").rows[0][0].value)
    return selector, folder, iri


def test_apply_then_rebuild_has_every_edit_and_exporting_again_changes_nothing(approved: tuple[str, Path, str]) -> None:
    selector, folder, iri = approved
    with lermap.open_graph(selector) as kg:
        patch = kg.proposals_patch(folder)
    assert len(patch.applied) == len(EDITS) and patch.skipped == []
    diff = patch.diff()
    assert "-  - {id: credential-engine, name: Credential Engine, roles:" in diff
    assert "+  - {id: credential-engine, name: Credential Engine Registry, roles:" in diff
    assert "-  - {id: walmart-foundation" in diff and "+  - {s: lumina-foundation, p: funds, o: dcc" in diff
    changed_lines = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert len(changed_lines) < 40  # only the edited items, not a reformatted file
    patch.write()

    rebuilt = lermap.open_graph("memory:")
    rebuilt.ingest(folder)
    assert _ask(rebuilt, "?e schema:identifier 'credential-engine' ; skos:prefLabel 'Credential Engine Registry'", e=iri)  # same IRI
    assert not _ask(rebuilt, "?e skos:prefLabel 'Credential Engine'", e=iri)
    assert _ask(rebuilt, "?e schema:identifier 'vc' ; schema:description ?d FILTER(STRSTARTS(STR(?d), 'The W3C model for credentials:'))")
    assert _ask(rebuilt, "?s schema:identifier 'lumina-foundation' ; lermap:funds ?o . ?o schema:identifier 'dcc'")
    assert _ask(rebuilt, "?t schema:identifier 'test-wallet' ; schema:provider ?o . ?o schema:identifier 'dcc'")
    assert not _ask(rebuilt, "?s schema:identifier 'credential-engine' ; lermap:maintains ?o . ?o schema:identifier 'qdata'")
    assert _ask(rebuilt, "?s schema:identifier 'credential-engine' ; lermap:maintains ?o . ?o schema:identifier 'ctdl'")
    assert not _ask(rebuilt, "?e schema:identifier 'walmart-foundation'")
    rebuilt.close()

    with lermap.open_graph(selector) as kg:
        again = kg.proposals_patch(folder)
    assert again.applied == [] and {reason for _, reason in again.skipped} == {ALREADY} and again.diff() == ""


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_cli_diff_applies_with_git_apply(approved: tuple[str, Path, str], tmp_path: Path) -> None:
    selector, folder, _ = approved
    out = tmp_path / "edits.patch"
    done = subprocess.run([sys.executable, "-m", "lermap.cli", "proposals", "export", "--store", selector, "--directory", str(folder),
                           "--output", str(out)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"{len(EDITS)} edits written as a patch" in done.stdout
    fresh = _copy(tmp_path, "fresh")
    applied = subprocess.run(["git", "apply", "--verbose", str(out)], cwd=fresh.parent.parent, capture_output=True, text=True, timeout=60)
    assert applied.returncode == 0, applied.stderr
    inplace = subprocess.run([sys.executable, "-m", "lermap.cli", "proposals", "export", "--store", selector, "--directory", str(folder),
                              "--apply"], capture_output=True, text=True, timeout=300)
    assert inplace.returncode == 0, inplace.stderr
    for path in folder.iterdir():
        assert (fresh / path.name).read_text() == path.read_text(), path.name


def test_a_patch_that_would_break_the_directory_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "repo")
    bad = [("p1", {"kind": "relation", "s": "lumina-foundation", "p": "funds", "o": "no-such-id", "source": "https://x.example/"})]
    with pytest.raises(SourceError) as err:
        patch_directory(folder, bad)
    assert "unknown id 'no-such-id'" in str(err.value)
    assert (folder / "relations.yaml").read_text() == (ROOT / "data" / "ecosystem" / "relations.yaml").read_text()


def test_what_the_files_cannot_express_is_skipped_with_the_reason(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "repo")
    edits = [("p1", {"kind": "fix", "entity": "vc@2.0", "field": "name", "value": "VC Two", "source": "https://x.example/"}),
             ("p2", {"kind": "removal", "entity": "credly-platform", "p": "provider", "o": "credly", "reason": "test"})]
    patch = patch_directory(folder, edits)
    assert patch.applied == [] and [pid for pid, _ in patch.skipped] == ["p1", "p2"] and patch.diff() == ""


@pytest.mark.parametrize("value", ["plain words", "a: colon", "yes", "123", "#hash", "quote \" and \\ back", "ünïcode, comma", "- dash"])
def test_scalars_read_back_as_written(value: str) -> None:
    assert yaml.safe_load(f"x: {scalar(value)}") == {"x": value}
    item = {"id": "a", "name": value, "roles": ["x", "y"]}
    assert yaml.safe_load("".join(line[2:] for line in flow_item(item))) == [item]
    assert yaml.safe_load("".join(line[2:] for line in set_fields(flow_item({"id": "a", "name": "n"}), {"id": "a", "name": "n"},
                                                                            {"name": value}))) == [{"id": "a", "name": value}]
