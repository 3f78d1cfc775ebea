"""The CLI contract other issues and external checks rely on (run as a real subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, TEST_DATA

TINY = TEST_DATA / "core" / "tiny.ttl"
COUNT_KEYS = {"organization", "credential", "assertion", "framework", "competency", "occupation", "alignment", "pathway",
              "learning_opportunity", "assessment"}


def lermap(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lermap.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=120)


@pytest.fixture()
def store(tmp_path: Path) -> str:
    return f"oxigraph:{tmp_path / 'store'}"


def test_ingest_json_contract(store: str) -> None:
    done = lermap("ingest", str(TINY), "--format", "rdf", "--store", store, "--json")
    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.strip().splitlines()
    report = json.loads(line)
    assert set(report) == {"source", "format", "graph", "triples", "counts", "warnings"}
    assert set(report["counts"]) == COUNT_KEYS
    assert report["counts"]["competency"] == 2 and report["triples"] == 29
    assert report["graph"].startswith("https://w3id.org/lermap/graph/")


def test_refusal_json_and_exit_status(store: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b <not an iri> .\n")
    done = lermap("ingest", str(bad), "--store", store, "--json")
    assert done.returncode == 2
    error = json.loads(done.stdout.strip().splitlines()[-1])["error"]
    assert error["source"] == str(bad.resolve())
    assert error["location"] == "line 3, column 11"
    assert "IRI" in error["reason"]
    assert "Traceback" not in done.stderr
    assert lermap("sources", "--store", store).stdout == ""


def test_missing_file_is_refused_cleanly(store: str) -> None:
    done = lermap("ingest", "/no/such/file.json", "--store", store, "--json")
    assert done.returncode == 2
    assert json.loads(done.stdout)["error"]["reason"] == "no such file or folder"
    assert "Traceback" not in done.stderr


def test_query_formats_sources_drop_export(store: str, tmp_path: Path) -> None:
    assert lermap("ingest", str(TINY), "--format", "rdf", "--store", store).returncode == 0
    q = "SELECT ?code WHERE { ?c <http://www.w3.org/2004/02/skos/core#notation> ?code } ORDER BY ?code"
    assert json.loads(lermap("query", q, "--store", store, "--format", "json").stdout) == [{"code": "15-2051"}, {"code": "S1"}]
    assert lermap("query", q, "--store", store, "--format", "csv").stdout.splitlines() == ["code", "15-2051", "S1"]
    qfile = tmp_path / "q.rq"
    qfile.write_text(q)
    assert "15-2051" in lermap("query", str(qfile), "--store", store).stdout
    listed = [json.loads(x) for x in lermap("sources", "--store", store, "--json").stdout.splitlines()]
    assert [s["format"] for s in listed] == ["rdf"]
    out = tmp_path / "all.ttl"
    assert lermap("export", "--format", "turtle", "--output", str(out), "--store", store).returncode == 0
    assert "Program in Python" in out.read_text()
    assert lermap("drop", "tiny.ttl", "--store", store).returncode == 0
    assert lermap("sources", "--store", store).stdout == ""
    assert lermap("drop", "tiny.ttl", "--store", store).returncode == 5


def test_bad_query_and_bad_selector_exit_codes(store: str) -> None:
    assert lermap("query", "SELEC", "--store", store).returncode == 4
    done = lermap("query", "ASK {}", "--store", "nosuch:thing")
    assert done.returncode == 6 and "unknown store scheme" in done.stderr
    assert lermap("ingest", str(TINY), "--format", "nope", "--store", store).returncode == 6


def test_store_from_environment(tmp_path: Path) -> None:
    import os

    env = {**os.environ, "LERMAP_STORE": f"oxigraph:{tmp_path / 'envstore'}"}
    done = subprocess.run([sys.executable, "-m", "lermap.cli", "ingest", str(TINY), "--format", "rdf"], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "envstore").is_dir()


def test_formats_lists_rdf() -> None:
    assert "rdf\tRDF\tlermap" in lermap("formats").stdout.splitlines()


def test_contexts_add_and_list(tmp_path: Path) -> None:
    ctx = tmp_path / "ctx.jsonld"
    ctx.write_text(json.dumps({"@context": {"name": "https://schema.org/name"}}))
    assert lermap("contexts", "add", "https://example.org/my-context", str(ctx)).returncode == 0
    assert "https://example.org/my-context" in lermap("contexts", "list").stdout
    not_json = tmp_path / "x.jsonld"
    not_json.write_text("{nope")
    done = lermap("contexts", "add", "https://example.org/other", str(not_json))
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_build_replaces_and_forgets_removed_sources(tmp_path: Path) -> None:
    import shutil

    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(TINY, data / "a.ttl")
    (data / "b.ttl").write_text((TEST_DATA / "core" / "tiny-v2.ttl").read_text())
    store = f"oxigraph:{tmp_path / 'store'}"

    def files() -> list[str]:
        keys = [json.loads(x)["source"] for x in lermap("sources", "--store", store, "--json").stdout.splitlines()]
        return sorted(Path(k).name for k in keys if not k.startswith("urn:lermap:derived/"))

    first = lermap("build", "--data", str(data), "--store", store)
    assert first.returncode == 0 and "2 ingested, 0 unchanged" in first.stdout and "derived products rebuilt" in first.stdout
    assert files() == ["a.ttl", "b.ttl"]
    again = lermap("build", "--data", str(data), "--store", store)
    assert again.returncode == 0 and "0 ingested, 2 unchanged" in again.stdout and "derived products up to date" in again.stdout
    (data / "b.ttl").unlink()
    done = lermap("build", "--data", str(data), "--store", store)
    assert done.returncode == 0 and "0 ingested, 1 unchanged" in done.stdout and "derived products rebuilt" in done.stdout
    assert files() == ["a.ttl"]


def test_build_leaves_examples_out_unless_asked(tmp_path: Path) -> None:
    import shutil

    data = tmp_path / "data"
    (data / "examples").mkdir(parents=True)
    shutil.copy(TINY, data / "a.ttl")
    shutil.copy(TEST_DATA / "core" / "tiny-v2.ttl", data / "examples" / "b.ttl")
    store = f"oxigraph:{tmp_path / 'store'}"
    assert "1 ingested" in lermap("build", "--data", str(data), "--store", store).stdout
    assert "1 ingested, 1 unchanged" in lermap("build", "--data", str(data), "--store", store, "--with-examples").stdout


def test_build_derives_the_map_and_derive_is_idempotent(tmp_path: Path) -> None:
    store = f"oxigraph:{tmp_path / 'store'}"
    built = lermap("build", "--data", str(ROOT / "data" / "ecosystem"), "--store", store)
    assert built.returncode == 0 and "derived products rebuilt: identity-resolution, occupation-crosswalk, ecosystem-map" in built.stdout
    again = lermap("derive", "--store", store, "--json")
    assert again.returncode == 0 and json.loads(again.stdout) | {"seconds": 0, "state": ""} == {
        "name": "ecosystem-map", "state": "", "computed": False, "stored": True, "seconds": 0}


def test_occupations_matches_job_titles(store: str) -> None:
    from lermap.ingest.identifiers import ONET_SOC_SCHEME

    assert lermap("ingest", str(TEST_DATA / "onet" / "mini"), "--store", store).returncode == 0
    done = lermap("occupations", "land survey technician", "tide observer", "--scheme", ONET_SOC_SCHEME.value, "--top", "2", "--json",
                  "--store", store)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["title"] for r in rows] == ["land survey technician", "tide observer"] and all(len(r["matches"]) == 2 for r in rows)
    assert [r["matches"][0]["label"] for r in rows] == ["Survey Technicians", "Tide Observers"]
    missing = lermap("occupations", "nurse", "--scheme", "https://example.org/none", "--store", store)
    assert missing.returncode != 0 and "no occupations" in missing.stderr and "Traceback" not in missing.stderr
    lexical_tuned = lermap("occupations", "nurse", "--scheme", ONET_SOC_SCHEME.value, "--tune", "--store", store)
    assert lexical_tuned.returncode != 0 and "--method semantic or combined" in lexical_tuned.stderr and "Traceback" not in lexical_tuned.stderr


def test_extract_refuses_a_file_it_cannot_read_as_text(store: str, tmp_path: Path) -> None:
    latin = tmp_path / "posting.txt"
    latin.write_bytes("Soudeur qualifié, SQL".encode("latin-1"))
    big = tmp_path / "huge.txt"
    big.write_text("welding " * 200_000)
    for path, reason in ((latin, "invalid UTF-8"), (big, "over the limit")):
        done = lermap("extract", str(path), "--store", store)
        assert done.returncode != 0 and path.name in done.stderr and reason in done.stderr and "Traceback" not in done.stderr
    good = tmp_path / "ok.txt"
    good.write_text("SQL and welding")
    assert lermap("extract", str(good), "--store", store).returncode == 0
