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


def test_onet_release_is_downloaded_kept_whole_and_ingestable(tmp_path: Path, memory_graph: object) -> None:
    body = onet_release_zip()
    with serve({"/dl/db_29_2_text.zip": (200, body)}) as server:
        result = fetch("onet", url=server.base + "/dl/db_29_2_text.zip", version="29.2", cache_dir=tmp_path)
        again = fetch("onet", url=server.base + "/dl/db_29_2_text.zip", version="29.2", cache_dir=tmp_path)
    assert server.hits == ["/dl/db_29_2_text.zip"]  # the second call is served from the cache
    assert not result.cached and again.cached
    assert result.version == "29.2" and result.sha256 == hashlib.sha256(body).hexdigest()
    (archive,) = result.paths  # kept as downloaded: the ingester reads it by streaming
    assert archive.name == "db_29_2_text.zip" and archive.read_bytes() == body
    assert sorted(p.name for p in archive.parent.iterdir()) == ["db_29_2_text.zip", "db_29_2_text.zip.fetch.json"]
    sidecar = json.loads((archive.parent / "db_29_2_text.zip.fetch.json").read_text())
    assert sidecar["sha256"] == result.sha256 and sidecar["extra"]["version"] == "O*NET 29.2"
    (report,) = memory_graph.ingest(archive)  # type: ignore[attr-defined]
    assert report.format == "onet" and report.counts["occupation"] > 0 and report.format_version == "99.1"


def test_a_changed_cache_file_is_downloaded_again(tmp_path: Path) -> None:
    body = onet_release_zip()
    with serve({"/db.zip": (200, body)}) as server:
        first = fetch("onet", url=server.base + "/db.zip", version="29.2", cache_dir=tmp_path)
        first.downloads[0].path.write_bytes(b"tampered")
        second = fetch("onet", url=server.base + "/db.zip", version="29.2", cache_dir=tmp_path)
    assert len(server.hits) == 2 and not second.cached
    assert second.downloads[0].path.read_bytes() == body


def test_a_fetched_zip_bomb_is_refused_when_ingested_and_nothing_is_unpacked(tmp_path: Path, memory_graph: object) -> None:
    bomb = zipped({"db/Occupation Data.txt": b"\0" * (4 << 20)})  # 4 MiB of zeros deflate to a few KiB: ratio ≈ 1000
    with serve({"/bomb.zip": (200, bomb)}) as server:
        result = fetch("onet", url=server.base + "/bomb.zip", version="29.2", cache_dir=tmp_path)
    with pytest.raises(LimitExceededError, match="zip bomb"):
        memory_graph.ingest(*result.paths)  # type: ignore[attr-defined]
    assert memory_graph.sources() == []  # type: ignore[attr-defined]
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["bomb.zip", "bomb.zip.fetch.json"]


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


def test_esco_bulk_zip_and_api(tmp_path: Path, memory_graph: object) -> None:
    uri = "http://data.europa.eu/esco/skill/25f0ea33-b4a2-4f31-b7b4-7d20e827b180"
    concept = (TESTS / "data/esco-api/skill-data-mining.en.json").read_bytes()
    api_path = "/api/resource/concept?uri=http%3A%2F%2Fdata.europa.eu%2Fesco%2Fskill%2F25f0ea33-b4a2-4f31-b7b4-7d20e827b180&language=en"
    bulk = zipped({"skills_en.csv": b"conceptUri,preferredLabel,skillType\n" + uri.encode() + b",data mining,knowledge\n"})
    with serve({"/ESCO%20dataset%20-%20v1.2.0.zip": (200, bulk), api_path: (200, concept)}) as server:
        zipped_result = fetch("esco", url=server.base + "/ESCO%20dataset%20-%20v1.2.0.zip", version="1.2.0", cache_dir=tmp_path)
        api_result = fetch("esco", url=server.base + "/api", ids=[uri], cache_dir=tmp_path)
    assert [p.suffix for p in zipped_result.paths] == [".zip"]
    (bulk_report,) = memory_graph.ingest(*zipped_result.paths)  # type: ignore[attr-defined]
    (api_report,) = memory_graph.ingest(*api_result.paths)  # type: ignore[attr-defined]
    assert (bulk_report.format, bulk_report.format_version, bulk_report.counts["competency"]) == ("esco", "1.2", 1)
    assert (api_report.format, api_report.counts["competency"]) == ("esco-api", 1)
    labels = memory_graph.sparql(  # type: ignore[attr-defined]
        "SELECT ?l WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }", {"s": uri})["l"].tolist()
    assert sorted(labels) == ["Data-Mining", "data mining", "data mining"]  # the same concept from both, one graph each


def test_a_whole_esco_pillar_page_by_page(tmp_path: Path, memory_graph: object) -> None:
    page = json.loads((TESTS / "data/esco-api/search-skills-page.en.json").read_text())
    first = dict(page, total=3, _embedded={"results": page["_embedded"]["results"][:2]})
    second = dict(page, total=3, offset=2, _embedded={"results": [json.loads((TESTS / "data/esco-api/skill-data-mining.en.json").read_text())]})
    routes = {"/api/search?type=skill&language=en&full=true&limit=100&offset=0": (200, json.dumps(first).encode()),
              "/api/search?type=skill&language=en&full=true&limit=100&offset=2": (200, json.dumps(second).encode())}
    with serve(routes) as server:
        result = fetch("esco", url=server.base + "/api", what="skills", cache_dir=tmp_path)
    assert len(server.hits) == 2 and len(result.downloads) == 2
    (report,) = memory_graph.ingest(*result.paths)  # type: ignore[attr-defined]
    assert report.format == "esco-api" and report.counts["competency"] == 3 and report.counts["occupation"] == 1  # named by a link
    routes["/api/search?type=skill&language=en&full=true&limit=1&offset=0"] = routes["/api/search?type=skill&language=en&full=true&limit=100&offset=0"]
    with serve(routes) as server:
        capped = fetch("esco", url=server.base + "/api", what="skills", limit=1, cache_dir=tmp_path / "other")
    assert server.hits == ["/api/search?type=skill&language=en&full=true&limit=1&offset=0"] and len(capped.downloads) == 1


def test_credential_registry_keyword_search(tmp_path: Path, memory_graph: object) -> None:
    resource = json.loads((TESTS / "data/ctdl/credential-small.json").read_text())
    envelopes = [{"envelope_community": "ce_registry", "envelope_ceterms_ctid": "ce-00000000-0000-0000-0000-000000000001",
                  "decoded_resource": resource},
                 {"envelope_community": "ce_registry", "decoded_resource": "not a resource"}]
    with serve({"/ce-registry/search?fts=welding+certificate&page=1&per_page=50": (200, json.dumps(envelopes).encode())}) as server:
        result = fetch("credential-registry", url=server.base, query="welding certificate", cache_dir=tmp_path)
    assert [p.name for p in result.paths] == ["ce-00000000-0000-0000-0000-000000000001.json"]
    assert json.loads(result.paths[0].read_text()) == resource and len(result.warnings) == 1
    (report,) = memory_graph.ingest(*result.paths)  # type: ignore[attr-defined]
    assert report.format == "ctdl" and report.counts["credential"] == 1


def oews_zip() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["AREA", "AREA_TITLE", "AREA_TYPE", "NAICS", "I_GROUP", "OCC_CODE", "OCC_TITLE", "O_GROUP", "TOT_EMP", "A_MEDIAN"])
    sheet.append([99, "U.S.", 1, "000000", "cross-industry", "15-2051", "Data Scientists", "detailed", 262440, 120230])
    sheet.append([6, "California", 2, "000000", "cross-industry", "15-2051", "Data Scientists", "detailed", 40000, 150000])
    buf = io.BytesIO()
    book.save(buf)
    return zipped({"oesm25all/all_data_M_2025.xlsx": buf.getvalue(), "oesm25all/file_descriptions.xlsx": b"not read"})


def test_oews_from_bls_zips_with_the_areas_asked_for(tmp_path: Path, memory_graph: object) -> None:
    with serve({"/oes/special-requests/oesm25all.zip": (200, oews_zip())}) as server:
        result = fetch("oews", url=server.base + "/oes/special-requests/oesm25all.zip", what="all", cache_dir=tmp_path)
    assert result.options == {"oews_areas": "all", "year": "2025"} and result.paths[0].name == "oesm25all.zip"
    (report,) = memory_graph.ingest(*result.paths, extra=result.options)  # type: ignore[attr-defined]
    assert report.format == "oews" and report.format_version == "2025"
    areas = memory_graph.sparql("PREFIX lermap: <https://w3id.org/lermap/vocab#> SELECT ?t WHERE { ?a lermap:areaType ?t }")  # type: ignore[attr-defined]
    assert sorted(areas["t"]) == ["national", "state"]


def test_without_the_network_the_error_names_the_url_and_says_why(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/db_29_2_text.zip"
    with pytest.raises(SourceError) as err:
        fetch("onet", url=url, cache_dir=tmp_path, timeout=5)
    assert err.value.source == url and "cannot reach the server" in err.value.reason and "--url" in err.value.reason


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("wikipedia", {}),
        ("esco", {}),
        ("credential-registry", {"ids": ["not-a-ctid"]}),
        ("credential-registry", {}),
        ("case", {"ids": ["x"]}),
        ("onet", {"version": "latest"}),
        ("esco", {"what": "everything"}),
        ("oews", {"version": "May"}),
        ("oews", {"what": "county"}),
        ("credential-registry", {"query": "x", "limit": 0}),
    ],
    ids=["unknown-source", "esco-without-url", "bad-ctid", "registry-without-ids", "case-without-url", "bad-onet-version",
         "esco-unknown-part", "oews-bad-year", "oews-unknown-part", "zero-limit"],
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
