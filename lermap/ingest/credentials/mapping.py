"""The core view of credential documents (OB 3.0, CLR 2.0, plain VC): issuers, definitions, alignments,
endorsements and assertions, shared by the ob3, clr2, vc, vc-jwt and baked ingesters.

The learner never appears here: callers pass documents already scrubbed by
:func:`lermap.ingest.credentials.read.scrub_subjects`, and the assertion records only aggregate facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from pyoxigraph import Literal, NamedNode

from lermap.graph.terms import Object, Subject, TripleTuple, is_iri, lit, minted
from lermap.graph.vocab import LERMAP, OWL, RDF, SCHEMA, SEMAPV, SKOS, SSSOM, XSD
from lermap.ingest.base import IngestContext
from lermap.ingest.credentials.read import ProofOutcome, Validity, as_list, node_id, text_of, types_of

OBV = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
CLRV = "https://purl.imsglobal.org/spec/vc/clr/vocab.html#"
OB_ALIGNMENT = NamedNode(OBV + "alignment")
CLR_ASSOCIATION = NamedNode(CLRV + "association")
CE_RESOURCES = "https://credentialengineregistry.org/resources/"
_CTID = re.compile(r"\bce-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.IGNORECASE)

# CLR 2.0 AssociationType (borrowed from CASE) → SKOS mapping predicate, read as "source <predicate> target".
ASSOCIATION_PREDICATES: dict[str, NamedNode] = {
    "exactMatchOf": SKOS.exactMatch,
    "isChildOf": SKOS.broadMatch,
    "isPartOf": SKOS.broadMatch,
    "isParentOf": SKOS.narrowMatch,
    "isPeerOf": SKOS.relatedMatch,
    "isRelatedTo": SKOS.relatedMatch,
    "precedes": SKOS.relatedMatch,
    "replacedBy": SKOS.relatedMatch,
}


_FIRST_ITEM = re.compile(r"\[0\](?=\.|\[|$)")


def mint_place(where: str) -> str:
    """The place of a node in its document as minted IRIs see it: a one-item array and its item are the same
    JSON-LD (``"alignment": [x]`` and ``"alignment": x``), so ``[0]`` is left out — a credential compacted from its
    expanded form mints what its published form mints."""
    return _FIRST_ITEM.sub("", where)


def _texts(value: Any) -> list[tuple[str, str | None]]:
    """(text, language) pairs from a string, a JSON-LD value object, a language map or a list of them."""
    out: list[tuple[str, str | None]] = []
    for v in as_list(value):
        if isinstance(v, str):
            out.append((v, None))
        elif isinstance(v, dict):
            if isinstance(v.get("@value"), str):
                lang = v.get("@language")
                out.append((v["@value"], lang if isinstance(lang, str) else None))
            else:
                out.extend((t, k) for k, t in v.items() if isinstance(t, str) and re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]+)*", k))
    return out


def ctid_target(*values: Any) -> NamedNode | None:
    """The Credential Registry resource of a CTID found in any of ``values`` (URL or code), else ``None``."""
    for v in values:
        if isinstance(v, str) and (m := _CTID.search(v)) is not None:
            return NamedNode(CE_RESOURCES + m.group(0).lower())
    return None


@dataclass
class TripleCollector:
    """Collects core-view triples for one source and remembers which entities it has described."""

    ctx: IngestContext
    triples: list[TripleTuple] = field(default_factory=list)
    _described: set[str] = field(default_factory=set)

    def add(self, s: Subject, p: NamedNode, o: Object | None) -> None:
        if o is not None:
            self.triples.append((s, p, o))

    def _first_time(self, node: NamedNode) -> bool:
        if node.value in self._described:
            return False
        self._described.add(node.value)
        return True


@dataclass
class CoreMapper(TripleCollector):
    """The OB 3.0 / CLR / VC core view of one source; each entity is described once."""

    def _iri(self, value: Any, kind: str, *parts: str) -> NamedNode:
        ident = node_id(value)
        if ident is not None and is_iri(ident):
            return NamedNode(ident)
        return minted(kind, self.ctx.source.key, *(mint_place(p) for p in parts))

    def _labels(self, node: NamedNode, value: Any, fallback: str | None = None) -> None:
        texts = _texts(value)
        if not texts and fallback:
            texts = [(fallback, None)]
        for text, lang in texts:
            self.add(node, SKOS.prefLabel, lit(text, lang=lang))
            self.add(node, SCHEMA.name, lit(text, lang=lang))

    def _describe(self, node: NamedNode, value: Any, pred: NamedNode = SCHEMA.description) -> None:
        for text, lang in _texts(value):
            self.add(node, pred, lit(text, lang=lang))

    # -- organisations ------------------------------------------------------------------------

    def organization(self, profile: Any, where: str) -> NamedNode | None:
        """An issuer/creator/endorser profile (object or IRI string) as ``schema:Organization``."""
        if profile is None:
            return None
        if isinstance(profile, str):
            if not is_iri(profile):
                self.ctx.warn(where, f"issuer {profile[:80]!r} is not an IRI")
                return None
            node = NamedNode(profile)
            if self._first_time(node):
                self.add(node, RDF.type, SCHEMA.Organization)
                self.add(node, SKOS.prefLabel, lit(profile))
            return node
        if not isinstance(profile, dict):
            self.ctx.warn(where, f"a profile must be an object or an IRI, not a JSON {type(profile).__name__}")
            return None
        name = text_of(profile.get("name"))
        node = self._iri(profile, "organization", name or "", where)
        self.add(node, RDF.type, SCHEMA.Organization)
        self._labels(node, profile.get("name"), fallback=text_of(profile.get("url")) or node.value)
        url = text_of(profile.get("url"))
        if url:
            self.add(node, SCHEMA.url, NamedNode(url) if is_iri(url) else lit(url))
        self._describe(node, profile.get("description"))
        for t in types_of(profile):
            self.add(node, SCHEMA.additionalType, NamedNode(t) if is_iri(t) else NamedNode(OBV + t) if t.isidentifier() else lit(t))
        for address in as_list(profile.get("address")):  # one, or several (a profile described twice, merged)
            if isinstance(address, dict) and isinstance(address.get("addressCountry"), str):
                self.add(node, SCHEMA.addressCountry, lit(address["addressCountry"]))
        parent = profile.get("parentOrg")
        if parent is not None:
            self.add(node, SCHEMA.parentOrganization, self.organization(parent, f"{where}.parentOrg"))
        self.endorsements(profile.get("endorsement"), f"{where}.endorsement")
        return node

    # -- credential definitions ------------------------------------------------------------------

    def definition(self, achievement: Any, where: str, issuer: NamedNode | None) -> NamedNode | None:
        """An OB 3.0 Achievement as ``schema:EducationalOccupationalCredential``, with its alignments."""
        if isinstance(achievement, str):
            if is_iri(achievement):
                return NamedNode(achievement)  # described elsewhere (a CLR's achievement list)
            self.ctx.warn(where, f"achievement reference {achievement[:80]!r} is not an IRI")
            return None
        if not isinstance(achievement, dict):
            self.ctx.warn(where, f"an achievement must be an object, not a JSON {type(achievement).__name__}")
            return None
        name = text_of(achievement.get("name"))
        node = self._iri(achievement, "credential", issuer.value if issuer else "", name or "", where)
        self.add(node, RDF.type, SCHEMA.EducationalOccupationalCredential)
        if not name:
            self.ctx.warn(where, "achievement has no name (required by OB 3.0)")
        self._labels(node, achievement.get("name"), fallback=node.value)
        self._describe(node, achievement.get("description"))
        for t in types_of(achievement):
            self.add(node, LERMAP.credentialKind, lit(t))
        for text, _ in _texts(achievement.get("achievementType")):
            self.add(node, LERMAP.achievementType, lit(text))
        criteria = achievement.get("criteria")  # an object, or (the same in JSON-LD) the IRI of one
        narrative = text_of(criteria.get("narrative")) if isinstance(criteria, dict) else None
        crit_id = node_id(criteria)
        if narrative:
            self.add(node, LERMAP.criteria, lit(narrative))
        elif crit_id and is_iri(crit_id):
            self.add(node, LERMAP.criteria, NamedNode(crit_id))
        self._describe(node, achievement.get("fieldOfStudy"), LERMAP.fieldOfStudy)
        credits = achievement.get("creditsAvailable")
        if credits is not None:
            self.add(node, LERMAP.credits, self._decimal(credits, f"{where}.creditsAvailable"))
        creator = self.organization(achievement.get("creator"), f"{where}.creator")
        self.add(node, SCHEMA.creator, creator)
        author = creator or issuer
        for i, rd in enumerate(as_list(achievement.get("resultDescription"))):
            rd_where = f"{where}.resultDescription[{i}]"
            rd_node = self._result_description(rd, rd_where, node, author)
            self.add(node, LERMAP.resultDescription, rd_node)
        self.alignments(achievement.get("alignment"), node, f"{where}.alignment", author)
        self.endorsements(achievement.get("endorsement"), f"{where}.endorsement")
        return node

    def _result_description(self, rd: Any, where: str, definition: NamedNode, author: NamedNode | None) -> Object | None:
        if not isinstance(rd, dict):
            self.ctx.warn(where, "a result description must be an object")
            return None
        rd_id = node_id(rd)
        subject = NamedNode(rd_id) if rd_id and is_iri(rd_id) else definition
        self.alignments(rd.get("alignment"), subject, f"{where}.alignment", author)
        for j, level in enumerate(as_list(rd.get("rubricCriterionLevel"))):
            if isinstance(level, dict):
                level_id = node_id(level)
                level_node = NamedNode(level_id) if level_id and is_iri(level_id) else subject
                self.alignments(level.get("alignment"), level_node, f"{where}.rubricCriterionLevel[{j}].alignment", author)
        if subject is not definition:
            return subject
        name = text_of(rd.get("name"))
        return lit(name) if name else None

    def _decimal(self, value: Any, where: str) -> Literal | None:
        try:
            if isinstance(value, bool):
                raise InvalidOperation
            number = Decimal(str(value))
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            self.ctx.warn(where, f"not a number: {str(value)[:40]!r}")
            return None
        return lit(format(number, "f"), datatype=XSD.decimal)

    def generic_definition(self, cred: dict[str, Any], issuer: NamedNode | None, where: str) -> NamedNode:
        """For a credential without an achievement: "<issuer>'s <type> credential", minted from its types."""
        kinds = [t for t in types_of(cred) if t != "VerifiableCredential"] or ["VerifiableCredential"]
        node = minted("credential", issuer.value if issuer else "", *sorted(kinds))
        if self._first_time(node):
            self.add(node, RDF.type, SCHEMA.EducationalOccupationalCredential)
            label = " ".join(kinds)
            self.add(node, SKOS.prefLabel, lit(label))
            self.add(node, SCHEMA.name, lit(label))
            for k in kinds:
                self.add(node, LERMAP.credentialKind, lit(k))
            self.add(node, SCHEMA.creator, issuer)
        return node

    # -- alignments ---------------------------------------------------------------------------

    def alignments(self, entries: Any, subject: NamedNode, where: str, author: NamedNode | None) -> None:
        """Every OB ``alignment`` entry as a reified ``sssom:Mapping`` from ``subject``."""
        is_list = isinstance(entries, list)
        for i, entry in enumerate(as_list(entries)):
            self.alignment(entry, subject, f"{where}[{i}]" if is_list else where, author)

    def alignment(self, entry: Any, subject: NamedNode, where: str, author: NamedNode | None) -> NamedNode | None:
        if not isinstance(entry, dict):
            self.ctx.warn(where, f"an alignment must be an object, not a JSON {type(entry).__name__}")
            return None
        name, url, code = text_of(entry.get("targetName")), text_of(entry.get("targetUrl")), text_of(entry.get("targetCode"))
        framework, ttype = text_of(entry.get("targetFramework")), text_of(entry.get("targetType"))
        if not name:
            self.ctx.warn(where, "alignment has no targetName (required by OB 3.0)")
        if not url:
            self.ctx.warn(where, "alignment has no targetUrl (required by OB 3.0)")
        target = ctid_target(url, code)
        if target is None and url and is_iri(url):
            target = NamedNode(url)
        if target is None:
            if not (code or name):
                self.ctx.warn(where, "alignment names no target (no targetUrl, targetCode or targetName): skipped")
                return None
            target = minted("target", framework or "", code or name or "")
        node = minted("alignment", subject.value, OB_ALIGNMENT.value, target.value)
        if self._first_time(node):
            self._mapping(node, subject, SKOS.exactMatch, target, OB_ALIGNMENT, author)
            for pred, value in ((LERMAP.targetName, name), (LERMAP.targetUrl, url), (LERMAP.targetCode, code),
                                (LERMAP.targetFramework, framework), (LERMAP.targetType, ttype)):
                if value:
                    self.add(node, pred, lit(value))
            self._describe(node, entry.get("targetDescription"), SSSOM.comment)
        return node

    def _mapping(self, node: NamedNode, subject: NamedNode, predicate: NamedNode, target: NamedNode,
                 native: NamedNode, author: NamedNode | None) -> None:
        self.add(node, RDF.type, SSSOM.Mapping)
        self.add(node, OWL.annotatedSource, subject)
        self.add(node, OWL.annotatedProperty, predicate)
        self.add(node, OWL.annotatedTarget, target)
        self.add(node, SSSOM.mapping_justification, SEMAPV.ManualMappingCuration)
        self.add(node, LERMAP.nativePredicate, native)
        self.add(node, SSSOM.author_id, author)

    def association(self, assoc: Any, where: str, author: NamedNode | None) -> NamedNode | None:
        """A CLR 2.0 Association between two achievements as a reified ``sssom:Mapping``."""
        if not isinstance(assoc, dict):
            self.ctx.warn(where, "an association must be an object")
            return None
        atype, source, target = assoc.get("associationType"), assoc.get("sourceId"), assoc.get("targetId")
        if not isinstance(atype, str) or not atype:
            self.ctx.warn(where, "association has no associationType: skipped")
            return None
        if not (isinstance(source, str) and is_iri(source) and isinstance(target, str) and is_iri(target)):
            self.ctx.warn(where, "association sourceId and targetId must both be IRIs: skipped")
            return None
        predicate = ASSOCIATION_PREDICATES.get(atype)
        if predicate is None:
            self.ctx.warn(where, f"unknown associationType {atype!r}: read as skos:relatedMatch")
            predicate = SKOS.relatedMatch
        node = minted("association", source, atype, target)
        if self._first_time(node):
            self._mapping(node, NamedNode(source), predicate, NamedNode(target), CLR_ASSOCIATION, author)
            self.add(node, LERMAP.associationType, lit(atype))
        return node

    # -- endorsements ---------------------------------------------------------------------------

    def endorsements(self, entries: Any, where: str) -> None:
        is_list = isinstance(entries, list)
        for i, e in enumerate(as_list(entries)):
            self.endorsement(e, f"{where}[{i}]" if is_list else where)

    def endorsement(self, cred: Any, where: str, validity: Validity | None = None,
                    proof: ProofOutcome | None = None) -> NamedNode | None:
        """An EndorsementCredential as ``lermap:Endorsement`` (endorser → endorsed)."""
        if not isinstance(cred, dict):
            self.ctx.warn(where, "an endorsement must be an EndorsementCredential object")
            return None
        node = self._iri(cred, "endorsement", where)
        if not self._first_time(node):
            return node
        self.add(node, RDF.type, LERMAP.Endorsement)
        self.add(node, LERMAP.endorser, self.organization(cred.get("issuer"), f"{where}.issuer"))
        for _j, subject in enumerate(as_list(cred.get("credentialSubject"))):
            target = node_id(subject)
            if target and is_iri(target):
                self.add(node, LERMAP.endorsed, NamedNode(target))
            else:
                self.ctx.warn(f"{where}.credentialSubject", "endorsement subject has no IRI id: nothing is endorsed")
            if isinstance(subject, dict):
                self._describe(node, subject.get("endorsementComment"))
        if cred.get("name"):
            self._labels(node, cred.get("name"))
        if validity is not None:
            self._dates(node, validity)
        if proof is not None:
            self.add(node, LERMAP.proofStatus, lit(proof.status))
        return node

    # -- assertions ---------------------------------------------------------------------------

    def assertion(self, cred: dict[str, Any], where: str, definitions: list[NamedNode], issuer: NamedNode | None,
                  envelope: str, validity: Validity, proof: ProofOutcome, proof_types: list[str]) -> NamedNode:
        """The issued credential as aggregate facts: definition, issuer, dates, proof and status — never the learner."""
        node = self._iri(cred, "assertion", where)
        self.add(node, RDF.type, LERMAP.Assertion)
        for d in definitions:
            self.add(node, LERMAP.ofCredential, d)
        self.add(node, LERMAP.issuer, issuer)
        self._dates(node, validity)
        for t in dict.fromkeys([*proof_types, *([proof.proof_type] if proof.proof_type else [])]):
            self.add(node, LERMAP.proofType, lit(t))
        self.add(node, LERMAP.proofStatus, lit(proof.status))
        self.add(node, LERMAP.hasStatusList, lit(bool(validity.status_types)))
        for purpose in dict.fromkeys(validity.status_purposes):
            self.add(node, LERMAP.statusPurpose, lit(purpose))
        self.add(node, LERMAP.envelope, lit(envelope))
        return node

    def _dates(self, node: NamedNode, v: Validity) -> None:
        for pred, value in ((LERMAP.issuedOn, v.issued), (LERMAP.validFrom, v.valid_from), (LERMAP.validUntil, v.valid_until)):
            if value is not None:
                self.add(node, pred, lit(value.isoformat().replace("+00:00", "Z"), datatype=XSD.dateTime))
