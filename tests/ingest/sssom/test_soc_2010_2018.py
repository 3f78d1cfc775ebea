"""The SOC 2010 → 2018 relation: predicates from the relation's shape, the chain nodes, and the committed file."""

from __future__ import annotations

import json
import lzma
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib.compare import isomorphic

from lermap.errors import SourceError
from lermap.graph.terms import minted, to_rdflib_graph
from lermap.graph.vocab import OWL, RDF, SEMAPV, SKOS, SSSOM
from lermap.ingest import registry
from lermap.ingest.base import IngestContext, Source
from lermap.ingest.identifiers import SOC2010_SCHEME, SOC_SCHEME, soc2010_iri, soc2018_iri
from tests.conftest import ROOT, TEST_DATA

FIXTURE = TEST_DATA / "soc-2010-2018" / "relation.json"
COMMITTED = ROOT / "data" / "crosswalks" / "soc_2010_to_2018.json.xz"


def _pairs(kg: Any) -> dict[tuple[str, str], str]:
    rows = kg.sparql("""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?a ?p ?b WHERE { ?x skos:inScheme ?from ; skos:notation ?a ; ?p ?y . ?y skos:inScheme ?to ; skos:notation ?b }""",
                     {"from": SOC2010_SCHEME, "to": SOC_SCHEME})
    return {(r["a"], r["b"]): r["p"].rsplit("#", 1)[-1] for r in rows.to_dict("records")}


def test_detected_by_content(tmp_path: Path) -> None:
    renamed = tmp_path / "anything.json"
    renamed.write_bytes(FIXTURE.read_bytes())
    assert registry.detect(Source.from_path(renamed)).name == "soc-2010-2018"


def test_predicates_follow_the_shape_of_the_relation(memory_graph: Any) -> None:
    (report,) = memory_graph.ingest(FIXTURE)
    assert report.format == "soc-2010-2018" and report.format_version == "BLS November 2017 2010-to-2018 SOC crosswalk"
    assert _pairs(memory_graph) == {
        ("15-1121", "15-1211"): "exactMatch", ("13-1021", "13-1021"): "exactMatch",  # one to one, same or new code
        ("11-2031", "11-2032"): "narrowMatch", ("11-2031", "11-2033"): "narrowMatch",  # a split
        ("15-1199", "15-1299"): "narrowMatch", ("13-1199", "13-1199"): "narrowMatch",
        ("15-1199", "13-1082"): "closeMatch", ("13-1199", "13-1082"): "closeMatch",  # split and merged: overlap
        ("27-3021", "27-3023"): "broadMatch", ("27-3022", "27-3023"): "broadMatch",  # a merge
        ("27-3099", "27-3099"): "closeMatch",  # marked by BLS, one target: the change is not said
    }
    assert report.counts["alignment"] == 11


def test_one_mapping_exactly(memory_graph: Any) -> None:
    source = Source.from_path(FIXTURE)
    triples = list(registry.get("soc-2010-2018").run(source, IngestContext(source)))
    old, new = soc2010_iri("15-1121"), soc2018_iri("15-1211")
    node = minted("mapping", old.value, SKOS.exactMatch.value, new.value)
    mine = [t for t in triples if t[0] == node or (t[0] == old and t[2] == new)]
    expected = [
        (old, SKOS.exactMatch, new), (node, RDF.type, SSSOM.Mapping), (node, OWL.annotatedSource, old),
        (node, OWL.annotatedProperty, SKOS.exactMatch), (node, OWL.annotatedTarget, new),
        (node, SSSOM.mapping_justification, SEMAPV.ManualMappingCuration), (node, SSSOM.author_id, ox.NamedNode("https://www.bls.gov/")),
        (node, SSSOM.subject_source, SOC2010_SCHEME), (node, SSSOM.object_source, SOC_SCHEME),
        (node, SSSOM.subject_source_version, ox.Literal("SOC 2010")), (node, SSSOM.object_source_version, ox.Literal("SOC 2018")),
        (node, SSSOM.comment, ox.Literal("BLS 2010-to-2018 SOC crosswalk (BLS November 2017 2010-to-2018 SOC crosswalk): "
                                         "15-1211 is the one SOC 2018 occupation of SOC 2010 15-1121")),
    ]
    assert isomorphic(to_rdflib_graph(mine), to_rdflib_graph(expected))
    assert (soc2018_iri("13-1021"), SKOS.broader, soc2018_iri("13-1020")) in triples  # SOC's broad group, from the code


@pytest.mark.parametrize(("doc", "where"), [
    ({"one_to_one": [], "ambiguous": {}}, "one_to_one"),
    ({"one_to_one": {"15-1121": "15-1211"}, "ambiguous": {"15-1121": ["15-1211"]}}, "ambiguous['15-1121']"),
    ({"one_to_one": {"nope": "15-1211"}, "ambiguous": {}}, "(document)"),
])
def test_bad_relations_are_refused(memory_graph: Any, tmp_path: Path, doc: dict[str, Any], where: str) -> None:
    bad = tmp_path / "relation.json"
    bad.write_text(json.dumps(doc))
    with pytest.raises(SourceError) as info:
        memory_graph.ingest(bad, format="soc-2010-2018")
    assert info.value.location == where and memory_graph.sources() == []


def test_the_committed_relation(memory_graph: Any) -> None:
    doc = json.loads(lzma.decompress(COMMITTED.read_bytes()))
    (report,) = memory_graph.ingest(COMMITTED)
    pairs = _pairs(memory_graph)
    expected = len(doc["one_to_one"]) + sum(len(v) for v in doc["ambiguous"].values())
    assert report.format == "soc-2010-2018" and report.warnings == [] and len(pairs) == expected == 900
    assert {a for a, _ in pairs} == set(doc["one_to_one"]) | set(doc["ambiguous"])  # every SOC 2010 detailed code
    assert pairs[("15-1121", "15-1211")] == "exactMatch" and pairs[("15-2099", "15-2051")] in {"narrowMatch", "closeMatch"}
