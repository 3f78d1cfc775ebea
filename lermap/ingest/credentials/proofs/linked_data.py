"""Embedded Ed25519 proofs over RDF canonical forms: Data Integrity ``eddsa-rdfc-2022`` (and its earlier
name ``eddsa-2022``) and ``Ed25519Signature2020``.

Both follow one recipe (W3C vc-di-eddsa §3.3, and the 2020 suite it grew from):

* the *proof configuration* is the proof without ``proofValue``, given the document's ``@context``;
* the *unsecured document* is the document without ``proof`` (plus, for a proof chain, the proofs its
  ``previousProof`` names);
* both are canonicalised with RDFC-1.0 and hashed with SHA-256; the signed data is
  ``sha256(proof configuration) || sha256(document)``;
* ``proofValue`` is the 64-byte Ed25519 signature in multibase base58btc (``z…``).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from lermap.ingest.credentials.proofs.canon import canonical_nquads
from lermap.ingest.credentials.proofs.keys import multibase_base58btc, resolve_did, verify_signature
from lermap.ingest.credentials.proofs.outcome import NotCheckable, ProofFailed, Verified

EDDSA_RDFC_SUITES = frozenset({"eddsa-rdfc-2022", "eddsa-2022"})
ED25519_2020 = "Ed25519Signature2020"
ED25519_2020_CONTEXT = "https://w3id.org/security/suites/ed25519-2020/v1"
# What a did:key / did:jwk DID document authorises its one signing key for.
_DATETIME = re.compile(r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")
_DID_KEY_PURPOSES = frozenset({"assertionMethod", "authentication", "capabilityInvocation", "capabilityDelegation"})


def proof_type_name(proof: Any) -> str | None:
    """``"DataIntegrityProof/eddsa-rdfc-2022"``, ``"Ed25519Signature2020"``, … (``None`` when it has no type)."""
    if not isinstance(proof, dict):
        return None
    ptype = proof.get("type")
    if isinstance(ptype, list) and len(ptype) == 1:
        ptype = ptype[0]
    if not isinstance(ptype, str):
        return None if ptype is None else json.dumps(ptype)[:80]
    suite = proof.get("cryptosuite")
    return f"{ptype}/{suite}" if ptype == "DataIntegrityProof" and isinstance(suite, str) else ptype


def _suite(proof: dict[str, Any]) -> str:
    name = proof_type_name(proof)
    ptype = proof.get("type")
    if ptype == "DataIntegrityProof":
        suite = proof.get("cryptosuite")
        if not isinstance(suite, str):
            raise ProofFailed("a DataIntegrityProof needs a string cryptosuite")
        if suite not in EDDSA_RDFC_SUITES:
            raise NotCheckable(f"cryptosuite {suite} is not supported offline (only eddsa-rdfc-2022 / eddsa-2022)")
        return suite
    if ptype == ED25519_2020:
        return ED25519_2020
    if name is None:
        raise ProofFailed("the proof has no type")
    raise NotCheckable(f"proof type {name} is not supported offline")


def _contexts(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _unsecured(document: dict[str, Any], proof: dict[str, Any]) -> dict[str, Any]:
    """The document without ``proof``; a proof chain keeps the earlier proofs this one names (vc-data-integrity §4.3)."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    previous = proof.get("previousProof")
    if previous is None:
        return unsecured
    wanted = previous if isinstance(previous, list) else [previous]
    if not all(isinstance(w, str) for w in wanted):
        raise ProofFailed("previousProof must be a string or an array of strings")
    all_proofs = document.get("proof")
    pool = [p for p in (all_proofs if isinstance(all_proofs, list) else [all_proofs]) if isinstance(p, dict)]
    chain = [p for p in pool if p.get("id") in wanted]
    missing = sorted(set(wanted) - {p.get("id") for p in chain})
    if missing:
        raise ProofFailed(f"previousProof names {', '.join(missing)}, which the document does not hold")
    unsecured["proof"] = chain[0] if len(chain) == 1 else chain
    return unsecured


def _proof_config(document: dict[str, Any], proof: dict[str, Any], suite: str) -> dict[str, Any]:
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    context = document["@context"]
    if suite == ED25519_2020 and ED25519_2020_CONTEXT not in _contexts(context):
        # jsonld-signatures adds the suite context to the proof options when the document lacks it.
        context = [*_contexts(context), ED25519_2020_CONTEXT]
    config["@context"] = context
    return config


def check_linked_data_proof(document: dict[str, Any], proof: Any, source_key: str, memo: dict[str, str]) -> Verified:
    """Check one embedded proof of ``document``; raises :class:`ProofFailed` or :class:`NotCheckable`.

    ``memo`` caches canonical forms between the proofs of one document (a proof set signs one document).
    """
    if not isinstance(proof, dict):
        raise ProofFailed(f"a proof must be a JSON object, not {type(proof).__name__}")
    suite = _suite(proof)
    method = proof.get("verificationMethod")
    if isinstance(method, dict):  # an embedded verification method object: only its id matters here
        method = method.get("id")
    if not isinstance(method, str) or not method:
        raise ProofFailed("the proof has no verificationMethod")
    value = proof.get("proofValue")
    if value is None:
        raise ProofFailed(
            "the proof has no proofValue" + (" (it carries a detached 'jws' instead)" if "jws" in proof else "")
        )
    signature = multibase_base58btc(value, "proofValue")
    if len(signature) != 64:
        raise ProofFailed(f"proofValue decodes to {len(signature)} bytes; an Ed25519 signature has 64")
    purpose = proof.get("proofPurpose")
    if not isinstance(purpose, str):
        raise ProofFailed("the proof has no proofPurpose")
    created = proof.get("created")
    if created is not None and not (isinstance(created, str) and _DATETIME.fullmatch(created)):
        raise ProofFailed(f"created {str(created)[:40]!r} is not an XML Schema dateTime")
    key = resolve_did(method)  # NotCheckable for did:web, https:, …
    if not isinstance(key.key, Ed25519PublicKey):
        raise ProofFailed(f"{suite} needs an Ed25519 key; {method} holds a {key.kind} key")
    if purpose not in _DID_KEY_PURPOSES:
        raise ProofFailed(f"proofPurpose {purpose!r} is not one {key.controller} authorises its key for")
    if "@context" not in document:
        raise ProofFailed("the document has no @context, so a canonical form would not cover its content")

    unsecured = _unsecured(document, proof)
    doc_key = json.dumps(unsecured, sort_keys=True, ensure_ascii=False)
    if doc_key not in memo:
        memo[doc_key] = canonical_nquads(unsecured, source_key, "document")
    config_nquads = canonical_nquads(_proof_config(document, proof, suite), source_key, "proof configuration")
    if not config_nquads:
        raise ProofFailed(
            "the proof configuration canonicalises to nothing (its terms are not defined by the @context)"
        )
    data = (
        hashlib.sha256(config_nquads.encode("utf-8")).digest() + hashlib.sha256(memo[doc_key].encode("utf-8")).digest()
    )
    verify_signature(key.key, "EdDSA", signature, data)
    note = (
        f"Ed25519 signature over the RDFC-1.0 canonical form checked with the did:{key.controller.split(':', 2)[1]} key"
    )
    if method != key.method:
        note += f" (verificationMethod written as {method})"
    return Verified(method, key.controller, note)
