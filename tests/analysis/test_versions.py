"""diff_frameworks: competencies added, removed and reworded between two versions of a framework.

Fixtures (tests/data/ctdl-asn/): v1 has S1-S4; v2 keeps S1, S2 (reworded), S4, drops S3, adds S5 with the
same IRIs; v3 is v2 republished under new IRIs (codes unchanged).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lermap.analysis.versions import diff_frameworks

DATA = Path(__file__).resolve().parents[1] / "data" / "ctdl-asn"


@pytest.fixture()
def versions(memory_graph: object) -> tuple[object, list[str]]:
    names = ["framework-v1.json", "framework-v2.json", "framework-v3-new-iris.json"]
    reports = memory_graph.ingest(*(DATA / n for n in names), format="ctdl-asn")  # type: ignore[attr-defined]
    return memory_graph, [r.graph for r in reports]


def test_diff_by_iri(versions: tuple[object, list[str]]) -> None:
    kg, (v1, v2, _) = versions
    diff = diff_frameworks(kg, v1, v2)  # type: ignore[arg-type]
    assert [c.iri for c in diff.added] == ["https://example.org/safety/5"]
    assert [c.iri for c in diff.removed] == ["https://example.org/safety/3"]
    assert [(r.before.label, r.after.label, r.matched_by) for r in diff.reworded] == [
        ("Store solvents safely", "Store and label solvents safely", "iri")
    ]
    assert diff.unchanged == 2 and bool(diff)


def test_diff_by_notation_when_iris_change(versions: tuple[object, list[str]]) -> None:
    kg, (v1, _, v3) = versions
    diff = diff_frameworks(kg, v1, v3)  # type: ignore[arg-type]
    assert [(c.iri, c.notation) for c in diff.added] == [("https://example.org/v3/e", "S5")]
    assert [(c.iri, c.notation) for c in diff.removed] == [("https://example.org/safety/3", "S3")]
    assert [(r.before.iri, r.after.iri, r.matched_by) for r in diff.reworded] == [
        ("https://example.org/safety/2", "https://example.org/v3/b", "notation")
    ]
    assert diff.unchanged == 2


def test_same_version_has_no_changes(versions: tuple[object, list[str]]) -> None:
    kg, (_, v2, v3) = versions
    diff = diff_frameworks(kg, v2, v3)  # type: ignore[arg-type]
    assert not diff and diff.unchanged == 4


def test_sources_can_be_named_by_file_name(versions: tuple[object, list[str]]) -> None:
    kg, (v1, v2, _) = versions
    assert diff_frameworks(kg, "framework-v1.json", "framework-v2.json").to_dict() == diff_frameworks(kg, v1, v2).to_dict()  # type: ignore[arg-type]


def test_cli_diff(tmp_path: Path) -> None:
    import subprocess
    import sys

    store = f"oxigraph:{tmp_path / 'store'}"
    data = Path(__file__).resolve().parents[1] / "data" / "ctdl-asn"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "lermap.cli", *args, "--store", store], capture_output=True, text=True, timeout=120)

    assert run("ingest", str(data / "framework-v1.json"), str(data / "framework-v2.json")).returncode == 0
    done = run("diff", "framework-v1.json", "framework-v2.json", "--json")
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    expected = diff_frameworks_result(store)
    assert body == expected
    text = run("diff", "framework-v1.json", "framework-v2.json").stdout.splitlines()[-1]
    assert text == f"{len(body['added'])} added, {len(body['removed'])} removed, {len(body['reworded'])} reworded, {body['unchanged']} unchanged"
    missing = run("diff", "framework-v1.json", "nope.json")
    assert missing.returncode == 5 and "Traceback" not in missing.stderr


def diff_frameworks_result(store: str) -> dict[str, object]:
    import lermap
    from lermap.analysis.versions import diff_frameworks

    with lermap.open_graph(store) as kg:
        return diff_frameworks(kg, "framework-v1.json", "framework-v2.json").to_dict()
