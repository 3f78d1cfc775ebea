"""data/examples: the invented documents load on request, each by its own ingester, and nothing they say sits on a
real identifier — no member of ESCO's or O*NET's schemes, no version written on them, no SOC code, no /sample/ IRI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import lermap
from lermap.ingest.identifiers import ONET_OCCUPATION, ONET_SOC_SCHEME, SOC_SCHEME
from tests.conftest import ROOT

EXAMPLES = ROOT / "data" / "examples"
ESCO = "http://data.europa.eu/esco/"


@pytest.fixture(scope="module")
def examples() -> Any:
    with lermap.open_graph("memory:") as kg:
        reports = kg.ingest(EXAMPLES)
        yield kg, reports


def test_each_example_by_its_own_ingester(examples: Any) -> None:
    _, reports = examples
    got = {(r.format, Path(r.source).name): {k: v for k, v in r.counts.items() if v} for r in reports}
    assert got == {
        ("ctdl-asn", "ctdl-asn-data-analysis-framework.json"): {"framework": 1, "competency": 8, "alignment": 6},
        ("ctdl", "ctdl-data-analytics-certificate.json"): {"organization": 1, "credential": 1, "occupation": 1, "alignment": 1},
        ("esco", "esco-example"): {"framework": 1, "competency": 20, "occupation": 3},
        ("ob3", "ob3-data-dashboards.json"): {"organization": 1, "credential": 1, "assertion": 1, "alignment": 3},
        ("ob3", "ob3-spreadsheet-analysis.json"): {"organization": 1, "credential": 1, "assertion": 1, "alignment": 3},
        ("onet", "onet-example"): {"framework": 1, "competency": 13, "occupation": 3},
    }
    assert all(r.warnings == [] for r in reports)


def test_examples_claim_no_membership_of_the_real_schemes(examples: Any) -> None:
    kg, _ = examples
    members = kg.sparql("""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?c ?scheme WHERE { ?c skos:inScheme ?scheme }""").to_dict("records")
    real = {ONET_SOC_SCHEME.value, SOC_SCHEME.value}
    assert [m for m in members if m["scheme"] in real or str(m["scheme"]).startswith(ESCO)] == []
    occupations = kg.sparql("SELECT ?o WHERE { ?o a <https://schema.org/Occupation> }")["o"].tolist()
    assert len(occupations) == 7 and not [o for o in occupations if o.startswith((ESCO, ONET_OCCUPATION))]
    # the example occupations keep their codes, in a scheme named after their own source
    labels = kg.sparql("""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?label WHERE { ?o skos:notation "99-9001.00" ; skos:inScheme/skos:prefLabel ?label }""")["label"].tolist()
    assert labels == ["Occupations of onet-example (O*NET layout, not an O*NET release)"]


def test_examples_write_no_version_and_no_sample_iri(examples: Any) -> None:
    kg, _ = examples
    assert not kg.ask("ASK { ?s <https://schema.org/version> ?v }")
    iris = kg.sparql("SELECT DISTINCT ?i WHERE { { ?i ?p ?o } UNION { ?s ?p ?i } FILTER(isIRI(?i)) }")["i"].tolist()
    assert iris and not [i for i in iris if "/sample/" in i]
