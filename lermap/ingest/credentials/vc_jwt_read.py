"""Reading a VC-JWT: a compact JWS decoded (by :func:`~lermap.ingest.credentials.proofs.jws.parse_compact_jws`,
the one decoder) into the credential it carries and the JOSE header facts kept on the assertion.

Shared by the ``vc-jwt`` and ``baked`` formats, by CLR / presentation documents that embed JWT credentials, and by
``ob2`` for JWS-signed badges.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from lermap.ingest.base import IngestContext, parse_json_text
from lermap.ingest.credentials.proofs.jws import parse_compact_jws
from lermap.ingest.credentials.proofs.outcome import NotCheckable, ProofFailed
from lermap.ingest.credentials.read import as_list

COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
OB2_CONTEXT = "https://w3id.org/openbadges/v2"


@dataclass
class JwtInfo:
    """The JOSE header facts kept as assertion metadata."""

    algorithm: str | None
    key_id: str | None
    compact: str


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
    limits = ctx.source.limits
    try:
        jws = parse_compact_jws(text, lambda s: parse_json_text(s, ctx.source.key, limits), limits.max_json_bytes)
    except (ProofFailed, NotCheckable) as exc:
        ctx.fail(where, f"not a readable compact JWS: {exc.reason}")
    header, payload = jws.header, jws.payload
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


def is_ob2(doc: dict[str, Any]) -> bool:
    """An Open Badges 2.0 object (assertion, badge class, issuer)."""
    return any(isinstance(c, str) and c.startswith(OB2_CONTEXT) for c in as_list(doc.get("@context")))
