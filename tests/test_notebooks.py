"""The analysts' notebooks run top to bottom and show what they promise.

Each notebook (jupytext percent format, ``notebooks/NN-name.py``) is executed with nbclient in a kernel of this
interpreter, with a per-cell timeout, on a copy of the default graph built from ``data/`` once for the session
(``tests/realgraph.py``; each notebook brings it up to date, which finds nothing to do), and the conformance
documents when they are beside the repository. A first injected cell blocks non-loopback network inside the kernel, as the
test suite does in-process. About 10-15 s per notebook: marked ``slow`` (still part of ``make test``).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CONFORMANCE, ROOT

try:
    import jupytext
    import nbclient
    import nbformat
except ImportError as exc:  # the test extra installs them; only a bare install lacks them
    if os.environ.get("CI"):
        raise
    pytest.skip(f"notebook tooling not installed ({exc.name}): pip install -e '.[test]'", allow_module_level=True)

NOTEBOOKS = ROOT / "notebooks"
CELL_TIMEOUT = 900  # a hang guard, not a speed target: a shared 2-core machine under load runs the crosswalk cell for minutes
KERNEL = "lermap-test"
PLOTLY = "application/vnd.plotly.v1+json"

_GUARD = """\
import socket as _socket
_connect = _socket.socket.connect
def _loopback_only(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if self.family == _socket.AF_UNIX or str(host) in {"127.0.0.1", "::1", "localhost"} or str(host).startswith("127."):
        return _connect(self, address)
    raise RuntimeError(f"notebook tried to reach {address!r}: notebooks run offline")
_socket.socket.connect = _loopback_only
"""


@dataclass(frozen=True)
class Expect:
    figures: int  # at least this many Plotly figures
    tables: int  # at least this many non-empty HTML tables
    html_chart: str  # the chart each notebook writes to LERMAP_NOTEBOOK_OUT as standalone HTML
    texts: tuple[str, ...]  # strings some output must contain
    with_conformance: str  # what an output says when ../shared/conformance is present ...
    without_conformance: str  # ... and when it is absent


EXPECT = {
    "01-ecosystem": Expect(5, 5, "01-ecosystem-map.html", ("Verifiable Credentials Data Model", "Roles served by the fewest tools",
                                                          "O*NET database"), "", ""),
    "02-crosswalk": Expect(2, 5, "02-crosswalk-bands.html", ("same pairs: True", "matcher vs the crosswalk chain", "curie_map",
                                                            "semapv:MappingChaining", "narrowMatch"),
                           "distinct label pairs suggested", "crosswalk is skipped"),
    "03-pathways": Expect(3, 3, "03-pathway-sankey.html", ("Statisticians", "Business Intelligence Analysts", "median annual wage (USD)",
                                                          "No credential in the graph gives any of the"), "", ""),
    "04-recipes": Expect(3, 8, "04-skill-demand.html", ("ecosystem.graphml", "skill-demand.parquet", "onet-db-29.2.zip",
                                                       "exact-matches.sssom.tsv"), "", ""),
}


def test_every_notebook_is_tested() -> None:
    assert sorted(p.stem for p in NOTEBOOKS.glob("[0-9][0-9]-*.py")) == sorted(EXPECT)


@pytest.fixture()
def kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, real_store: str) -> str:
    """A kernel spec for this interpreter, so the notebooks import the lermap under test (not a system Jupyter's)."""
    spec = tmp_path / "jupyter" / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "lermap test", "language": "python"}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("LERMAP_NOTEBOOK_STORE", real_store)  # a copy of the default graph, built once for the session
    return KERNEL


def _execute(name: str, kernel: str, out: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    nb = jupytext.read(NOTEBOOKS / f"{name}.py")
    nb.cells.insert(0, nbformat.v4.new_code_cell(_GUARD))
    monkeypatch.setenv("LERMAP_NOTEBOOK_OUT", str(out))
    client = nbclient.NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name=kernel, resources={"metadata": {"path": str(NOTEBOOKS)}})
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as exc:
        pytest.fail(f"{name}: a cell failed:\n{str(exc)[-3000:]}")
    return nb


def _outputs(nb: Any) -> list[dict[str, Any]]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECT))
def test_notebook_runs_and_shows_results(name: str, kernel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expect = EXPECT[name]
    out = tmp_path / "out"
    nb = _execute(name, kernel, out, monkeypatch)
    outputs = _outputs(nb)

    assert not [o for o in outputs if o.get("output_type") == "error"]
    figures = [o["data"][PLOTLY] for o in outputs if PLOTLY in o.get("data", {})]
    assert len(figures) >= expect.figures
    assert all(fig.get("data") for fig in figures), "every figure has at least one trace"
    tables = [o["data"]["text/html"] for o in outputs if "<table" in str(o.get("data", {}).get("text/html", ""))]
    assert len([t for t in tables if "<td" in t]) >= expect.tables

    text = "\n".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) + str(o.get("data", {}).get("text/html", ""))
                     for o in outputs)
    for needle in expect.texts:
        assert needle in text
    conformance_note = expect.with_conformance if CONFORMANCE.is_dir() else expect.without_conformance
    assert conformance_note in text
    chart = out / expect.html_chart
    assert chart.is_file() and "plotly" in chart.read_text(encoding="utf-8")[:200_000].lower()
