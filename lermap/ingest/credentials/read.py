"""Shared handling of Verifiable Credential documents (OB 3.0, CLR 2.0, plain VC 1.1/2.0, VC-JWT payloads).

What every credential ingester does before mapping, in order:

1. :func:`read_credential` — the JSON object, refused clearly when it is not one; a credential published in
   expanded or flattened JSON-LD is first compacted against the contexts of :data:`CREDENTIAL_CONTEXTS`
   (:func:`lermap.ingest.jsonld.compacted`), so everything below reads the form the specifications publish;
2. :func:`envelope_of` — which VC data model wraps it ("vc1.1" or "vc2.0"), from its first ``@context``;
3. :func:`check_contexts` — every remote context must be available offline (bundled or registered); known
   superseded draft URLs are read as their published successor (with a warning); with
   ``IngestOptions.lenient`` an unknown context is dropped with a warning instead of refusing the document;
4. :func:`scrub_subjects` — privacy by design: the learner's identity is removed *before* JSON-LD expansion,
   so it reaches neither the native layer nor the core view (kept only with ``IngestOptions.personal``);
5. :func:`check_validity` — expiry, future issuance, status lists: warnings that name the defect;
6. :func:`native_triples` — the expanded JSON-LD triples of the scrubbed document (defective contexts refused, or
   repaired with ``lenient``: :func:`lermap.ingest.jsonld.context_policy`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from lermap.errors import ContextError
from lermap.graph.jsonld import default_registry, iter_triples
from lermap.graph.terms import TripleTuple, minted
from lermap.ingest.base import IngestContext, Source
from lermap.ingest.credentials.contexts import CREDENTIAL_CONTEXTS, VC1_CONTEXT, VC2_CONTEXT
from lermap.ingest.credentials.proofs import check_proof
from lermap.ingest.jsonld import compacted, context_policy, jsonld_head, read_json_document

ENVELOPES = {VC1_CONTEXT: "vc1.1", VC2_CONTEXT: "vc2.0"}

# Draft URLs that published documents still carry, read as the context that replaced them. The 1EdTech
# validator and spruceid/ssi serve the OB 3.0 draft URL with the OB 3.0 context in the same way.
SUPERSEDED_CONTEXTS = {
    "https://imsglobal.github.io/openbadges-specification/context.json": "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
    "https://dc.imsglobal.org/draft/clr/v2p0/context": "https://purl.imsglobal.org/spec/clr/v2p0/context.json",
}

# What stays of an achievement/CLR subject in the shared graph: the achievement and result structure.
SUBJECT_KEEP = frozenset({"type", "achievement", "result", "verifiableCredential", "association"})
ENDORSEMENT_TYPES = frozenset({"EndorsementCredential"})
PRESENTATION_TYPES = frozenset({"VerifiablePresentation"})


def as_list(value: Any) -> list[Any]:
    """``value`` as a list: ``None`` → ``[]``, a scalar or object → ``[value]``."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def types_of(node: Any) -> list[str]:
    """The ``type`` (or ``@type``) strings of a JSON object; ``[]`` for anything else."""
    if not isinstance(node, dict):
        return []
    raw = node.get("type", node.get("@type"))
    return [t for t in as_list(raw) if isinstance(t, str)]


def node_id(node: Any) -> str | None:
    """The ``id`` of an object, or the string itself when a reference is given as a string."""
    if isinstance(node, str):
        return node
    if isinstance(node, dict):
        value = node.get("id", node.get("@id"))
        return value if isinstance(value, str) else None
    return None


def text_of(value: Any) -> str | None:
    """A plain string from a string, a JSON-LD value object or a language map (first entry)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if isinstance(value.get("@value"), str):
            return str(value["@value"])
        for v in value.values():
            if isinstance(v, str):
                return v
    if isinstance(value, list):
        for v in value:
            t = text_of(v)
            if t is not None:
                return t
    return None


def read_credential(source: Source, ctx: IngestContext) -> dict[str, Any]:
    """The source's credential as one compacted JSON object (see the module docstring), refused otherwise."""
    doc = compacted(read_json_document(source, ctx), ctx, CREDENTIAL_CONTEXTS)
    if not isinstance(doc, dict):
        ctx.fail("(document)", f"a credential must be a JSON object, not a JSON {type(doc).__name__}")
    if isinstance(doc.get("@graph"), list):
        ids = [node_id(n) or "(blank node)" for n in doc["@graph"]]
        ctx.fail("@graph", f"{len(ids)} unconnected nodes ({', '.join(ids[:4])}{', ...' if len(ids) > 4 else ''}): "
                           "a credential document is one node tree (a credential or a presentation)")
    return doc


def json_head(source: Source) -> str:
    """The first bytes of a JSON object or array source as text ('' otherwise)."""
    return jsonld_head(source)


def context_urls(value: Any) -> Iterator[str]:
    """Every string entry of a ``@context`` value (top level only)."""
    for c in as_list(value):
        if isinstance(c, str):
            yield c


def envelope_of(doc: dict[str, Any], ctx: IngestContext, location: str = "") -> str:
    """The VC data model version wrapping ``doc``: its first ``@context`` must be VC 1.1's or VC 2.0's."""
    where = f"{location}.@context" if location else "@context"
    contexts = as_list(doc.get("@context"))
    if not contexts:
        ctx.fail(where, "a Verifiable Credential needs a @context")
    first = contexts[0]
    if not isinstance(first, str) or first not in ENVELOPES:
        shown = first if isinstance(first, str) else type(first).__name__
        ctx.fail(where, f"the first @context entry must be {VC1_CONTEXT} or {VC2_CONTEXT}, found {shown}")
    return ENVELOPES[first]


def check_contexts(doc: Any, ctx: IngestContext, where: str = "") -> Any:
    """``doc`` with every remote context available offline, or a :class:`ContextError` naming the missing one.

    Superseded draft URLs are replaced by their successor (warning). With ``lenient`` an unavailable context
    is dropped (warning: its terms are lost); otherwise the document is refused.
    """
    known = default_registry().urls()
    missing: list[tuple[str, str]] = []

    def fix(ctx_value: Any, where: str) -> Any:
        if isinstance(ctx_value, list):
            out = [fix(c, f"{where}[{i}]") for i, c in enumerate(ctx_value)]
            return [c for c in out if c is not None]
        if isinstance(ctx_value, str):
            if ctx_value in known:
                return ctx_value
            successor = SUPERSEDED_CONTEXTS.get(ctx_value)
            if successor is not None and successor in known:
                ctx.warn(where, f"draft context {ctx_value} read as its published successor {successor}")
                return successor
            missing.append((where, ctx_value))
            return None
        return ctx_value

    def walk(node: Any, where: str) -> Any:
        if isinstance(node, dict):
            out = {}
            for k, v in node.items():
                path = f"{where}.{k}" if where else k
                out[k] = fix(v, path) if k == "@context" else walk(v, path)
            return out
        if isinstance(node, list):
            return [walk(v, f"{where}[{i}]") for i, v in enumerate(node)]
        return node

    fixed = walk(doc, where)
    if missing:
        if not ctx.options.lenient:
            where, url = missing[0]
            raise ContextError(
                ctx.source.key,
                where,
                f"JSON-LD context {url} is not available offline; register a local copy with "
                f"`lermap contexts add {url} FILE` (or ingest leniently to drop it and lose its terms)",
            )
        for where, url in missing:
            ctx.warn(where, f"JSON-LD context {url} is not available offline: dropped, its terms are lost")
    return fixed


# -- privacy ------------------------------------------------------------------------------------


# Keys of a subject (or holder) whose values identify the learner; JOSE claims naming the holder.
IDENTITY_KEYS = frozenset({
    "id", "@id", "email", "name", "givenName", "familyName", "fullName", "identityHash", "identifier", "telephone",
    "phone", "birthDate", "studentId", "licenseNumber",
})
HOLDER_CLAIMS = ("sub", "aud", "cnf")
_MIN_REDACT = 4


def scrub_subjects(doc: Any, ctx: IngestContext) -> Any:
    """A copy of ``doc`` without learner identity (unless ``personal``): see the module docstring.

    Besides the subject itself, any other value that repeats the learner's identifiers (a credential named
    "Pat Learner - Degree", a holder's proof key ``did:…#key-1``) is removed, with a warning.
    """
    if ctx.options.personal:
        return doc
    out = copy.deepcopy(doc)
    secrets: set[str] = set()
    _collect_identity(out, secrets)
    if isinstance(out, dict):
        for claim in HOLDER_CLAIMS:
            out.pop(claim, None)
    _scrub(out, ctx, "")
    public: set[str] = set()
    _string_values(out, public)
    secrets = {s for s in secrets if len(s) >= _MIN_REDACT and s not in public}
    if secrets:
        _redact(out, secrets, ctx, "")
    return out


def _collect_identity(node: Any, out: set[str]) -> None:
    """Identifying strings of every learner subject and holder in ``node`` (endorsement subjects excluded)."""
    if isinstance(node, list):
        for v in node:
            _collect_identity(v, out)
        return
    if not isinstance(node, dict):
        return
    types = set(types_of(node))
    if types & PRESENTATION_TYPES:
        _string_values(node.get("holder"), out)
    if "credentialSubject" in node and not types & ENDORSEMENT_TYPES:
        for subject in as_list(node["credentialSubject"]):
            if isinstance(subject, str):
                out.add(subject)
            elif isinstance(subject, dict):
                for k, v in subject.items():
                    if k in IDENTITY_KEYS:
                        _string_values(v, out, skip_types=True)
    for k, v in node.items():
        if k == "identityHash" and isinstance(v, str):
            out.add(v)
        _collect_identity(v, out)


def _string_values(node: Any, out: set[str], skip_types: bool = False) -> None:
    if isinstance(node, str):
        out.add(node)
    elif isinstance(node, list):
        for v in node:
            _string_values(v, out, skip_types)
    elif isinstance(node, dict):
        for k, v in node.items():
            if not (skip_types and k in ("type", "@type", "identityType", "hashed")):
                _string_values(v, out, skip_types)


def _mentions(value: str, secrets: set[str]) -> bool:
    return value in secrets or any(s in value for s in secrets)


def _redact(node: Any, secrets: set[str], ctx: IngestContext, where: str) -> None:
    if isinstance(node, dict):
        for k in list(node):
            v = node[k]
            if k in ("@context", "type", "@type"):
                continue
            if isinstance(v, str) and _mentions(v, secrets):
                del node[k]
                ctx.warn(_join(where, k), "removed: it repeats the learner's identity")
            else:
                _redact(v, secrets, ctx, _join(where, k))
    elif isinstance(node, list):
        for i in reversed(range(len(node))):
            v = node[i]
            if isinstance(v, str) and _mentions(v, secrets):
                del node[i]
                ctx.warn(f"{where}[{i}]", "removed: it repeats the learner's identity")
            else:
                _redact(v, secrets, ctx, f"{where}[{i}]")


def _scrub(node: Any, ctx: IngestContext, where: str) -> None:
    if isinstance(node, list):
        for i, v in enumerate(node):
            _scrub(v, ctx, f"{where}[{i}]")
        return
    if not isinstance(node, dict):
        return
    types = set(types_of(node))
    if types & PRESENTATION_TYPES:
        node.pop("holder", None)
    if isinstance(node.get("verifiableCredential"), (list, str)):
        # An embedded JWT carries the learner base64-encoded: the mapping decodes and scrubs it separately.
        kept = [c for c in as_list(node["verifiableCredential"]) if not isinstance(c, str)]
        if len(kept) != len(as_list(node["verifiableCredential"])):
            node["verifiableCredential"] = kept
    if "credentialSubject" in node and not types & ENDORSEMENT_TYPES:
        node["credentialSubject"] = _scrub_subject(node["credentialSubject"], ctx, _join(where, "credentialSubject"))
    for k, v in node.items():
        _scrub(v, ctx, _join(where, k))


def _scrub_subject(subject: Any, ctx: IngestContext, where: str) -> Any:
    if isinstance(subject, list):
        return [_scrub_subject(s, ctx, f"{where}[{i}]") for i, s in enumerate(subject)]
    if not isinstance(subject, dict):
        return {}  # a bare subject IRI is the learner
    kept = {k: v for k, v in subject.items() if k in SUBJECT_KEEP}
    _drop_identity(kept, ctx, where)
    return kept


def _drop_identity(node: Any, ctx: IngestContext, where: str) -> None:
    """Inside the kept structure: identity objects and e-mail IRIs are the learner's too."""
    if isinstance(node, list):
        for i, v in enumerate(node):
            _drop_identity(v, ctx, f"{where}[{i}]")
        return
    if not isinstance(node, dict):
        return
    if "credentialSubject" in node:
        return  # an embedded credential: _scrub handles it with its own types
    for k in list(node):
        v = node[k]
        if any(isinstance(x, dict) and "identityHash" in x for x in as_list(v)):
            del node[k]
            ctx.warn(_join(where, k), "identity object (identityHash) removed: learner identity is never stored")
            continue
        if k in ("id", "@id") and isinstance(v, str) and v.lower().startswith("mailto:"):
            node[k] = minted("anonymised", ctx.source.key, where).value
            ctx.warn(_join(where, k), "an e-mail address used as an id was replaced by an anonymous IRI")
            continue
        _drop_identity(v, ctx, _join(where, k))


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


# -- validity -----------------------------------------------------------------------------------


def parse_datetime(value: Any) -> datetime | None:
    """An aware datetime from an ISO 8601 string (``Z`` accepted; naive values read as UTC), else ``None``."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


@dataclass
class Validity:
    """The dates and status facts of one credential."""

    issued: datetime | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    status_types: list[str] = field(default_factory=list)
    status_purposes: list[str] = field(default_factory=list)


def check_validity(cred: dict[str, Any], ctx: IngestContext, where: str = "", now: datetime | None = None) -> Validity:
    """Read the credential's dates and status; warn about expiry, future issuance and status lists."""
    now = now or datetime.now(UTC)
    v = Validity()
    for key, attr in (("issuanceDate", "issued"), ("validFrom", "valid_from"), ("expirationDate", "valid_until"),
                      ("validUntil", "valid_until"), ("awardedDate", "issued")):
        raw = cred.get(key)
        if raw is None:
            continue
        dt = parse_datetime(raw)
        if dt is None:
            ctx.warn(_join(where, key), f"not an ISO 8601 date-time: {str(raw)[:60]!r}")
            continue
        if getattr(v, attr) is None:
            setattr(v, attr, dt)
    start = v.valid_from or v.issued
    if start is not None and start > now:
        key = "validFrom" if v.valid_from is not None else "issuanceDate"
        ctx.warn(_join(where, key), f"issued in the future: not valid before {start.isoformat()}")
    if v.valid_until is not None and v.valid_until < now:
        key = "validUntil" if "validUntil" in cred else "expirationDate"
        ctx.warn(_join(where, key), f"expired on {v.valid_until.isoformat()}")
    if start is not None and v.valid_until is not None and v.valid_until < start:
        ctx.warn(_join(where, "validUntil"), "expires before it becomes valid")
    for i, status in enumerate(as_list(cred.get("credentialStatus"))):
        loc = _join(where, f"credentialStatus[{i}]") if isinstance(cred.get("credentialStatus"), list) else _join(where, "credentialStatus")
        if not isinstance(status, dict):
            ctx.warn(loc, "credentialStatus must be an object")
            continue
        stype = ",".join(types_of(status)) or "(no type)"
        purpose = status.get("statusPurpose")
        v.status_types.append(stype)
        if isinstance(purpose, str):
            v.status_purposes.append(purpose)
        if not types_of(status):
            ctx.warn(loc, "credentialStatus has no type: its status cannot be checked")
        elif isinstance(purpose, str):
            ctx.warn(loc, f"status list entry ({stype}) with statusPurpose {purpose!r}: the credential may be "
                          f"{'revoked' if purpose == 'revocation' else purpose + 'ed'}; the list is not checked offline")
        else:
            ctx.warn(loc, f"revocation list ({stype}) present: the credential may be revoked; not checked offline")
    return v


# -- native layer -------------------------------------------------------------------------------


def native_triples(doc: Any, ctx: IngestContext) -> Iterator[TripleTuple]:
    """The expanded JSON-LD triples of ``doc`` (already context-checked and scrubbed)."""
    yield from iter_triples(doc, ctx.source.key, policy=context_policy(ctx))  # type: ignore[misc]


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
KNOWN_DID_METHODS = frozenset({"key", "web", "jwk", "ion", "ethr", "pkh", "velocity", "webvh", "tdw", "peer", "cheqd"})


def check_proof_shape(cred: dict[str, Any], ctx: IngestContext, where: str = "") -> list[str]:
    """The proof types of ``cred`` (with cryptosuite), warning about malformed verification methods."""
    out: list[str] = []
    proofs = cred.get("proof")
    for i, proof in enumerate(as_list(proofs)):
        loc = _join(where, f"proof[{i}]" if isinstance(proofs, list) else "proof")
        if not isinstance(proof, dict):
            ctx.warn(loc, "a proof must be an object")
            continue
        ptype = ",".join(types_of(proof)) or "(no type)"
        suite = proof.get("cryptosuite")
        out.append(f"{ptype}/{suite}" if isinstance(suite, str) else ptype)
        vm = node_id(proof.get("verificationMethod"))
        if vm is None:
            ctx.warn(loc, "proof has no verificationMethod")
            continue
        m = _SCHEME.match(vm)
        if m is None:
            ctx.warn(_join(loc, "verificationMethod"), f"verification method {vm[:80]!r} has no URI scheme")
        elif m.group(1).lower() not in {"did", "https", "http", "urn"}:
            ctx.warn(_join(loc, "verificationMethod"), f"verification method uses unknown URI scheme {m.group(1)!r}")
        elif m.group(1).lower() == "did":
            method = vm.split(":", 2)[1] if vm.count(":") >= 2 else ""
            if method not in KNOWN_DID_METHODS:
                ctx.warn(_join(loc, "verificationMethod"), f"verification method uses unknown DID method {method!r}")
        key = vm.rsplit("#", 1)[-1] if "#" in vm else vm.rsplit(":", 1)[-1]
        if key.startswith("z6Mk") and not _is_ed25519_multikey(key):
            ctx.warn(_join(loc, "verificationMethod"), "verification method key is not a valid Ed25519 multikey")
    return out


_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _is_ed25519_multikey(key: str) -> bool:
    """True for ``z`` + base58btc of 0xed01 + 32 key bytes (the did:key / Multikey form of an Ed25519 key)."""
    body = key[1:]
    if len(body) > 64 or any(c not in _B58 for c in body):
        return False
    n = 0
    for c in body:
        n = n * 58 + _B58.index(c)
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return len(raw) == 34 and raw[:2] == b"\xed\x01"


@dataclass
class ProofOutcome:
    """What the proof check said: ``status`` is one of verified, failed, not-checkable, unsigned."""

    status: str
    proof_type: str | None = None


def proof_status(document: Any, ctx: IngestContext, where: str = "") -> ProofOutcome:
    """Check the signature of ``document`` (a credential object or a compact JWS) with
    :func:`lermap.ingest.credentials.proofs.check_proof`; failures and unchecked proofs become warnings."""
    try:
        result = check_proof(document, ctx.source.key)
    except Exception as exc:  # noqa: BLE001 - a checker bug must not lose the credential
        ctx.warn(where or "proof", f"proof could not be checked: {type(exc).__name__}: {exc}")
        return ProofOutcome("not-checkable")
    status, ptype, detail = result.status, result.proof_type, result.reason
    if status == "failed":
        ctx.warn(where or "proof", "proof verification failed" + (f": {detail}" if detail else ""))
    elif status == "not-checkable":
        ctx.warn(where or "proof", "proof not checked" + (f": {detail}" if detail else ""))
    return ProofOutcome(status, str(ptype) if ptype else None)
