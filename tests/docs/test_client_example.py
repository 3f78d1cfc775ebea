"""The docs' typed client example (docs/examples/client.py) against a live `lermap serve` on loopback."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import lermap
from tests.conftest import TEST_DATA
from tests.servers import free_port, wait_until_up

CLIENT = Path(__file__).resolve().parents[2] / "docs" / "examples" / "client.py"
EX = "http://example.org/"

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def client_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lermap_docs_client", CLIENT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = f"oxigraph:{tmp_path_factory.mktemp('client') / 'store'}"
    with lermap.open_graph(store) as kg:
        kg.ingest(TEST_DATA / "analysis" / "pathway.ttl", format="rdf")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "lermap.cli", "serve", "--store", store, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/v1/health", proc, 60)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture()
def api(client_module: ModuleType, base_url: str) -> Iterator[object]:
    with client_module.LermapClient(base_url) as client:
        yield client


def test_a_skills_alignments(api: object, client_module: ModuleType) -> None:
    found = api.alignments(EX + "fwA/py")  # type: ignore[attr-defined]
    assert all(isinstance(a, client_module.Alignment) for a in found)
    assert sorted((a.target, a.confidence) for a in found) == [(EX + "fwB/python", 0.9), (EX + "fwB/welding", 0.0)]
    kept = api.alignments(EX + "fwA/py", min_confidence=0.5)  # type: ignore[attr-defined]
    assert kept == [client_module.Alignment(
        competency=EX + "fwA/py", predicate="skos:exactMatch", target=EX + "fwB/python", target_label="programming in Python",
        target_framework=EX + "fwB", confidence=0.9, justification="semapv:ManualMappingCuration")]


def test_skills_in_a_text(api: object) -> None:
    text = "SQL, welding and Python programming"
    found = api.skills_in(text)  # type: ignore[attr-defined]
    assert [(m.competency, m.start, m.end) for m in found] == [(EX + "fwA/sql", 0, 3), (EX + "fwB/welding", 5, 12), (EX + "fwA/py", 17, 35)]
    assert all(text[m.start : m.end] == m.text and 0 < m.confidence <= 1 for m in found)


def test_a_learners_gap(api: object) -> None:
    gap = api.gap([EX + "badgePy"], EX + "analyst")  # type: ignore[attr-defined]
    assert gap.occupation_label == "Data analyst" and gap.coverage == pytest.approx(0.9 / 3.5, abs=1e-4)
    assert {r.label: r.essential for r in gap.missing} == {"Statistics": True, "use databases": True, "create data visualisations": False}
    assert [(s.credential, s.cost) for s in gap.plan] == [(EX + "bootcamp", 900.0)]
    assert set(gap.plan[0].covers) == {r.competency for r in gap.missing} and gap.not_closable == ()
    assert gap.wage_delta is None  # no current occupation given


def test_errors_carry_the_apis_status_and_type(api: object, client_module: ModuleType) -> None:
    with pytest.raises(client_module.LermapError) as info:
        api.gap([EX + "badgePy"], EX + "nothing")  # type: ignore[attr-defined]
    assert info.value.status == 404 and info.value.type == "NotFoundError" and EX + "nothing" in info.value.message
    with pytest.raises(client_module.LermapError) as bad:
        api.skills_in("x" * 100_001)  # type: ignore[attr-defined]
    assert bad.value.status == 422


def test_an_iri_with_a_fragment_reaches_the_server_whole(api: object) -> None:
    # '#' would end the path if it were not encoded: the server would look up "http://example.org/fwA" instead
    assert api.alignments(EX + "fwA/py#not-there") == []  # type: ignore[attr-defined]


def test_the_example_runs_as_a_script(base_url: str) -> None:
    out = subprocess.run([sys.executable, str(CLIENT), base_url, "--competency", EX + "fwA/py", "--text", "SQL and statistics",
                          "--held", EX + "badgePy", "--target", EX + "analyst"], capture_output=True, text=True, timeout=60, check=True)
    lines = out.stdout.splitlines()
    assert lines[0] == "alignment\tskos:exactMatch\tprogramming in Python\t0.9"
    assert "skill\t'SQL' at 0-3\tSQL\t0.95" in lines and "coverage\tData analyst\t26%" in lines
    assert lines[-1] == "plan\tData bootcamp\t900\tcovers 3"
