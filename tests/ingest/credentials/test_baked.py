"""Baked badges: PNG iTXt/tEXt chunks and SVG elements, with hostile images refused."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from rdflib.compare import isomorphic

import lermap
from lermap.errors import SourceError, UnsupportedFormatError
from tests.conftest import CONFORMANCE
from tests.ingest.credentials.helpers import DATA, entity_counts, expected_graph, graph_of

BAKED = sorted([*(CONFORMANCE / "ob3").glob("*.png"), *(CONFORMANCE / "ob3").glob("*.svg")])
TINY_JSON = (DATA / "ob3" / "tiny-ob3.json").read_bytes()


def chunk(ctype: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", zlib.crc32(ctype + body))


def png(*chunks: bytes) -> bytes:
    ihdr = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    idat = chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    return b"\x89PNG\r\n\x1a\n" + ihdr + b"".join(chunks) + idat + chunk(b"IEND", b"")


def itxt(keyword: bytes, text: bytes, compressed: bool = False) -> bytes:
    body = zlib.compress(text) if compressed else text
    return chunk(b"iTXt", keyword + b"\x00" + (b"\x01" if compressed else b"\x00") + b"\x00" + b"\x00" + b"\x00" + body)


@pytest.fixture()
def kg():  # type: ignore[no-untyped-def]
    graph = lermap.open_graph("memory:")
    yield graph
    graph.close()


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "compressed"])
def test_png_badge_maps_like_the_json_it_carries(kg, compressed: bool) -> None:  # type: ignore[no-untyped-def]
    report = kg.ingest_bytes("badge.png", png(itxt(b"openbadgecredential", TINY_JSON, compressed)))
    assert report.format == "baked"
    assert isomorphic(graph_of(kg, report), expected_graph(DATA / "ob3" / "tiny-ob3.expected.ttl"))


def test_svg_badge_maps_like_the_json_it_carries(kg) -> None:  # type: ignore[no-untyped-def]
    report = kg.ingest(DATA / "baked" / "tiny-ob3.svg")[0]
    assert report.format == "baked"
    assert isomorphic(graph_of(kg, report), expected_graph(DATA / "ob3" / "tiny-ob3.expected.ttl"))


@pytest.mark.parametrize("path", BAKED, ids=lambda p: p.name)
def test_conformance_baked_badges(kg, path: Path) -> None:  # type: ignore[no-untyped-def]
    # each image carries the "Teamwork Badge" credential (JSON or JWT): 1 issuer, 1 achievement, 1 assertion
    report = kg.ingest(path)[0]
    assert report.format == "baked"
    assert entity_counts(kg, report) == {
        "organization": 1, "credential": 1, "assertion": 1, "alignment": 0, "endorsement": 0, "association": 0
    }


@pytest.mark.parametrize("name", ["billion-laughs.svg", "external-entity.svg"])
def test_hostile_svg_is_refused(kg, name: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SourceError) as err:
        kg.ingest(DATA / "baked" / name, format="baked")
    assert "refused unsafe XML" in err.value.reason
    assert kg.sources() == []


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (png(itxt(b"openbadgecredential", TINY_JSON))[:60], "truncated PNG"),
        (png(), "not a baked badge"),
        (png(itxt(b"openbadges", b"https://issuer.test/assertions/1")), "hosted assertion"),
        (png(itxt(b"openbadgecredential", b"hello")), "neither JSON, a JWT nor a URL"),
        (png(chunk(b"iTXt", b"openbadgecredential\x00\x01\x00\x00\x00not-zlib")), "cannot decompress"),
        (b"GIF89a", "neither a PNG nor an SVG"),
        (b'<?xml version="1.0" encoding="tf-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "unsupported encoding"),
    ],
    ids=["truncated", "no-chunk", "hosted-url", "junk-text", "bad-zlib", "not-png", "unknown-xml-encoding"],
)
def test_broken_images_are_refused(kg, data: bytes, reason: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SourceError) as err:
        kg.ingest_bytes("badge.png", data, format="baked")
    assert reason in err.value.reason


def test_decompression_is_bounded(kg, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LERMAP_MAX_JSON_BYTES", "10000")
    bomb = png(itxt(b"openbadgecredential", b"{" + b" " * 5_000_000 + b"}", compressed=True))
    with pytest.raises(SourceError) as err:
        kg.ingest_bytes("bomb.png", bomb, format="baked")
    assert "decompresses to more than" in err.value.reason


def test_plain_png_is_not_claimed(kg) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnsupportedFormatError):
        kg.ingest_bytes("plain.png", png())
