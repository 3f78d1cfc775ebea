"""Open Badges 2.0: every conformance positive ingests, counts read from chosen documents, every negative is
refused or flagged as docs/defects-ob2.md says, a tiny fixture compared as a graph, and the recipient never kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import rdflib
from rdflib.compare import isomorphic

from lermap.errors import SourceError
from lermap.graph.terms import to_rdflib_graph
from lermap.ingest.base import IngestContext, IngestOptions, Source
from lermap.ingest.credentials.ob2 import OpenBadges2Ingester
from tests.conftest import CONFORMANCE, TEST_DATA
from tests.ingest.credentials.helpers import entity_counts, expected_graph, graph_of, positives

FOLDER = "ob2"
# The two plain PNGs and the empty HTML page are assets the documents point to (a badge image, an evidence page),
# not credentials; dvalidator-simple-badge.png is a baked badge (read by the baked ingester, mapped by ob2).
POSITIVES = [p.name for p in positives(CONFORMANCE, FOLDER, "*.json", "*.jwt", "dvalidator-simple-badge.png")] if CONFORMANCE.is_dir() else []
NO_CONTEXT = {"dvalidator-assets-badgecriteria.json"}  # plain {"narrative": ...}: no @context, so never auto-detected


@pytest.mark.parametrize("name", POSITIVES)
def test_positive_ingests(memory_graph: Any, conformance: Path, name: str) -> None:
    [report] = memory_graph.ingest(conformance / FOLDER / name, format="ob2" if name in NO_CONTEXT else None)
    assert report.triples > 0
    assert report.format in {"ob2", "vc-jwt", "baked"}


# Counts read from the documents (issuer references count as organisations: they are kept as IRIs).
COUNTS = {
    # BadgeClass "Awesome Robotics Badge"; issuer given as the IRI organization.json; two alignment entries with
    # distinct targetUrls (corestandards.org RST.11-12.3, Mozilla problem-solving); no endorsement.
    "obspec-v2-examples-02-block.json": {"organization": 1, "credential": 1, "assertion": 0, "alignment": 2, "endorsement": 0},
    # Assertion with an embedded BadgeClass whose issuer is a reference; endorsement IRIs: two on the assertion
    # (endorsement-1, -2) and two on the badge class (endorsement-3, -4).
    "dvalidator-assertion-with-endorsements.json": {"organization": 1, "credential": 1, "assertion": 1, "alignment": 0, "endorsement": 4},
    # Assertion /assertions/123 with embedded BadgeClass /badges/5 and embedded Profile "Example Maker Society".
    "obspec-v2-spec-01-block.json": {"organization": 1, "credential": 1, "assertion": 1, "alignment": 0, "endorsement": 0},
    # An Endorsement by the issuer https://example.org/issuer of https://otherissuer.example/1.
    "obspec-v2-spec-02-block.json": {"organization": 1, "credential": 0, "assertion": 0, "alignment": 0, "endorsement": 1},
    # Assertion whose badge is only the IRI robotics-badge.json (a definition named, not described); no issuer.
    "dvalidator-basic-assertion.json": {"organization": 0, "credential": 1, "assertion": 1, "alignment": 0, "endorsement": 0},
}


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_counts(memory_graph: Any, conformance: Path, name: str) -> None:
    [report] = memory_graph.ingest(conformance / FOLDER / name)
    counts = entity_counts(memory_graph, report)
    assert {k: counts[k] for k in COUNTS[name]} == COUNTS[name]


# docs/defects-ob2.md, one row each: (refused | flagged, a phrase the error or a warning must contain).
NEGATIVES: dict[str, tuple[str, str]] = {
    "dvalidator-assertion-with-extension-node-invalid.json": ("flagged", "must be a JSON string, found number '1337'"),
    "dvalidator-assets-bad-issuer.json": ("flagged", "is not an HTTP(S) URL (bad issuer)"),
    "dvalidator-assets-badge-with-bad-issuer.json": ("flagged", "bad-issuer.json is only referenced"),
    "dvalidator-assets-badgeclass-with-verification-invalid-multiple-starts-with.json": ("flagged", "is only referenced"),
    "dvalidator-assets-badgeclass-with-verification-invalid-starts-with.json": ("flagged", "is only referenced"),
    "dvalidator-assets-criteria-no-type.json": ("flagged", "missing type"),
    "dvalidator-assets-issuer-invalid-type.json": ("flagged", "Criteria has no narrative"),
    "dvalidator-assets-issuer-with-allowed-origins-invalid-multiple-starts-with.json": ("flagged", "https://example.org/NOT"),
    "dvalidator-assets-issuer-with-allowed-origins-invalid-starts-with.json": ("flagged", "https://example.org/NOT"),
    "dvalidator-basic-assertion-expired-before-issued.json": ("flagged", "before it was issued"),
    "dvalidator-basic-assertion-expired.json": ("flagged", "expired on 2022-11-15"),
    "dvalidator-basic-assertion-in-future.json": ("flagged", "future issuance"),
    "dvalidator-basic-assertion-invalid-context.json": ("refused", "https://w3id.org/openbadges/invalid is not available offline"),
    "dvalidator-basic-assertion-invalid-type.json": ("refused", "'OtherAssertion' is neither an Open Badges 2.0 class nor an IRI"),
    "dvalidator-basic-assertion-with-allowed-origins-invalid-multiple-starts-with.json": ("flagged", "is only referenced"),
    "dvalidator-basic-assertion-with-allowed-origins-invalid-starts-with.json": ("flagged", "is only referenced"),
    "dvalidator-rdf-validation-badge-class-invalid-issuer-type.json": ("flagged", "issuer-invalid-type.json is only referenced"),
    "dvalidator-rdf-validation-invalid-class.json": ("refused", "'NotAKnownClass' is neither"),
    "dvalidator-rdf-validation-invalid-empty-type.json": ("refused", "type is empty"),
    "dvalidator-rdf-validation-invalid-one-invalid-class.json": ("refused", "'UNKNOWN' is neither"),
    "dvalidator-redirected-validation-subject.json": ("refused", "line 1, column 3: not strict JSON: a comment"),
    "dvalidator-simple-not-revoked.jwt": ("flagged", "signature and revocation not checked offline (key http://example.org/key2.json"),
    "dvalidator-simple-revoked.jwt": ("flagged", "signature and revocation not checked offline (key http://example.org/key3.json"),
    "dvalidator-warning-issuer-non-http.json": ("flagged", "badge-with-bad-issuer.json is only referenced"),
    "dvalidator-warning-with-redirection.json": ("flagged", "altbadgeurl.json is only referenced"),
}


def test_negative_table_covers_the_folder(conformance: Path) -> None:
    assert {p.name for p in (conformance / FOLDER / "negative").iterdir()} == set(NEGATIVES)


@pytest.mark.parametrize("name", sorted(NEGATIVES))
def test_negative(memory_graph: Any, conformance: Path, name: str) -> None:
    outcome, phrase = NEGATIVES[name]
    path = conformance / FOLDER / "negative" / name
    fmt = None if name.endswith(".jwt") else "ob2"  # JWS files go through vc-jwt, which hands the payload to ob2
    before = [g.graph for g in memory_graph.sources()]
    if outcome == "refused":
        with pytest.raises(SourceError) as info:
            memory_graph.ingest(path, format=fmt)
        assert phrase in str(info.value)
        assert [g.graph for g in memory_graph.sources()] == before
    else:
        [report] = memory_graph.ingest(path, format=fmt)
        assert any(phrase in w for w in report.warnings), report.warnings


def _run(path: Path, personal: bool = False) -> tuple[rdflib.Graph, IngestContext]:
    source = Source.from_path(path)
    ctx = IngestContext(source, IngestOptions(personal=personal))
    return to_rdflib_graph(OpenBadges2Ingester().run(source, ctx)), ctx


def test_fixture_graph() -> None:
    graph, ctx = _run(TEST_DATA / "ob2" / "assertion.json")
    assert isomorphic(graph, expected_graph(TEST_DATA / "ob2" / "assertion.expected.ttl"))
    assert ctx.warnings == [
        "verification: hosted verification not checked: the hosted copy at the assertion id is not fetched",
        "badge.alignment[1]: alignment has no targetUrl (missing field required by OB 2.0)",
    ]


@pytest.mark.parametrize("secret", ["pepper-77", "sha256$0000feedbeef", "Kim Tester", "kim.example.test", "Kim presented"])
def test_recipient_never_kept(secret: str) -> None:
    graph, _ = _run(TEST_DATA / "ob2" / "assertion.json")
    assert secret not in graph.serialize(format="nt")


def test_personal_mode_keeps_the_recipient() -> None:
    graph, _ = _run(TEST_DATA / "ob2" / "assertion.json", personal=True)
    assert "pepper-77" in graph.serialize(format="nt")


def test_signed_assertion_through_jws(memory_graph: Any, conformance: Path) -> None:
    [report] = memory_graph.ingest(conformance / FOLDER / "dvalidator-simple.jwt")
    graph = graph_of(memory_graph, report)
    lermap = rdflib.Namespace("https://w3id.org/lermap/vocab#")
    assertion = rdflib.URIRef("https://example.org/beths-robotics-badge.json")
    assert set(graph.objects(assertion, lermap.proofType)) == {rdflib.Literal("signed")}
    assert set(graph.objects(assertion, lermap.envelope)) == {rdflib.Literal("ob2-signed")}


def test_language_on_a_node_becomes_a_language_tag(conformance: Path) -> None:
    graph, _ = _run(conformance / FOLDER / "dvalidator-assets-badgeclass-with-language.json")
    badge = rdflib.URIRef("https://example.org/badgeclass-with-language.json")
    labels = set(graph.objects(badge, rdflib.SKOS.prefLabel))
    assert labels == {rdflib.Literal("Insignia fantastica", lang="es")}


def test_not_a_json_object_is_refused() -> None:
    source = Source.from_bytes("mem:list.json", b'["https://w3id.org/openbadges/v2"]')
    with pytest.raises(SourceError, match="must be a JSON object"):
        list(OpenBadges2Ingester().run(source, IngestContext(source)))


@pytest.mark.parametrize(("badge", "phrase"), [("", "assertion has no badge"), (', "badge": [1]', "badge must be a BadgeClass or its IRI")])
def test_assertion_without_a_usable_badge_is_refused(badge: str, phrase: str) -> None:
    data = ('{"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "https://x.test/a"' + badge + "}").encode()
    source = Source.from_bytes("mem:nobadge.json", data)
    with pytest.raises(SourceError, match=phrase):
        list(OpenBadges2Ingester().run(source, IngestContext(source)))


HOSTILE = {
    '"alignment": 3': "an alignment must be an object, not a JSON int",
    '"issuer": 5': "issuer must be a Profile or its IRI, not a JSON int",
    '"criteria": [1, 2]': "criteria must be an IRI or a Criteria object, not a JSON list",
    '"endorsement": [7]': "an endorsement must be an object or an IRI, not a JSON int",
    '"tags": {"a": 1}': "tags must be strings",
}


@pytest.mark.parametrize("value", sorted(HOSTILE))
def test_hostile_shapes_warn_instead_of_crashing(value: str) -> None:
    data = ('{"@context": "https://w3id.org/openbadges/v2", "type": "BadgeClass", "id": "https://x.test/b", "name": "B", '
            + value + "}").encode()
    source = Source.from_bytes("mem:hostile.json", data)
    ctx = IngestContext(source)
    list(OpenBadges2Ingester().run(source, ctx))
    assert any(HOSTILE[value] in w for w in ctx.warnings), ctx.warnings


def _run_graph(path: Path) -> rdflib.Graph:
    return _run(path)[0]


def test_fixture_conforms_to_the_core_shapes() -> None:
    from lermap.graph.validate import validate_graph

    report = validate_graph(_run_graph(TEST_DATA / "ob2/assertion.json"))
    assert report.conforms, report.summary()
