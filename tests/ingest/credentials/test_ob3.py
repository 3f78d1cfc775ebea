"""Open Badges 3.0 ingester: tiny fixture (exact graph), every conformance positive, exact counts, negatives."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

import lermap
from lermap.errors import ContextError, SourceError
from tests.conftest import CONFORMANCE
from tests.ingest.credentials.helpers import DATA, entity_counts, expected_graph, graph_of, positives

OB3_POSITIVES = positives(CONFORMANCE, "ob3", "*.json", "*.1ob", "dcc-vc-test-fixtures/*/*.json")
# Positives refused on purpose: their context has no published document lermap could bundle.
REFUSED_POSITIVES = {
    "dataIntegrityProof-didKey-legacyRegistry-noStatus-noExpiry-oldDCCExample.json": "https://w3id.org/dcc/v1",
}


@pytest.fixture()
def kg():  # type: ignore[no-untyped-def]
    graph = lermap.open_graph("memory:")
    yield graph
    graph.close()


def test_tiny_fixture_is_exactly_the_expected_graph(kg) -> None:  # type: ignore[no-untyped-def]
    report = kg.ingest(DATA / "ob3" / "tiny-ob3.json")[0]
    got = graph_of(kg, report)
    assert isomorphic(got, expected_graph(DATA / "ob3" / "tiny-ob3.expected.ttl"))
    assert report.warnings == []


def test_tiny_fixture_keeps_the_learner_only_in_a_personal_graph(kg) -> None:  # type: ignore[no-untyped-def]
    report = kg.ingest(DATA / "ob3" / "tiny-ob3.json", personal=True)[0]
    dump = kg.export("nquads", graph=report.graph).decode()
    assert "did:example:learner-7731" in dump and "Pat Learner" in dump
    assert report.personal


@pytest.mark.parametrize("path", OB3_POSITIVES, ids=lambda p: str(p.relative_to(CONFORMANCE / "ob3")))
def test_every_positive_document_ingests(kg, path: Path) -> None:  # type: ignore[no-untyped-def]
    if path.name in REFUSED_POSITIVES:
        with pytest.raises(ContextError) as err:
            kg.ingest(path)
        assert REFUSED_POSITIVES[path.name] in str(err.value) and "lermap contexts add" in str(err.value)
        assert kg.sources() == []
        return
    report = kg.ingest(path)[0]
    assert report.format in {"ob3", "vc"}  # the DCC fixtures include plain VCs (no OB type, no OB context)
    assert report.counts["organization"] >= 1
    assert report.triples > 0


def test_unknown_context_is_dropped_with_a_warning_when_lenient(kg, conformance: Path) -> None:  # type: ignore[no-untyped-def]
    path = conformance / "ob3/dcc-vc-test-fixtures/v1" / next(iter(REFUSED_POSITIVES))
    report = kg.ingest(path, lenient=True)[0]
    assert any("https://w3id.org/dcc/v1" in w and "dropped" in w for w in report.warnings)
    assert report.counts["assertion"] == 1


# Counts derived by reading each document (what was read is said beside each row).
EXACT = {
    # issuer 1edtech.edu/issuers/565049 (also the achievement's creator) + its parentOrg did:example:123456789 +
    # endorsers accrediter.edu and state.gov = 4 orgs; 1 Achievement; alignments: 2 on the achievement, 1 on each
    # of the 2 result descriptions (same target, different subjects), 1 on each of the 2 rubric levels, and the 2
    # results' identical alignment to .../result/1 from result description f6ab… = 1 → 7;
    # endorsements 3732+3733 (creator), 3734 (achievement), 3735 (credential), 3736 (issuer) = 5.
    "obspec-fullOpenBadge-01-Complete-OpenBadgeCredential.json":
        {"organization": 4, "credential": 1, "assertion": 1, "alignment": 7, "endorsement": 5, "association": 0},
    # one issuer, one achievement, one CTDL alignment (targetCode is a CTID)
    "obspec-achievementAlignmentCe-01-Achievement-alignment-Credential-Engine.json":
        {"organization": 1, "credential": 1, "assertion": 1, "alignment": 1, "endorsement": 0, "association": 0},
    # one issuer, one achievement, one CASE CFItem alignment
    "obspec-achievementAlignmentCase-01-Achievement-alignment-CASE.json":
        {"organization": 1, "credential": 1, "assertion": 1, "alignment": 1, "endorsement": 0, "association": 0},
    # issuer 1edtech.edu + the achievement's creator example.com/issuers/123767; one alignment
    "obspec-skillAssertionCtdl-01-Skill-Assertion-Credential-Registry.json":
        {"organization": 2, "credential": 1, "assertion": 1, "alignment": 1, "endorsement": 0, "association": 0},
    # an EndorsementCredential: its issuer, one endorsement, no assertion or definition
    "obspec-endorsement-01-Sample-EndorsementCredential.json":
        {"organization": 1, "credential": 0, "assertion": 0, "alignment": 0, "endorsement": 1, "association": 0},
    # a bare OB 3.0 Profile document (did:web issuer)
    "obspec-getting-started-01-block.json":
        {"organization": 1, "credential": 0, "assertion": 0, "alignment": 0, "endorsement": 0, "association": 0},
    # DCC fixture: did:key issuer, achievement https://1edtech.edu/achievements/1 with two alignment entries
    "dcc-vc-test-fixtures/v2/dataIntegrityProof-didKey-legacyRegistry-noStatus-noExpiry-alignments.json":
        {"organization": 1, "credential": 1, "assertion": 1, "alignment": 2, "endorsement": 0, "association": 0},
}


@pytest.mark.parametrize("name", sorted(EXACT))
def test_exact_counts(kg, conformance: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    report = kg.ingest(conformance / "ob3" / name)[0]
    assert entity_counts(kg, report) == EXACT[name]


def test_credential_registry_ctid_resolves_and_case_url_is_kept(kg, conformance: Path) -> None:  # type: ignore[no-untyped-def]
    ce = kg.ingest(conformance / "ob3/obspec-achievementAlignmentCe-01-Achievement-alignment-Credential-Engine.json")[0]
    case = kg.ingest(conformance / "ob3/obspec-achievementAlignmentCase-01-Achievement-alignment-CASE.json")[0]
    owl_target = rdflib.OWL.annotatedTarget
    assert set(graph_of(kg, ce).objects(None, owl_target)) == {
        rdflib.URIRef("https://credentialengineregistry.org/resources/ce-cf4dee18-7cea-443a-b920-158a0762c6bf")
    }
    # the CASE alignment's targetUrl (a CFItem URI on the CASE registry) is the target as it is
    assert set(graph_of(kg, case).objects(None, owl_target)) == {
        rdflib.URIRef("https://caseregistry.imsglobal.org/uri/74f5bb7d-d7cc-11e8-824f-0242ac160002")
    }


# -- negatives: docs/defects-ob3.md, one row each ---------------------------------------------------

NEGATIVES = [
    ("dvalidator-bitstring-credential-status-revoked-blank-nodes.json", "flagged", "credentialStatus", "statusPurpose 'revocation'"),
    ("dvalidator-bitstring-credential-status-revoked.json", "flagged", "credentialStatus", "statusPurpose 'revocation'"),
    ("dvalidator-bitstring-testlist", "refused", "type", "BitstringStatusListCredential"),
    ("dvalidator-credential-status-revoked.json", "flagged", "credentialStatus", "revocation list (1EdTechRevocationList)"),
    ("dvalidator-endorsement-err-schema-status-refresh.json", "flagged", "credentialStatus", "revocation list (1EdTechRevocationList)"),
    ("dvalidator-simple-err-context.json", "refused", "@context", "first @context entry must be"),
    ("dvalidator-simple-err-credential-subject-achievement-result-description-type.json", "flagged",
     "credentialSubject.achievement.resultDescription[2].type", "must include ResultDescription"),
    ("dvalidator-simple-err-credential-subject-identifier-type.json", "flagged", "credentialSubject.identifier[0].type",
     "must include IdentityObject"),
    ("dvalidator-simple-err-credential-subject-profile-type.json", "flagged", "credentialSubject.source.type", "must include Profile"),
    ("dvalidator-simple-err-credential-subject-result-type.json", "flagged", "credentialSubject.result[1].type", "must include Result"),
    ("dvalidator-simple-err-credential-subject-type.json", "refused", "credentialSubject.type", "must include AchievementSubject"),
    ("dvalidator-simple-err-evidence-type.json", "flagged", "evidence[1].type", "must include Evidence"),
    ("dvalidator-simple-err-expired.json", "flagged", "validUntil", "expired on 2010-01-01"),
    ("dvalidator-simple-err-issued.json", "flagged", "validFrom", "issued in the future"),
    ("dvalidator-simple-err-issuer-otheridentifier-type.json", "flagged", "issuer.otherIdentifier[1].type", "must include IdentifierEntry"),
    ("dvalidator-simple-err-issuer-parentorg-type.json", "flagged", "issuer.parentOrg.type", "must include Profile"),
    ("dvalidator-simple-err-issuer-type.json", "refused", "issuer.type", "must include Profile"),
    ("dvalidator-simple-err-issuer.json", "refused", "issuer", "must name its issuer"),
    ("dvalidator-simple-err-proof-method-no-scheme.json", "flagged", "verificationMethod", "has no URI scheme"),
    ("dvalidator-simple-err-proof-method-unknown-did-method.json", "flagged", "verificationMethod", "unknown DID method 'example'"),
    ("dvalidator-simple-err-proof-method-unknown-scheme.json", "flagged", "verificationMethod", "unknown URI scheme 'xxx'"),
    ("dvalidator-simple-err-proof-method.json", "flagged", "verificationMethod", "not a valid Ed25519 multikey"),
    # the key is published on the web: offline, the checker can only say it did not check it
    ("dvalidator-simple-err-proof-value.json", "flagged", "proof", "proof not checked"),
    ("dvalidator-simple-err-type.json", "refused", "type", "names no Open Badges credential type"),
    ("obspec-getting-started-02-block.json", "refused", "type", "must be typed Achievement or Profile"),
    ("obspec-getting-started-03-block.json", "refused", "credentialSubject.achievement.type", "must include Achievement"),
]


def test_every_negative_document_has_a_row() -> None:
    folder = CONFORMANCE / "ob3" / "negative"
    if not folder.is_dir():
        pytest.skip("conformance documents not present")
    assert sorted(p.name for p in folder.iterdir()) == sorted(row[0] for row in NEGATIVES)


@pytest.mark.parametrize(("name", "outcome", "location", "defect"), NEGATIVES, ids=[row[0] for row in NEGATIVES])
def test_negative_document(kg, conformance: Path, name: str, outcome: str, location: str, defect: str) -> None:  # type: ignore[no-untyped-def]
    path = conformance / "ob3" / "negative" / name
    if outcome == "refused":
        digest = kg.digest()
        with pytest.raises(SourceError) as err:
            kg.ingest(path, format="ob3")
        assert err.value.location == location
        assert defect in err.value.reason
        assert kg.sources() == [] and kg.digest() == digest
    else:
        report = kg.ingest(path, format="ob3")[0]
        located = [w.split(": ", 1) for w in report.warnings]
        assert any((loc == location or loc.endswith("." + location)) and defect in msg for loc, msg in located), report.warnings


def test_values_repeating_the_learner_are_removed_with_a_warning(kg) -> None:  # type: ignore[no-untyped-def]
    import json

    doc = json.loads((DATA / "ob3" / "tiny-ob3.json").read_text("utf-8"))
    doc["name"] = "Pat Learner - Welding Basics"  # wallets often name the credential after its holder
    report = kg.ingest_bytes("named.json", json.dumps(doc).encode(), format="ob3")
    assert "name: removed: it repeats the learner's identity" in report.warnings
    assert "Pat Learner" not in kg.export("nquads", graph=report.graph).decode()
