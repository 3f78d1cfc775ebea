"""The core view of CTDL resources: credentials, organisations and their roles, learning opportunities,
assessments, condition profiles, alignment objects, cost / duration, transfer value and pathways.

Each ``build_*`` function reads the native triples through ``core.index`` and adds core triples to ``core``.
"""

from __future__ import annotations

import pyoxigraph as ox

from lermap.graph.terms import Object, Subject, is_iri, lit, minted
from lermap.graph.vocab import CEASN, CETERMS, LERMAP, OWL, RDF, SCHEMA, SEMAPV, SKOS, SSSOM
from lermap.ingest.ctdl.mapping import (
    CA,
    COMPONENT_CLASSES,
    CONDITION_TARGETS,
    CONDITIONS,
    CREDENTIAL_CLASSES,
    CT,
    LEARNING_CLASSES,
    OCCUPATION_CLASSES,
    ORGANIZATION_CLASSES,
    PROGRESSION_CLASSES,
    ROLES,
    SCHEMA_NAMES,
    Core,
    compact,
    where,
)

_CAO = CETERMS.base + "CredentialAlignmentObject"
# CTDL's classification alignments: native predicate -> kind of target.
CLASSIFICATIONS = {CT.occupationType: "occupation", CT.industryType: "industry", CT.instructionalProgramType: "program"}


# --- shared helpers --------------------------------------------------------------------------------


def _text(core: Core, s: Object, *preds: ox.NamedNode) -> str | None:
    for p in preds:
        for literal in core.index.literals(s, p):
            return literal.value
    return None


def mapping(
    core: Core,
    subject: Subject,
    skos_pred: ox.NamedNode,
    native_pred: ox.NamedNode,
    target: Subject,
) -> ox.NamedNode:
    """An SSSOM-shaped mapping (a harvested, publisher-asserted alignment) from subject to target."""
    m = minted("mapping", _key(core, subject), native_pred.value, _key(core, target))
    core.add(m, RDF.type, SSSOM.Mapping)
    core.add(m, OWL.annotatedSource, subject)
    core.add(m, OWL.annotatedProperty, skos_pred)
    core.add(m, OWL.annotatedTarget, target)
    core.add(m, SSSOM.mapping_justification, SEMAPV.ManualMappingCuration)
    core.add(m, LERMAP.nativePredicate, native_pred)
    return m


def _key(core: Core, node: Subject) -> str:
    """A stable text for a node: its IRI, or for a blank node (whose label changes on every parse) the
    source key with what the node says and who points at it."""
    if isinstance(node, ox.NamedNode):
        return node.value
    said = sorted(f"{p.value} {o}" for p, objs in core.index.out.get(node, {}).items() for o in objs if not isinstance(o, ox.BlankNode))
    pointed = sorted(f"{s.value} {p.value}" for s, p in core.index.incoming(node) if isinstance(s, ox.NamedNode))
    return "\x1f".join([core.ctx.source.key, *said, "<-", *pointed])


def _alignment_fields(core: Core, cao: Subject) -> tuple[str | None, str | None, str | None, Object | None]:
    """(name, code, framework name, framework node) of a CredentialAlignmentObject."""
    name = _text(core, cao, CT.targetNodeName)
    code = _text(core, cao, CT.codedNotation)
    framework_name = _text(core, cao, CT.frameworkName)
    frameworks = core.index.objects(cao, CT.framework)
    return name, code, framework_name, frameworks[0] if frameworks else None


def _is_cao(core: Core, node: Object) -> bool:
    if isinstance(node, ox.Literal):
        return False
    return isinstance(node, ox.BlankNode) or _CAO in core.index.types.get(node, ())


def resolve_competency(core: Core, node: Object) -> Subject | None:
    """The competency a ``targetCompetency`` / ``teaches`` / ``assesses`` value points to.

    An IRI is the competency; an alignment object gives its ``targetNode``, or — with only a name or code —
    a minted competency labelled from it (in the scheme of its framework when that is an IRI).
    """
    if isinstance(node, ox.NamedNode) and not _is_cao(core, node):
        return node
    if isinstance(node, ox.Literal):
        return ox.NamedNode(node.value) if is_iri(node.value) else None
    targets = core.index.nodes(node, CT.targetNode)  # an IRI, or a competency described in place
    if targets:
        return targets[0]
    name, code, framework_name, framework = _alignment_fields(core, node)
    if not (name or code):
        core.ctx.warn(where(node), "alignment object without targetNode, name or code: skipped")
        return None
    scheme = framework.value if isinstance(framework, ox.NamedNode) else (framework_name or "")
    comp = minted("competency", scheme, code or "", name or "")
    core.add(comp, SKOS.prefLabel, lit(name or code))
    if code:
        core.add(comp, SKOS.notation, lit(code))
    if isinstance(framework, ox.NamedNode):
        core.add(comp, RDF.type, CEASN.Competency)
        core.add(comp, RDF.type, SKOS.Concept)
        core.add(comp, SKOS.inScheme, framework)
    return comp


# --- entities ----------------------------------------------------------------------------------------


def build_credentials(core: Core) -> None:
    """Every CTDL credential subclass → schema:EducationalOccupationalCredential."""
    idx = core.index
    for cred in idx.of_types(CREDENTIAL_CLASSES):
        kind = idx.first_type(cred, CREDENTIAL_CLASSES)
        assert kind is not None
        core.add(cred, RDF.type, SCHEMA.EducationalOccupationalCredential)
        core.add(cred, LERMAP.credentialKind, lit(compact(kind)))
        core.add(cred, RDF.type, ox.NamedNode(kind))
        core.label(cred, CT.name, *SCHEMA_NAMES, kind="credential")
        core.copy(cred, CT.description, SCHEMA.description)
        core.copy(cred, CT.subjectWebpage, SCHEMA.url)
        for org in idx.nodes(cred, CT.ownedBy):
            core.add(cred, SCHEMA.creator, org)
        for org in idx.nodes(cred, CT.recognizedBy):
            core.add(cred, SCHEMA.recognizedBy, org)
        for cond in idx.nodes(cred, CT.requires):
            for target in idx.objects(cond, CT.targetCompetency):
                comp = resolve_competency(core, target)
                if comp is not None:
                    core.add(cred, SCHEMA.competencyRequired, comp)


def build_organizations(core: Core) -> None:
    """CTDL organisations → schema:Organization; role predicates kept (both directions become ``xBy``)."""
    idx = core.index
    for org in idx.of_types(ORGANIZATION_CLASSES):
        core.add(org, RDF.type, SCHEMA.Organization)
        for t in idx.types[org]:
            if t in ORGANIZATION_CLASSES:
                core.add(org, SCHEMA.additionalType, ox.NamedNode(t))
        core.label(org, CT.name, *SCHEMA_NAMES, kind="organisation")
        core.copy(org, CT.description, SCHEMA.description)
        core.copy(org, CT.subjectWebpage, SCHEMA.url)
        for address in idx.nodes(org, CT.address):
            for country in idx.literals(address, CT.addressCountry):
                core.add(org, SCHEMA.addressCountry, country)
    for role, inverse in ROLES.items():
        for s in idx.subjects_with(role):
            core.copy_links(s, role)
        for org in idx.subjects_with(inverse):
            for thing in idx.nodes(org, inverse):
                core.add(thing, role, org)


def build_learning(core: Core) -> None:
    """Learning opportunities, programmes and courses → ceterms:LearningOpportunityProfile."""
    idx = core.index
    for lo in idx.of_types(LEARNING_CLASSES):
        core.add(lo, RDF.type, CETERMS.LearningOpportunityProfile)
        core.label(lo, CT.name, kind="learning opportunity")
        core.copy(lo, CT.description, SCHEMA.description)
        core.copy(lo, CT.subjectWebpage, SCHEMA.url)
        for org in idx.nodes(lo, CT.offeredBy) or idx.nodes(lo, CT.ownedBy):
            core.add(lo, SCHEMA.provider, org)
        for target in idx.objects(lo, CT.teaches):
            comp = resolve_competency(core, target)
            if comp is not None:
                core.add(lo, SCHEMA.teaches, comp)


def build_assessments(core: Core) -> None:
    """Assessment profiles: label and schema:assesses → competency."""
    idx = core.index
    for a in idx.of_types(frozenset({CETERMS.AssessmentProfile.value})):
        core.label(a, CT.name, kind="assessment")
        core.copy(a, CT.description, SCHEMA.description)
        for target in idx.objects(a, CT.assesses):
            comp = resolve_competency(core, target)
            if comp is not None:
                core.add(a, SCHEMA.assesses, comp)


def build_conditions(core: Core) -> None:
    """Condition profiles (requires, recommends, ...) with their targets, alignment objects resolved."""
    idx = core.index
    for pred in CONDITIONS:
        for s in idx.subjects_with(pred):
            for cond in idx.nodes(s, pred):
                core.add(s, pred, cond)
                core.add(cond, RDF.type, CETERMS.ConditionProfile)
                core.copy(cond, CT.name)
                core.copy(cond, CT.description)
                for target_pred in CONDITION_TARGETS:
                    for target in idx.objects(cond, target_pred):
                        resolved = resolve_competency(core, target) if target_pred == CT.targetCompetency else target
                        if resolved is not None:
                            core.add(cond, target_pred, resolved)


def build_classifications(core: Core) -> None:
    """occupationType / industryType / instructionalProgramType → sssom:Mapping to the code's IRI or a minted target."""
    idx = core.index
    for pred, kind in CLASSIFICATIONS.items():
        for s in idx.subjects_with(pred):
            for value in idx.objects(s, pred):
                _classification(core, s, pred, kind, value)
    for occ in idx.of_types(OCCUPATION_CLASSES):
        core.add(occ, RDF.type, SCHEMA.Occupation)
        core.add(occ, RDF.type, SKOS.Concept)
        core.label(occ, CT.name, kind="occupation", also_name=False)
        core.copy(occ, CT.codedNotation, SKOS.notation)
        core.copy(occ, CT.description, SKOS.definition)


def _classification(core: Core, s: Subject, pred: ox.NamedNode, kind: str, value: Object) -> None:
    if isinstance(value, ox.Literal):
        if not is_iri(value.value):
            core.ctx.warn(where(s), f"{compact(pred.value)} value {value.value!r} is neither an IRI nor an alignment object")
            return
        value = ox.NamedNode(value.value)
    if isinstance(value, ox.NamedNode) and not _is_cao(core, value):
        mapping(core, s, SKOS.relatedMatch, pred, value)
        return
    name, code, framework_name, framework = _alignment_fields(core, value)
    nodes = [t for t in core.index.objects(value, CT.targetNode) if isinstance(t, ox.NamedNode)]
    framework_text = framework.value if isinstance(framework, ox.NamedNode) else (framework_name or "")
    if nodes:
        target = nodes[0]
    elif code or name:
        target = minted("target", framework_text, code or name or "")
    else:
        core.ctx.warn(where(s), f"{compact(pred.value)} alignment without targetNode, code or name: skipped")
        return
    m = mapping(core, s, SKOS.relatedMatch, pred, target)
    name_literal = next(iter(core.index.literals(value, CT.targetNodeName)), None)
    if name_literal is not None:
        core.add(m, LERMAP.targetName, name_literal)
    if code:
        core.add(m, LERMAP.targetCode, lit(code))
    if framework_text:
        core.add(m, LERMAP.targetFramework, lit(framework_text))
    if nodes:
        core.add(m, LERMAP.targetUrl, lit(nodes[0].value))
    core.add(m, LERMAP.targetType, lit(kind))
    if name or code:
        core.add(target, RDF.type, SCHEMA.Occupation if kind == "occupation" else SKOS.Concept)
        if kind == "occupation":
            core.add(target, RDF.type, SKOS.Concept)
        core.add(target, SKOS.prefLabel, name_literal if name_literal is not None else lit(code))
        if code:
            core.add(target, SKOS.notation, lit(code))
        if isinstance(framework, ox.NamedNode):
            core.add(target, SKOS.inScheme, framework)


def build_profiles(core: Core) -> None:
    """Cost and duration profiles (kept in CTDL terms), schema:timeRequired; transfer value profiles."""
    idx = core.index
    for s in idx.subjects_with(CT.estimatedCost):
        for cost in core.copy(s, CT.estimatedCost):
            for p in (RDF.type, CT.price, CT.currency, CT.description, CT.costDetails):
                core.copy(cost, p)  # type: ignore[arg-type]
    for s in idx.subjects_with(CT.estimatedDuration):
        for duration in core.copy(s, CT.estimatedDuration):
            for p in (RDF.type, CT.exactDuration, CT.minimumDuration, CT.maximumDuration, CT.description):
                core.copy(duration, p)  # type: ignore[arg-type]
            for exact in idx.literals(duration, CT.exactDuration):
                core.add(s, SCHEMA.timeRequired, exact)
    for tvp in idx.of_types(frozenset({CETERMS.TransferValueProfile.value})):
        core.add(tvp, RDF.type, CETERMS.TransferValueProfile)
        core.label(tvp, CT.name, kind="transfer value profile", also_name=False)
        for p in (CT.description, CT.transferValueFrom, CT.transferValueFor, CT.transferValue):
            core.copy(tvp, p)


_PATHWAY_LINKS = (
    CT.hasDestinationComponent, CT.hasChild, CT.isChildOf, CT.hasCondition, CT.precedes, CT.prerequisite,
    CT.isDestinationComponentOf, CT.proxyFor, CT.credentialType, CT.componentCategory, CT.hasProgressionModel,
    CT.hasProgressionLevel, CT.hasPart, CA.hasChild, CA.isChildOf, CA.isPartOf, CA.hasProgressionLevel,
    ox.NamedNode("http://purl.org/ASN/schema/core/hasProgressionLevel"),
    ox.NamedNode("http://purl.org/ASN/schema/core/hasProgressionModel"),
)


def build_pathways(core: Core) -> None:
    """Pathways, their components, component conditions and progression models, in native CTDL structure."""
    idx = core.index
    pathway_like = frozenset({CETERMS.Pathway.value}) | COMPONENT_CLASSES | PROGRESSION_CLASSES
    for node in idx.of_types(pathway_like):
        for t in idx.types[node]:
            if t in pathway_like:
                core.add(node, RDF.type, ox.NamedNode(t))
        core.label(node, CT.name, CA.name, SKOS.prefLabel, kind="pathway element", also_name=False)
        core.copy(node, CT.description)
        for p in _PATHWAY_LINKS:
            core.copy_links(node, p)
        for cond in idx.nodes(node, CT.hasCondition):
            for p in (RDF.type, CT.name, CT.description, CT.requiredNumber, CT.targetComponent):
                core.copy_links(cond, p)  # type: ignore[arg-type]


CTDL_BUILDERS = (
    build_credentials,
    build_organizations,
    build_learning,
    build_assessments,
    build_conditions,
    build_classifications,
    build_profiles,
    build_pathways,
)
