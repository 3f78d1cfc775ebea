"""The core view of Open Badges 2.0 documents: issuers, badge classes, assertions, alignments, endorsements.

Callers pass documents already scrubbed of the recipient (see :mod:`lermap.ingest.credentials.ob2`). Referenced
objects (a badge, issuer or endorsement given only by its URL) stay IRIs: lermap never fetches them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyoxigraph import NamedNode

from lermap.graph.terms import is_iri, lit, minted
from lermap.graph.vocab import LERMAP, OWL, RDF, SCHEMA, SEMAPV, SKOS, SSSOM, XSD
from lermap.ingest.credentials.mapping import TripleCollector, mint_place
from lermap.ingest.credentials.read import as_list, node_id, parse_datetime, text_of, types_of

OBI = "https://w3id.org/openbadges#"
OB2_ALIGNMENT = NamedNode(OBI + "alignment")
PROFILE_TYPES = frozenset({"Issuer", "Profile"})
VERIFICATION_KINDS = {"hosted": "hosted", "HostedBadge": "hosted", "signed": "signed", "SignedBadge": "signed"}


def language_of(node: Any, inherited: str | None) -> str | None:
    """The ``@language`` a node declares (OB 2.0 allows it on any object), else the inherited one."""
    if isinstance(node, dict) and isinstance(node.get("@language"), str) and node["@language"]:
        return str(node["@language"])
    return inherited


@dataclass
class Ob2Mapper(TripleCollector):
    """The OB 2.0 core view of one document; each entity is described once."""

    def _node(self, value: Any, kind: str, *parts: str) -> NamedNode:
        ident = node_id(value)
        if ident is not None and is_iri(ident) and not ident.startswith("_:"):
            return NamedNode(ident)
        return minted(kind, self.ctx.source.key, *(mint_place(p) for p in parts))

    def _text(self, node: NamedNode, pred: NamedNode, value: Any, lang: str | None) -> None:
        text = text_of(value)
        if text:
            self.add(node, pred, lit(text, lang=lang))

    def _label(self, node: NamedNode, value: Any, lang: str | None, fallback: str) -> None:
        text = text_of(value)
        self.add(node, SKOS.prefLabel, lit(text or fallback, lang=lang if text else None))
        if text:
            self.add(node, SCHEMA.name, lit(text, lang=lang))

    # -- organisations ------------------------------------------------------------------------

    def profile(self, value: Any, where: str, lang: str | None) -> NamedNode | None:
        """An issuer/endorser Profile (object or IRI reference) as ``schema:Organization``."""
        if value is None:
            return None
        if isinstance(value, str):
            if not is_iri(value):
                self.ctx.warn(where, f"issuer reference {value[:80]!r} is not an IRI (invalid IRI): ignored")
                return None
            node = NamedNode(value)
            if self._first_time(node):
                self.add(node, RDF.type, SCHEMA.Organization)
                self.add(node, SKOS.prefLabel, lit(value))
            return node
        if not isinstance(value, dict):
            self.ctx.warn(where, f"a Profile must be an object or an IRI, not a JSON {type(value).__name__}")
            return None
        lang = language_of(value, lang)
        node = self._node(value, "organization", text_of(value.get("name")) or "", where)
        if not self._first_time(node):
            return node
        self.add(node, RDF.type, SCHEMA.Organization)
        self._label(node, value.get("name"), lang, node.value)
        url = text_of(value.get("url"))
        if url:
            self.add(node, SCHEMA.url, NamedNode(url) if is_iri(url) else lit(url))
        self._text(node, SCHEMA.description, value.get("description"), lang)
        for t in types_of(value):
            self.add(node, SCHEMA.additionalType, NamedNode(OBI + t) if t in PROFILE_TYPES else NamedNode(t) if is_iri(t) else None)
        self.endorsements(value.get("endorsement"), node, f"{where}.endorsement", lang)
        return node

    # -- badge classes ------------------------------------------------------------------------

    def badge_class(self, value: Any, where: str, lang: str | None) -> tuple[NamedNode | None, NamedNode | None]:
        """A BadgeClass as a credential definition; returns (definition, issuer) — both may be references."""
        if isinstance(value, str):
            if not is_iri(value):
                self.ctx.warn(where, f"badge reference {value[:80]!r} is not an IRI (invalid IRI)")
                return None, None
            node = NamedNode(value)
            if self._first_time(node):
                # Referenced only: a definition node we can name but not describe (never fetched).
                self.add(node, RDF.type, SCHEMA.EducationalOccupationalCredential)
                self.add(node, SKOS.prefLabel, lit(value))
                self.add(node, LERMAP.credentialKind, lit("BadgeClass"))
            return node, None
        if not isinstance(value, dict):
            self.ctx.warn(where, f"a BadgeClass must be an object or an IRI, not a JSON {type(value).__name__}")
            return None, None
        lang = language_of(value, lang)
        name = text_of(value.get("name"))
        node = self._node(value, "credential", name or "", where)
        issuer = self.profile(value.get("issuer"), f"{where}.issuer", lang)
        if not self._first_time(node):
            return node, issuer
        self.add(node, RDF.type, SCHEMA.EducationalOccupationalCredential)
        self._label(node, value.get("name"), lang, node.value)
        self._text(node, SCHEMA.description, value.get("description"), lang)
        self.add(node, LERMAP.credentialKind, lit("BadgeClass"))
        self.add(node, SCHEMA.creator, issuer)
        criteria = value.get("criteria")
        if isinstance(criteria, str) and is_iri(criteria):
            self.add(node, LERMAP.criteria, NamedNode(criteria))
        elif isinstance(criteria, dict):
            narrative, crit_id = text_of(criteria.get("narrative")), node_id(criteria)
            if narrative:
                self.add(node, LERMAP.criteria, lit(narrative, lang=language_of(criteria, lang)))
            if crit_id and is_iri(crit_id) and not crit_id.startswith("_:"):
                self.add(node, LERMAP.criteria, NamedNode(crit_id))
        elif isinstance(criteria, str):
            self.ctx.warn(f"{where}.criteria" if where else "criteria", f"criteria {criteria[:80]!r} is not an IRI (invalid IRI)")
        elif criteria is not None:
            self.ctx.warn(f"{where}.criteria" if where else "criteria",
                          f"criteria must be an IRI or a Criteria object, not a JSON {type(criteria).__name__}")
        for tag in as_list(value.get("tags")):
            if isinstance(tag, str) and tag:
                self.add(node, SCHEMA.keywords, lit(tag, lang=lang))
            else:
                self.ctx.warn(f"{where}.tags" if where else "tags", f"tags must be strings, found a JSON {type(tag).__name__}")
        alignments = value.get("alignment")
        for i, entry in enumerate(as_list(alignments)):
            self.alignment(entry, node, f"{where}.alignment[{i}]" if isinstance(alignments, list) else f"{where}.alignment", issuer)
        self.endorsements(value.get("endorsement"), node, f"{where}.endorsement", lang)
        return node, issuer

    # -- alignments ---------------------------------------------------------------------------

    def alignment(self, entry: Any, subject: NamedNode, where: str, author: NamedNode | None) -> NamedNode | None:
        """An OB 2.0 AlignmentObject as a reified ``sssom:Mapping`` from the badge class."""
        if not isinstance(entry, dict):
            self.ctx.warn(where, f"an alignment must be an object, not a JSON {type(entry).__name__}")
            return None
        name, url, code = text_of(entry.get("targetName")), text_of(entry.get("targetUrl")), text_of(entry.get("targetCode"))
        framework = text_of(entry.get("targetFramework"))
        if not name:
            self.ctx.warn(where, "alignment has no targetName (missing field required by OB 2.0)")
        if not url:
            self.ctx.warn(where, "alignment has no targetUrl (missing field required by OB 2.0)")
        elif not is_iri(url):
            self.ctx.warn(where, f"alignment targetUrl {url[:80]!r} is not an IRI (invalid IRI)")
        if url and is_iri(url):
            target = NamedNode(url)
        elif code or name:
            target = minted("target", framework or "", code or name or "")
        else:
            self.ctx.warn(where, "alignment names no target (no targetUrl, targetCode or targetName): skipped")
            return None
        node = minted("alignment", subject.value, OB2_ALIGNMENT.value, target.value)
        if not self._first_time(node):
            return node
        self.add(node, RDF.type, SSSOM.Mapping)
        self.add(node, OWL.annotatedSource, subject)
        self.add(node, OWL.annotatedProperty, SKOS.exactMatch)
        self.add(node, OWL.annotatedTarget, target)
        self.add(node, SSSOM.mapping_justification, SEMAPV.ManualMappingCuration)
        self.add(node, LERMAP.nativePredicate, OB2_ALIGNMENT)
        self.add(node, SSSOM.author_id, author)
        for pred, value in ((LERMAP.targetName, name), (LERMAP.targetUrl, url), (LERMAP.targetCode, code),
                            (LERMAP.targetFramework, framework)):
            if value:
                self.add(node, pred, lit(value))
        self._text(node, SSSOM.comment, entry.get("targetDescription"), None)
        return node

    # -- endorsements -------------------------------------------------------------------------

    def endorsements(self, value: Any, endorsed: NamedNode, where: str, lang: str | None) -> None:
        """Endorsements of ``endorsed``: embedded Endorsement objects, or their IRIs (kept as references)."""
        is_list = isinstance(value, list)
        for i, e in enumerate(as_list(value)):
            loc = f"{where}[{i}]" if is_list else where
            if isinstance(e, str):
                if not is_iri(e):
                    self.ctx.warn(loc, f"endorsement reference {e[:80]!r} is not an IRI (invalid IRI)")
                    continue
                node = NamedNode(e)
                if self._first_time(node):
                    self.add(node, RDF.type, LERMAP.Endorsement)
                    self.add(node, LERMAP.endorsed, endorsed)
            else:
                self.endorsement(e, loc, lang, endorsed)

    def endorsement(self, value: Any, where: str, lang: str | None, endorsed: NamedNode | None = None) -> NamedNode | None:
        """An OB 2.0 Endorsement: its issuer endorses the claim's ``id``."""
        if not isinstance(value, dict):
            self.ctx.warn(where, f"an endorsement must be an object or an IRI, not a JSON {type(value).__name__}")
            return None
        lang = language_of(value, lang)
        node = self._node(value, "endorsement", where)
        if not self._first_time(node):
            return node
        self.add(node, RDF.type, LERMAP.Endorsement)
        self.add(node, LERMAP.endorser, self.profile(value.get("issuer"), f"{where}.issuer", lang))
        claim = value.get("claim")
        target = node_id(claim)
        if target and is_iri(target):
            self.add(node, LERMAP.endorsed, NamedNode(target))
        elif endorsed is not None:
            self.add(node, LERMAP.endorsed, endorsed)
        elif claim is not None:
            self.ctx.warn(f"{where}.claim" if where else "claim", "endorsement claim has no IRI id: nothing is endorsed (missing field)")
        if isinstance(claim, dict):
            self._text(node, SCHEMA.description, claim.get("endorsementComment"), language_of(claim, lang))
        self.dates(node, value)
        return node

    # -- assertions ---------------------------------------------------------------------------

    def assertion(self, value: dict[str, Any], where: str, lang: str | None, signed_by_jws: bool) -> NamedNode:
        """An issued badge as aggregate facts (badge, issuer, dates, verification) — never the recipient."""
        lang = language_of(value, lang)
        node = self._node(value, "assertion", where)
        definition, issuer = self.badge_class(value.get("badge"), f"{where}.badge" if where else "badge", lang)
        self.add(node, RDF.type, LERMAP.Assertion)
        self.add(node, LERMAP.ofCredential, definition)
        self.add(node, LERMAP.issuer, issuer)
        self.dates(node, value)
        verification = value.get("verification")
        vtype = text_of(verification.get("type")) if isinstance(verification, dict) else None
        kind = VERIFICATION_KINDS.get(vtype or "", "signed" if signed_by_jws else None)
        if kind is not None:
            self.add(node, LERMAP.proofType, lit(kind))
            self.add(node, LERMAP.envelope, lit(f"ob2-{kind}"))
        # Hosted assertions are checked by fetching their URL, signed ones against a hosted key: neither offline.
        self.add(node, LERMAP.proofStatus, lit("not-checkable" if kind else "unsigned"))
        if value.get("revoked") is True:
            self.add(node, LERMAP.statusPurpose, lit("revocation"))
        self.endorsements(value.get("endorsement"), node, f"{where}.endorsement" if where else "endorsement", lang)
        return node

    def dates(self, node: NamedNode, value: dict[str, Any]) -> None:
        for key, pred in (("issuedOn", LERMAP.issuedOn), ("expires", LERMAP.validUntil)):
            dt = parse_datetime(value.get(key))
            if dt is not None:
                self.add(node, pred, lit(dt.isoformat().replace("+00:00", "Z"), datatype=XSD.dateTime))
