"""Offline proof checking for credentials: is this credential signed, and does the signature hold?

Everything happens without the network: keys come only from ``did:key`` and ``did:jwk`` identifiers (and
JOSE headers), JSON-LD contexts only from lermap's offline registry. Each proof ends in one status:

* ``verified`` — the signature holds for the key its verification method names;
* ``failed`` — the proof was checked and is wrong (altered document, bad signature, malformed proof);
* ``not-checkable`` — it might be fine, but checking needs the network (``did:web``, ``https:`` keys), a
  suite this module lacks (``ecdsa-sd-2023``, ``bbs-2023``, …) or a context that is not available offline;
* ``unsigned`` — there is no proof at all (or a JWS with ``alg: none``).

Supported: Data Integrity ``eddsa-rdfc-2022`` (and ``eddsa-2022``), ``Ed25519Signature2020``, and compact
JWS (VC-JWT / VC-JOSE) with EdDSA, ES256/384/512/256K, RS*/PS*.

>>> check_proof({"@context": [], "type": ["VerifiableCredential"]}, "example").status
'unsigned'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from lermap.config import Limits
from lermap.errors import LermapError, LimitExceededError, SourceError
from lermap.ingest.base import parse_json_text
from lermap.ingest.credentials.proofs.jws import parse_compact_jws, refuse_critical, verify_compact_jws
from lermap.ingest.credentials.proofs.linked_data import check_linked_data_proof, proof_type_name
from lermap.ingest.credentials.proofs.outcome import NotCheckable, ProofFailed, Verified

Status = Literal["verified", "failed", "not-checkable", "unsigned"]

__all__ = ["ProofResult", "Status", "check_proof", "check_proofs", "overall_result"]

_ENVELOPE_JWT = ("data:application/vc+jwt,", "data:application/vc-ld+jwt,", "data:application/jwt,")


@dataclass(frozen=True)
class ProofResult:
    """The outcome of checking one proof, or (from :func:`check_proof`) of all a document's proofs together.

    ``controller`` is the DID that controls the key (for verified proofs); ``issuer_match`` says whether that
    is the credential's issuer (``None`` when unknown). ``index`` is the proof's position in the document's
    ``proof`` array (``None`` for a single proof object, a JWS, or the overall result). The overall result
    lists the per-proof results in ``proofs``.
    """

    status: Status
    proof_type: str | None = None
    verification_method: str | None = None
    reason: str = ""
    index: int | None = None
    controller: str | None = None
    issuer_match: bool | None = None
    proofs: tuple[ProofResult, ...] = ()

    @property
    def verified(self) -> bool:
        return self.status == "verified"


def check_proofs(document: dict[str, Any] | str, source_key: str) -> list[ProofResult]:
    """One result per proof of ``document`` (a credential object, its JSON text, or a compact JWS).

    Returns ``[]`` for a document without proofs. Refuses with :class:`~lermap.errors.SourceError` only input
    that is no credential at all (text that is neither JSON nor a JWS, a JSON array, …); every defect of a
    proof itself comes back as a ``failed`` result.
    """
    doc = _coerce(document, source_key)
    if isinstance(doc, str):
        return [_check_jws(doc, None)]
    envelope = _enveloped_jwt(doc)
    if envelope is not None:
        return [_check_jws(envelope, None)]
    proof = doc.get("proof")
    if proof is None or proof == []:
        return []
    issuer = _issuer_id(doc)
    if isinstance(proof, list):
        memo: dict[str, str] = {}
        return [_check_embedded(doc, p, i, issuer, source_key, memo) for i, p in enumerate(proof)]
    return [_check_embedded(doc, proof, None, issuer, source_key, {})]


def check_proof(document: dict[str, Any] | str, source_key: str) -> ProofResult:
    """The overall result for ``document``: see :func:`overall_result`; the per-proof results are in ``.proofs``."""
    return overall_result(check_proofs(document, source_key))


def overall_result(results: Sequence[ProofResult]) -> ProofResult:
    """Combine per-proof results: failed if any fails; verified if at least one verifies and none fails
    (proofs that cannot be checked offline do not count against it); else not-checkable; unsigned without proofs.

    The combined result takes its type, method and reason from the proof that decided it.
    """
    proofs = tuple(results)
    if not proofs:
        return ProofResult("unsigned", reason="the document has no proof")
    for status in ("failed", "verified", "not-checkable", "unsigned"):
        deciding = [r for r in proofs if r.status == status]
        if deciding:
            first = deciding[0]
            reason = first.reason
            if len(proofs) > 1:
                counts = ", ".join(
                    f"{sum(r.status == s for r in proofs)} {s}"
                    for s in ("verified", "failed", "not-checkable")
                    if any(r.status == s for r in proofs)
                )
                where = f"proof[{first.index}]: " if first.index is not None else ""
                reason = f"{len(proofs)} proofs ({counts}); {where}{reason}"
            return ProofResult(
                first.status,
                first.proof_type,
                first.verification_method,
                reason,
                None,
                first.controller,
                first.issuer_match,
                proofs,
            )
    raise AssertionError("unreachable")  # pragma: no cover


def _coerce(document: Any, source_key: str) -> dict[str, Any] | str:
    if isinstance(document, dict):
        _refuse_deep(document, source_key, Limits.from_env().max_json_depth)
        return document
    if isinstance(document, bytes):
        try:
            document = document.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SourceError(source_key, "(document)", "a credential must be UTF-8 text") from None
    if not isinstance(document, str):
        raise SourceError(
            source_key, "(document)", f"expected a credential object or a compact JWS, got {type(document).__name__}"
        )
    text = document.strip()
    if text.startswith(("{", "[")):
        limits = Limits.from_env()
        if len(text) > limits.max_json_bytes:
            raise LimitExceededError(source_key, "(document)", f"{len(text):,} characters is over the JSON limit")
        value = parse_json_text(text, source_key, limits)
        if not isinstance(value, dict):
            raise SourceError(
                source_key, "(document)", f"a credential must be a JSON object, not a JSON {type(value).__name__}"
            )
        return value
    if text.startswith("ey"):  # a JOSE header always begins '{"' = "ey" in base64url; parsing reports the rest
        return text
    raise SourceError(source_key, "(document)", "neither a JSON credential nor a compact JWS")


def _refuse_deep(value: Any, source_key: str, max_depth: int) -> None:
    """Refuse objects nested past the JSON depth limit (they would exhaust the recursion of any JSON-LD processor)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > max_depth:
            raise LimitExceededError(source_key, "(document)", f"JSON nested deeper than {max_depth} levels")
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        stack.extend((v, depth + 1) for v in children if isinstance(v, (dict, list)))


def _enveloped_jwt(doc: dict[str, Any]) -> str | None:
    """The JWS inside a VC 2.0 ``EnvelopedVerifiableCredential`` (``id`` is a ``data:`` URL), if ``doc`` is one."""
    types = doc.get("type")
    if "EnvelopedVerifiableCredential" not in (types if isinstance(types, list) else [types]):
        return None
    ident = doc.get("id")
    if isinstance(ident, str):
        for prefix in _ENVELOPE_JWT:
            if ident.startswith(prefix):
                return ident[len(prefix) :]
    return None


def _issuer_id(doc: dict[str, Any]) -> str | None:
    issuer = doc.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


def _result(verified: Verified, proof_type: str | None, index: int | None, issuer: str | None) -> ProofResult:
    match = None if issuer is None else verified.controller == issuer.partition("#")[0]
    reason = verified.note
    if match is False:
        reason += f"; the key is controlled by {verified.controller}, not by the issuer {issuer}"
    return ProofResult("verified", proof_type, verified.method, reason, index, verified.controller, match)


def _check_embedded(
    doc: dict[str, Any], proof: Any, index: int | None, issuer: str | None, source_key: str, memo: dict[str, str]
) -> ProofResult:
    ptype = proof_type_name(proof)
    method = proof.get("verificationMethod") if isinstance(proof, dict) else None
    method = method if isinstance(method, str) else None
    try:
        return _result(check_linked_data_proof(doc, proof, source_key, memo), ptype, index, issuer)
    except ProofFailed as exc:
        return ProofResult("failed", ptype, method, exc.reason, index)
    except NotCheckable as exc:
        return ProofResult("not-checkable", ptype, method, exc.reason, index)
    except LermapError as exc:
        return ProofResult("not-checkable", ptype, method, str(exc), index)
    except Exception as exc:  # noqa: BLE001 - odd input must end in a result, never an escaped exception
        return ProofResult(
            "not-checkable",
            ptype,
            method,
            f"the checker could not handle this proof: {type(exc).__name__}: {exc}",
            index,
        )


def _check_jws(token: str, index: int | None) -> ProofResult:
    try:
        jws = parse_compact_jws(token)
        refuse_critical(jws)
    except ProofFailed as exc:
        return ProofResult("failed", "JWT", None, exc.reason, index)
    except NotCheckable as exc:
        return ProofResult("not-checkable", "JWT", None, exc.reason, index)
    ptype = f"JWT/{jws.alg}"
    kid = jws.header.get("kid")
    method = kid if isinstance(kid, str) else None
    if jws.alg == "none":
        return ProofResult("unsigned", ptype, None, "the JWS has alg 'none': it carries no signature", index)
    try:
        return _result(verify_compact_jws(jws), ptype, index, jws.issuer)
    except ProofFailed as exc:
        return ProofResult("failed", ptype, method, exc.reason, index)
    except NotCheckable as exc:
        return ProofResult("not-checkable", ptype, method, exc.reason, index)
    except Exception as exc:  # noqa: BLE001 - odd input must end in a result, never an escaped exception
        return ProofResult(
            "not-checkable",
            ptype,
            method,
            f"the checker could not handle this token: {type(exc).__name__}: {exc}",
            index,
        )
