"""LER Ecosystem Map site data: counts read from the map's YAML files, a tiny fixture compared as a graph."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from lermap.errors import SourceError
from lermap.graph.terms import TripleTuple, to_rdflib_graph
from lermap.graph.vocab import LERMAP, RDF, SCHEMA, SKOS
from lermap.ingest.base import IngestContext, Source
from lermap.ingest.ecosystem.ler_map import (
    GLOSSARY_SCHEME,
    STAKEHOLDER_TYPES,
    LerMapSiteIngester,
    organisation_iri,
    stakeholder_type_iri,
)
from tests.conftest import TEST_DATA

MAP = "ecosystem/ler-ecosystem-map-v2"


def _run(source: Source) -> tuple[list[TripleTuple], IngestContext]:
    ctx = IngestContext(source)
    return list(LerMapSiteIngester().run(source, ctx)), ctx


@pytest.fixture(scope="module")
def site(conformance: Path) -> tuple[list[TripleTuple], IngestContext]:
    return _run(Source.from_path(conformance / MAP))


def _typed(triples: list[TripleTuple], cls: object) -> set[object]:
    return {s for s, p, o in triples if p == RDF.type and o == cls}


def test_stakeholder_types_are_the_ten_known(site: tuple[list[TripleTuple], IngestContext]) -> None:
    triples, _ = site
    got = {s for s, p, o in triples if p == SKOS.topConceptOf and o.value.endswith("/stakeholder-types")}
    assert got == {stakeholder_type_iri(s) for s in STAKEHOLDER_TYPES}


@pytest.mark.parametrize(
    ("cls", "expected"),
    [
        pytest.param(LERMAP.WorkstreamRole, 40, id="workstream-sections"),  # 10 types x 4 sections each
        pytest.param(LERMAP.ActionAreaRole, 23, id="action-areas"),  # 1+4+0+4+1+3+4+3+1+2
        pytest.param(LERMAP.ValueCase, 45, id="value-cases"),  # business + social cases
        pytest.param(SCHEMA.CreativeWork, 26, id="resources"),  # 6 + 9 + 6 + 5 sites
        pytest.param(SCHEMA.Organization, 29, id="resource-authors"),  # 31 spellings, 2 differ only in case
    ],
)
def test_counts(site: tuple[list[TripleTuple], IngestContext], cls: object, expected: int) -> None:
    assert len(_typed(site[0], cls)) == expected


def test_glossary_has_fifteen_terms(site: tuple[list[TripleTuple], IngestContext]) -> None:
    terms = {s for s, p, o in site[0] if p == SKOS.inScheme and o == GLOSSARY_SCHEME}
    assert len(terms) == 15


@pytest.mark.parametrize(
    ("slug", "areas", "cases"),
    [
        ("career-navigators", 1, 4),
        ("credentialing-organizations", 4, 5),
        ("data-standards-organizations", 0, 5),
        ("employers", 4, 5),
        ("funders", 1, 4),
        ("governance", 3, 4),
        ("hr-systems", 4, 6),
        ("learners-earners", 3, 4),
        ("ler-technology-providers", 1, 3),
        ("supporting-systems", 2, 5),
    ],
)
def test_each_stakeholder_type(site: tuple[list[TripleTuple], IngestContext], slug: str, areas: int, cases: int) -> None:
    triples, _ = site
    s = stakeholder_type_iri(slug)
    by_pred = Counter(p for subj, p, o in triples if subj == s)
    assert by_pred[LERMAP.workstreamRole] == 4
    assert by_pred[LERMAP.actionAreaRole] == areas
    assert by_pred[LERMAP.valueCase] == cases
    assert by_pred[SKOS.definition] == 1


def test_glossary_term_with_several_senses_keeps_each(site: tuple[list[TripleTuple], IngestContext]) -> None:
    clr = [o for s, p, o in site[0] if p == SKOS.definition and s.value.endswith("/comprehensive-learner-record-clr")]
    assert len(clr) == 3


def test_html_entities_are_decoded(site: tuple[list[TripleTuple], IngestContext]) -> None:
    titles = {o.value for s, p, o in site[0] if p == SCHEMA.name}
    assert "Skills-Based Practices: A Journey Map for Employers" in titles
    assert not any("&colon;" in t or "<p>" in t for t in titles)


def test_page_titles_become_alt_labels(site: tuple[list[TripleTuple], IngestContext]) -> None:
    alt = {(s, o.value) for s, p, o in site[0] if p == SKOS.altLabel}
    assert alt == {
        (stakeholder_type_iri("data-standards-organizations"), "Data Standards Bodies"),
        (stakeholder_type_iri("ler-technology-providers"), "LER Solution Providers"),
    }


def test_defects_are_warned(site: tuple[list[TripleTuple], IngestContext]) -> None:
    warnings = site[1].warnings
    assert len(warnings) == 3
    assert any("has no URL" in w for w in warnings)
    assert any("same URL" in w for w in warnings)
    assert any("single text instead of a list" in w for w in warnings)


def test_one_file_alone(conformance: Path) -> None:
    triples, _ = _run(Source.from_path(conformance / MAP / "data-glossary-list.yml"))
    assert len({s for s, p, o in triples if p == SKOS.inScheme and o == GLOSSARY_SCHEME}) == 15


def test_resource_authors_share_directory_iris(site: tuple[list[TripleTuple], IngestContext]) -> None:
    assert organisation_iri("Jobs for the Future") in _typed(site[0], SCHEMA.Organization)
    assert organisation_iri("T3 Innovation Network") == organisation_iri("The T3 Innovation Network")


def test_tiny_fixture_graph() -> None:
    triples, ctx = _run(Source.from_path(TEST_DATA / "ler-map"))
    expected = rdflib.Graph().parse(TEST_DATA / "ler-map" / "expected.ttl", format="turtle")
    assert isomorphic(to_rdflib_graph(triples), expected)
    assert ctx.warnings == []


def test_public_api_counts(conformance: Path, memory_graph: object) -> None:
    (report,) = memory_graph.ingest(conformance / MAP)  # type: ignore[attr-defined]
    assert report.format == "ler-map"
    assert report.counts["organization"] == 29


@pytest.mark.parametrize(
    ("text", "location"),
    [
        pytest.param(b"- just\n- a list\n", "x.yml", id="not-a-mapping"),
        pytest.param(b"stakeholders: 3\n", "x.yml: stakeholders", id="list-expected"),
        pytest.param(b"stakeholders:\n  - name: A\n    sections: {a: 1}\n", "x.yml: stakeholders[0].sections", id="sections-dict"),
        pytest.param(b"stakeholders:\n  - name: [1]\n", "x.yml: stakeholders[0].name", id="name-list"),
        pytest.param(b"stakeholders:\n  - url: a\n", "x.yml: stakeholders[0].name", id="name-missing"),
        pytest.param(b"terms:\n  - term: A\n    list: [{x: 1}]\n", "x.yml: terms[0].list[0]", id="definition-mapping"),
        pytest.param(b"stakeholders: [\n", "x.yml: line 2, column 1", id="syntax"),
        pytest.param(b"a: &x [1]\nstakeholders: *x\n", "x.yml", id="alias"),
    ],
)
def test_bad_input_is_refused(text: bytes, location: str) -> None:
    with pytest.raises(SourceError) as err:
        _run(Source.from_bytes("x.yml", text))
    assert err.value.location == location
