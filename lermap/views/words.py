"""Plain words for people: the one place that turns predicates and types into what a page says.

"develops", "is developed by", "Organisation", "Standard" — never ``lermap:develops``, ``schema:Organization`` or a
raw IRI. Words come from lermap's ontology (``lermap/graph/ontology/lermap.ttl``: ``rdfs:label`` and
``skos:prefLabel``, and ``lermap:inverseLabel`` for the reverse reading) where it has them, otherwise from the
curated table below (terms of schema.org, SKOS, CTDL... that lermap does not define). A term in neither gets its
local name split into words ("issuesCredentials" → "issues credentials"), so a page never shows an IRI.

>>> relation("https://w3id.org/lermap/vocab#develops")
'develops'
>>> relation("develops", inverse=True)
'is developed by'
>>> kind("https://schema.org/Organization")
'Organisation'
>>> kind("standard-version", plural=True)
'Standard versions'
>>> field("https://schema.org/url")
'Website'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pyoxigraph as ox

from lermap.graph.vocab import CEASN, CETERMS, DCTERMS, LERMAP, PROV, RDF, RDFS, SCHEMA, SKOS, SSSOM

INVERSE_LABEL = LERMAP.base + "inverseLabel"


@dataclass(frozen=True)
class Words:
    """How a page says one term: ``forward`` ("develops"), ``inverse`` ("is developed by"), ``noun`` ("Developer")."""

    forward: str
    inverse: str
    noun: str | None = None


# Relations (object properties) lermap's ontology does not label: the forward and the reverse reading.
_RELATIONS: dict[str, tuple[str, str]] = {
    SCHEMA.provider.value: ("is provided by", "provides"),
    SCHEMA.memberOf.value: ("is a member of", "has as member"),
    SCHEMA.member.value: ("has as member", "is a member of"),
    SCHEMA.parentOrganization.value: ("is part of", "has as part"),
    SCHEMA.subOrganization.value: ("has as part", "is part of"),
    SCHEMA.funder.value: ("is funded by", "funds"),
    SCHEMA.recognizedBy.value: ("is recognised by", "recognises"),
    SCHEMA.creator.value: ("is created by", "created"),
    SCHEMA.publisher.value: ("is published by", "publishes"),
    SCHEMA.competencyRequired.value: ("requires", "is required by"),
    SCHEMA.teaches.value: ("teaches", "is taught by"),
    SCHEMA.assesses.value: ("assesses", "is assessed by"),
    SCHEMA.occupationalCategory.value: ("is in the category", "is the category of"),
    SCHEMA.sameAs.value: ("is the same as", "is the same as"),
    DCTERMS.isVersionOf.value: ("is a version of", "has the version"),
    DCTERMS.hasVersion.value: ("has the version", "is a version of"),
    DCTERMS.isPartOf.value: ("is part of", "has as part"),
    DCTERMS.hasPart.value: ("has as part", "is part of"),
    DCTERMS.publisher.value: ("is published by", "publishes"),
    DCTERMS.creator.value: ("is created by", "created"),
    DCTERMS.conformsTo.value: ("conforms to", "is conformed to by"),
    DCTERMS.source.value: ("comes from", "is the source of"),
    SKOS.broader.value: ("is narrower than", "is broader than"),
    SKOS.narrower.value: ("is broader than", "is narrower than"),
    SKOS.related.value: ("is related to", "is related to"),
    SKOS.inScheme.value: ("is in", "contains"),
    SKOS.topConceptOf.value: ("is a top concept of", "has the top concept"),
    SKOS.hasTopConcept.value: ("has the top concept", "is a top concept of"),
    SKOS.exactMatch.value: ("matches exactly", "matches exactly"),
    SKOS.closeMatch.value: ("matches closely", "matches closely"),
    SKOS.broadMatch.value: ("matches the broader", "matches the narrower"),
    SKOS.narrowMatch.value: ("matches the narrower", "matches the broader"),
    SKOS.relatedMatch.value: ("is related to", "is related to"),
    CEASN.isPartOf.value: ("is part of", "has as part"),
    CEASN.isChildOf.value: ("is a part of", "has the part"),
    CEASN.hasChild.value: ("has the part", "is a part of"),
    CEASN.exactAlignment.value: ("aligns exactly with", "aligns exactly with"),
    CETERMS.ownedBy.value: ("is owned by", "owns"),
    CETERMS.offeredBy.value: ("is offered by", "offers"),
    CETERMS.accreditedBy.value: ("is accredited by", "accredits"),
    CETERMS.requires.value: ("requires", "is required by"),
    CETERMS.isPreparationFor.value: ("prepares for", "is prepared for by"),
    CETERMS.targetCompetency.value: ("targets the competency", "is targeted by"),
    PROV.wasDerivedFrom.value: ("comes from", "is the source of"),
    RDF.type.value: ("is a", "has as instance"),
}

# Facts (datatype properties and names) as a field name: "Website", "Description".
_FIELDS: dict[str, str] = {
    SKOS.prefLabel.value: "Name", SCHEMA.name.value: "Name", RDFS.label.value: "Name", CETERMS.name.value: "Name",
    CEASN.name.value: "Name", DCTERMS.title.value: "Title",
    SKOS.altLabel.value: "Also called", SCHEMA.alternateName.value: "Also called", SKOS.hiddenLabel.value: "Also found as",
    SCHEMA.description.value: "Description", DCTERMS.description.value: "Description", CETERMS.description.value: "Description",
    CEASN.description.value: "Description", SKOS.definition.value: "Definition", RDFS.comment.value: "Note",
    SKOS.scopeNote.value: "Scope note", SKOS.note.value: "Note", CEASN.competencyText.value: "Competency",
    CEASN.competencyLabel.value: "Short name", SKOS.notation.value: "Code", CEASN.codedNotation.value: "Code",
    CETERMS.codedNotation.value: "Code", SCHEMA.url.value: "Website", CETERMS.subjectWebpage.value: "Website",
    SCHEMA.identifier.value: "Identifier", SCHEMA.version.value: "Version", SCHEMA.license.value: "Licence",
    SCHEMA.inLanguage.value: "Language", SCHEMA.isAccessibleForFree.value: "Free to use",
    SCHEMA.applicationCategory.value: "Kind of tool", SCHEMA.addressCountry.value: "Country", SCHEMA.areaServed.value: "Area served",
    DCTERMS.type.value: "Kind", DCTERMS.issued.value: "Released", DCTERMS.license.value: "Licence",
    SCHEMA.credentialCategory.value: "Kind of credential", SCHEMA.educationalLevel.value: "Level",
    CETERMS.ctid.value: "CTID", RDF.type.value: "Kind",
}

# Types as a noun, for people: (singular, plural).
_KINDS: dict[str, tuple[str, str]] = {
    SCHEMA.Organization.value: ("Organisation", "Organisations"),
    SCHEMA.EducationalOrganization.value: ("Educational organisation", "Educational organisations"),
    SCHEMA.GovernmentOrganization.value: ("Government organisation", "Government organisations"),
    SCHEMA.Occupation.value: ("Occupation", "Occupations"),
    SCHEMA.EducationalOccupationalCredential.value: ("Credential", "Credentials"),
    SCHEMA.EducationalOccupationalProgram.value: ("Programme", "Programmes"),
    SCHEMA.Course.value: ("Course", "Courses"),
    SCHEMA.SoftwareApplication.value: ("Software", "Software"),
    SCHEMA.DefinedTerm.value: ("Term", "Terms"),
    SCHEMA.Place.value: ("Place", "Places"),
    SCHEMA.Person.value: ("Person", "People"),
    DCTERMS.Standard.value: ("Standard", "Standards"),
    SKOS.Concept.value: ("Concept", "Concepts"),
    SKOS.ConceptScheme.value: ("Classification", "Classifications"),
    CEASN.Competency.value: ("Competency", "Competencies"),
    CEASN.CompetencyFramework.value: ("Competency framework", "Competency frameworks"),
    CETERMS.Pathway.value: ("Pathway", "Pathways"),
    CETERMS.Credential.value: ("Credential", "Credentials"),
    CETERMS.CredentialOrganization.value: ("Credentialing organisation", "Credentialing organisations"),
    CETERMS.LearningOpportunityProfile.value: ("Learning opportunity", "Learning opportunities"),
    CETERMS.AssessmentProfile.value: ("Assessment", "Assessments"),
    SSSOM.Mapping.value: ("Alignment", "Alignments"),
    RDF.Statement.value: ("Sourced statement", "Sourced statements"),
    # the map's kinds (lermap/graph/queries/ecosystem-nodes.rq)
    "organization": ("Organisation", "Organisations"),
    "standard": ("Standard", "Standards"),
    "standard-version": ("Standard version", "Standard versions"),
    "tool": ("Tool", "Tools"),
    "stakeholder-type": ("Stakeholder type", "Stakeholder types"),
}


# How an alignment was made (SSSOM's mapping_justification, semapv terms) and what it claims (its SKOS predicate).
_JUSTIFICATIONS: dict[str, str] = {
    "semapv:ManualMappingCuration": "published by a person (the classification's publisher or a reviewer)",
    "semapv:MappingChaining": "derived by following published crosswalks one after the other",
    "semapv:LexicalMatching": "suggested because the names are alike",
    "semapv:SemanticSimilarityThresholdMatching": "suggested because the meanings are alike (language model)",
    "semapv:CompositeMatching": "suggested because names and meanings are alike",
    "semapv:UnspecifiedMatching": "made in a way the source does not say",
}
_MATCHES: dict[str, str] = {
    "skos:exactMatch": "is the same as", "skos:closeMatch": "is close to", "skos:broadMatch": "falls under the broader",
    "skos:narrowMatch": "includes the narrower", "skos:relatedMatch": "is related to",
}


def justification(term: str | None) -> str:
    """How an alignment was made, in words: "derived by following published crosswalks one after the other".

    >>> justification("semapv:LexicalMatching")
    'suggested because the names are alike'
    """
    if not term:
        return "not recorded"
    local = term.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    return _JUSTIFICATIONS.get(term) or _JUSTIFICATIONS.get("semapv:" + local) or _split(local)


def match(predicate: str) -> str:
    """What an alignment claims, read from its subject: ``skos:broadMatch`` → "falls under the broader"."""
    local = predicate.rsplit("#", 1)[-1].rsplit(":", 1)[-1]
    return _MATCHES.get("skos:" + local) or _split(local)


@cache
def _ontology() -> dict[str, dict[str, str]]:
    """``{term IRI: {"label": ..., "inverse": ...}}`` from lermap's ontology (read once, on first use)."""
    path = resources.files("lermap.graph") / "ontology" / "lermap.ttl"
    found: dict[str, dict[str, str]] = {}
    wanted = {RDFS.label.value: "label", SKOS.prefLabel.value: "label", INVERSE_LABEL: "inverse"}
    for quad in ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE):
        slot = wanted.get(quad.predicate.value)
        if slot and isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal):
            found.setdefault(quad.subject.value, {}).setdefault(slot, quad.object.value)
    return found


def _iri(term: str) -> str:
    """A full IRI for a term given as an IRI or as a lermap local name ("develops")."""
    if ":" in term:
        return term
    return LERMAP.base + term


def _split(name: str) -> str:
    """A local name as words: ``issuesCredentials`` → ``issues credentials``."""
    local = re.split(r"[#/]", name.rstrip("/#"))[-1] or name
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local).replace("_", " ").replace("-", " ")
    return spaced.lower().strip() or name


def words_for(term: str) -> Words:
    """The forward and reverse readings of a relation (an IRI, or a lermap local name)."""
    iri = _iri(term)
    onto = _ontology().get(iri, {})
    curated = _RELATIONS.get(iri)
    forward = onto.get("label") or (curated[0] if curated else _split(iri))
    inverse = onto.get("inverse") or (curated[1] if curated else f"is {forward} by" if not forward.startswith("is ") else f"{forward} (reverse)")
    return Words(forward=forward, inverse=inverse)


def relation(term: str, inverse: bool = False) -> str:
    """How a relation reads from its subject ("develops") or, with ``inverse``, from its object ("is developed by")."""
    w = words_for(term)
    return w.inverse if inverse else w.forward


def has_words(term: str) -> bool:
    """Whether a relation has real words (ontology or curated table), not just its split local name, both ways."""
    iri = _iri(term)
    onto = _ontology().get(iri, {})
    return iri in _RELATIONS or ("label" in onto and "inverse" in onto)


def kind(term: str, plural: bool = False) -> str:
    """A type (class IRI, or one of the map's kinds) as a noun: "Organisation", "Standards"."""
    if term in _KINDS:
        return _KINDS[term][1 if plural else 0]
    label = _ontology().get(_iri(term), {}).get("label")
    noun = label or _split(term)
    noun = noun[:1].upper() + noun[1:]
    return noun + ("s" if plural and not noun.endswith("s") else "")


def field(term: str) -> str:
    """A fact's property as a field name for a definition list: "Website", "Description", "Develops"."""
    if term in _FIELDS:
        return _FIELDS[term]
    text = _ontology().get(term, {}).get("label") or relation(term)
    return text[:1].upper() + text[1:]
