"""VC-JWT: a credential as a compact JWS (``header.payload.signature``).

The payload is either a JWT-VC 1.1 claim set (the credential in ``vc``; ``iss``/``nbf``/``exp``/``jti`` fill the
credential's issuer, dates and id where it lacks them; ``sub`` is the learner and is never read) or, in the VC 2.0
JOSE form, the credential itself. The header's ``alg`` and ``kid`` are kept on the assertion
(``lermap:jwtAlgorithm``, ``lermap:jwtKeyId``); the signature is checked by ``lermap.ingest.credentials.proofs`` when present.
The credential then maps exactly as its JSON-LD twin (OB 3.0, CLR 2.0 or plain VC); an OB 2.0 payload goes to the
ob2 ingester.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from lermap.errors import ConfigError
from lermap.graph.terms import TripleTuple
from lermap.ingest.base import IngestContext, Ingester, Source, parse_json_text
from lermap.ingest.credentials.ingester import JwtInfo, ParsedCredential, map_parsed, prepare
from lermap.ingest.credentials.read import as_list

COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
OB2_CONTEXT = "https://w3id.org/openbadges/v2"


def _b64url_json(segment: str, ctx: IngestContext, where: str) -> Any:
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        text = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        ctx.fail(where, "not base64url-encoded UTF-8")
    return parse_json_text(text, ctx.source.key, ctx.source.limits)


@dataclass
class DelegatedParse:
    """A payload another ingester reads (OB 2.0), with that ingester's parsed records."""

    ingester: Ingester
    parsed: Any


def _epoch(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return datetime.fromtimestamp(value, tz=UTC).isoformat().replace("+00:00", "Z")
    except (OverflowError, OSError, ValueError):
        return None


def credential_from_jws(compact: str, ctx: IngestContext, where: str = "(JWT)") -> tuple[dict[str, Any], JwtInfo]:
    """Decode a compact JWS into (credential object, header facts); refuses anything else clearly."""
    text = compact.strip()
    parts = text.split(".")
    if len(parts) == 5:
        ctx.fail(where, "an encrypted JWT (JWE) cannot be read without its key")
    if len(parts) != 3 or not COMPACT_JWS.match(text):
        ctx.fail(where, f"not a compact JWS: expected 3 base64url segments separated by '.', found {len(parts)}")
    header = _b64url_json(parts[0], ctx, f"{where} header")
    payload = _b64url_json(parts[1], ctx, f"{where} payload")
    if not isinstance(header, dict) or not isinstance(header.get("alg"), str):
        ctx.fail(f"{where} header", "a JOSE header must be a JSON object with an alg")
    if header["alg"].lower() == "none":
        ctx.warn(f"{where} header", "alg 'none': the credential is not signed")
    if not isinstance(payload, dict):
        ctx.fail(f"{where} payload", "the payload must be a JSON object")
    kid = header.get("kid")
    info = JwtInfo(header["alg"], kid if isinstance(kid, str) else None, text)
    if isinstance(payload.get("vc"), dict):
        return _with_claims(dict(payload["vc"]), payload), info
    if isinstance(payload.get("vp"), dict):
        return dict(payload["vp"]), info
    if "@context" in payload:
        return payload, info
    ctx.fail(f"{where} payload", "holds no credential: no vc or vp claim and no @context")


def _with_claims(vc: dict[str, Any], claims: dict[str, Any]) -> dict[str, Any]:
    """JWT-VC 1.1: registered claims stand for credential properties the vc claim leaves out (never ``sub``)."""
    v1 = any(c == "https://www.w3.org/2018/credentials/v1" for c in as_list(vc.get("@context")))
    if "issuer" not in vc and isinstance(claims.get("iss"), str):
        vc["issuer"] = claims["iss"]
    if "id" not in vc and isinstance(claims.get("jti"), str):
        vc["id"] = claims["jti"]
    start, end = _epoch(claims.get("nbf")), _epoch(claims.get("exp"))
    if start and "issuanceDate" not in vc and "validFrom" not in vc:
        vc["issuanceDate" if v1 else "validFrom"] = start
    if end and "expirationDate" not in vc and "validUntil" not in vc:
        vc["expirationDate" if v1 else "validUntil"] = end
    return vc


def prepare_jws(compact: str, ctx: IngestContext, where: str = "(JWT)") -> ParsedCredential | DelegatedParse:
    """Decode, then prepare the credential for mapping (or hand an OB 2.0 payload to the ob2 ingester)."""
    cred, info = credential_from_jws(compact, ctx, where)
    if is_ob2(cred):
        return delegate_ob2(cred, ctx)
    parsed = prepare(cred, ctx, jwt=info)
    ctx.format_version = "jwt"
    return parsed


def is_ob2(doc: dict[str, Any]) -> bool:
    """An Open Badges 2.0 object (assertion, badge class, issuer)."""
    return any(isinstance(c, str) and c.startswith(OB2_CONTEXT) for c in as_list(doc.get("@context")))


def delegate_ob2(doc: dict[str, Any], ctx: IngestContext) -> DelegatedParse:
    """Parse an OB 2.0 object with the ob2 ingester (refused clearly when it is not installed)."""
    import json

    from lermap.ingest import registry

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
    version = "1"

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
