"""Format-specific attacks: remote JSON-LD contexts, context cycles, hostile XML, spreadsheet formulas, CSV
damage and zip archives. Nothing may be fetched: a loopback server counts every request and must count none.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from lermap.config import Limits
from lermap.errors import LimitExceededError, SourceError
from lermap.graph.jsonld import default_registry
from lermap.ingest.base import Source
from lermap.service import KnowledgeGraph
from tests.conftest import TEST_DATA
from tests.reliability.cases import JSONLD_FORMATS, TABLE_FORMATS, TARGETS, original_bytes, placed
from tests.reliability.conftest import CATCH_ALL, Counter, outcome, refused

# --- JSON-LD: remote contexts, @import, cycles ----------------------------------------------------------------------

REMOTE = {
    "loopback-context": lambda base: f"{base}/context",
    "localhost-context": lambda base: base.replace("127.0.0.1", "localhost") + "/context",
    "cloud-metadata-context": lambda base: "http://169.254.169.254/latest/meta-data/",
    "import-loopback": lambda base: {"@version": 1.1, "@import": f"{base}/import"},
    "scoped-loopback": lambda base: {"evil": {"@id": "https://attacker.test/evil", "@context": f"{base}/scoped"}},
}
JSONLD_TARGETS = [*JSONLD_FORMATS, "rdf-jsonld"]


def _jsonld_doc(fmt: str) -> tuple[str, dict[str, Any]]:
    if fmt == "rdf-jsonld":
        return "rdf", {"@context": {"name": "https://schema.org/name"}, "@id": "https://example.org/x", "name": "x"}
    return fmt, json.loads(TARGETS[fmt].original())


def _with_context(doc: dict[str, Any], extra: Any) -> dict[str, Any]:
    ctx = doc.get("@context", [])
    doc = dict(doc, **{"@context": [*(ctx if isinstance(ctx, list) else [ctx]), extra]})
    if isinstance(extra, dict) and "evil" in extra:
        doc["evil"] = {"@id": "https://attacker.test/node", "name": "x"}
    return doc


def _remote_cases() -> Iterator[Any]:
    for fmt in JSONLD_TARGETS:
        for name in REMOTE:
            yield pytest.param(fmt, name, id=f"{fmt}-{name}")


@pytest.mark.parametrize(("fmt", "case"), list(_remote_cases()))
def test_remote_contexts_are_never_fetched(kg: KnowledgeGraph, tmp_path: Path, counting_server: Counter, fmt: str, case: str) -> None:
    ingester, doc = _jsonld_doc(fmt)
    path = tmp_path / ("doc.jsonld" if fmt in ("rdf-jsonld", "elm") else "doc.json")
    path.write_text(json.dumps(_with_context(doc, REMOTE[case](counting_server.url))))
    seen = len(counting_server.requests)
    err = outcome(kg, path, ingester)  # a RuntimeError from the network guard would fail the test outright
    assert counting_server.requests[seen:] == [], "a context was fetched"
    if err is not None:
        assert CATCH_ALL not in err.reason, err
    dump = kg.export("nquads").decode()
    assert "attacker.test" not in dump, "a term defined by a remote context reached the store"


CYCLES = {
    "cycle": ("cycle-a", {"cycle-a": "cycle-a.jsonld", "cycle-b": "cycle-b.jsonld"}),
    "import-self": ("import-self", {"import-self": "import-self.jsonld"}),
}


def _cycle_cases() -> Iterator[Any]:
    for fmt in JSONLD_TARGETS:
        for name in CYCLES:
            yield pytest.param(fmt, name, id=f"{fmt}-{name}")


@pytest.mark.parametrize(("fmt", "case"), list(_cycle_cases()))
def test_context_cycles_are_refused_through_every_json_ld_ingester(kg: KnowledgeGraph, tmp_path: Path, fmt: str, case: str) -> None:
    start, files = CYCLES[case]
    registry = default_registry()
    for name, file in files.items():
        registry.add(f"https://contexts.lermap.test/{name}", TEST_DATA / "jsonld" / file)
    ingester, doc = _jsonld_doc(fmt)
    path = tmp_path / ("doc.jsonld" if fmt in ("rdf-jsonld", "elm") else "doc.json")
    path.write_text(json.dumps(_with_context(doc, f"https://contexts.lermap.test/{start}")))
    err = refused(kg, path, ingester)
    assert "context cycle" in err.reason or "context" in err.reason.lower(), err


# --- XML in baked SVG badges, compressed text in baked PNG badges ------------------------------------------------

SVG_NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"'
SVG_ATTACKS = {
    "billion-laughs": (TEST_DATA / "baked" / "billion-laughs.svg").read_text(),
    "external-file": (TEST_DATA / "baked" / "external-entity.svg").read_text(),
    "external-http": f'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "{{base}}/xxe">]>'
                     f"<svg {SVG_NS}><openbadges:credential>&x;</openbadges:credential></svg>",
    "parameter-entity": f'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY % p SYSTEM "{{base}}/dtd"> %p;]>'
                        f"<svg {SVG_NS}><openbadges:credential>{{{{}}}}</openbadges:credential></svg>",
    "external-dtd": f'<?xml version="1.0"?><!DOCTYPE svg SYSTEM "{{base}}/svg.dtd">'
                    f"<svg {SVG_NS}><openbadges:credential>{{{{}}}}</openbadges:credential></svg>",
    "xinclude": f'<svg {SVG_NS} xmlns:xi="http://www.w3.org/2001/XInclude"><openbadges:credential>'
                f'<xi:include href="{{base}}/inc" parse="text"/></openbadges:credential></svg>',
    "quadratic-blowup": '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "' + "x" * 50_000 + '">]>'
                        f"<svg {SVG_NS}><openbadges:credential>" + "&a;" * 50_000 + "</openbadges:credential></svg>",
}


@pytest.mark.parametrize("case", list(SVG_ATTACKS))
def test_hostile_svg_is_refused_and_nothing_is_fetched(kg: KnowledgeGraph, tmp_path: Path, counting_server: Counter, case: str) -> None:
    path = tmp_path / "badge.svg"
    path.write_text(SVG_ATTACKS[case].replace("{base}", counting_server.url))
    seen = len(counting_server.requests)
    err = refused(kg, path, "baked")
    assert counting_server.requests[seen:] == []
    assert "root:" not in str(err)
    assert CATCH_ALL not in err.reason, err


def _png_with_text(ctype: bytes, body: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + chunk(ctype, body) + chunk(b"IEND", b"")


def _deflated_zeros(n: int) -> bytes:
    c = zlib.compressobj(9)
    return b"".join(c.compress(b"\0" * (1 << 20)) for _ in range(n >> 20)) + c.flush()


PNG_ATTACKS = {
    "ztxt-bomb": lambda: _png_with_text(b"zTXt", b"openbadges\x00\x00" + _deflated_zeros(200 << 20)),
    "itxt-bomb": lambda: _png_with_text(b"iTXt", b"openbadgecredential\x00\x01\x00\x00\x00" + _deflated_zeros(200 << 20)),
    "chunk-past-end": lambda: _png_with_text(b"tEXt", b"openbadges\x00{}")[:-20] + struct.pack(">I", 1 << 30) + b"tEXt",
    "corrupt-deflate": lambda: _png_with_text(b"zTXt", b"openbadges\x00\x00not deflate at all"),
}


@pytest.mark.parametrize("case", list(PNG_ATTACKS))
def test_hostile_png_is_refused(kg: KnowledgeGraph, tmp_path: Path, case: str) -> None:
    path = tmp_path / "badge.png"
    path.write_bytes(PNG_ATTACKS[case]())
    err = refused(kg, path, "baked")
    assert CATCH_ALL not in err.reason, err


# --- spreadsheets: formulas are never evaluated ----------------------------------------------------------------------

FORMULAS = {
    "arithmetic": "=1+1",
    "webservice": '=WEBSERVICE("{base}/formula")',
    "hyperlink": '=HYPERLINK("{base}/link","click me")',
    "dde": "=cmd|' /C calc'!A0",
    "external-ref": "='{base}/[book.xlsx]Sheet1'!A1",
}


@pytest.mark.parametrize("case", list(FORMULAS))
def test_spreadsheet_formulas_are_never_evaluated(kg: KnowledgeGraph, tmp_path: Path, counting_server: Counter, case: str) -> None:
    formula = FORMULAS[case].replace("{base}", counting_server.url)
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "Skills"
    ws.append(["Code", "Skill", "Description", "Parent code"])
    ws.append([101, "Soldering", formula, None])
    ws.append([102, "Through-hole soldering", "Pins through the board", 101])
    book.save(tmp_path / "skills.xlsx")
    mapping = yaml.safe_load((TEST_DATA / "tabular" / "widgets.lermap.yaml").read_text())
    mapping.update(data="skills.xlsx", sheet="Skills")
    mapping["columns"].pop("alt_label")
    (tmp_path / "skills.lermap.yaml").write_text(yaml.safe_dump(mapping))
    seen = len(counting_server.requests)
    kg.ingest(tmp_path / "skills.lermap.yaml", format="tabular")
    dump = kg.export("nquads").decode()
    assert counting_server.requests[seen:] == []
    assert formula not in dump and '"2"' not in dump and "click me" not in dump
    assert "Pins through the board" in dump


# --- CSV: NUL bytes, ragged rows, huge fields -------------------------------------------------------------------------

def _ragged(data: bytes, sep: bytes) -> bytes:
    lines = data.rstrip(b"\n").split(b"\n")
    return b"\n".join([lines[0], sep.join([b"x"] * 40), *lines[1:]]) + b"\n"


CSV_DAMAGE = {
    "ragged-long-row": lambda b, sep: _ragged(b, sep),
    "nul-in-header": lambda b, sep: b"\x00" + b,
    "only-a-header": lambda b, sep: b.split(b"\n", 1)[0] + b"\n",
    "unterminated-quote": lambda b, sep: b + b'"never closed' + sep + b"x\n",
    "huge-field": lambda b, sep: b + b'"' + b"a" * 5_000_000 + b'"\n',
}
CSV_READ_BY_DESIGN = {
    **{(f, "only-a-header"): "a header without rows is an empty table" for f in TABLE_FORMATS},
    **{(f, "nul-in-header"): "a NUL before the first column name: that column is unknown, the rest is read"
       for f in ("case-csv", "rsd-csv", "esco")},
    ("onet", "huge-field"): "a long cell is a long cell (within the file limit)",
    ("esco", "huge-field"): "a long cell is a long cell (within the file limit)",
    ("case-csv", "huge-field"): "a long cell is a long cell (within the file limit)",
}


def _csv_cases() -> Iterator[Any]:
    for fmt in TABLE_FORMATS:
        for name in CSV_DAMAGE:
            yield pytest.param(fmt, name, id=f"{fmt}-{name}")


@pytest.mark.parametrize(("fmt", "case"), list(_csv_cases()))
def test_damaged_csv(kg: KnowledgeGraph, tmp_path: Path, fmt: str, case: str) -> None:
    target = TARGETS[fmt]
    sep = b"\t" if target.family == "tsv" else b","
    path = placed(target, tmp_path, CSV_DAMAGE[case](original_bytes(target, tmp_path), sep))
    err = outcome(kg, path, fmt)
    if (fmt, case) in CSV_READ_BY_DESIGN:
        assert err is None, f"expected to be read ({CSV_READ_BY_DESIGN[fmt, case]}): {err}"
    else:
        assert err is not None, "damaged CSV read as if it were fine"
        assert CATCH_ALL not in err.reason, err
        assert err.location != "(document)" or "CSV" in err.reason, f"the refusal does not say where: {err}"


# --- zip archives (read by streaming through Source.entries, never unpacked: `lermap build`, `lermap fetch`) -----------

def _zip(entries: dict[str, bytes]) -> bytearray:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return bytearray(buf.getvalue())


def _lying_sizes() -> bytes:
    data = _zip({"db/zeros.txt": b"\0" * (10 << 20)})  # declared as 1,000 bytes: within any ratio
    struct.pack_into("<I", data, data.find(b"PK\x03\x04") + 22, 1000)
    struct.pack_into("<I", data, data.find(b"PK\x01\x02") + 24, 1000)
    return bytes(data)


def _corrupt_stream() -> bytes:
    data = _zip({"db/a.txt": bytes(range(256)) * 64})
    start = data.find(b"PK\x03\x04") + 30 + len("db/a.txt")
    data[start + 10 : start + 60] = b"\xff" * 50
    return bytes(data)


def _symlink() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        info = zipfile.ZipInfo("db/passwd")
        info.external_attr = (0o120777 << 16)
        z.writestr(info, "/etc/passwd")
    return buf.getvalue()


def _read_every_member(archive: Path) -> None:
    for entry in Source.from_path(archive, Limits()).entries():
        entry.read_bytes()


ARCHIVES = {
    "ratio-bomb": (lambda: bytes(_zip({"db/zeros.txt": b"\0" * (50 << 20)})), LimitExceededError),
    "many-entries-bomb": (lambda: bytes(_zip({f"db/{i}.txt": b"\0" * (1 << 16) for i in range(200)})), LimitExceededError),
    "symlink": (_symlink, SourceError),
    "traversal": (lambda: bytes(_zip({"../../escape.txt": b"x"})), SourceError),
    "not-a-zip": (lambda: b"PK\x03\x04 but nothing else", SourceError),
}
DAMAGED_ARCHIVES = {  # zipfile's own integrity errors (CRC mismatch, corrupt stream) must come out as SourceError
    "lying-sizes": _lying_sizes,
    "corrupt-deflate-stream": _corrupt_stream,
}


@pytest.mark.parametrize("case", list(ARCHIVES))
def test_hostile_archive_is_refused_and_nothing_is_left(tmp_path: Path, case: str) -> None:
    make, error = ARCHIVES[case]
    archive = tmp_path / "a.zip"
    archive.write_bytes(make())
    with pytest.raises(error):
        _read_every_member(archive)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.zip"]


@pytest.mark.parametrize("case", list(DAMAGED_ARCHIVES))
def test_damaged_archive_is_refused_as_a_source_error(tmp_path: Path, case: str) -> None:
    archive = tmp_path / "a.zip"
    archive.write_bytes(DAMAGED_ARCHIVES[case]())
    try:
        _read_every_member(archive)
    except SourceError:
        pass
    else:
        pytest.fail("a damaged archive was unpacked")
    finally:
        assert sorted(p.name for p in tmp_path.iterdir()) == ["a.zip"]
