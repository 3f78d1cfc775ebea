"""HR Open LER-RS (Learning and Employment Record Résumé Standard), bare or wrapped in a Verifiable Credential.

LER-RS documents list JSON Schema URLs in ``@context``; they are not JSON-LD, so they are read as plain JSON and
never expanded. Only the core view is written. A résumé is about one person: by design nothing of the person
(name, contact, identifiers, narratives, dates, grades, positions' own descriptions, attachments) reaches the
graph. What is kept is what the résumé says about the ecosystem: skills (competencies in a framework per résumé
issuer, aligned to the references they cite), certifications and licences (credential definitions and their
issuing organisations), degrees with their institutions, and employers with the occupations held there.
Embedded OB 3.0 verifications map through the shared credential mapper (:mod:`lermap.ingest.credentials.mapping`).
With ``IngestOptions.personal`` the person's name is kept on a ``schema:Person`` node.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import NamedNode

from lermap.graph.terms import Object, Subject, TripleTuple, is_iri, lit, minted
from lermap.graph.vocab import CEASN, LERMAP, OWL, RDF, SCHEMA, SEMAPV, SKOS, SSSOM
from lermap.ingest.base import IngestContext, Ingester, Source
from lermap.ingest.credentials.mapping import CoreMapper
from lermap.ingest.credentials.read import as_list, json_head, node_id, text_of

HROPEN = "schema.hropenstandards.org"
LERRS_NATIVE = "http://schema.hropenstandards.org/4.4/recruiting/json/ler-rs/LER-RSType.json#"
SECTIONS = ("skills", "certifications", "licenses", "educationAndLearnings", "employmentHistories")


@dataclass
class LerRs:
    """The résumé body (the LER-RS object) and the wrapping credential's issuer, if any."""

    body: dict[str, Any]
    issuer: Any = None
    where: str = ""


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _domain_url(value: Any) -> str | None:
    """``dns:www.example.edu`` (HR Open's domainName) as ``https://www.example.edu``."""
    if isinstance(value, str) and re.fullmatch(r"(dns:)?[A-Za-z0-9.-]+\.[A-Za-z]{2,}", value.strip()):
        return "https://" + value.strip().removeprefix("dns:")
    return None


class LerRsIngester(Ingester):
    name = "ler-rs"
    title = "HR Open LER-RS"
    version = "1"

    def sniff(self, source: Source) -> float:
        head = json_head(source)
        if not head:
            return 0.0
        if HROPEN in head and ("LER-RS" in head or "ler-rs" in head):
            return 0.95  # above vc/ob3: the VC wrapper's @context names HR Open schemas, not JSON-LD contexts
        return 0.0

    def parse(self, source: Source, ctx: IngestContext) -> LerRs:
        doc = source.json()
        if not isinstance(doc, dict):
            ctx.fail("(document)", f"an LER-RS document must be a JSON object, not a JSON {type(doc).__name__}")
        if "credentialSubject" in doc:
            subjects = as_list(doc["credentialSubject"])
            if len(subjects) != 1 or not isinstance(subjects[0], dict):
                ctx.fail("credentialSubject", "an LER-RS credential wraps exactly one LER-RS object")
            body, where = subjects[0], "credentialSubject"
            ctx.format_version = "vc"
        else:
            body, where = doc, ""
            ctx.format_version = "bare"
        kind = text_of(body.get("type"))
        if not (kind and "LER-RS" in kind) and not any(k in body for k in SECTIONS):
            ctx.fail(_join(where, "type"), "not an LER-RS résumé: no LER-RS type and none of " + ", ".join(SECTIONS))
        for key in SECTIONS:
            if key in body and not isinstance(body[key], list):
                ctx.fail(_join(where, key), f"{key} must be an array, not a JSON {type(body[key]).__name__}")
        return LerRs(body, doc.get("issuer") if where else None, where)

    def map(self, parsed: LerRs, ctx: IngestContext) -> Iterator[TripleTuple]:
        mapper = _LerRsMapper(ctx, CoreMapper(ctx))
        mapper.resume(parsed)
        yield from mapper.triples
        yield from mapper.vc.triples


@dataclass
class _LerRsMapper:
    ctx: IngestContext
    vc: CoreMapper
    triples: list[TripleTuple] = field(default_factory=list)
    _done: set[str] = field(default_factory=set)
    definitions: list[NamedNode] = field(default_factory=list)
    issuer_name: str | None = None

    def add(self, s: Subject, p: NamedNode, o: Object | None) -> None:
        if o is not None:
            self.triples.append((s, p, o))

    def _first(self, node: NamedNode) -> bool:
        if node.value in self._done:
            return False
        self._done.add(node.value)
        return True

    def _label(self, node: NamedNode, text: str) -> None:
        self.add(node, SKOS.prefLabel, lit(text))
        self.add(node, SCHEMA.name, lit(text))

    def resume(self, parsed: LerRs) -> None:
        body, where = parsed.body, parsed.where
        issuer = self.issuer(parsed.issuer)
        for i, skill in enumerate(body.get("skills") or []):
            self.skill(skill, f"{_join(where, 'skills')}[{i}]", issuer)
        for key, kind in (("certifications", "Certification"), ("licenses", "License")):
            for i, entry in enumerate(body.get(key) or []):
                self.certification(entry, f"{_join(where, key)}[{i}]", kind)
        for i, entry in enumerate(body.get("educationAndLearnings") or []):
            self.education(entry, f"{_join(where, 'educationAndLearnings')}[{i}]", None)
        for i, entry in enumerate(body.get("employmentHistories") or []):
            self.employment(entry, f"{_join(where, 'employmentHistories')}[{i}]")
        if self.ctx.options.personal:
            self.person(body)

    # -- organisations ------------------------------------------------------------------------

    def issuer(self, value: Any) -> NamedNode | None:
        if value is None:
            return None
        ident = node_id(value)
        name = text_of(value.get("name")) if isinstance(value, dict) else None
        self.issuer_name = name or ident
        if ident and is_iri(ident):
            return self.org(NamedNode(ident), name or ident, None, None)
        if ident:
            self.ctx.warn("issuer", f"issuer {ident[:80]!r} is not an IRI: named by a minted IRI")
            return self.org(minted("organization", "ler-rs", ident), ident, None, None)
        return None

    def org(self, node: NamedNode, name: str, url: str | None, description: Any) -> NamedNode:
        """An organisation node, described once."""
        if self._first(node):
            self.add(node, RDF.type, SCHEMA.Organization)
            self._label(node, name)
            if url:
                self.add(node, SCHEMA.url, NamedNode(url))
            for d in as_list(description):
                if isinstance(d, str) and d:
                    self.add(node, SCHEMA.description, lit(d))
        return node

    def organisation(self, value: Any, where: str, iri: str | None = None) -> NamedNode | None:
        """An HR Open organisation object (name/tradeName, domainName, web)."""
        if not isinstance(value, dict):
            if value is not None:
                self.ctx.warn(where, f"an organisation must be an object, not a JSON {type(value).__name__}")
            return None
        name = text_of(value.get("name")) or text_of(value.get("tradeName")) or text_of(value.get("legalName"))
        url = _domain_url(value.get("domainName"))
        if url is None:
            comm = value.get("communication")
            webs = comm.get("web") if isinstance(comm, dict) else None
            url = next((w["url"] for w in as_list(webs) if isinstance(w, dict) and isinstance(w.get("url"), str) and is_iri(w["url"])), None)
        if not name and not url and not iri:
            self.ctx.warn(where, "organisation has neither a name nor a domain: skipped")
            return None
        node = NamedNode(iri) if iri else minted("organization", "ler-rs", (url or "").lower() or (name or "").lower())
        return self.org(node, name or url or node.value, url, value.get("descriptions"))

    # -- skills -------------------------------------------------------------------------------

    def framework(self, issuer: NamedNode | None) -> NamedNode:
        owner = issuer.value if issuer is not None else self.ctx.source.key
        node = minted("framework", "ler-rs-skills", owner)
        if self._first(node):
            self.add(node, RDF.type, CEASN.CompetencyFramework)
            self.add(node, RDF.type, SKOS.ConceptScheme)
            label = self.issuer_name or owner
            self.add(node, SKOS.prefLabel, lit(f"Skills named in LER-RS résumés issued by {label}"))
            self.add(node, SCHEMA.publisher, issuer)
        return node

    def skill(self, skill: Any, where: str, issuer: NamedNode | None) -> None:
        if not isinstance(skill, dict):
            self.ctx.warn(where, f"a skill must be an object, not a JSON {type(skill).__name__}")
            return
        name = text_of(skill.get("name"))
        if not name:
            self.ctx.warn(_join(where, "name"), "skill has no name (missing field): skipped")
            return
        scheme = self.framework(issuer)
        node = minted("competency", scheme.value, name.strip().lower())
        if self._first(node):
            self.add(node, RDF.type, CEASN.Competency)
            self.add(node, RDF.type, SKOS.Concept)
            self.add(node, SKOS.inScheme, scheme)
            self._label(node, name)
            if text_of(skill.get("description")):
                self.add(node, SKOS.definition, lit(str(text_of(skill.get("description")))))
        for key in ("definitionReference", "schemeReference"):
            ref = skill.get(key)
            if isinstance(ref, dict):
                self.reference(node, ref, _join(where, key), key, issuer)

    def reference(self, subject: NamedNode, ref: dict[str, Any], where: str, key: str, author: NamedNode | None) -> None:
        target, scheme = text_of(ref.get("reference")), text_of(ref.get("scheme"))
        if not target or not is_iri(target):
            self.ctx.warn(where, f"reference {str(target)[:80]!r} is not an IRI (invalid IRI): no alignment")
            return
        native = NamedNode(LERRS_NATIVE + key)
        node = minted("alignment", subject.value, native.value, target)
        if self._first(node):
            self.add(node, RDF.type, SSSOM.Mapping)
            self.add(node, OWL.annotatedSource, subject)
            self.add(node, OWL.annotatedProperty, SKOS.exactMatch if key == "schemeReference" else SKOS.closeMatch)
            self.add(node, OWL.annotatedTarget, NamedNode(target))
            self.add(node, SSSOM.mapping_justification, SEMAPV.ManualMappingCuration)
            self.add(node, LERMAP.nativePredicate, native)
            self.add(node, SSSOM.author_id, author)
            self.add(node, LERMAP.targetUrl, lit(target))
            if scheme:
                self.add(node, LERMAP.targetFramework, lit(scheme))

    # -- certifications, licences, degrees ------------------------------------------------------

    def definition(self, name: str, kind: str, creator: NamedNode | None) -> NamedNode:
        node = minted("credential", "ler-rs", kind, creator.value if creator else "", name.strip().lower())
        if self._first(node):
            self.add(node, RDF.type, SCHEMA.EducationalOccupationalCredential)
            self._label(node, name)
            self.add(node, LERMAP.credentialKind, lit(kind))
            self.add(node, SCHEMA.creator, creator)
        self.definitions.append(node)
        return node

    def certification(self, entry: Any, where: str, kind: str) -> None:
        if not isinstance(entry, dict):
            self.ctx.warn(where, f"a {kind.lower()} must be an object, not a JSON {type(entry).__name__}")
            return
        authority = self.organisation(entry.get("issuingAuthority"), _join(where, "issuingAuthority"))
        name = text_of(entry.get("name"))
        if name:
            self.definition(name, kind, authority)
        verified = self.verifications(entry.get("verifications"), _join(where, "verifications"), kind)
        if not name and not verified:
            self.ctx.warn(where, f"{kind.lower()} has no name and no verifiable credential (missing field): skipped")

    def verifications(self, value: Any, where: str, kind: str) -> bool:
        """Embedded credentials: OB 3.0 achievements through the shared mapper; references are not fetched."""
        found = False
        for i, v in enumerate(as_list(value)):
            loc = f"{where}[{i}]"
            if not isinstance(v, dict):
                continue
            subject = v.get("credentialSubject")
            if isinstance(subject, dict) and isinstance(subject.get("achievement"), dict):
                issuer = self.vc.organization(v.get("issuer"), _join(loc, "issuer"))
                node = self.vc.definition(subject["achievement"], _join(loc, "credentialSubject.achievement"), issuer)
                if node is not None:
                    self.vc.add(node, SCHEMA.creator, issuer)
                    self.definitions.append(node)
                    found = True
            elif isinstance(subject, dict) and isinstance(subject.get("educationAndLearning"), dict):
                ident = node_id(v.get("issuer"))
                self.education(subject["educationAndLearning"], _join(loc, "credentialSubject.educationAndLearning"),
                               ident if ident and is_iri(ident) else None)
                found = True
            elif isinstance(v.get("reference"), str):
                self.ctx.warn(_join(loc, "reference"), f"{kind.lower()} verification {v['reference'][:100]} is only referenced: not fetched")
        return found

    def education(self, entry: Any, where: str, issuer_iri: str | None) -> None:
        if not isinstance(entry, dict):
            self.ctx.warn(where, f"an education entry must be an object, not a JSON {type(entry).__name__}")
            return
        institution = self.organisation(entry.get("institution"), _join(where, "institution"), issuer_iri)
        for i, degree in enumerate(as_list(entry.get("educationDegrees"))):
            name = text_of(degree.get("name")) if isinstance(degree, dict) else None
            if not name:
                self.ctx.warn(f"{_join(where, 'educationDegrees')}[{i}]", "degree has no name (missing field): skipped")
                continue
            node = self.definition(name, "EducationDegree", institution)
            level = text_of(degree.get("iscedEducationLevelCode"))
            if level:
                self.add(node, SCHEMA.educationalLevel, lit(f"ISCED {level}"))
            for spec in as_list(degree.get("specializations")):
                if isinstance(spec, dict) and text_of(spec.get("name")):
                    self.add(node, LERMAP.fieldOfStudy, lit(str(text_of(spec.get("name")))))
        self.verifications(entry.get("verifications"), _join(where, "verifications"), "education")

    # -- employment ---------------------------------------------------------------------------

    def employment(self, entry: Any, where: str) -> None:
        if not isinstance(entry, dict):
            self.ctx.warn(where, f"an employment history must be an object, not a JSON {type(entry).__name__}")
            return
        self.organisation(entry.get("organization"), _join(where, "organization"))
        for i, position in enumerate(as_list(entry.get("positionHistories"))):
            title = text_of(position.get("title")) if isinstance(position, dict) else None
            if not title:
                self.ctx.warn(f"{_join(where, 'positionHistories')}[{i}]", "position has no title (missing field): skipped")
                continue
            node = minted("occupation", "ler-rs", title.strip().lower())
            if self._first(node):
                self.add(node, RDF.type, SCHEMA.Occupation)
                self.add(node, RDF.type, SKOS.Concept)
                self._label(node, title)
        self.verifications(entry.get("verifications"), _join(where, "verifications"), "employment")

    # -- personal mode ------------------------------------------------------------------------

    def person(self, body: dict[str, Any]) -> None:
        person = body.get("person")
        name = person.get("name") if isinstance(person, dict) else None
        formatted = text_of(name.get("formattedName")) if isinstance(name, dict) else None
        doc_id = body.get("documentId")
        node = minted("person", self.ctx.source.key, (text_of(doc_id.get("value")) if isinstance(doc_id, dict) else None) or "")
        self.add(node, RDF.type, SCHEMA.Person)
        if formatted:
            self.add(node, SCHEMA.name, lit(formatted))
        for d in dict.fromkeys(self.definitions):
            self.add(node, SCHEMA.hasCredential, d)
