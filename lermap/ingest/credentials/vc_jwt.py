"""VC-JWT: a credential as a compact JWS (``header.payload.signature``).

The payload is either a JWT-VC 1.1 claim set (the credential in ``vc``; ``iss``/``nbf``/``exp``/``jti`` fill the
credential's issuer, dates and id where it lacks them; ``sub`` is the learner and is never read) or, in the VC 2.0
JOSE form, the credential itself. The header's ``alg`` and ``kid`` are kept on the assertion
(``lermap:jwtAlgorithm``, ``lermap:jwtKeyId``); the signature is checked by ``lermap.ingest.credentials.proofs`` when present.
The credential then maps exactly as its JSON-LD twin (OB 3.0, CLR 2.0 or plain VC); an OB 2.0 payload goes to the
ob2 ingester.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from lermap.errors import ConfigError
from lermap.graph.terms import TripleTuple
from lermap.ingest import registry
from lermap.ingest.base import IngestContext, Ingester, Source
from lermap.ingest.credentials.ingester import ParsedCredential, map_parsed, prepare
from lermap.ingest.credentials.vc_jwt_read import credential_from_jws, is_ob2


@dataclass
class DelegatedParse:
    """A payload another ingester reads (OB 2.0), with that ingester's parsed records."""

    ingester: Ingester
    parsed: Any


def prepare_jws(compact: str, ctx: IngestContext, where: str = "(JWT)") -> ParsedCredential | DelegatedParse:
    """Decode, then prepare the credential for mapping (or hand an OB 2.0 payload to the ob2 ingester)."""
    cred, info = credential_from_jws(compact, ctx, where)
    if is_ob2(cred):
        return delegate_ob2(cred, ctx)
    parsed = prepare(cred, ctx, jwt=info)
    ctx.format_version = "jwt"
    return parsed


def delegate_ob2(doc: dict[str, Any], ctx: IngestContext) -> DelegatedParse:
    """Parse an OB 2.0 object with the ob2 ingester (refused clearly when it is not installed)."""
    try:
        ob2 = registry.get("ob2")
    except ConfigError as exc:
        ctx.fail("(document)", f"holds an Open Badges 2.0 object, but the ob2 ingester is not available: {exc}")
    inner = Source.from_bytes(ctx.source.key, json.dumps(doc).encode("utf-8"), ctx.source.limits)
    original = ctx.source
    ctx.source = inner
    try:
        parsed = ob2.parse(inner, ctx)
    finally:
        ctx.source = original
    return DelegatedParse(ob2, parsed)


def map_prepared(parsed: ParsedCredential | DelegatedParse, ctx: IngestContext) -> Iterable[TripleTuple]:
    """Triples of a prepared credential or of a delegated OB 2.0 payload."""
    if isinstance(parsed, DelegatedParse):
        return parsed.ingester.map(parsed.parsed, ctx)
    return map_parsed(parsed, ctx)


class VcJwtIngester(Ingester):
    name = "vc-jwt"
    title = "VC-JWT (compact JWS)"
    version = "2"  # minted IRIs no longer depend on one-item arrays (mapping.mint_place)

    def sniff(self, source: Source) -> float:
        if source.is_dir:
            return 0.0
        head = source.head(256).strip()
        if not head.startswith(b"eyJ") or not re.fullmatch(rb"[A-Za-z0-9_.-]+", head):
            return 0.0
        return 0.9 if source.suffix == ".jwt" else 0.7

    def parse(self, source: Source, ctx: IngestContext) -> ParsedCredential | DelegatedParse:
        return prepare_jws(source.text(source.limits.max_json_bytes), ctx)

    def map(self, parsed: ParsedCredential | DelegatedParse, ctx: IngestContext) -> Iterator[TripleTuple]:
        yield from map_prepared(parsed, ctx)
