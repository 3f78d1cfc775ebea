"""Rich Skill Descriptors (OSMT API JSON): counts read from the OSMT test documents, a tiny fixture as a graph.

Expected counts are derived by reading each document (see ``expected``): competencies = distinct skill uuids;
alignments = per skill, distinct alignment ids + distinct standards + distinct occupation codes; occupations =
distinct SOC / O*NET-SOC codes that come with a title; frameworks = the OSMT library + every collection named.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from lermap.errors import SourceError
from lermap.ingest import registry
from lermap.ingest.base import IngestContext, Source
from lermap.ingest.rsd.rsd import RsdIngester
from tests.ingest.corecheck import assert_isomorphic, run

DATA = Path(__file__).resolve().parents[2] / "data" / "rsd"
DOCS = [
    "osmt-apitest-v2-collections-uuid-get.json",
    "osmt-apitest-v2-skills-uuid-get.json",
    "osmt-apitest-v3-categories-get.json",
    "osmt-apitest-v3-categories-identifier-skills-get.json",
    "osmt-apitest-v3-search-skills-similarities-results-post.json",
    "osmt-apitest-v3-skills-get.json",
    "osmt-apitest-v3-skills-uuid-get.json",
    "osmt-apitest-v3-skills-uuid-log-get.json",
    "osmt-apitest-v3-skills-uuid-update-post.json",
]
SKILLESS = {"osmt-apitest-v3-categories-get.json", "osmt-apitest-v3-skills-uuid-log-get.json"}
CODE = re.compile(r"^\d{2}-\d{4}(\.\d{2})?$")


def skills_of(doc: Any) -> list[dict[str, Any]]:
    if isinstance(doc, dict):
        return doc["skills"] if doc.get("type") == "RichSkillCollection" else [doc]
    flat = [x for entry in doc for x in (entry if isinstance(entry, list) else [entry])]
    return [x for x in flat if "skillStatement" in x]


def expected(doc: Any) -> dict[str, int]:
    skills = {s["uuid"]: s for s in skills_of(doc)}
    alignments = 0
    titled: set[str] = set()
    collections = {c["uuid"] for s in skills.values() for c in s.get("collections") or []}
    if isinstance(doc, dict) and doc.get("type") == "RichSkillCollection":
        collections.add(doc["uuid"])
    for s in skills.values():
        standards = {x if isinstance(x, str) else x["skillName"] for x in s.get("standards") or []}
        codes = {o["code"] for o in s["occupations"]}
        alignments += len({a["id"] for a in s.get("alignments") or []}) + len(standards) + len(codes)
        titled |= {o["code"] for o in s["occupations"] if (o.get("targetNodeName") or o.get("name")) and CODE.match(o["code"])}
    return {
        "competency": len(skills),
        "alignment": alignments,
        "occupation": len(titled),
        "framework": (1 if skills else 0) + len(collections),
    }


@pytest.mark.parametrize("name", DOCS)
def test_every_osmt_document_ingests_with_the_counts_read_from_it(conformance: Path, name: str) -> None:
    path = conformance / "rsd" / name
    want = expected(json.loads(path.read_text(encoding="utf-8")))
    r = run(RsdIngester(), path)
    assert len(r.ctx.warnings) == (1 if name in SKILLESS else 0)
    assert r.count("?c a ceasn:Competency, skos:Concept ; skos:prefLabel ?l ; skos:inScheme ?f", of="?c") == want["competency"]
    assert r.count("?m a sssom:Mapping ; owl:annotatedSource ?s ; owl:annotatedProperty ?p ; owl:annotatedTarget ?t", of="?m") == want["alignment"]
    assert r.count("?o a schema:Occupation ; skos:prefLabel ?l ; skos:notation ?n", of="?o") == want["occupation"]
    assert r.count("?f a ceasn:CompetencyFramework ; skos:prefLabel ?l", of="?f") == want["framework"]


@pytest.mark.parametrize("name", DOCS)
def test_every_osmt_document_is_detected_as_rsd(conformance: Path, name: str) -> None:
    assert registry.detect(Source.from_path(conformance / "rsd" / name)).name == "rsd"


def test_v2_skill_splits_semicolon_fields(conformance: Path) -> None:
    # v2 skills/{uuid}: "author": "Bilbo Baggins;Western Governors University", "category": "...;Walls of Fire"
    r = run(RsdIngester(), conformance / "rsd/osmt-apitest-v2-skills-uuid-get.json")
    assert r.values("?c schema:author ?o . ?o skos:prefLabel ?v") == ["Bilbo Baggins", "Western Governors University"]
    assert r.values("?c ceasn:competencyCategory ?v") == ["Information Security Management", "Walls of Fire"]
    assert r.values("?c a ceasn:Competency ; skos:altLabel ?v") == ["Access and Security Levels Standardization"]
    # its collection "Software Development" and the library of http://localhost:8080/api
    assert r.values("?c a ceasn:Competency ; skos:inScheme ?f . ?f skos:prefLabel ?v") == [
        "OSMT skill library at http://localhost:8080/api", "Software Development",
    ]


def test_v3_skill_alignment_keeps_native_fields(conformance: Path) -> None:
    # alignments: [{"id": "https://skills.emsidata.com/skills/KS1254M6N7QPZ96MGR0L", "skillName": "Information ..."}]
    r = run(RsdIngester(), conformance / "rsd/osmt-apitest-v3-skills-uuid-get.json")
    assert r.values("?m lermap:nativePredicate 'alignments' ; owl:annotatedTarget ?v") == [
        "https://skills.emsidata.com/skills/KS1254M6N7QPZ96MGR0L"
    ]
    assert r.values("?m lermap:nativePredicate 'alignments' ; lermap:targetName ?v") == ["Information Security Management"]
    # occupations: 15-1259 has no title (only a code): a mapping but no Occupation; 15-1244's SOC parent is 15-1240
    assert r.values("?m lermap:nativePredicate 'occupations' ; lermap:targetFramework ?v") == ["SOC"]
    assert r.values("?o skos:notation '15-1244' ; skos:broader ?p . ?p skos:notation ?v") == ["15-1240"]
    assert r.count("?o a schema:Occupation ; skos:notation '15-1259'") == 0


def test_onet_codes_meet_the_onet_ingester(conformance: Path) -> None:
    # v3 skills list: one occupation is "framework": "o*net" with jobRoleCode 29-2072.00
    r = run(RsdIngester(), conformance / "rsd/osmt-apitest-v3-skills-get.json")
    assert r.values("?m lermap:targetFramework 'O*NET-SOC' ; owl:annotatedTarget ?v") == [
        "https://www.onetonline.org/link/summary/29-2072.00"
    ]


def test_tiny_skill_gives_exactly_the_expected_graph() -> None:
    r = run(RsdIngester(), DATA / "tiny-rsd.json")
    assert r.ctx.warnings == ["(document).occupations: occupation code 'NOC-33102' is neither SOC nor O*NET-SOC: kept as a code"]
    assert_isomorphic(r.triples, DATA / "tiny-rsd.expected.ttl")
    assert r.values("?c a ceasn:Competency ; skos:altLabel ?v") == ["Wound Care 🩹"]  # non-BMP kept


@pytest.mark.parametrize(
    ("doc", "location"),
    [
        ({"type": "RichSkillDescriptor", "skillName": "x"}, "(document).skillStatement"),
        ([{"skillStatement": "ok", "uuid": "1"}, {"skillName": "no statement"}], "[1]"),
        ({"skillStatement": "x", "keywords": "a", "occupations": {"code": "15-0000"}}, "(document).occupations"),
        ({"skillStatement": "x", "skillName": 7}, "(document).skillName"),
        ({"type": "RichSkillCollection", "skills": []}, "(collection).name"),
        ("just a string", "(document)"),
    ],
    ids=["no-statement", "list-entry-not-a-skill", "occupations-not-a-list", "name-not-a-string", "collection-without-name",
         "not-an-object"],
)
def test_bad_documents_are_refused_naming_the_place(tmp_path: Path, doc: Any, location: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    src = Source.from_path(path)
    with pytest.raises(SourceError) as err:
        list(RsdIngester().run(src, IngestContext(src)))
    assert err.value.location == location


def test_the_public_api_counts_a_collection(conformance: Path, memory_graph: object) -> None:
    path = conformance / "rsd/osmt-apitest-v2-collections-uuid-get.json"
    want = expected(json.loads(path.read_text(encoding="utf-8")))
    (report,) = memory_graph.ingest(path)  # type: ignore[attr-defined]
    assert report.format == "rsd"
    assert report.counts["competency"] == want["competency"] == 24
    assert report.counts["framework"] == 2  # the collection "IT Network" and the OSMT library
    assert report.counts["alignment"] == want["alignment"] and report.counts["occupation"] == want["occupation"]
