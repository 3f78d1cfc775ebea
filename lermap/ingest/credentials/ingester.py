"""One credential document of the VC family, from JSON to triples: classify, check, scrub, map.

Used by every learner-side credential ingester (ob3, clr2, vc, vc-jwt, baked), so that a credential maps the
same way whether it arrives as JSON-LD, inside a JWT or baked into an image.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from pyoxigraph import NamedNode

from lermap.graph.terms import TripleTuple, lit
from lermap.graph.vocab import LERMAP
from lermap.ingest.base import IngestContext, Ingester, Source
from lermap.ingest.credentials.mapping import CoreMapper
from lermap.ingest.credentials.read import (
    as_list,
    check_contexts,
    check_proof_shape,
    check_validity,
    envelope_of,
    native_triples,
    node_id,
    proof_status,
    read_credential,
    scrub_subjects,
    types_of,
)
from lermap.ingest.credentials.vc_jwt_read import JwtInfo, credential_from_jws

OB3_CREDENTIAL_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential", "EndorsementCredential"})
OB3_CONTEXT_PREFIX = "https://purl.imsglobal.org/spec/ob/v3p0/"
CLR_CONTEXT_PREFIX = "https://purl.imsglobal.org/spec/clr/v2p0/"


@dataclass
class ParsedCredential:
    """A credential document ready to map: ``doc`` is context-checked and scrubbed; ``original`` is as signed."""

    kind: str  # "ob3" | "ob3-object" | "clr2" | "vc" | "presentation"
    original: dict[str, Any]
    doc: dict[str, Any]
    envelope: str
    jwt: JwtInfo | None = None


def classify(doc: dict[str, Any]) -> str:
    """Which mapping a JSON object needs, from its types."""
    types = set(types_of(doc))
    if "ClrCredential" in types:
        return "clr2"
    if types & OB3_CREDENTIAL_TYPES:
        return "ob3"
    if "VerifiablePresentation" in types:
        return "presentation"
    if "VerifiableCredential" in types:
        return "vc"
    if types & {"Achievement", "Profile"} or uses_context(doc, OB3_CONTEXT_PREFIX):
        return "ob3-object"
    return "unknown"


def _at(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def uses_context(doc: dict[str, Any], prefix: str) -> bool:
    """Whether one of the document's top-level contexts starts with ``prefix``."""
    return any(isinstance(c, str) and c.startswith(prefix) for c in as_list(doc.get("@context")))


def prepare(doc: dict[str, Any], ctx: IngestContext, jwt: JwtInfo | None = None) -> ParsedCredential:
    """Classify, validate the structure (refusing what cannot be mapped), check contexts and scrub the learner."""
    kind = classify(doc)
    if kind == "unknown":
        shown = types_of(doc) or "(none)"
        ctx.fail("type", f"not a Verifiable Credential, Presentation or Open Badges 3.0 object (type {shown})")
    envelope = "jwt" if jwt is not None else ""
    if kind == "ob3-object":
        _check_ob3_object(doc, ctx)
    else:
        vc_envelope = envelope_of(doc, ctx)
        envelope = envelope or vc_envelope
        if kind == "vc" and uses_context(doc, OB3_CONTEXT_PREFIX):
            _refuse_untyped_badge(doc, ctx)
        if kind in ("ob3", "clr2"):
            _check_ob3_credential(doc, ctx, "")
    fixed = check_contexts(doc, ctx)
    return ParsedCredential(kind, doc, scrub_subjects(fixed, ctx), envelope or "json-ld", jwt)


def map_parsed(parsed: ParsedCredential, ctx: IngestContext) -> Iterator[TripleTuple]:
    """The native layer then the core view of a prepared credential."""
    yield from native_triples(parsed.doc, ctx)
    m = CoreMapper(ctx)
    if parsed.kind == "ob3-object":
        _map_ob3_object(m, parsed.doc)
    elif parsed.kind == "presentation":
        _map_embedded(m, parsed.original.get("verifiableCredential"), "verifiableCredential", parsed.envelope,
                      parsed.original.get("@context"))
    else:
        signed: Any = parsed.jwt.compact if parsed.jwt is not None else parsed.original
        node = map_credential(m, parsed.doc, parsed.original, signed, "", parsed.envelope)
        if parsed.jwt is not None and node is not None:
            m.add(node, LERMAP.jwtAlgorithm, lit(parsed.jwt.algorithm) if parsed.jwt.algorithm else None)
            m.add(node, LERMAP.jwtKeyId, lit(parsed.jwt.key_id) if parsed.jwt.key_id else None)
    yield from m.triples


def _envelope_or(cred: dict[str, Any], default: str) -> str:
    first = as_list(cred.get("@context"))[:1]
    return {"https://www.w3.org/2018/credentials/v1": "vc1.1", "https://www.w3.org/ns/credentials/v2": "vc2.0"}.get(
        first[0] if first and isinstance(first[0], str) else "", default
    )


def map_credential(m: CoreMapper, cred: dict[str, Any], original: dict[str, Any], signed: Any, where: str,
                   envelope: str) -> NamedNode | None:
    """The core view of one credential (OB 3.0, endorsement, CLR or plain VC); returns its assertion node.

    ``cred`` is scrubbed, ``original`` is the document as received, ``signed`` what the proof covers (the
    original object, or the compact JWS)."""
    ctx = m.ctx
    validity = check_validity(cred, ctx, where)
    proof_types = check_proof_shape(cred, ctx, where) if isinstance(signed, dict) else []
    proof = proof_status(signed, ctx, _at(where, "proof"))
    types = set(types_of(cred))
    if "EndorsementCredential" in types:
        m.endorsement(cred, where or "(document)", validity, proof)
        return None
    issuer = m.organization(cred.get("issuer"), _at(where, "issuer"))
    definitions: list[NamedNode] = []
    subjects = as_list(cred.get("credentialSubject"))
    for i, subject in enumerate(subjects):
        s_where = _at(where, "credentialSubject") + (f"[{i}]" if isinstance(cred.get("credentialSubject"), list) else "")
        if not isinstance(subject, dict):
            continue
        for j, ach in enumerate(as_list(subject.get("achievement"))):
            a_where = f"{s_where}.achievement" + (f"[{j}]" if isinstance(subject.get("achievement"), list) else "")
            node = m.definition(ach, a_where, issuer)
            if node is not None and "ClrCredential" not in types:
                definitions.append(node)
        for k, result in enumerate(as_list(subject.get("result"))):
            _result_alignments(m, result, f"{s_where}.result[{k}]", definitions, issuer)
        if "ClrCredential" in types:
            _map_clr_subject(m, subject, original, s_where, issuer, envelope)
    if not definitions:
        if types & {"OpenBadgeCredential", "AchievementCredential"}:
            ctx.warn(_at(where, "credentialSubject.achievement"), "missing (required by OB 3.0): the credential is recorded by its type")
        definitions.append(m.generic_definition(cred, issuer, where))
    m.endorsements(cred.get("endorsement"), _at(where, "endorsement"))
    return m.assertion(cred, where, definitions, issuer, envelope, validity, proof, proof_types)


def _result_alignments(m: CoreMapper, result: Any, where: str, definitions: list[NamedNode], issuer: NamedNode | None) -> None:
    if not isinstance(result, dict):
        return
    rd = result.get("resultDescription")
    subject = NamedNode(rd) if isinstance(rd, str) and rd.split(":", 1)[0] in {"urn", "http", "https"} else None
    subject = subject or (definitions[0] if definitions else None)
    if subject is not None:
        m.alignments(result.get("alignment"), subject, f"{where}.alignment", issuer)


def _map_embedded(m: CoreMapper, originals: Any, where: str, default_envelope: str, outer_context: Any = None) -> None:
    """Embedded credentials (CLR subject, presentation), from the signed originals: objects are scrubbed here,
    compact JWTs decoded, scrubbed and expanded (their native triples were left out of the outer document)."""
    ctx = m.ctx
    is_list = isinstance(originals, list)
    for i, original in enumerate(as_list(originals)):
        c_where = f"{where}[{i}]" if is_list else where
        if isinstance(original, str):
            cred, info = credential_from_jws(original, ctx, c_where)
            scrubbed = scrub_subjects(check_contexts(cred, ctx, c_where), ctx)
            m.triples.extend(native_triples(scrubbed, ctx))
            node = map_credential(m, scrubbed, cred, original, c_where, "jwt")
            if node is not None:
                m.add(node, LERMAP.jwtAlgorithm, lit(info.algorithm) if info.algorithm else None)
                m.add(node, LERMAP.jwtKeyId, lit(info.key_id) if info.key_id else None)
        elif isinstance(original, dict):
            scrubbed = scrub_subjects(check_contexts(original, ctx, c_where), ctx)
            # without a @context of its own it is read in its container's, and so is what its proof signs
            signed = original if "@context" in original or outer_context is None else {"@context": outer_context, **original}
            map_credential(m, scrubbed, original, signed, c_where, _envelope_or(original, default_envelope))
        else:
            ctx.warn(c_where, "an embedded credential must be an object or a compact JWT")


def _map_clr_subject(m: CoreMapper, subject: dict[str, Any], original: dict[str, Any], where: str,
                     issuer: NamedNode | None, envelope: str) -> None:
    subjects = [s for s in as_list(original.get("credentialSubject")) if isinstance(s, dict)]
    originals = subjects[0].get("verifiableCredential") if subjects else subject.get("verifiableCredential")
    # a credential embedded without a @context of its own is read with the CLR's: its envelope is the CLR's
    _map_embedded(m, originals, f"{where}.verifiableCredential", envelope, original.get("@context"))
    for i, assoc in enumerate(as_list(subject.get("association"))):
        m.association(assoc, f"{where}.association[{i}]", issuer)


def _map_ob3_object(m: CoreMapper, doc: dict[str, Any]) -> None:
    types = set(types_of(doc))
    if "Achievement" in types:
        m.definition(doc, "(document)", None)
    elif "Profile" in types:
        m.organization(doc, "(document)")


# -- structural checks: refuse what cannot be mapped, warn about the rest --------------------------


def _check_ob3_object(doc: dict[str, Any], ctx: IngestContext) -> None:
    types = types_of(doc)
    if not (set(types) & {"Achievement", "Profile"}):
        ctx.fail("type", f"an Open Badges 3.0 object must be typed Achievement or Profile, found {types or repr(doc.get('type'))}")
    if "Achievement" in types and not isinstance(doc.get("name"), (str, dict, list)):
        ctx.fail("name", "an Achievement needs a name")


def _refuse_untyped_badge(doc: dict[str, Any], ctx: IngestContext) -> None:
    """An OB 3.0 achievement subject inside a credential not typed as a badge is a typing error."""
    for subject in as_list(doc.get("credentialSubject")):
        if isinstance(subject, dict) and ("AchievementSubject" in types_of(subject) or "achievement" in subject):
            ctx.fail("type", f"type {types_of(doc)} names no Open Badges credential type "
                             "(OpenBadgeCredential, AchievementCredential or EndorsementCredential)")


def _expect(node: Any, expected: str, ctx: IngestContext, where: str, refuse: bool) -> None:
    if not isinstance(node, dict):
        return
    types = types_of(node)
    if (types and expected not in types) or (not types and "type" in node):
        message = f"type must include {expected}, found {types or repr(node.get('type'))}"
        if refuse:
            ctx.fail(f"{where}.type" if where else "type", message)
        ctx.warn(f"{where}.type", message)


def _check_ob3_credential(doc: dict[str, Any], ctx: IngestContext, where: str) -> None:
    """OB 3.0 / CLR 2.0 structure: the credential's own issuer, subject and achievement types must be right
    (refused otherwise); wrong types in optional parts (evidence, results, identifiers...) are flagged."""
    issuer = doc.get("issuer")
    if issuer is None:
        ctx.fail(_at(where, "issuer"), "missing: a Verifiable Credential must name its issuer")
    if not isinstance(issuer, (str, dict)) or (isinstance(issuer, dict) and not isinstance(node_id(issuer), str)):
        ctx.fail(_at(where, "issuer"), "must be an IRI or a profile object with an id")
    _expect(issuer, "Profile", ctx, _at(where, "issuer"), refuse=True)
    if isinstance(issuer, dict):
        _expect(issuer.get("parentOrg"), "Profile", ctx, _at(where, "issuer.parentOrg"), refuse=False)
        for i, other in enumerate(as_list(issuer.get("otherIdentifier"))):
            _expect(other, "IdentifierEntry", ctx, _at(where, f"issuer.otherIdentifier[{i}]"), refuse=False)
    subjects = as_list(doc.get("credentialSubject"))
    if not subjects:
        ctx.fail(_at(where, "credentialSubject"), "missing: a Verifiable Credential needs a credentialSubject")
    types = set(types_of(doc))
    expected_subject = ("ClrSubject" if "ClrCredential" in types else
                        "EndorsementSubject" if "EndorsementCredential" in types else "AchievementSubject")
    for i, subject in enumerate(subjects):
        s_at = _at(where, "credentialSubject") + (f"[{i}]" if isinstance(doc.get("credentialSubject"), list) else "")
        if not isinstance(subject, dict):
            ctx.fail(s_at, "must be an object")
        _expect(subject, expected_subject, ctx, s_at, refuse=True)
        for j, ach in enumerate(as_list(subject.get("achievement"))):
            a_at = f"{s_at}.achievement" + (f"[{j}]" if isinstance(subject.get("achievement"), list) else "")
            _expect(ach, "Achievement", ctx, a_at, refuse=True)
            if isinstance(ach, dict):
                for k, rd in enumerate(as_list(ach.get("resultDescription"))):
                    _expect(rd, "ResultDescription", ctx, f"{a_at}.resultDescription[{k}]", refuse=False)
        for k, result in enumerate(as_list(subject.get("result"))):
            _expect(result, "Result", ctx, f"{s_at}.result[{k}]", refuse=False)
        for k, ident in enumerate(as_list(subject.get("identifier"))):
            _expect(ident, "IdentityObject", ctx, f"{s_at}.identifier[{k}]", refuse=False)
        _expect(subject.get("source"), "Profile", ctx, f"{s_at}.source", refuse=False)
        for k, cred in enumerate(as_list(subject.get("verifiableCredential"))):
            if isinstance(cred, dict):
                _check_ob3_credential(cred, ctx, f"{s_at}.verifiableCredential[{k}]")
    for i, ev in enumerate(as_list(doc.get("evidence"))):
        _expect(ev, "Evidence", ctx, _at(where, f"evidence[{i}]"), refuse=False)


class JsonCredentialIngester(Ingester):
    """Base of the JSON(-LD) credential ingesters: read, prepare, map; subclasses say which kinds they take."""

    kinds: ClassVar[frozenset[str]]

    def parse(self, source: Source, ctx: IngestContext) -> ParsedCredential:
        doc = read_credential(source, ctx)
        kind = classify(doc)
        if not self.accepts(doc, kind):
            ctx.fail("type", f"the {self.title} ingester does not read this document (type {types_of(doc) or '(none)'}, "
                             f"a {kind!r} document); let lermap detect the format or choose another --format")
        parsed = prepare(doc, ctx)
        ctx.format_version = parsed.envelope
        return parsed

    def accepts(self, doc: dict[str, Any], kind: str) -> bool:
        """Whether this ingester maps a document of ``kind``."""
        return kind in self.kinds

    def map(self, parsed: ParsedCredential, ctx: IngestContext) -> Iterator[TripleTuple]:
        return map_parsed(parsed, ctx)
