"""CTDL-ASN ingester: the Credential Engine's frameworks and rubrics (JSON-LD and Turtle), and our fixtures.

Expected counts come from reading the documents (each case says what was read).
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from lermap.errors import SourceError
from lermap.graph.terms import TripleTuple, minted, to_rdflib_graph
from lermap.graph.vocab import CEASN, LERMAP, OWL, RDF, SCHEMA, SEMAPV, SKOS, SSSOM
from lermap.ingest.base import IngestContext, Source
from lermap.ingest.ctdl.ctdl_asn import CtdlAsnIngester
from lermap.ingest.ctdl.mapping import core_view
from tests.conftest import CONFORMANCE

DATA = Path(__file__).resolve().parents[2] / "data" / "ctdl-asn"
FOLDER = CONFORMANCE / "ctdl-asn"
# The Turtle twin of the levels scheme is not Turtle: line 8 writes `skos:hasTopConcept [<a>, <b>, ...]`.
BROKEN_TURTLE = "ce-Competency-Frameworks_ConnectingCredentialsLevels.ttl"


def _positives() -> list[Path]:
    if not FOLDER.is_dir():
        return []
    return sorted(p for p in FOLDER.iterdir() if p.is_file() and p.name != BROKEN_TURTLE)


def run(path: Path) -> tuple[list[TripleTuple], list[TripleTuple], IngestContext]:
    """(native triples, core triples, context) for one document."""
    ing = CtdlAsnIngester()
    src = Source.from_path(path)
    ctx = IngestContext(src)
    native = ing.parse(src, ctx)
    return native, core_view(native, ctx, ing.builders), ctx


def core_graph(path: Path) -> rdflib.Graph:
    return to_rdflib_graph(run(path)[1])


@pytest.mark.parametrize("path", _positives(), ids=lambda p: p.name)
def test_positive_document_ingests(path: Path, conformance: Path, memory_graph: object) -> None:
    (report,) = memory_graph.ingest(path, format="ctdl-asn")  # type: ignore[attr-defined]
    assert report.format == "ctdl-asn" and report.triples > 0


def test_broken_turtle_twin_is_refused_with_its_place(conformance: Path) -> None:
    with pytest.raises(SourceError) as info:
        run(FOLDER / BROKEN_TURTLE)
    assert info.value.location == "line 8, column 78"
    assert "invalid Turtle" in info.value.reason


EXACT = {
    # @graph: 1 ceasn:CompetencyFramework + 12 ceasn:Competency
    "ce-Competency-Frameworks_ONET_Basic_Skills_Competency_Framework_9-27-19.json": {"framework": 1, "competency": 12},
    # @graph: 1 ceasn:CompetencyFramework + 71 ceasn:Competency
    "ce-Competency-Frameworks_ONET_Abilities_Competency_Framework_9-27-19.json": {"framework": 1, "competency": 71},
    # @graph: 1 ceasn:CompetencyFramework + 83 ceasn:Competency; its Turtle twin has the same 84 subjects
    "ce-Competency-Frameworks_DQP.jsonld": {"framework": 1, "competency": 83},
    "ce-Competency-Frameworks_DQP.ttl": {"framework": 1, "competency": 83},
    # @graph: 1 ceasn:CompetencyFramework + 91 ceasn:Competency; the Turtle twin has 91 `a ceasn:Competency`
    "ce-Competency-Frameworks_ConnectingCredentials.json": {"framework": 1, "competency": 91},
    "ce-Competency-Frameworks_ConnectingCredentials.ttl": {"framework": 1, "competency": 91},
    # a registry envelope whose decoded_resource @graph holds 1 framework + 13 competencies
    "ce-Competency-Frameworks_SampleCompetencyFramework_with_Envelope.json": {"framework": 1, "competency": 13},
    # array of 2 ceasn:CompetencyFramework (relative @ids)
    "credreg-seed-competency_framework.json": {"framework": 2, "competency": 0},
    # rubric examples: ceasn:Rubric, criteria and levels, no framework, competency or alignment
    "ce-Rubrics_Examples_Blackboard_Essay_Evaluation.json": {"framework": 0, "competency": 0, "alignment": 0},
}


@pytest.mark.parametrize("name", sorted(EXACT), ids=str)
def test_exact_counts(name: str, conformance: Path, memory_graph: object) -> None:
    (report,) = memory_graph.ingest(FOLDER / name, format="ctdl-asn")  # type: ignore[attr-defined]
    assert {k: report.counts.get(k, 0) for k in EXACT[name]} == EXACT[name]


def test_seed_competencies_alignment(conformance: Path, memory_graph: object) -> None:
    # ctdl/credreg-seed-competency.json: array of 5 ceasn:Competency; the first has one ceasn:exactAlignment
    # (a data: URI pointing at an ASN statement).
    (report,) = memory_graph.ingest(CONFORMANCE / "ctdl" / "credreg-seed-competency.json", format="ctdl-asn")  # type: ignore[attr-defined]
    assert (report.counts["competency"], report.counts["alignment"]) == (5, 1)


def test_every_competency_is_in_a_scheme(conformance: Path) -> None:
    _, core, ctx = run(FOLDER / "ce-Competency-Frameworks_DQP.jsonld")
    comps = {s for s, p, o in core if p == RDF.type and o == CEASN.Competency}
    in_scheme = {s for s, p, o in core if p == SKOS.inScheme}
    assert comps and comps <= in_scheme
    assert not [w for w in ctx.warnings if "no framework" in w]


# --- Turtle twins ----------------------------------------------------------------------------------------


def test_fixture_twins_are_isomorphic_in_core_and_native_layers() -> None:
    native_json, core_json, _ = run(DATA / "framework-small.json")
    native_ttl, core_ttl, _ = run(DATA / "framework-small.ttl")
    assert isomorphic(to_rdflib_graph(core_json), to_rdflib_graph(core_ttl))
    # natively the two differ only in how they state the language (BCP 47 literal vs loc.gov IRI)
    lang = rdflib.URIRef(CEASN.inLanguage.value)
    strip = [to_rdflib_graph(t for t in n if t[1] != CEASN.inLanguage) for n in (native_json, native_ttl)]
    assert isomorphic(*strip)
    assert not [t for t in to_rdflib_graph(native_ttl) if "http://purl.org/ctdlasn/" in str(t[1])]
    assert lang in set(to_rdflib_graph(native_ttl).predicates())


def test_dqp_twins_differ_only_where_the_publisher_does(conformance: Path) -> None:
    # DQP.jsonld says cgl1 `ceasn:isChildOf` <http://degreeprofile.org/dqp/> (line 832); DQP.ttl says
    # `ceasn:isTopChildOf` the same IRI (line 597). Every other core triple must agree.
    json_only, ttl_only = _diff(core_graph(FOLDER / "ce-Competency-Frameworks_DQP.jsonld"), core_graph(FOLDER / "ce-Competency-Frameworks_DQP.ttl"))
    cgl1, dqp = rdflib.URIRef("http://degreeprofile.org/dqp/cgl1"), rdflib.URIRef("http://degreeprofile.org/dqp/")
    s = rdflib.Namespace(SKOS.base)
    assert json_only == {(cgl1, s.broader, dqp), (dqp, s.narrower, cgl1)}
    assert ttl_only == {(cgl1, s.topConceptOf, dqp), (dqp, s.hasTopConcept, cgl1)}


_STRUCTURE = {RDF.type.value, SKOS.broader.value, SKOS.narrower.value, SKOS.inScheme.value, SKOS.topConceptOf.value, SKOS.hasTopConcept.value, SKOS.notation.value}


def test_connecting_credentials_twins_share_structure(conformance: Path) -> None:
    # The JSON names competencies https://credentialengineregistry.org/resources/ce-<uuid>, the Turtle
    # http://connectingcredentials.org/competencies/<uuid> (same UUIDs); the Turtle misspells the category
    # predicate (ceasn:CompetencyCategory) and words 9 competencies differently (’ vs ', line breaks,
    # one rewording). Mapped onto the same IRIs, the frameworks' structure must be identical.
    def structure(path: Path) -> rdflib.Graph:
        out = rdflib.Graph()
        for t in core_graph(path):
            if str(t[1]) in _STRUCTURE:
                out.add(tuple(_same_iri(x) for x in t))  # type: ignore[arg-type]
        return out

    a = structure(FOLDER / "ce-Competency-Frameworks_ConnectingCredentials.json")
    b = structure(FOLDER / "ce-Competency-Frameworks_ConnectingCredentials.ttl")
    assert len(a) >= 3 * 91  # at least two types and a scheme per competency
    assert isomorphic(a, b)


def _same_iri(term: rdflib.term.Node) -> rdflib.term.Node:
    if isinstance(term, rdflib.URIRef):
        return rdflib.URIRef(re.sub(r"^https://credentialengineregistry\.org/resources/ce-", "http://connectingcredentials.org/competencies/", str(term)))
    return term


def _diff(a: rdflib.Graph, b: rdflib.Graph) -> tuple[set[tuple[rdflib.term.Node, ...]], set[tuple[rdflib.term.Node, ...]]]:
    _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
    return set(only_a), set(only_b)


@pytest.mark.parametrize(("name", "expected"), [("framework-small.ttl", 0.9), ("framework-small.json", 0.95)])
def test_sniff(name: str, expected: float) -> None:
    assert CtdlAsnIngester().sniff(Source.from_path(DATA / name)) == expected


def test_turtle_without_ctdl_asn_terms_is_not_sniffed(conformance: Path) -> None:
    assert CtdlAsnIngester().sniff(Source.from_path(FOLDER / "ce-Rubrics_DESMmapping_desmRubricAbstractClass.ttl")) == 0.0


# --- the fixture's exact core view --------------------------------------------------------------------------


def test_framework_fixture_core_view_exactly() -> None:
    fw, c1, c2 = (ox.NamedNode(f"https://example.org/{p}") for p in ("fw", "fw/c1", "fw/c2"))
    write, comm = ox.NamedNode("https://example.org/other/write"), ox.NamedNode("https://example.org/other/comm")
    en = "en-us"
    exact = minted("mapping", c2.value, CEASN.exactAlignment.value, write.value)
    major = minted("mapping", c2.value, CEASN.majorAlignment.value, comm.value)
    expected: list[TripleTuple] = [
        (fw, RDF.type, CEASN.CompetencyFramework),
        (fw, RDF.type, SKOS.ConceptScheme),
        (fw, SKOS.prefLabel, ox.Literal("Tiny Framework", language=en)),
        (fw, SCHEMA.name, ox.Literal("Tiny Framework", language=en)),
        (fw, SCHEMA.creator, ox.NamedNode("https://example.org/org/1")),
        (fw, SCHEMA.inLanguage, ox.Literal("en")),
        (fw, SKOS.hasTopConcept, c1),
        (c1, SKOS.topConceptOf, fw),
        (c1, RDF.type, CEASN.Competency),
        (c1, RDF.type, SKOS.Concept),
        (c1, SKOS.prefLabel, ox.Literal("Communicate", language=en)),
        (c1, SKOS.notation, ox.Literal("C1")),
        (c1, SKOS.narrower, c2),
        (c1, SKOS.inScheme, fw),
        (c2, SKOS.broader, c1),
        (c2, RDF.type, CEASN.Competency),
        (c2, RDF.type, SKOS.Concept),
        (c2, SKOS.prefLabel, ox.Literal("Write clearly", language=en)),
        (c2, SKOS.altLabel, ox.Literal("Writing", language=en)),
        (c2, CEASN.competencyLabel, ox.Literal("Writing", language=en)),
        (c2, SKOS.notation, ox.Literal("C1.1")),
        (c2, CEASN.competencyCategory, ox.Literal("Skill", language=en)),
        (c2, SKOS.inScheme, fw),
        (c2, CEASN.exactAlignment, write),
        (c2, CEASN.majorAlignment, comm),
    ]
    for m, pred, native, target in ((exact, SKOS.exactMatch, CEASN.exactAlignment, write), (major, SKOS.relatedMatch, CEASN.majorAlignment, comm)):
        expected += [
            (m, RDF.type, SSSOM.Mapping),
            (m, OWL.annotatedSource, c2),
            (m, OWL.annotatedProperty, pred),
            (m, OWL.annotatedTarget, target),
            (m, SSSOM.mapping_justification, SEMAPV.ManualMappingCuration),
            (m, LERMAP.nativePredicate, native),
        ]
    assert isomorphic(core_graph(DATA / "framework-small.json"), to_rdflib_graph(expected))


def test_rubric_is_linked_to_the_competencies_its_criteria_target() -> None:
    _, core, _ = run(DATA / "rubric-small.json")
    rubric = ox.NamedNode("https://example.org/rubric/1")
    expected: list[TripleTuple] = [
        (rubric, RDF.type, CEASN.Rubric),
        (rubric, SKOS.prefLabel, ox.Literal("Weld Inspection Rubric", language="en")),
        (rubric, ox.NamedNode(CEASN.base + "hasRubricCriterion"), ox.NamedNode("https://example.org/rubric/1/crit/1")),
        # the criterion's targetCompetency (a string the context leaves untyped) becomes the rubric's link
        (rubric, SCHEMA.assesses, ox.NamedNode("https://example.org/fw/c2")),
    ]
    assert isomorphic(to_rdflib_graph(core), to_rdflib_graph(expected))


def test_connecting_credentials_twins_differ_only_in_wording(conformance: Path) -> None:
    # After mapping both onto the same IRIs, what remains is what the publisher wrote differently:
    # 91 ceasn:competencyCategory the Turtle misspells (ceasn:CompetencyCategory, not a CTDL-ASN term),
    # 9 competency texts worded differently (’ for ', hard line breaks, two texts swapped between
    # competencies), the framework description (– for --), one comment (a line break) and the
    # framework's ceasn:publisher IRI, which only the JSON states.
    def mapped(path: Path) -> rdflib.Graph:
        out = rdflib.Graph()
        for t in core_graph(path):
            out.add(tuple(_same_iri(x) for x in t))  # type: ignore[arg-type]
        return out

    json_only, ttl_only = _diff(mapped(FOLDER / "ce-Competency-Frameworks_ConnectingCredentials.json"), mapped(FOLDER / "ce-Competency-Frameworks_ConnectingCredentials.ttl"))

    def by_predicate(triples: set[tuple[rdflib.term.Node, ...]]) -> dict[str, int]:
        out: dict[str, int] = {}
        for _, p, _ in triples:
            out[str(p)] = out.get(str(p), 0) + 1
        return out

    assert by_predicate(json_only) == {
        CEASN.competencyCategory.value: 91,
        SKOS.prefLabel.value: 9,
        SKOS.note.value: 1,
        SCHEMA.description.value: 1,
        SCHEMA.publisher.value: 1,
    }
    assert by_predicate(ttl_only) == {SKOS.prefLabel.value: 9, SKOS.note.value: 1, SCHEMA.description.value: 1}
