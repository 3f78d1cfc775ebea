"""Archives read by streaming (lermap.ingest.sources): a zip reads like its folder, an .xz like its file, and a
hostile archive is refused naming the archive, the member and the reason, with the store left as it was."""

from __future__ import annotations

import hashlib
import io
import lzma
import stat
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from rdflib.compare import isomorphic

import lermap
from lermap.config import Limits
from lermap.errors import LimitExceededError, SourceError
from lermap.graph.terms import to_rdflib_graph
from lermap.ingest import registry
from lermap.ingest.base import IngestContext, Source
from tests.conftest import TEST_DATA

ONET_MINI = TEST_DATA / "onet" / "mini"
REGISTRY_JSON = TEST_DATA / "dcc-registry" / "registry.json"


def _zip(path: Path, files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def _graph(source: Source) -> Any:
    ingester = registry.detect(source)
    return to_rdflib_graph(list(ingester.run(source, IngestContext(source)))), ingester.name


def _skills_xlsx() -> bytes:
    """The mini release's Skills table as O*NET's Excel release writes it (with the Title and Scale Name columns)."""
    rows = [line.split("\t") for line in (ONET_MINI / "Skills.txt").read_text("utf-8").splitlines()]
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("top", ["db_99_1/", ""], ids=["one-top-folder", "flat"])
def test_a_zipped_release_reads_like_its_folder(tmp_path: Path, top: str) -> None:
    files = {top + p.name: p.read_bytes() for p in sorted(ONET_MINI.iterdir())}
    archive = _zip(tmp_path / "onet.zip", files)
    zipped, name = _graph(Source.from_path(archive))
    folder, _ = _graph(Source.from_path(ONET_MINI))
    assert name == "onet" and isomorphic(zipped, folder)


def test_a_zip_mixing_text_and_excel_members_is_read_whole(tmp_path: Path) -> None:
    files = {f"db_99_1/{p.name}": p.read_bytes() for p in sorted(ONET_MINI.iterdir()) if p.name != "Skills.txt"}
    files["db_99_1/Skills.xlsx"] = _skills_xlsx()
    zipped, _ = _graph(Source.from_path(_zip(tmp_path / "mixed.zip", files)))
    folder, _ = _graph(Source.from_path(ONET_MINI))
    assert isomorphic(zipped, folder)


def test_the_version_comes_from_the_release_inside_the_zip(tmp_path: Path, memory_graph: Any) -> None:
    archive = _zip(tmp_path / "anything.zip", {f"x/{p.name}": p.read_bytes() for p in ONET_MINI.iterdir()})
    (report,) = memory_graph.ingest(archive)
    (info,) = memory_graph.sources()
    assert report.format_version == "99.1"  # "O*NET 99.1 Database" in the zipped Read Me, not the file's name
    assert info.sha256 == hashlib.sha256(archive.read_bytes()).hexdigest()  # the archive as stored
    assert info.source == memory_graph.store.source_name(str(archive.resolve()))  # public name: never the server path


def test_an_xz_file_reads_like_the_file_it_holds(tmp_path: Path, memory_graph: Any) -> None:
    packed = tmp_path / "registry.json.xz"
    packed.write_bytes(lzma.compress(REGISTRY_JSON.read_bytes()))
    source = Source.from_path(packed)
    assert source.name == "registry.json" and source.suffix == ".json" and source.path is None
    assert isomorphic(_graph(source)[0], _graph(Source.from_path(REGISTRY_JSON))[0])
    (report,) = memory_graph.ingest(packed)
    assert report.format == "dcc-registry"
    assert memory_graph.sources()[0].sha256 == hashlib.sha256(packed.read_bytes()).hexdigest()


def test_members_stream_without_being_unpacked(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "a.zip", {"top/sub/x.yml": b"a: 1\n", "top/y.txt": b"hello"})
    source = Source.from_path(archive)
    assert [e.name for e in source.entries()] == ["sub/x.yml", "y.txt"]
    assert [e.name for e in source.top_entries()] == ["y.txt"]
    assert source.archive is not None and source.archive.root == "top" and source.is_dir
    with source.entry("y.txt").open() as fh:  # type: ignore[union-attr]
        assert fh.read() == b"hello"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.zip"]


# -- hostile archives --------------------------------------------------------------------------------------


def _symlink_zip(path: Path) -> Path:
    info = zipfile.ZipInfo("db/link")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("db/Occupation Data.txt", (ONET_MINI / "Occupation Data.txt").read_bytes())
        zf.writestr(info, "/etc/passwd")
    return path


def _lying_zip(path: Path) -> Path:
    """A member whose headers declare 10 bytes while it unpacks to 1 MiB."""
    data = b"O*NET-SOC Code\tTitle\n" + b"x" * (1 << 20)
    raw = _zip(path, {"Occupation Data.txt": data}).read_bytes()
    real = len(data).to_bytes(4, "little")
    patched = raw.replace(real, (10).to_bytes(4, "little"))
    path.write_bytes(patched)
    return path


HOSTILE = {
    "parent": (lambda p: _zip(p, {"ok.txt": b"fine", "../evil.txt": b"evil"}), "../evil.txt", "leaves the archive"),
    "absolute": (lambda p: _zip(p, {"/etc/evil.txt": b"evil"}), "/etc/evil.txt", "leaves the archive"),
    "drive": (lambda p: _zip(p, {"C:/evil.txt": b"evil"}), "C:/evil.txt", "leaves the archive"),
    "nested-parent": (lambda p: _zip(p, {"db/../../evil.txt": b"evil"}), "db/../../evil.txt", "leaves the archive"),
    "symlink": (_symlink_zip, "db/link", "symbolic links"),
    "bomb": (lambda p: _zip(p, {"db/Occupation Data.txt": b"\0" * (4 << 20)}), "(archive)", "zip bomb"),
    "lying-size": (_lying_zip, "Occupation Data.txt", "damaged archive content"),
    "not-a-zip": (lambda p: p.write_bytes(b"this is no zip") and p, "(archive)", "not a readable zip archive"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
@pytest.mark.parametrize("how", ["named", "found-in-a-folder"])
def test_a_hostile_zip_is_refused_and_the_store_is_unchanged(tmp_path: Path, case: str, how: str) -> None:
    make, member, reason = HOSTILE[case]
    (tmp_path / "in").mkdir()
    archive = make(tmp_path / "in" / "hostile.zip")
    with lermap.open_graph("memory:") as kg:
        kg.ingest(ONET_MINI)
        before = kg.digest()
        items = list(kg.iter_ingest([archive] if how == "named" else [archive.parent], format="onet" if how == "named" else None))
        assert kg.digest() == before
    (error,) = items
    assert isinstance(error, SourceError)
    assert error.source == str(archive.resolve()) and error.location == member and reason in error.reason


def test_a_member_past_the_file_limit_is_refused(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "big.zip", {f"db/{p.name}": p.read_bytes() for p in ONET_MINI.iterdir()}, zipfile.ZIP_STORED)
    source = Source.from_path(archive, Limits(max_file_bytes=1000))
    with pytest.raises(LimitExceededError) as info:
        registry.get("onet").parse(source, IngestContext(source))
    assert "over the limit" in info.value.reason or "zip bomb" in info.value.reason


def test_an_xz_bomb_is_cut_off_while_it_streams(tmp_path: Path) -> None:
    bomb = tmp_path / "registry.json.xz"
    bomb.write_bytes(lzma.compress(b'{"registry": {"did:x": ' + b" " * (8 << 20) + b"}}"))
    source = Source.from_path(bomb, Limits(max_archive_ratio=100))
    with pytest.raises(LimitExceededError) as info:
        source.read_bytes()
    assert info.value.location == "registry.json" and "refused" in info.value.reason


def test_a_damaged_member_is_refused_with_its_name(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "d.zip", {"db/Read Me.txt": b"O*NET 99.1 Database\n" * 200}, zipfile.ZIP_STORED)
    raw = bytearray(archive.read_bytes())
    at = raw.index(b"O*NET 99.1 Database") + 5
    raw[at] ^= 0xFF  # the stored bytes no longer match the CRC
    archive.write_bytes(bytes(raw))
    entry = Source.from_path(archive).entry("Read Me.txt")
    assert entry is not None
    with pytest.raises(SourceError) as info:
        entry.read_bytes()
    assert info.value.location == "Read Me.txt" and "damaged" in info.value.reason
