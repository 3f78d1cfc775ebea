"""Every JSON-LD ingester reads a document in any of JSON-LD's forms: the expanded and flattened twins of the
publishers' documents (made with pyld at test time, never committed) give the core view of the compacted original.

The twins are compared where they can be: the original's own graph must be the same whether pyld or lermap expands
it (where the two processors disagree — relative IRIs of undefined terms, numbers under a type coercion — the twin
is a different document and proves nothing; the precondition is asserted, so a document that stops qualifying fails
here). Flattening merges objects that share an ``@id``; for a document that describes a node in two places the
flattened twin must keep every named statement of the original's core view (it may add what the merge says).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from pyld import jsonld
from rdflib.compare import isomorphic

import lermap
from lermap.errors import SourceError
from lermap.graph.jsonld import default_registry, to_quads
from lermap.graph.terms import TripleTuple, to_rdflib_graph
from lermap.graph.vocab import LERMAP_ID_BASE
from lermap.ingest import registry
from lermap.ingest.base import IngestContext, IngestOptions, Source
from lermap.ingest.ctdl.read import document_base
from lermap.service import KnowledgeGraph

DATA = Path(__file__).resolve().parents[1] / "data"
# A sample of each family's positives (all of them take minutes): each context version, envelope, proof suite and
# document shape the ingesters meet, where pyld and lermap agree on the original's graph.
TWINS: dict[str, list[str]] = {
    "ob3": [
        "ob3/obspec-basicOpenBadgeCredential-01-Sample-OpenBadgeCredential.json",  # VC 2.0, OB 3.0.3
        "ob3/dvalidator-simple.json",
        "ob3/dvalidator-simple_v1.json",  # VC 1.1, OB 3.0.0: "achievement" is obv:Achievement there
        "ob3/dvalidator-simple-eddsa-2022.json",  # VC 1.1, OB 3.0.1 (obv:achievement-0), Data Integrity v1
        "ob3/dvalidator-complete.json",  # endorsements everywhere, the issuer described in four places
        "ob3/obspec-endorsement-01-Sample-EndorsementCredential.json",
        "ob3/obspec-fullOpenBadge-01-Complete-OpenBadgeCredential.json",
        "ob3/obspec-skillAssertionCtdl-01-Skill-Assertion-Credential-Registry.json",
        "ob3/obspec-achievementAlignmentCase-01-Achievement-alignment-CASE.json",
        "ob3/dcc-vc-test-fixtures/v1/ed25519-didWeb-oidf-validStatus-noExpiry.json",
        "ob3/dcc-vc-test-fixtures/v2/dataIntegrityProof-didKey-oidf-noStatus-notExpired-complexIssuer.json",
    ],
    "clr2": ["clr2/obspec-linked-data-proof-clr-01-Credential.json"],
    "vc": [
        "vc1/w3c-vcdm11-01-block.json",
        "vc1/w3c-vcdm11-02-block.json",  # a presentation: credential and proofs in named graphs
        "vc1/w3c-vcdm-schema-verifiable-presentation-example-45.json",
        "vc2/w3c-vcdm2-10-Specifying-multiple-subjects-in-a-verifiable-crede.json",
        "vc2/w3c-vcdm2-15-A-verifiable-credential-using-an-embedded-proof.json",
        "vc2/w3c-vcdm2-16-Basic-structure-of-a-presentation.json",  # VC 2.0 resets the context inside a VP
    ],
    "ob2": [
        "ob2/dvalidator-basic-assertion.json",
        "ob2/dvalidator-assertion-with-endorsements.json",
        "ob2/dvalidator-assertion-with-multiple-extensions.json",
        "ob2/dvalidator-basic-assertion-with-language.json",
        "ob2/dvalidator-assets-badgeclass1.json",
        "ob2/dvalidator-assets-issuer1.json",
        "ob2/obspec-v2-examples-01-block.json",
    ],
    "elm": ["elm/elm-v3-Sample-CertOfPart-unsigned.jsonld", "elm/elm-v3-Sample-MC-Annex1-unsigned.jsonld"],
    "ctdl": [
        "ctdl/ce-PathwaysConditionsAndConstraints_Pathway-Examples_CompTIA_CompTIA-IT_Networking_Specialist.jsonld",
        "ctdl/ce-CourseProgramExamples_programWithCourses.json",
        "ctdl/ce-HandbookExamples_CredentialTypes_frameworkLevels.json",
        "ctdl/ce-HandbookExamples_RecognitionOfPriorLearning_tvp-example1.json",
        "ctdl/ingestex-Course-1a.json",
        "ctdl/ce-EEOMetrics_Examples_handbookQDataSimpleExample.json",
        "ctdl/ce-SchedulePatterns_scheduleExample2.json",
        "ctdl/credreg-fixture-credential-4_import.json",
        "ctdl/ingestex-Credential-1-graph.json",
        "ctdl/ingestex-LearningProgram-1.json",
    ],
    "ctdl-asn": [
        "ctdl-asn/ce-Competency-Frameworks_ONET_Basic_Skills_Competency_Framework_9-27-19.json",
        "ctdl-asn/ce-Competency-Frameworks_ConnectingCredentials.json",
    ],
}
DETECTED_AS = {"ctdl": {"ctdl", "ctdl-asn"}, "ctdl-asn": {"ctdl", "ctdl-asn"}, "vc": {"vc"}}


# Flattened twins that cannot be read, and why: the CLR's subject and an embedded credential share an @id, so the
# merged node carries both types, whose scoped contexts redefine the same protected terms.
FLATTENED_REFUSED = {"clr2/obspec-linked-data-proof-clr-01-Credential.json": "tried to redefine a protected term"}


def _cases() -> Iterator[Any]:
    for fmt, docs in TWINS.items():
        for rel in docs:
            for form in ("expanded", "flattened"):
                if not (form == "flattened" and rel in FLATTENED_REFUSED):
                    yield pytest.param(fmt, rel, form, id=f"{form}-{rel}")


def _run(fmt: str, key: str, data: bytes) -> list[TripleTuple]:
    source = Source.from_bytes(key, data)
    return list(registry.get(fmt).run(source, IngestContext(source, IngestOptions())))


def _ground(triples: Any) -> set[TripleTuple]:
    return {t for t in triples if not any(isinstance(x, ox.BlankNode) for x in t)}


def _core(out: list[TripleTuple], doc: Any, key: str, base: str | None) -> set[TripleTuple]:
    """The core view: what an ingest adds to the document's own graph (the core view has no blank nodes)."""
    own = _ground((q.subject, q.predicate, q.object) for q in to_quads(doc, key, base_iri=base))
    return _ground(out) - own


def _described_twice(doc: Any) -> bool:
    """Whether one @id is described (more than its id) by two objects of the document."""
    seen: dict[str, int] = {}
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            ident = node.get("id", node.get("@id"))
            if isinstance(ident, str) and set(node) - {"id", "@id", "@context"}:
                seen[ident] = seen.get(ident, 0) + 1
            stack.extend(v for k, v in node.items() if k != "@context")
    return any(n > 1 for n in seen.values())


@pytest.mark.parametrize(("fmt", "rel", "form"), list(_cases()))
def test_expanded_and_flattened_twins_give_the_core_view_of_the_original(fmt: str, rel: str, form: str, conformance: Path) -> None:
    path = conformance / rel
    key, data = str(path.resolve()), path.read_bytes()
    doc = json.loads(data)
    base = document_base(Source.from_path(path)) if fmt.startswith("ctdl") else None
    options: dict[str, Any] = {"documentLoader": default_registry().loader(), **({"base": base} if base else {})}
    by_pyld = str(jsonld.to_rdf(doc, {**options, "format": "application/n-quads"}))
    theirs = to_rdflib_graph((q.subject, q.predicate, q.object) for q in ox.parse(by_pyld, format=ox.RdfFormat.N_QUADS))
    ours = to_rdflib_graph((q.subject, q.predicate, q.object) for q in to_quads(doc, key, base_iri=base))
    assert isomorphic(theirs, ours) and jsonld.DEFAULT_BASE_IRI not in by_pyld, "precondition: pyld and lermap agree"

    twin = jsonld.expand(doc, options) if form == "expanded" else jsonld.flatten(doc, None, options)
    twin_bytes = json.dumps(twin).encode()
    assert registry.detect(Source.from_bytes(key, twin_bytes)).name in DETECTED_AS.get(fmt, {fmt})
    want = _core(_run(fmt, key, data), doc, key, base)
    got = _core(_run(fmt, key, twin_bytes), twin, key, base)
    assert want, "the original has a core view"
    if form == "flattened" and _described_twice(doc):
        named = {t for t in want if not str(t[0]).startswith("<" + LERMAP_ID_BASE)}
        assert named <= got, sorted(map(str, named - got))[:5]
    else:
        assert isomorphic(rdflib.Graph() + to_rdflib_graph(want), to_rdflib_graph(got)), (
            sorted(map(str, want - got))[:5], sorted(map(str, got - want))[:5])


@pytest.mark.parametrize(("rel", "rule"), sorted(FLATTENED_REFUSED.items()))
def test_flattened_twins_that_merge_conflicting_nodes_are_refused_with_node_and_rule(rel: str, rule: str, conformance: Path) -> None:
    path = conformance / rel
    flat = jsonld.flatten(json.loads(path.read_bytes()), None, {"documentLoader": default_registry().loader()})
    source = Source.from_bytes(str(path), json.dumps(flat).encode())
    with pytest.raises(SourceError) as info:
        list(registry.detect(source).run(source, IngestContext(source)))
    assert rule in info.value.reason and '(node "' in info.value.location


def test_every_family_has_twins() -> None:
    assert set(TWINS) == {"ob3", "clr2", "vc", "ob2", "elm", "ctdl", "ctdl-asn"}  # CASE is plain JSON: no JSON-LD forms


# --- the Credential Engine case: expanded JSON-LD, a top-level array, full IRIs, no @context ------------------------


@pytest.fixture()
def kg() -> Iterator[KnowledgeGraph]:
    graph = lermap.open_graph("memory:")
    yield graph
    graph.close()


def _core_of(kg: KnowledgeGraph, graph: str) -> rdflib.Graph:
    quads = ox.parse(kg.export("nquads", graph=graph), format=ox.RdfFormat.N_QUADS)
    return to_rdflib_graph((q.subject, q.predicate, q.object) for q in quads)


@pytest.mark.parametrize("namespace", ["https://purl.org/ctdl/terms/", "http://purl.org/ctdl/terms/"])
def test_expanded_ctdl_pathway_ingests_like_its_turtle_twin(kg: KnowledgeGraph, tmp_path: Path, namespace: str) -> None:
    text = (DATA / "ctdl" / "pathway-expanded.json").read_text("utf-8").replace("https://purl.org/ctdl/terms/", namespace)
    path = tmp_path / "pathway-expanded.json"
    path.write_text(text)
    (from_json,) = kg.ingest(path)  # detected: no @context, CTDL IRIs
    assert from_json.format == "ctdl" and from_json.warnings == []
    assert (from_json.counts["pathway"], from_json.counts["learning_opportunity"], from_json.counts["organization"]) == (1, 3, 1)
    (from_turtle,) = kg.ingest(DATA / "ctdl" / "pathway-expanded.ttl")
    assert from_turtle.format == "ctdl"
    assert isomorphic(_core_of(kg, from_json.graph), _core_of(kg, from_turtle.graph))


def test_expanded_ctdl_without_ctdl_iris_is_refused_clearly(kg: KnowledgeGraph, tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps([{"@id": "https://example.lermap.test/x", "http://schema.org/name": [{"@value": "x"}]}]))
    with pytest.raises(SourceError, match="no ingester recognises this content"):
        kg.ingest(path)


def test_a_single_expanded_object_and_a_graph_wrapper_are_read_too(kg: KnowledgeGraph, tmp_path: Path) -> None:
    nodes = json.loads((DATA / "ob3" / "tiny-ob3.json").read_text("utf-8"))
    expanded = jsonld.expand(nodes, {"documentLoader": default_registry().loader()})
    want = _core_of(kg, kg.ingest(DATA / "ob3" / "tiny-ob3.json")[0].graph)
    for i, shape in enumerate((expanded[0], {"@graph": expanded})):
        path = tmp_path / f"tiny-{i}.json"
        path.write_text(json.dumps(shape))
        (report,) = kg.ingest(path)
        assert report.format == "ob3" and report.counts["assertion"] == 1
        got = _core_of(kg, report.graph)
        assert len(got) == len(want)  # same shape; node IRIs minted from the source key differ by file name
