"""The core view of CTDL-ASN resources: frameworks, competencies and their hierarchy (SKOS), harvested
alignments (sssom:Mapping) and rubrics.
"""

from __future__ import annotations

import pyoxigraph as ox

from lermap.graph.terms import Object, Subject, lit
from lermap.graph.vocab import CEASN, RDF, SCHEMA, SKOS
from lermap.ingest.ctdl.ctdl_mapping import mapping, resolve_competency
from lermap.ingest.ctdl.mapping import CA, CT, Core, where

FRAMEWORK = frozenset({CEASN.CompetencyFramework.value})
COMPETENCY = frozenset({CEASN.Competency.value})
RUBRIC = frozenset({CEASN.Rubric.value})

# CTDL-ASN alignment predicate -> SKOS mapping predicate.
ALIGNMENTS: dict[ox.NamedNode, ox.NamedNode] = {
    CA.exactAlignment: SKOS.exactMatch,
    CA.broadAlignment: SKOS.broadMatch,
    CA.narrowAlignment: SKOS.narrowMatch,
    CA.majorAlignment: SKOS.relatedMatch,
    CA.minorAlignment: SKOS.relatedMatch,
    CA.prerequisiteAlignment: SKOS.relatedMatch,
}


# ISO 639-2 (as the Library of Congress publishes them, e.g. in CTDL-ASN Turtle) -> ISO 639-1.
_ISO639_2 = {
    "eng": "en", "fra": "fr", "fre": "fr", "spa": "es", "deu": "de", "ger": "de", "ita": "it", "por": "pt",
    "nld": "nl", "dut": "nl", "zho": "zh", "chi": "zh", "jpn": "ja", "kor": "ko", "ara": "ar", "rus": "ru",
}
_LOC_ISO639_2 = "http://id.loc.gov/vocabulary/iso639-2/"


def language_code(value: Object) -> str | None:
    """The primary language subtag of an ``inLanguage`` value: ``en`` for "en-US", "en" or loc.gov's ``eng``.

    Frameworks state their language as a BCP 47 literal in JSON-LD and as an ISO 639-2 IRI in Turtle; the
    core view keeps the part both forms share (the native layer keeps what the source said).
    """
    if isinstance(value, ox.Literal):
        return value.value.strip().split("-")[0].lower() or None
    if isinstance(value, ox.NamedNode) and value.value.startswith(_LOC_ISO639_2):
        code = value.value[len(_LOC_ISO639_2) :]
        return _ISO639_2.get(code, code)
    return None


def build_frameworks(core: Core) -> None:
    """Competency frameworks → ceasn:CompetencyFramework + skos:ConceptScheme."""
    idx = core.index
    for fw in idx.of_types(FRAMEWORK):
        core.add(fw, RDF.type, CEASN.CompetencyFramework)
        core.add(fw, RDF.type, SKOS.ConceptScheme)
        core.label(fw, CA.name, CT.name, kind="framework")
        core.copy(fw, CA.description, SCHEMA.description)
        for p, as_p in ((CA.creator, SCHEMA.creator), (CA.publisher, SCHEMA.publisher), (CA.versionCode, SCHEMA.version)):
            core.copy(fw, p, as_p)
        for language in idx.objects(fw, CA.inLanguage):
            tag = language_code(language)
            if tag:
                core.add(fw, SCHEMA.inLanguage, lit(tag))
        for top in idx.nodes(fw, CA.hasTopChild):
            core.add(fw, SKOS.hasTopConcept, top)
            core.add(top, SKOS.topConceptOf, fw)


def build_competencies(core: Core) -> None:
    """Competencies → ceasn:Competency + skos:Concept with labels, notation, category and hierarchy."""
    idx = core.index
    frameworks = set(idx.of_types(FRAMEWORK))
    competencies = idx.of_types(COMPETENCY)
    scheme: dict[Subject, Subject] = {}
    for comp in competencies:
        core.add(comp, RDF.type, CEASN.Competency)
        core.add(comp, RDF.type, SKOS.Concept)
        # a coded notation is a poor label, but better than none (some registry seeds give nothing else readable)
        core.label(comp, CA.competencyText, CA.competencyLabel, CA.name, CA.codedNotation, kind="competency", also_name=False)
        if idx.literals(comp, CA.competencyText):
            core.copy(comp, CA.competencyLabel, SKOS.altLabel)
        core.copy(comp, CA.competencyLabel)
        core.copy(comp, CA.codedNotation, SKOS.notation)
        core.copy(comp, CA.competencyCategory)
        core.copy(comp, CA.comment, SKOS.note)
        for fw in idx.nodes(comp, CA.isPartOf):
            scheme.setdefault(comp, fw)
        for fw in idx.nodes(comp, CA.isTopChildOf):
            scheme.setdefault(comp, fw)
            core.add(comp, SKOS.topConceptOf, fw)
            core.add(fw, SKOS.hasTopConcept, comp)
        for child in idx.nodes(comp, CA.hasChild):
            core.add(comp, SKOS.narrower, child)
            core.add(child, SKOS.broader, comp)
        for parent in idx.nodes(comp, CA.isChildOf):
            if parent in frameworks:  # some publishers point top competencies at the framework this way
                core.add(comp, SKOS.topConceptOf, parent)
                core.add(parent, SKOS.hasTopConcept, comp)
                scheme.setdefault(comp, parent)
            else:
                core.add(comp, SKOS.broader, parent)
                core.add(parent, SKOS.narrower, comp)
    for fw in frameworks:
        for top in idx.nodes(fw, CA.hasTopChild):
            scheme.setdefault(top, fw)
    _fill_schemes(core, competencies, scheme, frameworks)


def _fill_schemes(core: Core, competencies: list[Subject], scheme: dict[Subject, Subject], frameworks: set[Subject]) -> None:
    """skos:inScheme for every competency: stated, inherited along broader, or the document's only framework."""
    broader = {s: o for (s, p, o) in core.triples if p == SKOS.broader}
    only = next(iter(frameworks)) if len(frameworks) == 1 else None
    for comp in competencies:
        seen: set[Subject] = set()
        node: Subject | None = comp
        found = None
        while node is not None and node not in seen:
            seen.add(node)
            if node in scheme:
                found = scheme[node]
                break
            parent = broader.get(node)
            node = parent if isinstance(parent, (ox.NamedNode, ox.BlankNode)) else None
        found = found or only
        if found is None:
            core.ctx.warn(where(comp), "competency belongs to no framework in this document (no skos:inScheme)")
            continue
        core.add(comp, SKOS.inScheme, found)


def build_alignments(core: Core) -> None:
    """exact/broad/narrow/major/minor/prerequisite alignments → sssom:Mapping (native predicate kept)."""
    idx = core.index
    for native, skos_pred in ALIGNMENTS.items():
        for s in idx.subjects_with(native):
            for target in idx.objects(s, native):
                resolved = resolve_competency(core, target)
                if resolved is None:
                    continue
                core.add(s, native, resolved)
                mapping(core, s, skos_pred, native, resolved)


def build_rubrics(core: Core) -> None:
    """Rubrics: labelled, and linked (schema:assesses) to the competencies they or their criteria target."""
    idx = core.index
    for rubric in idx.of_types(RUBRIC):
        core.add(rubric, RDF.type, CEASN.Rubric)
        core.label(rubric, CA.name, kind="rubric", also_name=False)
        core.copy(rubric, CA.description, SCHEMA.description)
        core.copy(rubric, CA.hasRubricCriterion)
        for holder in [rubric, *idx.nodes(rubric, CA.hasRubricCriterion)]:
            for target in idx.objects(holder, CA.targetCompetency) + idx.objects(holder, CT.targetCompetency):
                comp = resolve_competency(core, target)
                if comp is not None:
                    core.add(rubric, SCHEMA.assesses, comp)


CTDLASN_BUILDERS = (build_frameworks, build_competencies, build_alignments, build_rubrics)
