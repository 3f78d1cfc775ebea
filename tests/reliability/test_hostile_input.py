"""Broken and hostile input for every ingester: refused with the place and the reason, the store untouched.

Each ingester's own tiny fixture is damaged in a known way (truncated, invalid UTF-8, NUL bytes, nested past
any sane depth, every value replaced by a value of the wrong type...) and ingested into a store that already
holds a source. A refusal must be a :class:`~lermap.errors.SourceError` naming the source and a reason, and
leave ``kg.digest()`` as it was. A few damaged inputs are still valid documents of their format (a CSV cut at a
row is a shorter CSV); those are listed in ``READ_BY_DESIGN`` with the reason, and must be read.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from lermap.service import KnowledgeGraph
from tests.reliability.cases import JSON_FORMATS, SOAK, TARGETS, YAML_FORMATS, original_bytes, placed
from tests.reliability.conftest import CATCH_ALL, outcome, refused


def _middle(data: bytes, insert: bytes) -> bytes:
    cut = len(data) // 2
    return data[:cut] + insert + data[cut:]


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "truncated": lambda b: b[: len(b) // 2],
    "invalid-utf8": lambda b: _middle(b, b"\xff\xfe\xc3\x28"),
    "empty": lambda b: b"",
    "nul-bytes": lambda b: _middle(b, b"\x00\x00"),
    "binary-garbage": lambda b: bytes(range(256)) * 4,
    "deep-brackets": lambda b: b"[" * 100_000 + b"]" * 100_000,
    "deep-objects": lambda b: b'{"a":' * 300 + b"1" + b"}" * 300,
}

# Damaged copies that are still valid documents of the format: they must be read (possibly with a warning).
READ_BY_DESIGN: dict[tuple[str, str], str] = {
    ("esco", "truncated"): "a CSV cut mid-row is a shorter CSV whose last row has empty cells",
    ("onet", "truncated"): "a tab-separated file cut mid-row is a shorter file",
    ("ler-map", "truncated"): "YAML cut between list items is a shorter list",
    ("rdf", "empty"): "an empty Turtle file is an empty graph",
    ("onet", "invalid-utf8"): "O*NET text files that are not UTF-8 are read as Windows-1252, with a warning",
    ("case-csv", "nul-bytes"): "a NUL inside a quoted CSV cell is kept as text",
    ("rsd-csv", "nul-bytes"): "a NUL inside a quoted CSV cell is kept as text",
    ("onet", "nul-bytes"): "a NUL inside a tab-separated cell is kept as text",
    ("esco", "nul-bytes"): "the damaged row's IRI is skipped with a warning",
}


def _damage_cases() -> Iterator[Any]:
    for fmt in TARGETS:
        for name in DAMAGE:
            yield pytest.param(fmt, name, id=f"{fmt}-{name}")


@pytest.mark.parametrize(("fmt", "damage"), list(_damage_cases()))
def test_damaged_document(kg: KnowledgeGraph, tmp_path: Path, fmt: str, damage: str) -> None:
    target = TARGETS[fmt]
    path = placed(target, tmp_path, DAMAGE[damage](original_bytes(target, tmp_path)))
    err = outcome(kg, path, fmt)
    if (fmt, damage) in READ_BY_DESIGN:
        assert err is None, f"expected to be read ({READ_BY_DESIGN[fmt, damage]}), refused: {err}"
        return
    assert err is not None, "damaged input was read as if it were fine"
    assert str(tmp_path) in err.source or path.name in str(err), f"the error does not name the source: {err}"
    assert CATCH_ALL not in err.reason, f"refused only by the catch-all, without a specific reason: {err}"


# --- wrong types at every place of every JSON fixture ------------------------------------------------------------

WRONG = {"number": 42, "list": [1, "x"], "null": None, "object": {"x": 1}}


def _places(value: Any, at: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    yield at
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _places(v, (*at, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _places(v, (*at, i))


def _replaced(doc: Any, at: tuple[str | int, ...], value: Any) -> Any:
    if not at:
        return value
    out = copy.deepcopy(doc)
    node = out
    for step in at[:-1]:
        node = node[step]
    node[at[-1]] = value
    return out


def _wrong_type_cases() -> Iterator[Any]:
    kinds = list(WRONG) if SOAK else ["number", "list", "null"]
    for fmt in JSON_FORMATS:
        doc = json.loads(TARGETS[fmt].original())
        for at in _places(doc):
            for kind in kinds:
                yield pytest.param(fmt, at, kind, id=f"{fmt}-{'/'.join(map(str, at)) or 'root'}-{kind}")


@pytest.mark.parametrize(("fmt", "at", "kind"), list(_wrong_type_cases()))
def test_wrong_type(kg: KnowledgeGraph, fmt: str, at: tuple[str | int, ...], kind: str) -> None:
    doc = _replaced(json.loads(TARGETS[fmt].original()), at, WRONG[kind])
    before = kg.digest()
    try:
        kg.ingest_bytes(f"urn:lermap:test:{fmt}", json.dumps(doc).encode(), format=fmt)
    except Exception as err:  # noqa: BLE001 - the assertion below names what was raised
        from lermap.errors import SourceError

        assert isinstance(err, SourceError), f"{type(err).__name__}: {err}"
        assert kg.digest() == before
        assert CATCH_ALL not in err.reason, f"refused only by the catch-all: {err}"


# --- sizes: huge arrays, invalid IRIs --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", JSON_FORMATS)
def test_huge_root_array(kg: KnowledgeGraph, tmp_path: Path, fmt: str) -> None:
    path = placed(TARGETS[fmt], tmp_path, b"[" + b"0," * 2_000_000 + b"0]")
    assert refused(kg, path, fmt)


@pytest.mark.parametrize("fmt", JSON_FORMATS)
def test_huge_array_inside_a_real_document(kg: KnowledgeGraph, tmp_path: Path, fmt: str) -> None:
    doc = json.loads(TARGETS[fmt].original())
    if isinstance(doc, dict):
        doc["extraField"] = [None] * 1_000_000
    else:
        doc.extend([None] * 1_000_000)
    path = placed(TARGETS[fmt], tmp_path, json.dumps(doc).encode())
    outcome(kg, path, fmt)  # read (the unknown field ignored) or refused; either way within the limits


BAD_IRIS = ["http://exa mple.org/x", "http://example.org/<x>", "http://[::1", "\u0000", 'http://example.org/a"b', "http://example.org/{x}"]


def _iri_cases() -> Iterator[Any]:
    for fmt in JSON_FORMATS:
        for bad in BAD_IRIS:
            yield pytest.param(fmt, bad, id=f"{fmt}-{bad!r}")


def _iri_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://", "urn:", "did:"))


def _swap_iris(node: Any, bad: str) -> Any:
    if isinstance(node, dict):
        return {k: (bad if _iri_like(v) and k not in ("@context",) else _swap_iris(v, bad)) for k, v in node.items()}
    if isinstance(node, list):
        return [_swap_iris(v, bad) for v in node]
    return node


@pytest.mark.parametrize(("fmt", "bad"), list(_iri_cases()))
def test_invalid_iris_everywhere(kg: KnowledgeGraph, fmt: str, bad: str) -> None:
    doc = _swap_iris(json.loads(TARGETS[fmt].original()), bad)
    before = kg.digest()
    try:
        report = kg.ingest_bytes(f"urn:lermap:test:{fmt}", json.dumps(doc).encode(), format=fmt)
    except Exception as err:  # noqa: BLE001
        from lermap.errors import SourceError

        assert isinstance(err, SourceError), f"{type(err).__name__}: {err}"
        assert kg.digest() == before
        assert CATCH_ALL not in err.reason, f"refused only by the catch-all: {err}"
        return
    dump = kg.export("nquads").decode()
    assert f"<{bad}>" not in dump, f"an invalid IRI reached the store: {bad!r} ({report.warnings})"


@pytest.mark.parametrize("bad", ["<http://exa mple.org/x>", "<http://example.org/{x}>", "<javascript:x y>"])
def test_invalid_iris_in_turtle(kg: KnowledgeGraph, tmp_path: Path, bad: str) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text(f'{bad} <http://www.w3.org/2004/02/skos/core#prefLabel> "x" .\n')
    err = refused(kg, path, "rdf")
    assert "line 1" in err.location


# --- YAML: alias bombs and tags ------------------------------------------------------------------------------------

ALIAS_BOMB = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{c}: &{c} [{', '.join(['*' + p] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)]
) + "\n"
YAML_HOSTILE = {
    "alias-bomb": ALIAS_BOMB,
    "alias-bomb-in-a-list": "- " + ALIAS_BOMB.replace("\n", "\n  ").rstrip() + "\n",
    "python-tag": "!!python/object/apply:os.system ['echo pwned']\n",
    "binary-tag": "x: !!binary AAAA\n",
    "not-a-mapping": "just a string\n",
}


def _yaml_cases() -> Iterator[Any]:
    for fmt in YAML_FORMATS:
        for name in YAML_HOSTILE:
            yield pytest.param(fmt, name, id=f"{fmt}-{name}")


@pytest.mark.parametrize(("fmt", "name"), list(_yaml_cases()))
def test_hostile_yaml(kg: KnowledgeGraph, tmp_path: Path, fmt: str, name: str) -> None:
    path = placed(TARGETS[fmt], tmp_path, YAML_HOSTILE[name].encode())
    err = outcome(kg, path, fmt)
    assert err is not None
    assert CATCH_ALL not in err.reason, f"refused only by the catch-all: {err}"
