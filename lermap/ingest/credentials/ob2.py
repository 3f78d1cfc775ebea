"""Open Badges 2.0: Assertions, BadgeClasses, Issuer/Profile, Endorsements (hosted, embedded and JWS-signed).

The document is read as it is: objects given by URL (a hosted badge, issuer, key or revocation list) stay IRIs
and are never fetched, so checks that need them are reported as not done. Before JSON-LD expansion the
recipient (identity, hash, salt), evidence and narratives about the learner are removed (kept only with
``IngestOptions.personal``). Defects that do not prevent mapping (expiry, future issuance, revocation, missing
fields, non-HTTP issuer ids, ill-typed extension properties) become warnings that name them.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from lermap.graph.context_choice import ContextChoice
from lermap.graph.terms import TripleTuple, is_iri
from lermap.ingest.base import IngestContext, Ingester, Source
from lermap.ingest.credentials.ob2_mapping import Ob2Mapper, language_of
from lermap.ingest.credentials.read import as_list, check_contexts, json_head, native_triples, node_id, parse_datetime, text_of, types_of
from lermap.ingest.credentials.vc_jwt_read import COMPACT_JWS, credential_from_jws
from lermap.ingest.jsonld import compacted, read_json_document, vocabulary_score

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
OBI = "https://w3id.org/openbadges#"
# What an OB 2.0 document in expanded or flattened form is compacted against (see lermap.ingest.jsonld.compacted).
OB2_CONTEXTS = ContextChoice(bases=((OB2_CONTEXT,),), addons=(
    "https://w3id.org/openbadges/extensions/exampleExtension/context.json",
    "https://w3id.org/openbadges/extensions/applyLinkExtension/context.json",
))
# The classes the OB 2.0 context defines as terms; any other type must be an IRI (an extension class).
OB2_CLASSES = frozenset({
    "AlignmentObject", "Assertion", "BadgeClass", "Criteria", "CryptographicKey", "Endorsement", "Evidence",
    "Extension", "FrameValidation", "HostedBadge", "IdentityObject", "Image", "Issuer", "Profile", "RevocationList",
    "SignedBadge", "TypeValidation", "VerificationObject",
})
# JSON Schema constraints of the published 1EdTech example extensions (openbadgespec.org/extensions/*/schema.json),
# keyed by the extension class IRI: property IRI -> (term, JSON type the schema requires).
KNOWN_EXTENSIONS: dict[str, dict[str, tuple[str, type]]] = {
    "https://w3id.org/openbadges/extensions#ExampleExtension": {"http://schema.org/text": ("exampleProperty", str)},
    "https://w3id.org/openbadges/extensions#ApplyLink": {"https://w3id.org/openbadges/extensions#applyLink": ("url", str)},
}
EXTENSION_TERMS = {"exampleProperty": "http://schema.org/text", "url": "https://w3id.org/openbadges/extensions#applyLink"}
_JSON_NAMES: dict[type, str] = {str: "string", int: "number", float: "number", bool: "boolean", list: "array", dict: "object"}
_PREFIXES = {"extensions": "https://w3id.org/openbadges/extensions#", "obi": OBI}
# Properties that describe the learner rather than the badge: removed before anything is mapped.
RECIPIENT_KEYS = ("recipient", "evidence", "narrative")


@dataclass
class Ob2Document:
    """An OB 2.0 object ready to map: ``doc`` is context-checked and scrubbed."""

    kind: str  # the main OB 2.0 class, e.g. "Assertion", "BadgeClass", "Issuer"; "Other" for extension classes
    doc: dict[str, Any]
    signed_by_jws: bool = False


def _is_ob2_context(value: Any) -> bool:
    for c in as_list(value):
        if isinstance(c, str) and c.rstrip("/") == OB2_CONTEXT:
            return True
        if isinstance(c, dict) and c.get("obi") == OBI:
            return True  # the OB 2.0 context written inline (1EdTech validator assets)
    return False


def _expand_curie(value: str) -> str:
    prefix, _, rest = value.partition(":")
    return _PREFIXES[prefix] + rest if prefix in _PREFIXES and not rest.startswith("//") else value


class OpenBadges2Ingester(Ingester):
    name = "ob2"
    title = "Open Badges 2.0"
    version = "2"  # minted IRIs no longer depend on one-item arrays (mapping.mint_place)

    def sniff(self, source: Source) -> float:
        head = json_head(source)
        if not head:
            return 0.0
        if "w3id.org/openbadges/v2" in head:
            return 0.9
        if expanded := vocabulary_score(head, OBI, 0.85, 0.6):
            return expanded  # expanded or flattened JSON-LD: the OB 2.0 vocabulary's IRIs, no context
        if '"https://w3id.org/openbadges#"' in head and '"obi"' in head:
            return 0.8
        if "w3id.org/openbadges/" in head:
            return 0.6  # another OB context (v1, a draft or a typo): ob2 refuses it with a clear reason
        return 0.0

    # -- parse --------------------------------------------------------------------------------

    def parse(self, source: Source, ctx: IngestContext) -> Ob2Document:
        text = source.text(source.limits.max_json_bytes).strip()
        signed = False
        if text.startswith("eyJ") and COMPACT_JWS.match(text):
            doc, _ = credential_from_jws(text, ctx)
            signed = True
        else:
            doc = compacted(read_json_document(source, ctx), ctx, OB2_CONTEXTS)
        if not isinstance(doc, dict):
            ctx.fail("(document)", f"an Open Badges 2.0 document must be a JSON object, not a JSON {type(doc).__name__}")
        doc = self._with_context(doc, ctx)
        kind = self._kind(doc, ctx)
        ctx.format_version = "2.0"
        doc = check_contexts(doc, ctx)
        doc = _scoped_languages(doc)
        if not ctx.options.personal:
            doc = _scrub(doc)
        self._check(kind, doc, ctx, signed)
        return Ob2Document(kind, doc, signed)

    def _with_context(self, doc: dict[str, Any], ctx: IngestContext) -> dict[str, Any]:
        if "@context" not in doc:
            if set(doc) <= {"narrative", "id", "type"} and isinstance(doc.get("narrative"), str):
                ctx.warn("@context", "missing @context: read as an Open Badges 2.0 Criteria (a criteria narrative)")
                return {"@context": OB2_CONTEXT, **doc}
            ctx.fail("@context", f"missing @context: an Open Badges 2.0 document names {OB2_CONTEXT}")
        contexts = [c for c in as_list(doc["@context"]) if isinstance(c, str)]
        if not _is_ob2_context(doc["@context"]) and not any(c.startswith("https://w3id.org/openbadges/") for c in contexts):
            shown = ", ".join(contexts) or "an inline context without the OB 2.0 terms"
            ctx.fail("@context", f"not an Open Badges 2.0 document: its @context is {shown}, not {OB2_CONTEXT}")
        return doc

    def _kind(self, doc: dict[str, Any], ctx: IngestContext) -> str:
        raw = doc.get("type", doc.get("@type"))
        if raw is None:
            if isinstance(doc.get("narrative"), str):
                ctx.warn("type", "missing type: read as an Open Badges 2.0 Criteria (it has a narrative)")
                return "Criteria"
            ctx.fail("type", "missing type: an Open Badges 2.0 object must name its class (Assertion, BadgeClass, Issuer, ...)")
        if raw == [] or raw == "":
            ctx.fail("type", "type is empty: an Open Badges 2.0 object must name its class")
        types = as_list(raw)
        for i, t in enumerate(types):
            where = f"type[{i}]" if isinstance(raw, list) else "type"
            if not isinstance(t, str):
                ctx.fail(where, f"a type must be a string, not a JSON {type(t).__name__}")
            if t not in OB2_CLASSES and not is_iri(t):
                ctx.fail(where, f"{t!r} is neither an Open Badges 2.0 class nor an IRI (invalid IRI: undefined term)")
        for main in ("Assertion", "BadgeClass", "Issuer", "Profile", "Endorsement", "RevocationList", "CryptographicKey",
                     "Criteria", "AlignmentObject"):
            if main in types:
                return "Issuer" if main == "Profile" else main
        ctx.warn("type", f"{', '.join(types)} is not a top-level Open Badges 2.0 class: only its native triples are kept")
        return "Other"

    def map(self, parsed: Ob2Document, ctx: IngestContext) -> Iterator[TripleTuple]:
        yield from map_document(parsed, ctx)

    # -- checks (warnings) ----------------------------------------------------------------------

    def _check(self, kind: str, doc: dict[str, Any], ctx: IngestContext, signed: bool) -> None:
        if kind == "Assertion":
            self._check_assertion(doc, ctx, signed)
        elif kind == "BadgeClass":
            self._check_badge_class(doc, "", ctx)
        elif kind == "Issuer":
            self._check_profile(doc, "", ctx)
        elif kind == "Endorsement":
            _check_dates(doc, "", ctx)
            _check_revoked(doc, "", ctx)
            if doc.get("claim") is None:
                ctx.warn("claim", "endorsement has no claim (missing field)")
        elif kind == "Criteria" and not text_of(doc.get("narrative")):
            ctx.warn("narrative", "Criteria has no narrative (missing field): nothing says how the badge is earned")
        _check_extensions(doc, "", ctx)

    def _check_assertion(self, doc: dict[str, Any], ctx: IngestContext, signed: bool) -> None:
        for key in ("badge", "issuedOn", "verification"):
            if doc.get(key) is None:
                ctx.warn(key, f"assertion has no {key} (missing field required by OB 2.0)")
        if doc.get("badge") is None:
            ctx.fail("badge", "assertion has no badge: nothing says what was awarded")
        if not isinstance(doc["badge"], (str, dict)):
            ctx.fail("badge", f"badge must be a BadgeClass or its IRI, not a JSON {type(doc['badge']).__name__}")
        _check_dates(doc, "", ctx)
        _check_revoked(doc, "", ctx)
        ident = node_id(doc)
        verification = doc.get("verification")
        vtype = text_of(verification.get("type")) if isinstance(verification, dict) else None
        if vtype in ("hosted", "HostedBadge"):
            if not (ident and ident.startswith(("http://", "https://"))):
                ctx.warn("id", f"hosted assertion id {str(ident)[:80]!r} is not an HTTP(S) URL: it cannot be verified")
            else:
                ctx.warn("verification", "hosted verification not checked: the hosted copy at the assertion id is not fetched")
        elif vtype in ("signed", "SignedBadge") or signed:
            creator = text_of(verification.get("creator")) if isinstance(verification, dict) else None
            ctx.warn("verification", f"signed assertion: signature and revocation not checked offline (key {creator or '(not named)'} is hosted)")
        elif verification is not None:
            ctx.warn("verification.type", f"unknown verification type {vtype!r} (expected hosted or signed)")
        badge = doc.get("badge")
        if isinstance(badge, str):
            ctx.warn("badge", f"badge {badge[:100]} is only referenced: its BadgeClass and issuer are not fetched or checked")
        elif isinstance(badge, dict):
            self._check_badge_class(badge, "badge", ctx)

    def _check_badge_class(self, badge: dict[str, Any], where: str, ctx: IngestContext) -> None:
        for key in ("name", "description", "criteria", "issuer"):
            if badge.get(key) in (None, ""):
                ctx.warn(_join(where, key), f"BadgeClass has no {key} (missing field required by OB 2.0)")
        if badge.get("image") in (None, ""):
            ctx.warn(_join(where, "image"), "BadgeClass has no image (missing field required by OB 2.0)")
        issuer = badge.get("issuer")
        if isinstance(issuer, str):
            if is_iri(issuer) and not issuer.startswith(("http://", "https://")):
                ctx.warn(_join(where, "issuer"), f"issuer id {issuer[:80]!r} is not an HTTP(S) URL (bad issuer)")
            else:
                ctx.warn(_join(where, "issuer"), f"issuer {issuer[:100]} is only referenced: its profile is not fetched or checked")
        elif isinstance(issuer, dict):
            self._check_profile(issuer, _join(where, "issuer"), ctx)
        elif issuer is not None:
            ctx.warn(_join(where, "issuer"), f"issuer must be a Profile or its IRI, not a JSON {type(issuer).__name__} (bad issuer type)")

    def _check_profile(self, profile: dict[str, Any], where: str, ctx: IngestContext) -> None:
        types = set(types_of(profile))
        if types and not types & {"Issuer", "Profile"}:
            ctx.warn(_join(where, "type"), f"issuer has type {', '.join(sorted(types))}, not Issuer/Profile (bad issuer type)")
        ident = node_id(profile)
        if ident is None:
            ctx.warn(_join(where, "id"), "issuer has no id (missing field)")
        elif not ident.startswith(("http://", "https://")):
            ctx.warn(_join(where, "id"), f"issuer id {ident[:80]!r} is not an HTTP(S) URL (bad issuer): hosted badges of it cannot verify")
        for key in ("name", "url"):
            if profile.get(key) in (None, ""):
                ctx.warn(_join(where, key), f"issuer has no {key} (missing field required by OB 2.0)")
        url = text_of(profile.get("url"))
        if url and not is_iri(url):
            ctx.warn(_join(where, "url"), f"issuer url {url[:80]!r} is not an IRI (invalid IRI)")
        verification = profile.get("verification")
        if isinstance(verification, dict):
            policy = {k: verification[k] for k in ("startsWith", "allowedOrigins") if k in verification}
            if policy:
                shown = "; ".join(f"{k} {as_list(v)}" for k, v in policy.items())
                ctx.warn(_join(where, "verification"), f"verification policy ({shown}) constrains the URLs of hosted "
                         "assertions: not checked, no assertion is fetched")


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _check_dates(doc: dict[str, Any], where: str, ctx: IngestContext, now: datetime | None = None) -> None:
    now = now or datetime.now(UTC)
    issued, expires = parse_datetime(doc.get("issuedOn")), parse_datetime(doc.get("expires"))
    for key, value in (("issuedOn", issued), ("expires", expires)):
        if doc.get(key) is not None and value is None:
            ctx.warn(_join(where, key), f"not an ISO 8601 date-time: {str(doc.get(key))[:60]!r}")
    if issued is not None and issued > now:
        ctx.warn(_join(where, "issuedOn"), f"issued in the future ({issued.isoformat()}): future issuance")
    if expires is not None and expires < now:
        ctx.warn(_join(where, "expires"), f"expired on {expires.isoformat()}")
    if issued is not None and expires is not None and expires < issued:
        ctx.warn(_join(where, "expires"), f"expires ({expires.isoformat()}) before it was issued ({issued.isoformat()})")


def _check_revoked(doc: dict[str, Any], where: str, ctx: IngestContext) -> None:
    if doc.get("revoked") is True:
        reason = text_of(doc.get("revocationReason"))
        ctx.warn(_join(where, "revoked"), "revoked" + (f": {reason}" if reason else ""))


def _check_extensions(node: Any, where: str, ctx: IngestContext) -> None:
    """Extension nodes: their class should be a known extension, their properties of the JSON type its schema wants."""
    if isinstance(node, list):
        for i, v in enumerate(node):
            _check_extensions(v, f"{where}[{i}]", ctx)
        return
    if not isinstance(node, dict):
        return
    raw_types = types_of(node)
    if "Extension" in raw_types or OBI + "Extension" in raw_types or "obi:Extension" in raw_types:
        loc = where or "(document)"
        classes = {_expand_curie(t) for t in raw_types} - {"Extension", OBI + "Extension"}
        unknown = sorted(classes - set(KNOWN_EXTENSIONS))
        if unknown and not classes & set(KNOWN_EXTENSIONS):
            ctx.warn(f"{loc}.type", f"extension class {', '.join(unknown)} is not a known extension: its properties are not validated")
        for cls, props in KNOWN_EXTENSIONS.items():
            for prop, (term, json_type) in props.items():
                values = [v for k, v in node.items() if k in (term, prop)]
                name = cls.rsplit("#", 1)[-1]
                if cls in classes and not values:
                    ctx.warn(loc, f"extension {name} has no {term} (missing field its schema requires)")
                for v in values:
                    if not isinstance(v, json_type):
                        ctx.warn(_join(where, term), f"extension property {prop} ({name}.{term}) must be a JSON "
                                 f"{_JSON_NAMES.get(json_type, json_type.__name__)}, found {_JSON_NAMES.get(type(v), type(v).__name__)} {str(v)[:40]!r} (invalid extension property)")
    for k, v in node.items():
        if k != "@context":
            _check_extensions(v, _join(where, k), ctx)


def _scoped_languages(node: Any) -> Any:
    """OB 2.0 puts ``@language`` on node objects; JSON-LD 1.1 wants it in a scoped ``@context``."""
    if isinstance(node, list):
        return [_scoped_languages(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: (v if k == "@context" else _scoped_languages(v)) for k, v in node.items() if k != "@language"}
    lang = node.get("@language")
    if isinstance(lang, str) and "@value" not in node:
        scoped = out.get("@context")
        out["@context"] = [*as_list(scoped), {"@language": lang}] if scoped is not None else {"@language": lang}
        out["@language"] = lang  # kept for the core mapper; dropped again before expansion
    elif "@value" in node and "@language" in node:
        out["@language"] = lang
    return out


def _without_language_keys(node: Any) -> Any:
    if isinstance(node, list):
        return [_without_language_keys(v) for v in node]
    if not isinstance(node, dict):
        return node
    keep_lang = "@value" in node
    return {k: (v if k == "@context" else _without_language_keys(v)) for k, v in node.items() if keep_lang or k != "@language"}


def _scrub(doc: dict[str, Any]) -> dict[str, Any]:
    """Privacy by design: the recipient, evidence and narratives about the learner never reach the graph."""
    out = copy.deepcopy(doc)
    types = set(types_of(out))
    if "Assertion" in types:
        for key in RECIPIENT_KEYS:
            out.pop(key, None)
    if "Endorsement" in types and isinstance(out.get("claim"), dict):
        out["claim"].pop("evidence", None)
    return out


def map_document(parsed: Ob2Document, ctx: IngestContext) -> list[TripleTuple]:
    """The triples of a parsed OB 2.0 document: the native expanded JSON-LD plus the core view."""
    doc, kind = parsed.doc, parsed.kind
    core = Ob2Mapper(ctx)
    lang = language_of(doc, None)
    if kind == "Assertion":
        core.assertion(doc, "", lang, parsed.signed_by_jws)
    elif kind == "BadgeClass":
        core.badge_class(doc, "", lang)
    elif kind == "Issuer":
        core.profile(doc, "", lang)
    elif kind == "Endorsement":
        core.endorsement(doc, "", lang)
    elif kind == "RevocationList":
        core.profile(doc.get("issuer"), "issuer", lang)
    return [*native_triples(_without_language_keys(doc), ctx), *core.triples]
