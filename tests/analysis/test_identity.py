"""Identity resolution: hand-built identifiers in every scheme, and the CTDL-ASN publication of O*NET against
the O*NET database's content model (expected count read from both files here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from lermap.analysis import identity
from lermap.graph.terms import minted
from lermap.ingest.identifiers import SOC_SCHEME

SAME = "http://www.w3.org/2002/07/owl#sameAs"
EXACT = "http://www.w3.org/2004/02/skos/core#exactMatch"
CE = "https://credentialengineregistry.org/resources/"
ONET = "https://www.onetonline.org/link/summary/"
GUID = "9b2f5a34-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
SOC = minted("soc2018", "15-1252").value
TTL = f"""
@prefix ceterms: <https://purl.org/ctdl/terms/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/> .
<http://credentialengineregistry.org/resources/ce-aaaa0000-0000-0000-0000-000000000001> ceterms:ctid "ce-AAAA0000-0000-0000-0000-000000000001" .
<https://sandbox.credentialengineregistry.org/resources/ce-aaaa0000-0000-0000-0000-000000000001> ceterms:name "sandbox copy" .
ex:cred ceterms:ctid "ce-eeee0000-0000-0000-0000-000000000005" .
<{CE}ce-eeee0000-0000-0000-0000-000000000005> ceterms:name "registry copy" .
ex:lonely ceterms:ctid "ce-dddd0000-0000-0000-0000-000000000004" .
<{CE}ce-bbbb0000-0000-0000-0000-000000000002> ceterms:ctid "ce-cccc0000-0000-0000-0000-000000000003" .
<urn:uuid:{GUID}> dcterms:identifier "{GUID}" .
<https://case.example.org/uri/{GUID}> dcterms:identifier "{GUID.upper()}" .
ex:elm ex:relatedSkill <https://data.europa.eu/esco/skill/ABC-1/> .
<http://data.europa.eu/esco/skill/abc-1> skos:prefLabel "a skill" .
<http://www.onetonline.org/link/details/15-1252.00> skos:prefLabel "details page" .
<{ONET}15-1252.00> skos:notation "15-1252.00" .
ex:ctdlOccupation skos:notation "15-1252.00" .
ex:socCoded skos:notation "15-1252" .
<{SOC}> skos:notation "15-1252" ; skos:inScheme <{SOC_SCHEME.value}> .
"""


@pytest.fixture()
def kg(memory_graph: Any) -> Any:
    memory_graph.ingest_bytes("urn:test:ids.ttl", TTL.encode(), format="rdf")
    return memory_graph


def test_links(kg: Any) -> None:
    found = {(link.subject, link.predicate, link.object, link.rule) for link in identity.find_links(kg).links}
    a = "ce-aaaa0000-0000-0000-0000-000000000001"
    assert found == {
        (f"http://credentialengineregistry.org/resources/{a}", SAME, CE + a, "ctid"),
        (f"https://sandbox.credentialengineregistry.org/resources/{a}", SAME, CE + a, "ctid"),
        ("https://example.org/cred", SAME, CE + "ce-eeee0000-0000-0000-0000-000000000005", "ctid"),
        (f"https://case.example.org/uri/{GUID}", SAME, f"urn:uuid:{GUID}", "case-guid"),
        ("https://data.europa.eu/esco/skill/ABC-1/", SAME, "http://data.europa.eu/esco/skill/abc-1", "esco-uri"),
        ("http://www.onetonline.org/link/details/15-1252.00", SAME, ONET + "15-1252.00", "onet-url"),
        ("https://example.org/ctdlOccupation", EXACT, ONET + "15-1252.00", "onet-soc"),
        ("https://example.org/socCoded", EXACT, SOC, "soc"),
    }


def test_ctid_conflict_reported_not_linked(kg: Any) -> None:
    res = identity.find_links(kg)
    assert len(res.conflicts) == 1 and "ce-bbbb0000" in res.conflicts[0] and "ce-cccc0000" in res.conflicts[0]
    assert not [link for link in res.links if "bbbb" in link.subject or "cccc" in link.object]


def test_written_to_own_graph_with_provenance_and_replaced_on_rerun(kg: Any) -> None:
    first = identity.resolve(kg)
    sources = [s for s in kg.sources() if s.source == identity.SOURCE_KEY]
    assert len(sources) == 1 and sources[0].format == "rdf"
    assert kg.sparql(f"ASK {{ <https://example.org/socCoded> <{EXACT}> <{SOC}> }}")
    axioms = kg.sparql("SELECT ?c WHERE { ?a a <http://www.w3.org/2002/07/owl#Axiom> ; <https://w3id.org/sssom/comment> ?c ; "
                       "<http://www.w3.org/ns/prov#wasGeneratedBy> ?act }")
    assert len(axioms) == 6
    second = identity.resolve(kg)
    assert second.report.triples == first.report.triples
    assert len([s for s in kg.sources() if s.source == identity.SOURCE_KEY]) == 1


def test_exact_matches_become_alignments(kg: Any) -> None:
    identity.resolve(kg)
    mapped = {(m.subject_id, m.object_id) for m in kg.alignments().mappings}
    assert ("https://example.org/socCoded", SOC) in mapped
    assert not any(o == "http://data.europa.eu/esco/skill/abc-1" for _, o in mapped)  # sameAs is not a SKOS alignment


def test_service_method(kg: Any) -> None:
    assert len(kg.resolve_identities().links) == 8


def test_onet_ctdl_asn_publication_against_content_model(memory_graph: Any, conformance: Path) -> None:
    frameworks = sorted((conformance / "ctdl-asn").glob("ce-Competency-Frameworks_ONET_*_9-27-19.json"))
    model = conformance / "onet" / "v29.2-txt" / "Content Model Reference.txt"
    notations: set[str] = set()
    for f in frameworks:
        memory_graph.ingest(f)
        data = json.loads(f.read_text("utf-8"))
        notations |= {n["ceasn:codedNotation"] for n in data["@graph"] if "ceasn:codedNotation" in n}
    memory_graph.ingest(model)
    elements = set(pd.read_csv(model, sep="\t", dtype=str)["Element ID"])
    res = identity.resolve(memory_graph)
    assert res.count("onet-element") == len(notations & elements)
    assert res.count("onet-element") > 0
    assert {link.key for link in res.links if link.rule == "onet-element"} == notations & elements


def test_cli_resolve(tmp_path: Path) -> None:
    store = f"oxigraph:{tmp_path / 'store'}"
    ids = tmp_path / "ids.ttl"
    ids.write_text(TTL)

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "lermap.cli", *args], capture_output=True, text=True, timeout=120)

    assert cli("ingest", str(ids), "--store", store).returncode == 0
    done = cli("resolve", "--store", store, "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["links"] == 8 and out["rules"]["ctid"] == 3 and len(out["conflicts"]) == 1
    assert cli("resolve", "--store", store).stdout.startswith("8 links into ")


@pytest.mark.parametrize(("code", "predicate"), [("15-1252.00", EXACT), ("15-1252.01", "http://www.w3.org/2004/02/skos/core#broadMatch")])
def test_ctdl_occupation_code_tied_to_soc_without_onet_record(memory_graph: Any, code: str, predicate: str) -> None:
    ttl = f"""
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix lermap: <https://w3id.org/lermap/vocab#> .
<https://example.org/m> lermap:targetCode "{code}" ; lermap:targetType "occupation" ; owl:annotatedTarget <https://example.org/target> .
<{SOC}> skos:notation "15-1252" ; skos:inScheme <{SOC_SCHEME.value}> .
"""
    memory_graph.ingest_bytes("urn:test:ctdl-occupation.ttl", ttl.encode(), format="rdf")
    links = [(link.subject, link.predicate, link.object, link.rule) for link in identity.find_links(memory_graph).links]
    assert links == [("https://example.org/target", predicate, SOC, "onet-soc")]


def test_a_variant_is_linked_to_its_canonical_iri_in_a_graph_that_is_not_scanned(memory_graph: Any, tmp_path: Path) -> None:
    """O*NET's and ESCO's graphs hold only canonical IRIs, so they are not scanned for variants (on the default graph
    that is most of a million triples); a variant found elsewhere is still tied to the canonical IRI they hold."""
    from tests.conftest import TEST_DATA

    memory_graph.ingest(TEST_DATA / "onet" / "mini", TEST_DATA / "esco-api" / "skill-data-mining.en.json")
    doc = tmp_path / "cites.ttl"
    doc.write_text("@prefix ex: <https://example.org/> .\n"
                   "ex:a ex:about <http://www.onetonline.org/link/details/17-3031.00> , "
                   "<https://data.europa.eu/esco/skill/25f0ea33-b4a2-4f31-b7b4-7d20e827b180> .\n")
    memory_graph.ingest(doc)
    scanned = {str(g.value) for g in identity._variant_graphs(memory_graph)}
    assert [s.format for s in memory_graph.sources() if s.graph in scanned] == ["rdf"]
    got = {(link.subject, link.object, link.rule) for link in identity.find_links(memory_graph).links}
    assert ("http://www.onetonline.org/link/details/17-3031.00", ONET + "17-3031.00", "onet-url") in got
    assert ("https://data.europa.eu/esco/skill/25f0ea33-b4a2-4f31-b7b4-7d20e827b180",
            "http://data.europa.eu/esco/skill/25f0ea33-b4a2-4f31-b7b4-7d20e827b180", "esco-uri") in got
