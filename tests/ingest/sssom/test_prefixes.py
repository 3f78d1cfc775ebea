"""SSSOM is written with the field's prefixes (Bioregistry's esco.occupation / esco.isco, onet, soc2018, ...), never nsN,
and sssom-py reads the file back with the same identifiers."""

from __future__ import annotations

import io

from sssom.parsers import parse_sssom_table

from lermap.ingest.sssom.mapping import CLOSE, EXACT, Mapping, MappingSet
from lermap.ingest.sssom.prefixes import Prefixes
from lermap.ingest.sssom.write import write_sssom_tsv

ESCO_OCC = "http://data.europa.eu/esco/occupation/258e46f9-0075-4a2e-adae-1ff0477e0f30"
ONET = "https://www.onetonline.org/link/summary/15-2051.00"
ISCO = "http://data.europa.eu/esco/isco/C2511"
SOC2010 = "https://w3id.org/lermap/id/soc2010/378e8b4d86afdc54d85e"
CTDL = "https://credentialengineregistry.org/resources/ce-1234"
ELSEWHERE = "https://frameworks.example.org/competencies/c-17"


def _set() -> MappingSet:
    return MappingSet([
        Mapping(ESCO_OCC, CLOSE, ONET, "semapv:MappingChaining", 0.91, "data scientist", "Data Scientists",
                author_id="https://w3id.org/lermap/matcher/occupation-ranker-v1-lexical",
                subject_source="http://data.europa.eu/esco/concept-scheme/occupations", object_source="https://w3id.org/lermap/id/onet/987697e9c34dbb7c67f2"),
        Mapping(ISCO, EXACT, SOC2010, "semapv:ManualMappingCuration", 1.0),
        Mapping(CTDL, CLOSE, ELSEWHERE, "semapv:LexicalMatching", 0.5),
    ], mapping_set_id="https://w3id.org/lermap/mappings/test")


def test_the_tsv_reads_with_the_fields_prefixes_and_round_trips() -> None:
    buffer = io.StringIO()
    write_sssom_tsv(_set(), buffer)
    parsed = parse_sssom_table(io.StringIO(buffer.getvalue()))
    prefixes = parsed.converter.bimap
    assert not any(p.startswith("ns") and p[2:].isdigit() for p in prefixes)
    assert {"esco.occupation", "onet", "esco.isco", "soc2010", "ctid", "skos", "semapv", "esco.conceptscheme", "lermap.onet",
            "lermap.matcher"} <= set(prefixes)
    pairs = set(zip(parsed.df["subject_id"], parsed.df["object_id"], strict=True))
    assert pairs == {("esco.occupation:258e46f9-0075-4a2e-adae-1ff0477e0f30", "onet:15-2051.00"),
                     ("esco.isco:C2511", "soc2010:378e8b4d86afdc54d85e"), ("ctid:ce-1234", "example.competencies:c-17")}
    assert {(parsed.converter.expand(s), parsed.converter.expand(o)) for s, o in pairs} == {(ESCO_OCC, ONET), (ISCO, SOC2010), (CTDL, ELSEWHERE)}


def test_an_unknown_namespace_gets_a_readable_prefix_and_two_namespaces_never_share_one() -> None:
    p = Prefixes()
    a, b = p.curie("https://one.example.org/items/x"), p.curie("https://two.example.org/items/y")
    assert a == "example.items:x" and b == "example.items2:y"
    assert p.map["example.items"] != p.map["example.items2"]
    assert p.curie("skos:exactMatch") == "skos:exactMatch"
