"""The JSON-LD context checker, the JSON text reader and the located refusals of invalid JSON-LD (graph layer)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lermap.errors import ContextError, SourceError
from lermap.graph.context_check import check_context, repair_context
from lermap.graph.jsonld import ContextPolicy, ContextRegistry, to_quads
from lermap.graph.jsontext import JsonTextError, read_json_text

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "lermap" / "graph" / "contexts"
URL = "https://contexts.lermap.test/ctx"
EX = "https://vocab.lermap.test/"


def _messages(ctx: Any) -> list[str]:
    return [d.message() for d in check_context(ctx, URL)]


# --- the checker: one rule per case, named by context, term and key ---------------------------------------------


@pytest.mark.parametrize(
    ("ctx", "message", "repairable"),
    [
        pytest.param({"participationType": {"@id": EX + "p", "context": {}}},
                     'term "participationType": unknown key "context" (did you mean "@context"?)', True, id="context"),
        pytest.param({"p": {"id": EX + "p"}}, 'term "p": unknown key "id" (did you mean "@id"?)', True, id="id"),
        pytest.param({"p": {"@id": EX + "p", "type": "@id"}}, 'unknown key "type" (did you mean "@type"?)', True, id="type"),
        pytest.param({"p": {"@id": EX + "p", "container": "@set"}}, 'unknown key "container"', True, id="container"),
        pytest.param({"p": {"reverse": EX + "q"}}, 'unknown key "reverse" (did you mean "@reverse"?)', True, id="reverse"),
        pytest.param({"p": {"@id": EX + "p", "language": "en"}}, 'unknown key "language"', True, id="language-in-term"),
        pytest.param({"vocab": EX}, '"vocab" defines a term, not @vocab', True, id="vocab"),
        pytest.param({"version": 1.1}, "1.1 is not a term definition (did you mean \"@version\"?)", True, id="version"),
        pytest.param({"language": "en"}, "'en' is not a term definition (did you mean \"@language\"?)", True, id="language"),
        pytest.param({"protected": True}, 'did you mean "@protected"?', True, id="protected"),
        pytest.param({"p": {"@id": EX + "p", "comment": "x"}}, 'term "p": unknown key "comment"', False, id="unknown-key"),
        pytest.param({"p": {"@id": EX + "p", "context": {}, "@context": {}}}, 'unknown key "context" beside "@context"', False,
                     id="both-forms"),
        pytest.param({"p": {"@id": EX + "p", "@container": "@lists"}}, "@container '@lists' is not one of", False, id="container-value"),
        pytest.param({"p": {"@id": EX + "p", "@container": ["@list", "@set"]}}, "@list cannot be combined", False, id="list-set"),
        pytest.param({"p": {"@id": EX + "p", "@type": "@string"}}, "@type '@string' is not one of", False, id="type-keyword"),
        pytest.param({"p": {"@id": EX + "p", "@type": "_:b0"}}, "must not be a blank node", False, id="type-bnode"),
        pytest.param({"p": {"@reverse": EX + "q", "@id": EX + "p"}}, "@reverse cannot be used with @id", False, id="reverse-id"),
        pytest.param({"ex:p": {"@id": EX + "p", "@prefix": True}}, "@prefix is not allowed", False, id="prefix"),
        pytest.param({"p": {"@id": EX + "p", "@propagate": False}}, "@propagate belongs in a context", False, id="propagate"),
        pytest.param({"p": {"@id": EX + "p", "@protected": "yes"}}, "@protected must be true or false", False, id="protected-value"),
        pytest.param({"p": {"@id": EX + "p", "@index": "@id"}}, "@index must be a property name", False, id="index"),
        pytest.param({"@version": 1.0}, "@version must be the number 1.1", False, id="version-value"),
        pytest.param({"@propagate": "no"}, "@propagate must be true or false", False, id="propagate-value"),
        pytest.param({"@id": EX}, "keyword @id cannot be used or redefined in a context", False, id="keyword"),
        pytest.param({"p": 5}, "a term definition must be a string, an object or null, not a JSON number", False, id="number"),
        pytest.param({"c": "@context"}, "@context cannot be aliased", False, id="alias"),
        pytest.param([{"p": EX}, [{"q": EX}]], "an array inside a context array", False, id="nested-array"),
    ],
)
def test_each_rule_is_named_with_context_term_and_key(ctx: Any, message: str, repairable: bool) -> None:
    defects = check_context(ctx, URL)
    assert len(defects) == 1, [d.message() for d in defects]
    assert message in defects[0].message() and defects[0].message().startswith(f'context "{URL}"')
    assert defects[0].repairable is repairable


def test_scoped_contexts_are_walked_and_named_by_their_path() -> None:
    ctx = {"Badge": {"@id": EX + "Badge", "@context": {"level": {"@id": EX + "level", "context": {}}}}}
    assert _messages(ctx) == [
        f'context "{URL}" term "Badge" › @context › term "level": unknown key "context" (did you mean "@context"?)'
    ]


def test_repair_gives_the_one_reading_and_leaves_the_input_alone() -> None:
    ctx = {"vocab": EX, "p": {"id": EX + "p", "type": "@id", "context": {"q": {"id": EX + "q"}}}}
    fixed = repair_context(ctx)
    assert fixed == {"@vocab": EX, "p": {"@id": EX + "p", "@type": "@id", "@context": {"q": {"@id": EX + "q"}}}}
    assert ctx["p"]["id"] == EX + "p" and check_context(fixed, URL) == []


@pytest.mark.parametrize(
    "ctx",
    [
        {"id": "@id", "type": "@type", "name": "https://schema.org/name"},  # the usual aliases are terms, not defects
        {"@vocab": EX, "vocab": EX + "vocab"},  # a term named "vocab" beside @vocab is deliberate
        {"language": "https://schema.org/inLanguage"},  # an IRI, not a language tag
        {"@type": {"@container": "@set"}, "p": {"@id": EX + "p", "@container": ["@graph", "@id"]}},
        {"p": {"@id": EX + "p", "@container": ["@type", "@set"], "@type": "@id"}, "q": {"@reverse": EX + "q"}},
    ],
    ids=["aliases", "vocab-term", "language-iri", "type-set", "containers"],
)
def test_valid_contexts_have_no_defects(ctx: Any) -> None:
    assert check_context(ctx, URL) == []


@pytest.mark.parametrize("path", sorted(p for p in BUNDLED.glob("*.jsonld")), ids=lambda p: p.name)
def test_every_bundled_context_checks_clean(path: Path) -> None:
    assert check_context(json.loads(path.read_text("utf-8"))["@context"], path.name) == []


# --- the JSON text reader --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "defect", "values"),
    [
        ('{"a": 1,}', "a trailing comma", [{"a": 1}]),
        ('{"a": 1\n "b": 2}', "a missing comma", [{"a": 1, "b": 2}]),
        ('[1 2]', "a missing comma", [[1, 2]]),
        ('{"a": 1} // note', "a comment", [{"a": 1}]),
    ],
)
def test_json_text_defects_are_refused_strictly_and_repaired_leniently(text: str, defect: str, values: list[Any]) -> None:
    with pytest.raises(JsonTextError) as info:
        read_json_text(text)
    assert info.value.repairable and defect.split()[1] in info.value.defect
    got, repairs = read_json_text(text, lenient=True)
    assert got == values and [r.defect for r in repairs] == [defect]


@pytest.mark.parametrize("text", ['{"a": "x" "y"}', '{a: 1}', '{"a": ...}', '{"a": 1}{"b": 2}'])
def test_json_text_without_one_safe_reading_is_refused_in_both_modes(text: str) -> None:
    for lenient in (False, True):
        with pytest.raises(JsonTextError) as info:
            read_json_text(text, lenient=lenient)
        assert not info.value.repairable


# --- contexts through the registry: refused with URL, term and key; repaired under a lenient policy -------------------


@pytest.fixture()
def defective(tmp_path: Path) -> ContextRegistry:
    registry = ContextRegistry(tmp_path / "contexts")
    file = tmp_path / "ctx.jsonld"
    file.write_text(f'{{"@context": {{"@vocab": "{EX}", "level": {{"id": "{EX}level", "type": "@id"}},}}}}')
    registry.add(URL, file)
    return registry


DOC = {"@context": URL, "@id": "https://example.lermap.test/x", "name": "X", "level": "https://example.lermap.test/l1"}


def test_a_defective_context_is_refused_with_its_url_term_and_key(defective: ContextRegistry) -> None:
    with pytest.raises(ContextError) as info:
        to_quads(DOC, "doc.json", defective)
    assert f'context "{URL}"' in info.value.reason and "not strict JSON at line 1" in info.value.reason
    assert info.value.location == "/@context"


def test_a_lenient_policy_repairs_and_reports_each_repair_once(defective: ContextRegistry) -> None:
    heard: list[str] = []
    policy = ContextPolicy(lenient=True, report=lambda where, message: heard.append(message))
    quads = to_quads(DOC, "doc.json", defective, policy=policy)
    assert {q.predicate.value for q in quads} == {EX + "name", EX + "level"}
    assert any(q.object.value == "https://example.lermap.test/l1" and type(q.object).__name__ == "NamedNode" for q in quads)
    assert heard == [
        f'context "{URL}": line 1, column 120: a trailing comma repaired (non-strict JSON)',
        f'context "{URL}" term "level": key "id" read as "@id" (a keyword written without its @)',
        f'context "{URL}" term "level": key "type" read as "@type" (a keyword written without its @)',
    ]
    to_quads(DOC, "doc.json", defective, policy=policy)  # cached now: the same repairs, not reported twice
    assert len(heard) == 3


def test_an_inline_context_in_the_document_is_checked_too() -> None:
    doc = {"@context": {"@vocab": EX, "knows": {"id": EX + "knows"}}, "@id": "https://example.lermap.test/a",
           "knows": {"@id": "https://example.lermap.test/b"}}
    with pytest.raises(ContextError, match=r'context \(inline, at /@context\) term "knows": unknown key "id"'):
        to_quads(doc, "doc.json")
    assert len(to_quads(doc, "doc.json", policy=ContextPolicy(lenient=True))) == 1


# --- invalid JSON-LD in the document: the node and the rule ----------------------------------------------------------


def test_invalid_json_ld_is_refused_with_the_pointer_and_id_of_the_node() -> None:
    doc = {"@context": {"@vocab": EX}, "@graph": [
        {"@id": "https://example.lermap.test/a", "name": "A"},
        {"@id": "https://example.lermap.test/b", "knows": {"@id": 5}},
    ]}
    with pytest.raises(SourceError) as info:
        to_quads(doc, "doc.json")
    assert info.value.location == '/@graph/1/knows/@id (node "https://example.lermap.test/b")'
    assert info.value.reason.startswith("invalid JSON-LD: ")


def test_a_protected_term_redefined_names_both_contexts(tmp_path: Path) -> None:
    registry = ContextRegistry(tmp_path / "contexts")
    second = tmp_path / "second.jsonld"
    second.write_text(json.dumps({"@context": {"description": EX + "description"}}))
    registry.add("https://contexts.lermap.test/second", second)
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2", "https://contexts.lermap.test/second"],
           "type": ["VerifiableCredential", "VerifiablePresentation"], "description": "x"}
    with pytest.raises(SourceError) as info:
        to_quads(doc, "doc.json", registry)
    assert ('term "description": protected in "https://www.w3.org/ns/credentials/v2", redefined by '
            '"https://contexts.lermap.test/second"') in info.value.reason
