"""lermap.ingest.fetch and lermap.ingest.download against a loopback HTTP server serving our own small fixtures.

Nothing here reaches the internet: every base URL is pointed at 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from lermap.config import Limits
from lermap.errors import ConfigError, LimitExceededError, SourceError
from lermap.ingest.download import safe_extract
from lermap.ingest.fetch import fetch
from tests.ingest.corecheck import serve

TESTS = Path(__file__).resolve().parents[1]
ONET_MINI = TESTS / "data" / "onet" / "mini"
CTID = "ce-0a1b2c3d-0000-4000-8000-000000000001"


def zipped(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def onet_release_zip() -> bytes:
    return zipped({f"db_29_2_text/{p.name}": p.read_bytes() for p in sorted(ONET_MINI.iterdir())})


def test_onet_release_is_downloaded_unpacked_and_ingestable(tmp_path: Path, memory_graph: object) -> None:
    body = onet_release_zip()
    with serve({"/dl/db_29_2_text.zip": (200, body)}) as server:
        result = fetch("onet", url=server.base + "/dl/db_29_2_text.zip", version="29.2", cache_dir=tmp_path)
        again = fetch("onet", url=server.base + "/dl/db_29_2_text.zip", version="29.2", cache_dir=tmp_path)
    assert server.hits == ["/dl/db_29_2_text.zip"]  # the second call is served from the cache
    assert not result.cached and again.cached
    assert result.version == "29.2" and result.sha256 == hashlib.sha256(body).hexdigest()
    (folder,) = result.paths
    assert folder.name == "db_29_2_text" and sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in ONET_MINI.iterdir())
    sidecar = json.loads((result.downloads[0].path.parent / "db_29_2_text.zip.fetch.json").read_text())
    assert sidecar["sha256"] == result.sha256 and sidecar["extra"]["version"] == "O*NET 29.2"
    (report,) = memory_graph.ingest(folder)  # type: ignore[attr-defined]
    assert report.format == "onet" and report.counts["occupation"] > 0


def test_a_changed_cache_file_is_downloaded_again(tmp_path: Path) -> None:
    body = onet_release_zip()
    with serve({"/db.zip": (200, body)}) as server:
        first = fetch("onet", url=server.base + "/db.zip", version="29.2", cache_dir=tmp_path)
        first.downloads[0].path.write_bytes(b"tampered")
        second = fetch("onet", url=server.base + "/db.zip", version="29.2", cache_dir=tmp_path)
    assert len(server.hits) == 2 and not second.cached
    assert second.downloads[0].path.read_bytes() == body


def test_a_zip_bomb_is_refused_and_nothing_is_left_unpacked(tmp_path: Path) -> None:
    bomb = zipped({"db/zeros.txt": b"\0" * (4 << 20)})  # 4 MiB of zeros deflate to a few KiB: ratio ≈ 1000
    with serve({"/bomb.zip": (200, bomb)}) as server, pytest.raises(LimitExceededError, match="zip bomb"):
        fetch("onet", url=server.base + "/bomb.zip", version="29.2", cache_dir=tmp_path)
    assert not (tmp_path / "onet/29.2/unpacked").exists() and not (tmp_path / "onet/29.2/unpacked.part").exists()


@pytest.mark.parametrize("entry", ["../evil.txt", "/abs/evil.txt", "db/../../evil.txt", "C:/evil.txt"],
                         ids=["parent", "absolute", "nested-parent", "drive"])
def test_path_traversal_in_an_archive_is_refused(tmp_path: Path, entry: str) -> None:
    archive = tmp_path / "a.zip"
    archive.write_bytes(zipped({"ok.txt": b"fine", entry: b"evil"}))
    with pytest.raises(SourceError, match="leaves the extraction folder"):
        safe_extract(archive, tmp_path / "out", Limits())
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path / "out").exists()


def test_an_archive_over_the_total_size_limit_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    archive.write_bytes(zipped({"a.txt": bytes(range(256)) * 40}))
    with pytest.raises(LimitExceededError):
        safe_extract(archive, tmp_path / "out", Limits(max_file_bytes=5000))


def test_a_download_over_the_limit_is_stopped(tmp_path: Path) -> None:
    with serve({"/big.zip": (200, b"x" * 10_000)}) as server, pytest.raises(LimitExceededError, match="over the limit"):
        fetch("onet", url=server.base + "/big.zip", version="29.2", cache_dir=tmp_path, limits=Limits(max_file_bytes=1000))
    assert not any(p.suffix in {".zip", ".part"} for p in tmp_path.rglob("*"))


def test_http_errors_are_refused_with_the_status(tmp_path: Path) -> None:
    with serve({}) as server, pytest.raises(SourceError) as err:
        fetch("onet", url=server.base + "/missing.zip", version="29.2", cache_dir=tmp_path)
    assert err.value.location == "HTTP 404"


def test_ler_map_site_files_land_under_the_names_the_ingester_reads(tmp_path: Path, memory_graph: object) -> None:
    stakeholders = (TESTS / "data/ler-map/stakeholders-list.yml").read_bytes()
    with serve({"/site/_data/stakeholders-list.yml": (200, stakeholders)}) as server:
        result = fetch("ler-map", url=server.base + "/site/", cache_dir=tmp_path, version="v2")
    (folder,) = result.paths
    assert (folder / "data-stakeholders-list.yml").read_bytes() == stakeholders
    assert len(result.warnings) == 14  # the 4 other data files and 10 stakeholder pages are absent here
    (report,) = memory_graph.ingest(folder)  # type: ignore[attr-defined]
    assert report.format == "ler-map"


def test_credential_registry_graphs_by_ctid(tmp_path: Path) -> None:
    graph = json.dumps({"@context": "https://credreg.net/ctdl/schema/context/json", "@id": f"https://x/{CTID}"}).encode()
    with serve({f"/graph/{CTID}": (200, graph), f"/resources/{CTID}": (200, b"{}")}) as server:
        g = fetch("credential-registry", url=server.base, ids=[CTID], cache_dir=tmp_path)
        r = fetch("credential-registry", url=server.base, ids=[CTID], cache_dir=tmp_path, what="resources")
    assert [p.name for p in g.paths] == [f"{CTID}.graph.json"] and g.paths[0].read_bytes() == graph
    assert [p.name for p in r.paths] == [f"{CTID}.json"]
    assert g.downloads[0].sha256 == hashlib.sha256(graph).hexdigest()


def test_case_packages_by_id(tmp_path: Path, memory_graph: object) -> None:
    body = (TESTS / "data/case/tiny-case.json").read_bytes()
    pid = "11111111-aaaa-4aaa-8aaa-000000000000"
    with serve({f"/ims/case/v1p0/CFPackages/{pid}": (200, body)}) as server:
        result = fetch("case", url=server.base, ids=[pid], cache_dir=tmp_path)
    (report,) = memory_graph.ingest(*result.paths)  # type: ignore[attr-defined]
    assert report.format == "case" and report.counts["competency"] == 2
    assert result.downloads[0].sha256 == hashlib.sha256(body).hexdigest()


def test_esco_bulk_zip_and_api(tmp_path: Path) -> None:
    uri = "http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab"
    concept = json.dumps({"uri": uri, "preferredLabel": {"en": "manage musical staff"}}).encode()
    api_path = "/api/resource/concept?uri=http%3A%2F%2Fdata.europa.eu%2Fesco%2Fskill%2F0005c151-5b5a-4a66-8aac-60e734beb1ab&language=en"
    bulk = zipped({"skills_en.csv": b"conceptUri,preferredLabel\n" + uri.encode() + b",manage musical staff\n"})
    with serve({"/ESCO%20dataset.zip": (200, bulk), api_path: (200, concept)}) as server:
        zipped_result = fetch("esco", url=server.base + "/ESCO%20dataset.zip", version="1.2.0", cache_dir=tmp_path)
        api_result = fetch("esco", url=server.base + "/api", ids=[uri], cache_dir=tmp_path)
    assert [p.name for p in zipped_result.paths[0].iterdir() if not p.name.startswith(".")] == ["skills_en.csv"]
    assert json.loads(api_result.paths[0].read_text())["uri"] == uri


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("wikipedia", {}),
        ("esco", {}),
        ("credential-registry", {"ids": ["not-a-ctid"]}),
        ("credential-registry", {}),
        ("case", {"ids": ["x"]}),
        ("onet", {"version": "latest"}),
    ],
    ids=["unknown-source", "esco-without-url", "bad-ctid", "registry-without-ids", "case-without-url", "bad-onet-version"],
)
def test_bad_requests_are_refused_before_any_download(tmp_path: Path, name: str, kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        fetch(name, cache_dir=tmp_path, **kwargs)  # type: ignore[arg-type]
    assert not any(tmp_path.iterdir())


def test_cli_fetch_downloads_then_ingests(tmp_path: Path) -> None:
    import subprocess
    import sys

    body = (TESTS / "data/case/tiny-case.json").read_bytes()
    pid = "11111111-aaaa-4aaa-8aaa-000000000000"
    store = f"oxigraph:{tmp_path / 'store'}"
    with serve({f"/ims/case/v1p0/CFPackages/{pid}": (200, body)}) as server:
        done = subprocess.run([sys.executable, "-m", "lermap.cli", "fetch", "case", "--url", server.base, "--id", pid,
                               "--cache-dir", str(tmp_path / "cache"), "--store", store, "--json"],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert server.hits == [f"/ims/case/v1p0/CFPackages/{pid}"]
    (report,) = [json.loads(line) for line in done.stdout.splitlines()]
    assert report["format"] == "case" and report["counts"]["competency"] == 2
    refused = subprocess.run([sys.executable, "-m", "lermap.cli", "fetch", "nothing", "--store", store], capture_output=True, text=True,
                             timeout=120)
    assert refused.returncode == 6 and "unknown dataset" in refused.stderr
