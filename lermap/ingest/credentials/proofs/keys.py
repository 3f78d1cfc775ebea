"""Public keys that can be had offline: ``did:key``, ``did:jwk`` and JWKs; signature checks by JOSE algorithm.

A ``did:key`` identifier *is* its public key (multibase base58btc of a multicodec-prefixed key) and a
``did:jwk`` identifier is the base64url of its JWK, so both resolve without the network. Every other
verification method (``did:web``, ``https:`` key documents, unknown DID methods) is not checkable here.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any

import base58
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from lermap.ingest.credentials.proofs.outcome import NotCheckable, ProofFailed

PublicKey = Ed25519PublicKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey

# Multicodec prefixes (unsigned varints) of the public-key codecs a did:key may carry.
_ED25519 = b"\xed\x01"
_MULTICODEC_CURVES: dict[bytes, tuple[str, ec.EllipticCurve]] = {
    b"\x80\x24": ("P-256", ec.SECP256R1()),
    b"\x81\x24": ("P-384", ec.SECP384R1()),
    b"\xe7\x01": ("secp256k1", ec.SECP256K1()),
}
_OTHER_CODECS = {
    b"\xec\x01": "X25519 (a key-agreement key, not a signing key)",
    b"\x85\x24": "RSA",
    b"\xeb\x01": "BLS12-381 G2",
}

_JWK_CURVES: dict[str, ec.EllipticCurve] = {
    "P-256": ec.SECP256R1(),
    "P-384": ec.SECP384R1(),
    "P-521": ec.SECP521R1(),
    "secp256k1": ec.SECP256K1(),
}
_B64URL = re.compile(r"[A-Za-z0-9_-]*")
_MAX_IDENTIFIER = 8192  # a did:jwk of a 4096-bit RSA key is ~1 kB; anything far longer is not a key


@dataclass(frozen=True)
class ResolvedKey:
    """A public key found offline, with the DID that controls it and the verification method it came from."""

    key: PublicKey
    controller: str
    method: str
    kind: str  # "Ed25519", "P-256", "RSA", ...


def b64url_decode(value: str, what: str) -> bytes:
    """Strict unpadded base64url (RFC 7515 §2); refuses other alphabets and impossible lengths."""
    if not _B64URL.fullmatch(value) or len(value) % 4 == 1:
        raise ProofFailed(f"{what} is not unpadded base64url")
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise ProofFailed(f"{what} is not unpadded base64url") from None


def multibase_base58btc(value: Any, what: str) -> bytes:
    """Decode a multibase base58btc string (``z…``)."""
    if not isinstance(value, str) or not value:
        raise ProofFailed(f"{what} must be a non-empty string")
    if value[0] != "z":
        raise ProofFailed(f"{what} is not multibase base58btc (it must start with 'z', found {value[0]!r})")
    if len(value) > _MAX_IDENTIFIER:
        raise ProofFailed(f"{what} is {len(value):,} characters long, far too long for a key or signature")
    try:
        return base58.b58decode(value[1:])
    except ValueError:
        raise ProofFailed(f"{what} contains characters outside the base58btc alphabet") from None


def _did_key_public(multibase: str) -> tuple[PublicKey, str]:
    try:
        raw = multibase_base58btc(multibase, f"did:key value {multibase[:60]!r}")
    except ProofFailed as exc:
        raise ProofFailed(exc.reason) from None
    prefix, body = raw[:2], raw[2:]
    if prefix == _ED25519:
        if len(body) != 32:
            raise ProofFailed(f"did:key Ed25519 key has {len(body)} bytes, expected 32")
        return Ed25519PublicKey.from_public_bytes(body), "Ed25519"
    if prefix in _MULTICODEC_CURVES:
        name, curve = _MULTICODEC_CURVES[prefix]
        try:
            return ec.EllipticCurvePublicKey.from_encoded_point(curve, body), name
        except ValueError:
            raise ProofFailed(f"did:key {name} key is not a valid compressed point") from None
    if prefix in _OTHER_CODECS:
        raise NotCheckable(f"did:key holds a {_OTHER_CODECS[prefix]} key, which this checker does not support")
    raise ProofFailed(f"did:key value has an unknown multicodec prefix 0x{prefix.hex()}")


def jwk_public(jwk: Any, what: str = "JWK") -> tuple[PublicKey, str]:
    """The public key of a JWK (OKP Ed25519, EC P-256/P-384/P-521/secp256k1, RSA)."""
    if not isinstance(jwk, dict):
        raise ProofFailed(f"{what} must be a JSON object")
    kty, crv = jwk.get("kty"), jwk.get("crv")

    def member(name: str) -> bytes:
        value = jwk.get(name)
        if not isinstance(value, str) or not value:
            raise ProofFailed(f"{what} ({kty}) has no string member {name!r}")
        return b64url_decode(value, f"{what} member {name!r}")

    if kty == "OKP":
        if crv != "Ed25519":
            raise NotCheckable(f"{what} is an OKP key on curve {crv!r}; only Ed25519 is supported")
        x = member("x")
        if len(x) != 32:
            raise ProofFailed(f"{what} Ed25519 'x' has {len(x)} bytes, expected 32")
        return Ed25519PublicKey.from_public_bytes(x), "Ed25519"
    if kty == "EC":
        curve = _JWK_CURVES.get(crv) if isinstance(crv, str) else None
        if curve is None:
            raise NotCheckable(f"{what} is an EC key on unsupported curve {crv!r}")
        try:
            nums = ec.EllipticCurvePublicNumbers(
                int.from_bytes(member("x"), "big"), int.from_bytes(member("y"), "big"), curve
            )
            return nums.public_key(), str(crv)
        except ValueError:
            raise ProofFailed(f"{what} ({crv}) is not a point on its curve") from None
    if kty == "RSA":
        n, e = int.from_bytes(member("n"), "big"), int.from_bytes(member("e"), "big")
        if n.bit_length() < 1024 or e < 3 or e % 2 == 0:
            raise ProofFailed(f"{what} is not a usable RSA key ({n.bit_length()}-bit modulus, exponent {e})")
        try:
            return rsa.RSAPublicNumbers(e, n).public_key(), "RSA"
        except (ValueError, UnsupportedAlgorithm):
            raise ProofFailed(f"{what} is not a valid RSA public key") from None
    raise NotCheckable(f"{what} has unsupported key type {kty!r}")


def resolve_did(did_url: str) -> ResolvedKey:
    """Resolve a ``did:key`` or ``did:jwk`` DID URL offline; anything else is :class:`NotCheckable`.

    A bare ``did:key:z…`` (no fragment) is accepted as its one verification method, as several issuers write it.
    """
    if not isinstance(did_url, str) or not did_url:
        raise ProofFailed("the verification method must be a non-empty string")
    if len(did_url) > _MAX_IDENTIFIER:
        raise ProofFailed(f"the verification method is {len(did_url):,} characters long")
    did, _, fragment = did_url.partition("#")
    if ":" not in did:
        raise ProofFailed(f"verification method {did_url[:80]!r} is not a URL (it has no scheme)")
    if did.startswith("did:key:"):
        ident = did[len("did:key:") :]
        key, kind = _did_key_public(ident)
        if fragment and fragment != ident:
            raise ProofFailed(f"{did_url} names a fragment that is not the key of {did} (expected #{ident})")
        return ResolvedKey(key, did, f"{did}#{ident}", kind)
    if did.startswith("did:jwk:"):
        raw = b64url_decode(did[len("did:jwk:") :], "did:jwk value")
        try:
            jwk = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ProofFailed("did:jwk value does not decode to a JSON JWK") from None
        if fragment not in ("", "0"):
            raise ProofFailed(f"{did_url}: a did:jwk has one verification method, #0")
        key, kind = jwk_public(jwk, "did:jwk key")
        return ResolvedKey(key, did, f"{did}#0", kind)
    raise NotCheckable(not_offline_reason(did_url))


def not_offline_reason(method: str) -> str:
    """Why a verification method cannot be resolved without the network."""
    scheme = method.split(":", 2)
    if method.startswith("did:web:"):
        return f"verification method {method} needs its did:web document from the network"
    if method.startswith("did:") and len(scheme) > 2:
        return f"verification method {method} uses DID method did:{scheme[1]}, which cannot be resolved offline"
    if method.startswith(("https://", "http://")):
        return f"verification method {method} is a key published on the web; fetching it needs the network"
    return f"verification method {method!r} is neither a did:key nor a did:jwk, so its key cannot be found offline"


_HASHES: dict[str, hashes.HashAlgorithm] = {"256": hashes.SHA256(), "384": hashes.SHA384(), "512": hashes.SHA512()}
_EC_ALGS: dict[str, tuple[type[ec.EllipticCurve], str]] = {
    "ES256": (ec.SECP256R1, "256"),
    "ES384": (ec.SECP384R1, "384"),
    "ES512": (ec.SECP521R1, "512"),
    "ES256K": (ec.SECP256K1, "256"),
}
SUPPORTED_ALGS = frozenset({"EdDSA", "Ed25519", *_EC_ALGS, "RS256", "RS384", "RS512", "PS256", "PS384", "PS512"})


def verify_signature(key: PublicKey, alg: str, signature: bytes, data: bytes) -> None:
    """Check ``signature`` over ``data`` with JOSE algorithm ``alg``; raises :class:`ProofFailed` if it does not hold."""
    try:
        if alg in ("EdDSA", "Ed25519"):
            if not isinstance(key, Ed25519PublicKey):
                raise ProofFailed(f"algorithm {alg} needs an Ed25519 key")
            if len(signature) != 64:
                raise ProofFailed(f"an Ed25519 signature has 64 bytes, this one {len(signature)}")
            key.verify(signature, data)
        elif alg in _EC_ALGS:
            curve, bits = _EC_ALGS[alg]
            if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, curve):
                raise ProofFailed(f"algorithm {alg} needs a {curve.name} key")
            size = (key.curve.key_size + 7) // 8
            if len(signature) != 2 * size:
                raise ProofFailed(f"an {alg} signature has {2 * size} bytes, this one {len(signature)}")
            r, s = int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big")
            key.verify(encode_dss_signature(r, s), data, ec.ECDSA(_HASHES[bits]))
        elif alg[:2] in ("RS", "PS") and alg[2:] in _HASHES:
            if not isinstance(key, rsa.RSAPublicKey):
                raise ProofFailed(f"algorithm {alg} needs an RSA key")
            digest = _HASHES[alg[2:]]
            pad: padding.AsymmetricPadding = (
                padding.PKCS1v15() if alg[:2] == "RS" else padding.PSS(padding.MGF1(digest), digest.digest_size)
            )
            key.verify(signature, data, pad, digest)
        else:
            raise NotCheckable(f"signature algorithm {alg!r} is not supported")
    except InvalidSignature:
        raise ProofFailed("the signature does not match the signed data and key") from None
