"""Baked badges: a credential embedded in a PNG or SVG image.

* PNG — an ``iTXt`` (or ``tEXt``/``zTXt``) chunk with keyword ``openbadgecredential`` (OB 3.0) or ``openbadges``
  (OB 2.0), read with the standard library, chunk by chunk, within the file and decompression limits;
* SVG — an ``<openbadges:credential>`` (OB 3.0) or ``<openbadges:assertion>`` (OB 2.0) element whose text is the
  JSON or whose ``verify`` attribute holds a JWT; parsed with defusedxml, so entity expansion and external
  references are refused.

The embedded JSON or JWT goes to the ingester that reads it (ob3/clr2/vc mapping, vc-jwt, or ob2); a baked
OB 2.0 badge that only points to a hosted assertion URL is refused, as lermap never fetches.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lermap.graph.terms import TripleTuple
from lermap.ingest.base import IngestContext, Ingester, Source, parse_json_text
from lermap.ingest.credentials.ingester import ParsedCredential, prepare
from lermap.ingest.credentials.vc_jwt import DelegatedParse, delegate_ob2, map_prepared, prepare_jws
from lermap.ingest.credentials.vc_jwt_read import COMPACT_JWS, is_ob2

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEYWORDS = ("openbadgecredential", "openbadges")
SVG_ELEMENTS = ("credential", "assertion")
MAX_CHUNKS = 100_000


@dataclass
class Embedded:
    """What an image carries: the text and where it was found."""

    text: str
    where: str
    attribute: bool = False  # the SVG `verify` attribute (a JWT or a URL) rather than element text


def png_badge(data: bytes, ctx: IngestContext) -> Embedded:
    """The badge text of a PNG's first ``openbadgecredential``/``openbadges`` text chunk."""
    if not data.startswith(PNG_SIGNATURE):
        ctx.fail("(PNG)", "not a PNG file (bad signature)")
    limit = ctx.source.limits.max_json_bytes
    pos, count = len(PNG_SIGNATURE), 0
    while pos + 8 <= len(data):
        count += 1
        if count > MAX_CHUNKS:
            ctx.fail(f"PNG byte {pos}", f"more than {MAX_CHUNKS} chunks")
        length, ctype = struct.unpack(">I4s", data[pos : pos + 8])
        body_start, body_end = pos + 8, pos + 8 + length
        if body_end + 4 > len(data):
            ctx.fail(f"PNG chunk {ctype!r} at byte {pos}", "chunk runs past the end of the file (truncated PNG)")
        body = data[body_start:body_end]
        if ctype in (b"iTXt", b"tEXt", b"zTXt"):
            keyword, _, rest = body.partition(b"\x00")
            name = keyword.decode("latin-1")
            if name.lower() in PNG_KEYWORDS:
                where = f"PNG {ctype.decode()} chunk {name!r}"
                return Embedded(_chunk_text(ctype, rest, limit, ctx, where), where)
        if ctype == b"IEND":
            break
        pos = body_end + 4
    ctx.fail("(PNG)", "no openbadgecredential or openbadges text chunk: not a baked badge")


def _chunk_text(ctype: bytes, rest: bytes, limit: int, ctx: IngestContext, where: str) -> str:
    if ctype == b"tEXt":
        return rest.decode("latin-1")
    if ctype == b"zTXt":
        return _inflate(rest[1:], limit, ctx, where).decode("latin-1")
    if len(rest) < 2:
        ctx.fail(where, "truncated iTXt chunk")
    compressed, text = rest[0], rest[2:]
    _lang, _, text = text.partition(b"\x00")
    _translated, _, text = text.partition(b"\x00")
    if compressed:
        text = _inflate(text, limit, ctx, where)
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError:
        ctx.fail(where, "iTXt text is not UTF-8")


def _inflate(data: bytes, limit: int, ctx: IngestContext, where: str) -> bytes:
    d = zlib.decompressobj()
    try:
        out = d.decompress(data, limit + 1)
    except zlib.error as exc:
        ctx.fail(where, f"cannot decompress: {exc}")
    if len(out) > limit or d.unconsumed_tail:
        ctx.fail(where, f"decompresses to more than {limit:,} bytes")
    return out


def svg_badge(data: bytes, ctx: IngestContext) -> Embedded:
    """The badge of an SVG's ``openbadges:credential``/``openbadges:assertion`` element (hostile XML refused)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root = fromstring(data)
    except DefusedXmlException as exc:
        ctx.fail("(SVG)", f"refused unsafe XML: {type(exc).__name__} ({exc})")
    except ParseError as exc:
        ctx.fail("(SVG)", f"invalid XML: {exc}")
    except LookupError as exc:  # the XML declaration names an encoding Python does not know
        ctx.fail("(SVG) XML declaration", f"unsupported encoding: {exc}")
    for el in root.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        local = tag.rsplit("}", 1)[-1]
        if local not in SVG_ELEMENTS or "}" not in tag:
            continue
        where = f"SVG <{local}> element"
        text = (el.text or "").strip()
        if text:
            return Embedded(text, where)
        verify = el.get("verify")
        if verify:
            return Embedded(verify.strip(), f"{where} verify attribute", attribute=True)
        ctx.fail(where, "the badge element is empty")
    ctx.fail("(SVG)", "no openbadges:credential or openbadges:assertion element: not a baked badge")


class BakedBadgeIngester(Ingester):
    name = "baked"
    title = "Baked badge (PNG/SVG)"
    version = "2"  # minted IRIs no longer depend on one-item arrays (mapping.mint_place)

    def sniff(self, source: Source) -> float:
        if source.is_dir:
            return 0.0
        head = source.head(1 << 20)
        if head.startswith(PNG_SIGNATURE):
            return 0.95 if re.search(rb"(iTXt|tEXt|zTXt)openbadge", head) else 0.0
        if b"<svg" in head[:65536] and b"openbadges" in head:
            return 0.95
        return 0.0

    def parse(self, source: Source, ctx: IngestContext) -> ParsedCredential | DelegatedParse:
        data = source.read_bytes()
        if data.startswith(PNG_SIGNATURE):
            embedded = png_badge(data, ctx)
        elif data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            embedded = svg_badge(data, ctx)
        else:
            ctx.fail("(document)", "neither a PNG nor an SVG image: not a baked badge")
        text = embedded.text.strip()
        if text.startswith("{"):
            doc: Any = parse_json_text(text, source.key, source.limits)
            if not isinstance(doc, dict):
                ctx.fail(embedded.where, "the embedded JSON must be an object")
            if is_ob2(doc):
                return delegate_ob2(doc, ctx)
            parsed = prepare(doc, ctx)
            ctx.format_version = f"baked-{parsed.envelope}"
            return parsed
        if COMPACT_JWS.match(text):
            return prepare_jws(text, ctx, embedded.where)
        if re.match(r"^https?://", text):
            ctx.fail(embedded.where, f"the badge points to a hosted assertion at {text[:200]}; lermap never fetches: "
                                     "download the assertion JSON and ingest that file")
        ctx.fail(embedded.where, "holds neither JSON, a JWT nor a URL")

    def map(self, parsed: ParsedCredential | DelegatedParse, ctx: IngestContext) -> Iterator[TripleTuple]:
        yield from map_prepared(parsed, ctx)

