"""The plain-words layer: every relation the directory can state has words both ways; types read as nouns."""

from __future__ import annotations

import pytest
import yaml

from lermap.graph.vocab import CEASN, LERMAP, SCHEMA, SKOS
from lermap.ingest.ecosystem.directory import PREDICATES
from lermap.views import words
from tests.conftest import ROOT

# relations the directory writes besides its own predicates: a tool's provider, an organisation's stakeholder roles
DIRECTORY_EXTRAS = [SCHEMA.provider.value, LERMAP.stakeholderRole.value]


@pytest.mark.parametrize("predicate", sorted(PREDICATES))
def test_every_directory_relation_type_has_words_both_ways(predicate: str) -> None:
    assert words.has_words(predicate), f"{predicate}: add rdfs:label and lermap:inverseLabel in lermap.ttl"
    forward, inverse = words.relation(predicate), words.relation(predicate, inverse=True)
    assert forward and inverse and ":" not in forward + inverse and "#" not in forward + inverse


def test_the_relations_file_uses_only_predicates_with_words() -> None:
    data = yaml.safe_load((ROOT / "data" / "ecosystem" / "relations.yaml").read_text("utf-8"))
    used = {r["p"] for r in data["relations"]}
    assert used and all(words.has_words(p) for p in used), sorted(p for p in used if not words.has_words(p))


@pytest.mark.parametrize("iri", DIRECTORY_EXTRAS)
def test_the_directory_extras_have_words(iri: str) -> None:
    assert words.has_words(iri)


def test_words_come_from_the_ontology_first() -> None:
    assert words.relation(LERMAP.memberOf.value) == "is a member of"  # rdfs:label in lermap.ttl
    assert words.relation("memberOf", inverse=True) == "has as member"  # lermap:inverseLabel
    assert words.kind(LERMAP.Standard.value) == "Standard" and words.kind(LERMAP.Tool.value, plural=True) == "Tools"


@pytest.mark.parametrize(("term", "noun"), [(SCHEMA.Organization.value, "Organisation"), (CEASN.Competency.value, "Competency"),
                                            (SKOS.ConceptScheme.value, "Classification"), ("stakeholder-type", "Stakeholder type")])
def test_types_read_as_nouns(term: str, noun: str) -> None:
    assert words.kind(term) == noun


def test_an_unknown_term_reads_as_words_never_as_an_iri() -> None:
    assert words.relation("https://example.org/vocab#hasSpecialThing") == "has special thing"
    assert words.field("https://example.org/vocab#dateOfBirth") == "Date of birth"
    assert words.kind("https://example.org/vocab/LearningThing") == "Learning thing"


def test_fields_read_as_field_names() -> None:
    assert words.field(SKOS.prefLabel.value) == "Name" and words.field(SCHEMA.url.value) == "Website"
    assert words.field(LERMAP.develops.value) == "Develops"
