"""kill -9 at random points of an ingest, over three formats: the store always opens with exactly its previous
content, and the re-run succeeds.

Each trial copies a closed store that already holds a small source and an earlier version of the big one,
starts ``lermap ingest`` of a changed big source in a subprocess, waits until the subprocess has the store open
(/proc/<pid>/fd; the input is read after that), sleeps a random fraction of the time a full ingest took (measured once per format in the same
run) and sends SIGKILL. ``make test`` runs one trial per format on smaller inputs; ``make soak`` runs 8 per format
(24) on larger ones.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import lermap
from lermap.graph.source_names import public_source_name
from tests.conftest import ROOT, TEST_DATA
from tests.reliability.cases import SOAK

TRIALS_PER_FORMAT = 8 if SOAK else 1


def _esco(folder: Path, n: int, variant: str) -> Path:
    root = folder / "esco-big"
    root.mkdir()
    head = "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,hiddenLabels,status,modifiedDate," \
           "scopeNote,definition,inScheme,description\n"
    with (root / "skills_en.csv").open("w") as fh:
        fh.write(head)
        for i in range(n):
            fh.write(f"KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/big-{i},knowledge,cross-sector,"
                     f"skill {i} {variant},alt {i},,released,,,,http://data.europa.eu/esco/concept-scheme/skills,Does {i}.\n")
    with (root / "occupationSkillRelations_en.csv").open("w") as fh:
        fh.write("occupationUri,relationType,skillType,skillUri\n")
        for i in range(n):
            fh.write(f"http://data.europa.eu/esco/occupation/big-{i % 500},essential,knowledge,http://data.europa.eu/esco/skill/big-{i}\n")
    return root


def _ctdl_asn(folder: Path, n: int, variant: str) -> Path:
    graph: list[dict[str, object]] = [{
        "@id": "https://example.org/fw", "@type": "ceasn:CompetencyFramework", "ceasn:name": {"en-US": f"Big {variant}"},
        "ceasn:hasTopChild": [f"https://example.org/fw/c{i}" for i in range(n)],
    }]
    graph += [{"@id": f"https://example.org/fw/c{i}", "@type": "ceasn:Competency",
               "ceasn:competencyText": {"en-US": f"Competency {i} {variant}"}, "ceasn:codedNotation": f"C{i}",
               "ceasn:isPartOf": ["https://example.org/fw"], "ceasn:isTopChildOf": "https://example.org/fw"} for i in range(n)]
    path = folder / "framework-big.json"
    path.write_text(json.dumps({"@context": "https://credreg.net/ctdlasn/schema/context/json", "@graph": graph}))
    return path


def _turtle(folder: Path, n: int, variant: str) -> Path:
    path = folder / "big.ttl"
    with path.open("w") as fh:
        fh.write("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n@prefix ex: <http://example.org/> .\n")
        for i in range(n):
            fh.write(f'ex:s{i} a skos:Concept ; skos:prefLabel "label {i} {variant}"@en ; skos:broader ex:s{i // 10} .\n')
    return path


@dataclass
class BigFormat:
    make: Callable[[Path, int, str], Path]
    size: int
    fmt: str


FORMATS = {
    "esco-folder": BigFormat(_esco, 10_000 if SOAK else 3_000, "esco"),
    "ctdl-asn-jsonld": BigFormat(_ctdl_asn, 4_000 if SOAK else 1_500, "ctdl-asn"),
    "turtle": BigFormat(_turtle, 40_000 if SOAK else 15_000, "rdf"),
}


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "lermap.cli", *args]


def _wait_until_opened(proc: subprocess.Popen[bytes], inside: Path, timeout: float = 120.0) -> bool:
    """True once the process has a file under ``inside`` open; False if it exited first."""
    deadline = time.monotonic() + timeout
    fd_dir = Path(f"/proc/{proc.pid}/fd")
    prefix = str(inside)
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if any(os.readlink(fd).startswith(prefix) for fd in fd_dir.iterdir()):
                return True
        except OSError:
            pass
        time.sleep(0.002)
    return False


@dataclass
class Prepared:
    store: Path  # closed store holding tiny.ttl and version 1 of the big source
    changed: Path  # version 2 of the big source, at the same key as version 1
    digest: str
    sources: list[tuple[str, str]]
    full_seconds: float  # store opened → exit of one complete ingest, measured here: kill points are fractions of it
    fmt: str


@pytest.fixture(scope="module", params=list(FORMATS))
def prepared(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    spec = FORMATS[request.param]
    base = tmp_path_factory.mktemp(request.param)
    (base / "v1").mkdir()
    (base / "v2").mkdir()
    first = spec.make(base / "v1", spec.size, "one")
    changed = spec.make(base / "v2", spec.size, "two")
    store = base / "store"
    with lermap.open_graph(f"oxigraph:{store}") as kg:
        kg.ingest(TEST_DATA / "core" / "tiny.ttl", format="rdf")
        kg.ingest(first, format=spec.fmt)
        # v2 replaces v1 only if it has the same key: move v2 into v1's place for the trials
        digest = kg.digest()
        sources = sorted((s.graph, s.sha256) for s in kg.sources())
    if first.is_dir():
        shutil.rmtree(first)
    else:
        first.unlink()
    shutil.move(str(changed), str(first))
    timing = base / "timing-store"
    shutil.copytree(store, timing)
    proc = subprocess.Popen(_cli("ingest", str(first), "--format", spec.fmt, "--store", f"oxigraph:{timing}"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    assert _wait_until_opened(proc, timing)
    started = time.monotonic()
    assert proc.wait() == 0
    full = time.monotonic() - started
    shutil.rmtree(timing)
    return Prepared(store, first, digest, sources, full, spec.fmt)


@pytest.mark.slow
@pytest.mark.parametrize("trial", range(TRIALS_PER_FORMAT))
def test_kill_at_a_random_point(prepared: Prepared, tmp_path: Path, trial: int) -> None:
    store = tmp_path / "store"
    shutil.copytree(prepared.store, store)
    fmt = prepared.fmt
    rng = random.Random(f"{prepared.changed.name}-{trial}")
    proc = subprocess.Popen(_cli("ingest", str(prepared.changed), "--format", fmt, "--store", f"oxigraph:{store}"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    assert _wait_until_opened(proc, store), "the ingest never opened the store"
    time.sleep(rng.uniform(0.0, 0.9) * prepared.full_seconds)
    killed = proc.poll() is None
    if killed:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    print(f"{prepared.changed.name} trial {trial}: {'killed' if killed else 'finished first'}")
    with lermap.open_graph(f"oxigraph:{store}") as kg:
        if killed and kg.digest() != prepared.digest:
            # the kill landed after the commit (the process was exiting): the new version must be there whole
            new = [s for s in kg.sources() if s.source == public_source_name(str(prepared.changed.resolve()))]
            assert len(new) == 1 and new[0].sha256 not in {sha for _, sha in prepared.sources}, "a killed ingest changed the store"
            assert new[0].triples == kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": new[0].graph})["n"][0]
        elif killed:
            assert sorted((s.graph, s.sha256) for s in kg.sources()) == prepared.sources
        else:  # finished before the kill point: the new version is committed whole
            assert proc.returncode == 0
        report = kg.ingest(prepared.changed, format=fmt)[0]  # the re-run succeeds
        assert report.triples > 0
        assert len(kg.sources()) == 2
