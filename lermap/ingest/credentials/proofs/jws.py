"""Compact JWS (VC-JWT, VC-JOSE): parse, find the key offline, check the signature (RFC 7515).

:func:`parse_compact_jws` is lermap's one compact-JWS decoder: the proof checker and the ``vc-jwt`` reader
(:mod:`lermap.ingest.credentials.vc_jwt_read`) both use it, each with its own JSON reader and length limit.

The key comes, in this order, from a ``kid`` that is a ``did:key``/``did:jwk`` URL, from an ``iss`` (or
credential issuer) that is such a DID, or from a ``jwk`` in the JOSE header. A header ``jwk`` proves only
that the token is intact — nothing offline ties it to the issuer — so a matching signature with such a key
is reported as not checkable, while a mismatching one is a failure either way.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lermap.ingest.credentials.proofs.keys import (
    SUPPORTED_ALGS,
    ResolvedKey,
    b64url_decode,
    jwk_public,
    not_offline_reason,
    resolve_did,
    verify_signature,
)
from lermap.ingest.credentials.proofs.outcome import NotCheckable, ProofFailed, Verified

MAX_JWS_CHARS = 1024 * 1024
_OFFLINE_DIDS = ("did:key:", "did:jwk:")


@dataclass(frozen=True)
class ParsedJws:
    header: dict[str, Any]
    payload: Any  # the decoded JSON claims, or None when the payload is not JSON
    signing_input: bytes
    signature: bytes

    @property
    def alg(self) -> str:
        return str(self.header.get("alg"))

    @property
    def issuer(self) -> str | None:
        """``iss``, else the credential's issuer (``vc.issuer`` in VC-JWT 1.1, ``issuer`` in VC-JOSE 2.0)."""
        claims = self.payload if isinstance(self.payload, dict) else {}
        for candidate in (
            claims.get("iss"),
            (claims.get("vc") or {}).get("issuer") if isinstance(claims.get("vc"), dict) else None,
            claims.get("issuer"),
        ):
            if isinstance(candidate, dict):
                candidate = candidate.get("id")
            if isinstance(candidate, str) and candidate:
                return candidate
        return None


def parse_compact_jws(token: str, read_json: Callable[[str], Any] = json.loads, max_chars: int = MAX_JWS_CHARS) -> ParsedJws:
    """Split and decode a compact JWS; malformed tokens raise :class:`ProofFailed`, a JWE :class:`NotCheckable`.

    ``read_json`` parses the header and payload text (a reader that enforces limits may raise its own errors,
    which pass through); a payload that is not JSON comes back as ``None``.
    """
    token = token.strip()
    if len(token) > max_chars:
        raise ProofFailed(f"the compact JWS is {len(token):,} characters long, over the {max_chars:,} accepted")
    parts = token.split(".")
    if len(parts) == 5:
        raise NotCheckable("the token is an encrypted JWT (JWE); it cannot be read without the recipient's key")
    if len(parts) != 3:
        raise ProofFailed(f"a compact JWS has 3 dot-separated parts, this one has {len(parts)} (truncated?)")
    head_b64, payload_b64, sig_b64 = parts
    header = _json(b64url_decode(head_b64, "JWS header"), read_json)
    if not isinstance(header, dict):
        raise ProofFailed("the JWS header is not JSON" if header is None else "the JWS header must be a JSON object")
    if not isinstance(header.get("alg"), str):
        raise ProofFailed("the JWS header has no 'alg'")
    payload = _json(b64url_decode(payload_b64, "JWS payload"), read_json)
    signature = b64url_decode(sig_b64, "JWS signature")
    return ParsedJws(header, payload, f"{head_b64}.{payload_b64}".encode("ascii"), signature)


def refuse_critical(jws: ParsedJws) -> None:
    """RFC 7515 §4.1.11: a verifier must refuse critical extensions it does not understand; it understands none."""
    crit = jws.header.get("crit")
    if crit is not None:
        raise ProofFailed(f"the JWS header marks extensions {crit!r} as critical, which this checker does not implement")


def _json(raw: bytes, read_json: Callable[[str], Any]) -> Any:
    """The JSON value of a decoded segment, or ``None`` when it is not UTF-8 JSON."""
    try:
        return read_json(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # json.JSONDecodeError is a ValueError
        return None


def _key(jws: ParsedJws) -> tuple[ResolvedKey | None, str]:
    """The offline key and where it came from; ``None`` with the reason when there is none."""
    kid = jws.header.get("kid")
    issuer = jws.issuer
    if isinstance(kid, str) and kid.startswith(_OFFLINE_DIDS):
        return resolve_did(kid), f"kid {kid}"
    if issuer is not None and issuer.startswith(_OFFLINE_DIDS):
        return resolve_did(issuer), f"issuer {issuer}"
    if isinstance(kid, str) and kid:
        return None, not_offline_reason(kid)
    if issuer is not None:
        return None, f"the token has no kid and its issuer {issuer} is not a did:key or did:jwk"
    return None, "the token names neither a key (kid) nor an issuer"


def verify_compact_jws(jws: ParsedJws) -> Verified:
    """Check the signature of a parsed JWS; raises :class:`ProofFailed` or :class:`NotCheckable`."""
    alg = jws.alg
    if alg not in SUPPORTED_ALGS:
        raise NotCheckable(f"JWS algorithm {alg!r} is not supported")
    resolved, where = _key(jws)
    if resolved is not None:
        verify_signature(resolved.key, alg, jws.signature, jws.signing_input)
        kid = jws.header.get("kid")
        method = kid if isinstance(kid, str) and kid else resolved.method
        return Verified(method, resolved.controller, f"{alg} signature checked with the key of {where}")
    header_jwk = jws.header.get("jwk")
    if header_jwk is None:
        raise NotCheckable(where)
    key, _kind = jwk_public(header_jwk, "the JOSE header jwk")
    verify_signature(key, alg, jws.signature, jws.signing_input)  # a mismatch is a failure whoever owns the key
    raise NotCheckable(
        f"the {alg} signature matches the jwk in the JOSE header, but nothing offline binds that key to "
        f"{jws.issuer or 'the issuer'} ({where})"
    )
