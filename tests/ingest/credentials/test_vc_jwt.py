"""VC-JWT ingester: compact JWS credentials (JWT-VC 1.1 `vc` claim and the VC 2.0 JOSE form)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

import lermap
from lermap.errors import ContextError, SourceError
from lermap.ingest import registry
from tests.ingest.credentials.helpers import DATA, LERMAP_NS, entity_counts, expected_graph, graph_of

LERMAP = rdflib.Namespace(LERMAP_NS)


def b64(obj: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


def compact(header: dict[str, object], payload: dict[str, object]) -> str:
    return f"{b64(header)}.{b64(payload)}.c2lnbmF0dXJl"


@pytest.fixture()
def kg():  # type: ignore[no-untyped-def]
    graph = lermap.open_graph("memory:")
    yield graph
    graph.close()


def tiny_jwt() -> str:
    vc = json.loads((DATA / "ob3" / "tiny-ob3.json").read_text("utf-8"))
    claims = {"iss": vc["issuer"]["id"], "jti": vc.pop("id"), "nbf": 1704067200, "sub": vc["credentialSubject"]["id"]}
    del vc["validFrom"]  # 2024-01-01T00:00:00Z comes back from nbf
    return compact({"alg": "ES256", "kid": "https://badges.test/issuer#key-1", "typ": "JWT"}, {"vc": vc, **claims})


def without_proof_status(g: rdflib.Graph) -> rdflib.Graph:
    """Without what the proof checker says (its own tests cover it)."""
    g.remove((None, LERMAP.proofStatus, None))
    g.remove((None, LERMAP.proofType, None))
    return g


def test_tiny_jwt_maps_like_its_json_ld_twin_plus_header_facts(kg) -> None:  # type: ignore[no-untyped-def]
    report = kg.ingest_bytes("tiny.jwt", tiny_jwt().encode(), format="vc-jwt")
    expected = expected_graph(DATA / "ob3" / "tiny-ob3.expected.ttl")
    assertion = rdflib.URIRef("https://badges.test/assertions/1")
    expected.set((assertion, LERMAP.envelope, rdflib.Literal("jwt")))
    expected.add((assertion, LERMAP.jwtAlgorithm, rdflib.Literal("ES256")))
    expected.add((assertion, LERMAP.jwtKeyId, rdflib.Literal("https://badges.test/issuer#key-1")))
    assert isomorphic(without_proof_status(graph_of(kg, report)), without_proof_status(expected))
    assert "learner-7731" not in kg.export("nquads", graph=report.graph).decode()


def test_vc_jose_form_reads_the_payload_as_the_credential(kg) -> None:  # type: ignore[no-untyped-def]
    vc = json.loads((DATA / "ob3" / "tiny-ob3.json").read_text("utf-8"))
    report = kg.ingest_bytes("tiny-jose.jwt", compact({"alg": "EdDSA", "typ": "vc+jwt"}, vc).encode(), format="vc-jwt")
    assert entity_counts(kg, report)["alignment"] == 1
    assert report.counts["assertion"] == 1


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("eyJhbGciOiJFUzI1NiJ9.eyJ2YyI6e319", "3 dot-separated parts, this one has 2"),
        ("eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d", "encrypted JWT (JWE)"),
        ("eyJhbGciOiJFUzI1NiJ9.!!!.sig", "JWS payload is not unpadded base64url"),
        ("eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.sig", "holds no credential"),
        ("eyJ0eXAiOiJKV1QifQ.eyJ2YyI6e319.sig", "the JWS header has no 'alg'"),
        ("eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.sig", "invalid JSON"),
    ],
    ids=["two-segments", "jwe", "bad-base64", "no-vc-claim", "no-alg", "payload-not-json"],
)
def test_malformed_jwts_are_refused(kg, text: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SourceError) as err:
        kg.ingest_bytes("bad.jwt", text.encode(), format="vc-jwt")
    assert reason in err.value.reason
    assert kg.sources() == []


def test_ob3_simple_jwt(kg, conformance: Path) -> None:  # type: ignore[no-untyped-def]
    # payload: vc claim with the draft OB 3.0 context, issuer example.edu, no achievement in the subject
    report = kg.ingest(conformance / "ob3" / "dvalidator-simple.jwt")[0]
    assert report.format == "vc-jwt"
    assert entity_counts(kg, report) == {
        "organization": 1, "credential": 1, "assertion": 1, "alignment": 0, "endorsement": 0, "association": 0
    }
    g = graph_of(kg, report)
    assert set(g.objects(None, LERMAP.jwtAlgorithm)) == {rdflib.Literal("RS256")}
    assert set(g.objects(None, LERMAP.envelope)) == {rdflib.Literal("jwt")}


def test_clr_jwt_decodes_its_embedded_jwt(kg, conformance: Path) -> None:  # type: ignore[no-untyped-def]
    # the CLR's verifiableCredential[0] is itself a compact JWS; 2 achievements + the CLR's own definition
    report = kg.ingest(conformance / "clr2" / "dvalidator-simple.jwt")[0]
    assert entity_counts(kg, report) == {
        "organization": 1, "credential": 3, "assertion": 2, "alignment": 1, "endorsement": 0, "association": 1
    }


def test_velocity_jwt_needs_its_context_and_never_leaks_the_mailto_achievement_id(kg, conformance: Path) -> None:  # type: ignore[no-untyped-def]
    path = conformance / "ob3" / "dvalidator-velocity.jwt"
    with pytest.raises(ContextError) as err:
        kg.ingest(path)
    assert "https://lib.velocitynetwork.foundation/contexts/credential-extensions-2022.jsonld.json" in err.value.reason
    report = kg.ingest(path, lenient=True)[0]
    dump = kg.export("nquads", graph=report.graph).decode()
    assert "conformance@imsglobal.org" not in dump
    kid = set(graph_of(kg, report).objects(None, LERMAP.jwtKeyId))
    assert len(kid) == 1 and str(next(iter(kid))).startswith("did:velocity:v2:")


def test_ob2_jwt_goes_to_the_ob2_ingester(kg, conformance: Path) -> None:  # type: ignore[no-untyped-def]
    path = conformance / "ob2" / "dvalidator-simple.jwt"
    if "ob2" not in registry.available():
        with pytest.raises(SourceError, match="ob2 ingester is not available"):
            kg.ingest(path, format="vc-jwt")
        return
    report = kg.ingest(path, format="vc-jwt")[0]
    assert report.counts["assertion"] >= 1
