"""Offline proof checking (lermap.ingest.credentials.proofs) on the publishers' signed documents and on hostile input.

Expectations were derived by reading the documents: the verification method of every proof (``did:key`` →
checkable offline; ``did:web``, ``https:``, ``urn:``, ``did:example``/``did:velocity`` → not), the proof type
and cryptosuite, and the ``@context`` list (``https://w3id.org/dcc/v1`` has no published document).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

import base58
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from lermap.errors import LimitExceededError, SourceError
from lermap.ingest.credentials.proofs import ProofResult, check_proof, check_proofs
from lermap.ingest.credentials.proofs.canon import canonical_nquads

DATA = Path(__file__).resolve().parents[2] / "data" / "proofs"
DCC = "ob3/dcc-vc-test-fixtures"
FOLDERS = ("ob3", "clr2", "vc2")


def _expectations() -> dict[str, tuple[str, str]]:
    """``path -> (status, reason fragment)`` from ``conformance-expected.txt`` (sections ``[status] fragment``)."""
    out: dict[str, tuple[str, str]] = {}
    section: tuple[str, str] | None = None
    for line in (DATA / "conformance-expected.txt").read_text("utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            status, _, fragment = line[1:].partition("] ")
            section = (status, fragment)
        else:
            assert section is not None and line not in out, line
            out[line] = section
    return out


EXPECTED = _expectations()


def _documents(root: Path) -> set[str]:
    """Every credential-like file under the three folders (baked PNG/SVG images and the DCC index excluded)."""
    return {
        str(p.relative_to(root))
        for folder in FOLDERS
        for p in (root / folder).rglob("*")
        if p.is_file() and p.suffix in (".json", ".jwt", ".1ob", "")
    }


def test_every_document_has_an_expectation(conformance: Path) -> None:
    assert _documents(conformance) == set(EXPECTED)
    counts = Counter(status for status, _ in EXPECTED.values())
    assert counts == {"verified": 60, "not-checkable": 74, "failed": 3, "unsigned": 39}


@pytest.mark.parametrize(
    ("path", "status", "reason"), [(p, s, r) for p, (s, r) in sorted(EXPECTED.items())], ids=sorted(EXPECTED)
)
def test_conformance_document(conformance: Path, path: str, status: str, reason: str) -> None:
    result = check_proof((conformance / path).read_text("utf-8"), path)
    assert (result.status, reason in result.reason) == (status, True), result.reason


BOTH = sorted(p for p, (s, _) in EXPECTED.items() if "/bothsignaturetypes-didkey" in p.lower() and s == "verified")


@pytest.mark.parametrize("path", BOTH)
def test_proof_set_reports_each_proof(conformance: Path, path: str) -> None:
    doc = json.loads((conformance / path).read_text("utf-8"))
    results = check_proofs(doc, path)
    issuer = doc["issuer"]["id"] if isinstance(doc["issuer"], dict) else doc["issuer"]
    assert sorted(r.proof_type or "" for r in results) == ["DataIntegrityProof/eddsa-rdfc-2022", "Ed25519Signature2020"]
    assert [(r.index, r.status, r.controller, r.issuer_match) for r in results] == [
        (0, "verified", issuer, True),
        (1, "verified", issuer, True),
    ]
    assert len(check_proof(doc, path).proofs) == 2


def test_clr_embedded_credentials(conformance: Path) -> None:
    """The CLR's own proof uses a urn:uuid key, but five of its six AchievementCredentials are signed with a did:key."""
    doc = json.loads((conformance / "clr2/dvalidator-simple_v1.json").read_text("utf-8"))
    results = [check_proof(vc, "clr") for vc in doc["credentialSubject"]["verifiableCredential"]]
    did = "did:key:z6Mks4vZNz8Jwyb85odUeZrissHSY7JeJcXkNTDCcXLhYAZ4"
    assert [(r.status, r.controller, r.issuer_match) for r in results] == [("not-checkable", None, None)] + [
        ("verified", did, False)
    ] * 5


# --- tampering ---------------------------------------------------------------------------------------------

TAMPER_DOCS = [
    f"{DCC}/v2/dataIntegrityProof-didKey-legacyRegistry-noStatus-noExpiry-basicOBv3.json",
    f"{DCC}/v1/dataIntegrityProof-didKey-noRegistry-noStatus-noExpiry.json",
    f"{DCC}/v1/ed25519-didKey-noRegistry-noStatus-noExpiry.json",
    f"{DCC}/v2/bothSignatureTypes-didkey-legacy-noStatus-noExpiry.json",
]


def _flip_last(text: str) -> str:
    return text[:-1] + ("x" if text[-1] != "x" else "y")


def _tamper(doc: dict[str, Any], where: str) -> None:
    if where == "credentialSubject":
        doc["credentialSubject"]["achievement"]["name"] = _flip_last(doc["credentialSubject"]["achievement"]["name"])
    elif where == "issuer.name":
        doc["issuer"]["name"] = _flip_last(doc["issuer"]["name"])
    elif where == "proof.created":
        for proof in doc["proof"] if isinstance(doc["proof"], list) else [doc["proof"]]:
            proof["created"] = proof["created"].replace("20", "19", 1)
    elif where == "proofValue":
        for proof in doc["proof"] if isinstance(doc["proof"], list) else [doc["proof"]]:
            proof["proofValue"] = proof["proofValue"][:-3] + (
                "abc" if not proof["proofValue"].endswith("abc") else "abd"
            )


@pytest.mark.parametrize("where", ["credentialSubject", "issuer.name", "proof.created", "proofValue"])
@pytest.mark.parametrize("path", TAMPER_DOCS)
def test_tampered_copy_fails(conformance: Path, path: str, where: str) -> None:
    doc = json.loads((conformance / path).read_text("utf-8"))
    assert check_proof(doc, path).status == "verified"
    _tamper(doc, where)
    results = check_proofs(doc, path)
    assert [r.status for r in results] == ["failed"] * len(results)
    assert check_proof(doc, path).status == "failed"


def test_undefined_property_is_not_covered(conformance: Path) -> None:
    """VC 1.1 + OB 3.0.3 contexts have no @vocab: an added undefined property would escape the signature."""
    path = f"{DCC}/v1/dataIntegrityProof-didKey-noRegistry-noStatus-noExpiry.json"
    doc = json.loads((conformance / path).read_text("utf-8"))
    doc["credentialSubject"]["grade"] = "A+"
    result = check_proof(doc, path)
    assert (result.status, "does not define (grade)" in result.reason) == ("failed", True), result.reason


def test_unbundled_context_is_not_checkable_and_never_fetched(conformance: Path) -> None:
    path = f"{DCC}/v2/dataIntegrityProof-didKey-legacyRegistry-noStatus-noExpiry-minimal.json"
    doc = json.loads((conformance / path).read_text("utf-8"))
    doc["@context"].append("https://contexts.example.org/not-bundled/v1.jsonld")
    result = check_proof(doc, path)
    assert result.status == "not-checkable"
    assert (
        "JSON-LD context https://contexts.example.org/not-bundled/v1.jsonld is not available offline" in result.reason
    )


# --- our own keys: did:jwk, did:key, JWS algorithms ----------------------------------------------------------

SEED = hashlib.sha256(b"lermap proof tests").digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _ed25519() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(SEED)


def _did_jwk(jwk: dict[str, str]) -> str:
    return "did:jwk:" + _b64(json.dumps(jwk, separators=(",", ":")).encode())


def _ed_did_jwk(sk: Ed25519PrivateKey) -> str:
    return _did_jwk({"kty": "OKP", "crv": "Ed25519", "x": _b64(sk.public_key().public_bytes_raw())})


def _ed_did_key(sk: Ed25519PrivateKey) -> str:
    return "did:key:z" + base58.b58encode(b"\xed\x01" + sk.public_key().public_bytes_raw()).decode()


def _credential(name: str, issuer: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((DATA / name).read_text("utf-8"))
    doc["issuer"]["id"] = issuer
    return doc


def _sign_linked_data(
    doc: dict[str, Any], sk: Ed25519PrivateKey, method: str, ptype: str = "DataIntegrityProof"
) -> dict[str, Any]:
    proof: dict[str, Any] = {
        "type": ptype,
        "created": "2026-01-15T09:00:00Z",
        "verificationMethod": method,
        "proofPurpose": "assertionMethod",
    }
    if ptype == "DataIntegrityProof":
        proof["cryptosuite"] = "eddsa-rdfc-2022"
    config = canonical_nquads({**proof, "@context": doc["@context"]}, "test")
    data = hashlib.sha256(config.encode()).digest() + hashlib.sha256(canonical_nquads(doc, "test").encode()).digest()
    return {**doc, "proof": {**proof, "proofValue": "z" + base58.b58encode(sk.sign(data)).decode()}}


@pytest.mark.parametrize(
    ("fixture", "ptype", "did_kind"),
    [
        ("credential-v2.json", "DataIntegrityProof", "jwk"),
        ("credential-v2.json", "DataIntegrityProof", "key"),
        ("credential-v1-ed25519-2020.json", "Ed25519Signature2020", "jwk"),
    ],
)
def test_own_linked_data_proof(fixture: str, ptype: str, did_kind: str) -> None:
    sk = _ed25519()
    did = _ed_did_jwk(sk) if did_kind == "jwk" else _ed_did_key(sk)
    method = f"{did}#0" if did_kind == "jwk" else f"{did}#{did.split(':')[2]}"
    signed = _sign_linked_data(_credential(fixture, did), sk, method, ptype)
    result = check_proof(signed, "test")
    assert (result.status, result.verification_method, result.controller, result.issuer_match) == (
        "verified",
        method,
        did,
        True,
    )
    signed["credentialSubject"]["achievement"]["description"] += "!"
    assert check_proof(signed, "test").status == "failed"


def _jws(header: dict[str, Any], claims: dict[str, Any], sign: Any) -> str:
    signing_input = _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())
    return signing_input + "." + _b64(sign(signing_input.encode()))


def _es256_signer(sk: ec.EllipticCurvePrivateKey) -> Any:
    def sign(data: bytes) -> bytes:
        r, s = decode_dss_signature(sk.sign(data, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")

    return sign


def _p256() -> tuple[ec.EllipticCurvePrivateKey, dict[str, str]]:
    sk = ec.derive_private_key(int.from_bytes(SEED, "big") % (2**255), ec.SECP256R1())
    nums = sk.public_key().public_numbers()
    return sk, {
        "kty": "EC",
        "crv": "P-256",
        "x": _b64(nums.x.to_bytes(32, "big")),
        "y": _b64(nums.y.to_bytes(32, "big")),
    }


def _token(case: str) -> tuple[str, str]:
    """A VC-JWT for ``case`` and the status it must get."""
    ed = _ed25519()
    vc = _credential("credential-v2.json", "ISSUER")
    if case == "eddsa-did-jwk-kid":
        did = _ed_did_jwk(ed)
        return _jws({"alg": "EdDSA", "kid": f"{did}#0"}, {"iss": did, "vc": vc}, ed.sign), "verified"
    if case == "eddsa-did-key-iss":
        return _jws({"alg": "EdDSA"}, {"iss": _ed_did_key(ed), "vc": vc}, ed.sign), "verified"
    if case == "es256-did-jwk":
        sk, jwk = _p256()
        did = _did_jwk(jwk)
        return _jws({"alg": "ES256", "kid": f"{did}#0"}, {"iss": did, "vc": vc}, _es256_signer(sk)), "verified"
    if case == "es256-did-key":
        sk, _ = _p256()
        point = sk.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)
        did = "did:key:z" + base58.b58encode(b"\x80\x24" + point).decode()
        return _jws({"alg": "ES256", "kid": f"{did}#{did[8:]}"}, {"iss": did}, _es256_signer(sk)), "verified"
    if case == "eddsa-wrong-key":
        other = Ed25519PrivateKey.from_private_bytes(bytes(32))
        return _jws({"alg": "EdDSA"}, {"iss": _ed_did_key(ed)}, other.sign), "failed"
    if case == "alg-key-mismatch":
        return _jws({"alg": "ES256"}, {"iss": _ed_did_key(ed)}, ed.sign), "failed"
    if case == "header-jwk-only":
        jwk = {"kty": "OKP", "crv": "Ed25519", "x": _b64(ed.public_key().public_bytes_raw())}
        return _jws({"alg": "EdDSA", "jwk": jwk}, {"iss": "https://issuer.example.org"}, ed.sign), "not-checkable"
    if case == "kid-did-web":
        return _jws(
            {"alg": "EdDSA", "kid": "did:web:issuer.example.org#key-1"}, {"iss": "did:web:issuer.example.org"}, ed.sign
        ), "not-checkable"
    if case == "alg-none":
        return _b64(b'{"alg":"none"}') + "." + _b64(json.dumps({"vc": vc}).encode()) + ".", "unsigned"
    raise AssertionError(case)


JWT_CASES = [
    "eddsa-did-jwk-kid",
    "eddsa-did-key-iss",
    "es256-did-jwk",
    "es256-did-key",
    "eddsa-wrong-key",
    "alg-key-mismatch",
    "header-jwk-only",
    "kid-did-web",
    "alg-none",
]


@pytest.mark.parametrize("case", JWT_CASES)
def test_vc_jwt(case: str) -> None:
    token, status = _token(case)
    result = check_proof(token, "test")
    assert (result.status, result.proof_type is not None and result.proof_type.startswith("JWT/")) == (status, True), (
        result.reason
    )


@pytest.mark.parametrize("case", ["eddsa-did-jwk-kid", "es256-did-jwk"])
def test_vc_jwt_tampered_payload_fails(case: str) -> None:
    token, _ = _token(case)
    head, payload, sig = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["vc"]["credentialSubject"]["achievement"]["name"] = "Soldering advanced"
    assert check_proof(f"{head}.{_b64(json.dumps(claims).encode())}.{sig}", "test").status == "failed"


def test_enveloped_credential() -> None:
    token, _ = _token("eddsa-did-jwk-kid")
    envelope = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": "EnvelopedVerifiableCredential",
        "id": f"data:application/vc+jwt,{token}",
    }
    assert check_proof(envelope, "test").status == "verified"


# --- hostile input -------------------------------------------------------------------------------------------


def _signed_v2() -> dict[str, Any]:
    sk = _ed25519()
    did = _ed_did_key(sk)
    return _sign_linked_data(_credential("credential-v2.json", did), sk, f"{did}#{did[8:]}")


HOSTILE_PROOFS: dict[str, tuple[Any, str]] = {
    "garbage-proofValue": ({"proofValue": "z0OIl"}, "outside the base58btc alphabet"),
    "short-proofValue": ({"proofValue": "z3mJr7AoUXx2Wqd"}, "an Ed25519 signature has 64"),
    "base64-multibase": ({"proofValue": "uAAECAwQFBgcICQ"}, "must start with 'z'"),
    "numeric-proofValue": ({"proofValue": 12345}, "must be a non-empty string"),
    "missing-proofValue": ({"proofValue": None}, "no proofValue"),
    "numeric-method": ({"verificationMethod": 7}, "no verificationMethod"),
    "did-key-bad-fragment": (
        {"verificationMethod": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#key-1"},
        "not the key of",
    ),
    "did-key-garbage": ({"verificationMethod": "did:key:zzzz#zzzz"}, "unknown multicodec prefix"),
    "did-jwk-garbage": ({"verificationMethod": "did:jwk:!!!#0"}, "not unpadded base64url"),
    "wrong-purpose": ({"proofPurpose": "keyAgreement"}, "proofPurpose 'keyAgreement'"),
    "no-cryptosuite": ({"cryptosuite": 3}, "needs a string cryptosuite"),
    "bad-created": ({"created": "yesterday"}, "not an XML Schema dateTime"),
    "missing-previous-proof": ({"previousProof": "urn:uuid:nope"}, "previousProof names urn:uuid:nope"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_PROOFS))
def test_hostile_proof_fails(case: str) -> None:
    changes, reason = HOSTILE_PROOFS[case]
    doc = _signed_v2()
    doc["proof"] = {k: v for k, v in {**doc["proof"], **changes}.items() if v is not None}
    result = check_proof(doc, "test")
    assert (result.status, reason in result.reason) == ("failed", True), result.reason


@pytest.mark.parametrize(
    ("proof", "reason"),
    [
        ("a string", "must be a JSON object"),
        (42, "must be a JSON object"),
        ([{"type": ["A", "B"]}], "proof type"),
    ],
)
def test_odd_proof_shapes(proof: Any, reason: str) -> None:
    result = check_proof({**_signed_v2(), "proof": proof}, "test")
    assert result.status in ("failed", "not-checkable") and reason in result.reason


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJ4In0", "has 3 dot-separated parts, this one has 2"),
        ("eyJhbGciOiJFZERTQSJ9", "has 1"),
        ("eyJhbGciOiJFZERTQSJ9.e30.a$b", "not unpadded base64url"),
        ("eyJub3QganNvbg.e30.AAAA", "not JSON"),
        ("eyJhbGciOiJFZERTQSIsImNyaXQiOlsiYjY0Il19.e30.AAAA", "critical"),
    ],
)
def test_malformed_jws_fails(token: str, reason: str) -> None:
    result = check_proof(token, "test")
    assert (result.status, reason in result.reason) == ("failed", True), result.reason


def test_jwe_is_not_checkable() -> None:
    assert check_proof("eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d", "test").status == "not-checkable"


@pytest.mark.parametrize(
    ("document", "error"),
    [
        ("hello, world", SourceError),
        ("[1, 2]", SourceError),
        ('{"proof": ', SourceError),
        (42, SourceError),
        ("[" * 500 + "]" * 500, LimitExceededError),
    ],
)
def test_not_a_credential_is_refused(document: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        check_proof(document, "test")


def test_deep_object_is_refused() -> None:
    doc: dict[str, Any] = {"leaf": 1}
    for _ in range(2_000):
        doc = {"x": doc}
    with pytest.raises(LimitExceededError):
        check_proof({**_signed_v2(), "credentialSubject": doc}, "test")


def test_huge_document_is_not_checkable() -> None:
    doc = _signed_v2()
    doc["credentialSubject"]["achievement"]["description"] = "x" * 3_000_000
    result = check_proof(doc, "test")
    assert (result.status, "over the" in result.reason) == ("not-checkable", True), result.reason


def test_poison_blank_node_graph_is_bounded() -> None:
    """A clique of indistinguishable blank nodes makes RDFC-1.0 factorial; the work cap stops it."""
    doc = _signed_v2()
    knows = "https://vocab.example.org/knows"
    doc[knows] = [{"id": f"_:n{i}", knows: [{"id": f"_:n{j}"} for j in range(6) if j != i]} for i in range(6)]
    result = check_proof(doc, "test")
    assert (result.status, "blank-node hashing rounds" in result.reason) == ("not-checkable", True), result.reason


def test_unsigned_object() -> None:
    assert check_proof(
        {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "VerifiableCredential"}, "t"
    ) == ProofResult("unsigned", reason="the document has no proof")
