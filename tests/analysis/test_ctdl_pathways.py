"""CTDL pathway traversal on the Credential Engine pathway examples (expected values read from the JSON here)
and on hand-built pathways with every ordering link and a cycle."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lermap.analysis.ctdl_pathways import traverse
from lermap.errors import NotFoundError

DOCS = [
    "ctdl/ce-PathwaysConditionsAndConstraints_Pathway-Examples_CompTIA_CompTIA-IT_Networking_Specialist.jsonld",
    "ctdl/ce-PathwaysConditionsAndConstraints_Pathway-Examples_Badgr_Badgr_Final_-_EmpoweringTeachingExcellence_Nate.json",
    "ctdl/ce-PathwaysConditionsAndConstraints_Pathway-Examples_Badgr_Badgr_Final_-_CTDL-French_BA_Marketable_Skills-Nates.json",
    "ctdl/ce-PathwaysConditionsAndConstraints_Pathway-Examples_Badgr_Badgr_French_B.A.MarketableSkills_CR_sandbox.json",
]


def _ids(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [i["@id"] if isinstance(i, dict) else i for i in items if i]


def read_doc(path: Path) -> dict[str, Any]:
    """What the document says, read with json: pathway, destination, components, conditions, before-links."""
    data = json.loads(path.read_text("utf-8"))
    nodes = data["@graph"] if isinstance(data, dict) else data
    pathway = next(n for n in nodes if n["@type"] == "ceterms:Pathway")
    before: set[tuple[str, str]] = set()
    conditions = 0
    for n in nodes:
        for child in _ids(n.get("ceasn:hasChild", [])):
            before.add((child, n["@id"]))
        for parent in _ids(n.get("ceasn:isChildOf", [])):
            before.add((n["@id"], parent))
        for cond in n.get("ceterms:hasCondition", []):
            conditions += 1
            for target in _ids(cond.get("ceterms:targetComponent", [])):
                before.add((target, n["@id"]))
    return {
        "pathway": pathway["@id"],
        # the pathway's destination, and components that say they are its destination (CompTIA's disagree)
        "destination": sorted(set(_ids(pathway["ceterms:hasDestinationComponent"]))
                              | {n["@id"] for n in nodes if pathway["@id"] in _ids(n.get("ceterms:isDestinationComponentFor", []))}),
        "components": {n["@id"] for n in nodes if n is not pathway},
        "conditions": conditions,
        "before": {(a, b) for a, b in before if a != b},
    }


@pytest.fixture(scope="module")
def loaded(conformance: Path) -> Any:
    import lermap

    kg = lermap.open_graph("memory:")
    for doc in DOCS:
        kg.ingest(conformance / doc, format="ctdl")
    yield kg
    kg.close()


@pytest.mark.parametrize("doc", DOCS)
def test_components_destination_conditions(loaded: Any, conformance: Path, doc: str) -> None:
    expected = read_doc(conformance / doc)
    result = traverse(loaded, expected["pathway"])
    assert set(result.components) == expected["components"]
    assert result.destinations == expected["destination"]
    assert len(result.conditions) == expected["conditions"]
    assert result.cycles == []


@pytest.mark.parametrize("doc", DOCS)
def test_order_respects_every_link(loaded: Any, conformance: Path, doc: str) -> None:
    expected = read_doc(conformance / doc)
    result = traverse(loaded, expected["pathway"])
    position = {iri: i for i, iri in enumerate(result.order)}
    assert sorted(position) == sorted(expected["components"])
    assert all(position[a] < position[b] for a, b in expected["before"])
    assert result.order[-1] in expected["destination"]


def test_comptia_progression(loaded: Any, conformance: Path) -> None:
    """The CompTIA pathway is a chain: from the destination down through hasChild, reversed."""
    doc = read_doc(conformance / DOCS[0])
    data = json.loads((conformance / DOCS[0]).read_text("utf-8"))["@graph"]
    child = {n["@id"]: _ids(n["ceasn:hasChild"])[0] for n in data if "ceasn:hasChild" in n}
    [top] = [d for d in doc["destination"] if d not in child.values()]
    chain = [top]
    while chain[-1] in child:
        chain.append(child[chain[-1]])
    result = traverse(loaded, doc["pathway"])
    assert len(chain) == len(doc["components"])
    assert result.order == chain[::-1]
    assert all(c.required_number == 1 for c in result.conditions)


TTL = """
@prefix ceterms: <https://purl.org/ctdl/terms/> .
@prefix ex: <https://example.org/> .
ex:p a ceterms:Pathway ; ceterms:name "Example" ; ceterms:hasDestinationComponent ex:dest .
ex:dest a ceterms:BasicComponent ; ceterms:name "Destination" ; ceterms:isPartOf ex:p ;
  ceterms:hasCondition [ a ceterms:ComponentCondition ; ceterms:name "two of three" ; ceterms:requiredNumber 2 ;
                         ceterms:targetComponent ex:a, ex:b, ex:c ] .
ex:a a ceterms:CourseComponent ; ceterms:name "A" ; ceterms:isPartOf ex:p ; ceterms:precedes ex:b .
ex:b a ceterms:CourseComponent ; ceterms:name "B" ; ceterms:isPartOf ex:p ; ceterms:prerequisite ex:z .
ex:c a ceterms:CourseComponent ; ceterms:name "C" ; ceterms:isPartOf ex:p ; ceterms:precededBy ex:b .
ex:z a ceterms:CourseComponent ; ceterms:name "Z" ; ceterms:isPartOf ex:p .
ex:q a ceterms:Pathway ; ceterms:name "Loop" ; ceterms:hasDestinationComponent ex:x .
ex:x a ceterms:BasicComponent ; ceterms:name "X" ; ceterms:precedes ex:y .
ex:y a ceterms:BasicComponent ; ceterms:name "Y" ; ceterms:precedes ex:x .
"""
EX = "https://example.org/"


@pytest.fixture()
def handmade(memory_graph: Any) -> Any:
    memory_graph.ingest_bytes("urn:test:pathway.ttl", TTL.encode(), format="rdf")
    return memory_graph


def test_every_ordering_link(handmade: Any) -> None:
    result = traverse(handmade, EX + "p")
    assert [result.components[i].name for i in result.order] == ["A", "Z", "B", "C", "Destination"]
    assert result.prerequisites[EX + "c"] == [EX + "b"]
    assert result.prerequisites[EX + "dest"] == [EX + "a", EX + "b", EX + "c"]
    [cond] = result.conditions
    assert (cond.component, cond.name, cond.required_number, cond.targets) == (EX + "dest", "two of three", 2, [EX + "a", EX + "b", EX + "c"])
    assert result.components[EX + "a"].types == ["CourseComponent"]


def test_cycle_reported_and_kept_together(handmade: Any) -> None:
    result = traverse(handmade, EX + "q")
    assert result.cycles == [[EX + "x", EX + "y"]]
    assert sorted(result.order) == [EX + "x", EX + "y"]


def test_unknown_pathway(handmade: Any) -> None:
    with pytest.raises(NotFoundError, match="no ceterms:Pathway"):
        traverse(handmade, EX + "nothing")
