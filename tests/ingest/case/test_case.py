"""CASE CFPackage JSON: the OpenSALT fixtures (counts read from the packages), a tiny fixture as a graph, the REST fetch.

Counts are derived by reading each package: competencies = CFItems; top concepts = isChildOf associations whose
destination is the CFDocument; broader edges = isChildOf associations whose destination is a CFItem of the package;
alignments = every other association (the OpenSALT fixtures hold only isChildOf, so 0).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from lermap.errors import LimitExceededError, SourceError
from lermap.ingest import registry
from lermap.ingest.base import IngestContext, Source
from lermap.ingest.case.case import CaseIngester
from lermap.ingest.case.fetch import fetch_case_package
from tests.ingest.corecheck import assert_isomorphic, run, serve

DATA = Path(__file__).resolve().parents[2] / "data" / "case"
PACKAGES = [
    "opensalt-test-AdoptedTestFramework.json",
    "opensalt-test-EmptyExternalFramework.json",
    "opensalt-test-ItemTypeTestFramework.json",
    "opensalt-test-MarkdownFramework.json",
    "opensalt-test-Ordering.json",
    "opensalt-test-SequenceNumberFramework.json",
    "opensalt-test-SmartLevelFramework.json",
    "opensalt-test-Utf8TestFramework.json",
]


def expected_counts(package: dict[str, Any]) -> dict[str, int]:
    doc_id = package["CFDocument"]["identifier"]
    item_ids = {i["identifier"] for i in package["CFItems"]}
    child = [a for a in package["CFAssociations"] if a["associationType"] == "isChildOf"]
    return {
        "competency": len(package["CFItems"]),
        "top": sum(a["destinationNodeURI"]["identifier"] == doc_id for a in child),
        "broader": sum(a["destinationNodeURI"]["identifier"] in item_ids for a in child),
        "alignment": len(package["CFAssociations"]) - len(child),
    }


@pytest.mark.parametrize("name", PACKAGES)
def test_every_opensalt_package_ingests_with_the_counts_read_from_it(conformance: Path, name: str) -> None:
    path = conformance / "case" / name
    want = expected_counts(json.loads(path.read_text(encoding="utf-8")))
    r = run(CaseIngester(), path)
    assert r.ctx.warnings == []
    assert r.count("?f a ceasn:CompetencyFramework, skos:ConceptScheme ; skos:prefLabel ?l") == 1
    assert r.count("?c a ceasn:Competency, skos:Concept ; skos:prefLabel ?l ; skos:inScheme ?f") == want["competency"]
    assert r.count("?c skos:topConceptOf ?f . ?f skos:hasTopConcept ?c") == want["top"]
    assert r.count("?c skos:broader ?p . ?p skos:narrower ?c") == want["broader"]
    assert r.count("?m a sssom:Mapping") == want["alignment"]


@pytest.mark.parametrize("name", PACKAGES)
def test_every_opensalt_package_is_detected_as_case(conformance: Path, name: str) -> None:
    assert registry.detect(Source.from_path(conformance / "case" / name)).name == "case"


def test_the_act_excerpt_has_28_items_under_one_root(conformance: Path) -> None:
    # Ordering.json: 28 CFItems, 28 isChildOf; one (H.A.MATH.GM) hangs off the document, 27 off other items.
    r = run(CaseIngester(), conformance / "case/opensalt-test-Ordering.json")
    assert r.values("?c skos:topConceptOf ?f ; skos:notation ?v") == ["H.A.MATH.GM"]
    assert r.count("?c skos:broader ?p") == 27
    assert r.values("?f schema:creator ?o . ?o skos:prefLabel ?v") == ["ACT, Inc."]


def test_non_bmp_characters_survive(conformance: Path) -> None:
    path = conformance / "case/opensalt-test-Utf8TestFramework.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    title, statement = package["CFDocument"]["title"], package["CFItems"][0]["fullStatement"]
    assert any(ord(ch) > 0xFFFF for ch in title + statement)  # 𝑑 is U+1D451, outside the BMP
    r = run(CaseIngester(), path)
    assert r.values("?f a ceasn:CompetencyFramework ; skos:prefLabel ?v") == [title]
    assert r.values("?c a ceasn:Competency ; skos:prefLabel ?v") == [statement]


def test_tiny_package_gives_exactly_the_expected_graph() -> None:
    r = run(CaseIngester(), DATA / "tiny-case.json")
    assert r.ctx.format_version == "1.1"
    assert r.ctx.warnings == ["CFAssociations[3].destinationNodeURI.uri: 'not a uri' is not an IRI: ignored"]
    assert_isomorphic(r.triples, DATA / "tiny-case.expected.ttl")


def test_associations_resolve_items_by_identifier_when_uris_differ(tmp_path: Path) -> None:
    package = json.loads((DATA / "tiny-case.json").read_text(encoding="utf-8"))
    for assoc in package["CFAssociations"]:
        assoc["originNodeURI"]["uri"] = "https://mirror.example.net/" + assoc["originNodeURI"]["identifier"]
    path = tmp_path / "mirror.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    r = run(CaseIngester(), path)
    assert r.count("?c skos:broader ?p") == 1 and r.count("?c skos:topConceptOf ?f") == 1


def test_unknown_association_type_is_warned_and_read_as_related_match(tmp_path: Path) -> None:
    package = json.loads((DATA / "tiny-case.json").read_text(encoding="utf-8"))
    package["CFAssociations"][2]["associationType"] = "isCousinOf"
    path = tmp_path / "cousin.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    r = run(CaseIngester(), path)
    assert "CFAssociations[2]: unknown associationType 'isCousinOf': read as skos:relatedMatch" in r.ctx.warnings
    assert r.values("?m lermap:associationType 'isCousinOf' ; owl:annotatedProperty ?v", "v") == [
        "http://www.w3.org/2004/02/skos/core#relatedMatch"
    ]


@pytest.mark.parametrize(
    ("mutate", "location"),
    [
        (lambda p: p.pop("CFDocument"), "CFDocument"),
        (lambda p: p.__setitem__("CFItems", {"not": "a list"}), "CFItems"),
        (lambda p: p["CFItems"][1].pop("fullStatement"), "CFItems[1].fullStatement"),
        (lambda p: p["CFItems"][0].__setitem__("humanCodingScheme", ["A", "1"]), "CFItems[0].humanCodingScheme"),
        (lambda p: p["CFAssociations"][0].__setitem__("originNodeURI", "A.1"), "CFAssociations[0].originNodeURI"),
    ],
    ids=["no-document", "items-not-a-list", "item-without-statement", "code-not-a-string", "origin-not-an-object"],
)
def test_bad_packages_are_refused_naming_the_place(tmp_path: Path, mutate: object, location: str) -> None:
    package = json.loads((DATA / "tiny-case.json").read_text(encoding="utf-8"))
    mutate(package)  # type: ignore[operator]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    src = Source.from_path(path)
    with pytest.raises(SourceError) as err:
        list(CaseIngester().run(src, IngestContext(src)))
    assert err.value.location == location


def test_the_public_api_counts_an_opensalt_package(conformance: Path, memory_graph: object) -> None:
    (report,) = memory_graph.ingest(conformance / "case/opensalt-test-SmartLevelFramework.json")  # type: ignore[attr-defined]
    # SmartLevelFramework.json: 14 CFItems, 14 isChildOf (2 to the document, 12 between items), one creator.
    assert report.format == "case"
    assert report.counts["framework"] == 1 and report.counts["competency"] == 14
    assert report.counts["organization"] == 1 and report.counts.get("alignment", 0) == 0


# --- the CASE provider REST API ------------------------------------------------------------------------------

PACKAGE_ID = "11111111-aaaa-4aaa-8aaa-000000000000"


def test_fetch_case_package_stores_the_package_with_a_sidecar_then_ingests(tmp_path: Path, memory_graph: object) -> None:
    body = (DATA / "tiny-case.json").read_bytes()
    with serve({f"/ims/case/v1p0/CFPackages/{PACKAGE_ID}": (200, body)}) as server:
        path = fetch_case_package(server.base, PACKAGE_ID, tmp_path)
    assert path.read_bytes() == body
    sidecar = json.loads(path.with_name(path.name + ".fetch.json").read_text())
    assert sidecar["sha256"] == hashlib.sha256(body).hexdigest()
    assert sidecar["url"] == f"{server.base}/ims/case/v1p0/CFPackages/{PACKAGE_ID}"
    assert sidecar["retrieved_at"] and sidecar["extra"]["title"] == "Tiny 𝔸lgebra Framework"
    (report,) = memory_graph.ingest(path)  # type: ignore[attr-defined]
    assert report.counts["competency"] == 2 and report.counts["alignment"] == 2


@pytest.mark.parametrize(
    ("status", "body", "max_bytes", "error", "reason"),
    [
        (404, b"no such package", None, SourceError, "refused"),
        (200, b'{"CFItems": []}', None, SourceError, "not a CFPackage"),
        (200, b"<html>", None, SourceError, "did not return JSON"),
        (200, b"{" + b" " * 5000 + b"}", 1000, LimitExceededError, "over the limit"),
    ],
    ids=["http-404", "not-a-package", "not-json", "too-large"],
)
def test_fetch_case_package_refuses_bad_answers(tmp_path: Path, status: int, body: bytes, max_bytes: int | None,
                                               error: type[Exception], reason: str) -> None:
    with serve({f"/ims/case/v1p0/CFPackages/{PACKAGE_ID}": (status, body)}) as server, pytest.raises(error) as err:
        fetch_case_package(server.base, PACKAGE_ID, tmp_path, max_bytes=max_bytes)
    assert reason in str(err.value)
    assert not (tmp_path / f"{PACKAGE_ID}.json").exists()


def test_a_wrapped_package_and_a_foreign_parent(tmp_path: Path) -> None:
    # {"CFPackage": {...}} is unwrapped; an isChildOf whose destination is outside the package is a broadMatch mapping
    package = json.loads((DATA / "tiny-case.json").read_text(encoding="utf-8"))
    package["CFAssociations"][1]["destinationNodeURI"] = {
        "identifier": "44444444-dddd-4ddd-8ddd-000000000001", "uri": "https://other.example.org/CFItems/44", "title": "Algebra"}
    path = tmp_path / "wrapped.json"
    path.write_text(json.dumps({"CFPackage": package}), encoding="utf-8")
    r = run(CaseIngester(), path)
    assert r.count("?c skos:broader ?p") == 0
    assert r.values("?m lermap:associationType 'isChildOf' ; owl:annotatedProperty ?v") == [
        "http://www.w3.org/2004/02/skos/core#broadMatch"
    ]
    assert r.values("?m lermap:associationType 'isChildOf' ; owl:annotatedTarget ?v") == ["https://other.example.org/CFItems/44"]
