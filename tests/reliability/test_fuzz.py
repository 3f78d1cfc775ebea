"""Property-based tests: random input never escapes as anything but a report or a SourceError, and the analysis
invariants hold on random small graphs. Example counts come from the hypothesis profile (conftest: ``fast`` in
``make test``, ``soak`` in ``make soak``).
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

import lermap
from lermap.analysis.alignment import chain, coverage
from lermap.analysis.pathways import Projections, pathway
from lermap.errors import SourceError
from lermap.ingest.sssom.mapping import BROAD, CLOSE, EXACT, NARROW, PREDICATES, RELATED, Mapping, MappingSet
from tests.reliability.cases import JSON_FORMATS, TABLE_FORMATS, TARGETS, original_bytes, placed


def _ingest(fmt: str, content: bytes) -> None:
    """Ingest ``content`` as ``fmt``'s main file: a report or a SourceError with the store untouched, nothing else."""
    with tempfile.TemporaryDirectory() as d, lermap.open_graph("memory:") as kg:
        path = placed(TARGETS[fmt], Path(d), content)
        before = kg.digest()
        try:
            kg.ingest(path, format=fmt)
        except SourceError as err:
            assert kg.digest() == before
            assert err.reason


@pytest.mark.parametrize("fmt", list(TARGETS))
@given(data=st.binary(max_size=2048))
def test_random_bytes(fmt: str, data: bytes) -> None:
    _ingest(fmt, data)


@pytest.mark.parametrize("fmt", list(TARGETS))
@given(data=st.data())
def test_randomly_mutated_fixture(fmt: str, data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as d:
        original = original_bytes(TARGETS[fmt], Path(d))
    cuts = data.draw(st.lists(st.integers(0, max(len(original) - 1, 0)), min_size=1, max_size=4))
    mutated = bytearray(original)
    for at in cuts:
        mutated[at:at + 1] = data.draw(st.binary(min_size=0, max_size=3))
    _ingest(fmt, bytes(mutated))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
    | st.sampled_from(["@id", "@type", "@context", "http://example.org/x", "urn:x", "did:key:z6Mk", "type", "id"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["@id", "@type", "@context", "@graph", "id", "type", "name", "credentialSubject", "issuer",
                         "achievement", "CFItems", "@value", "@language", "x"]) | st.text(max_size=8), children, max_size=4),
    max_leaves=25,
)


@pytest.mark.parametrize("fmt", JSON_FORMATS)
@given(doc=JSON_VALUES)
def test_random_json(fmt: str, doc: Any) -> None:
    _ingest(fmt, json.dumps(doc).encode())


def _places(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [at]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _places(v, (*at, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _places(v, (*at, i))
    return out


@pytest.mark.parametrize("fmt", JSON_FORMATS)
@given(data=st.data())
def test_random_json_grafted_into_the_fixture(fmt: str, data: st.DataObject) -> None:
    doc = json.loads(TARGETS[fmt].original())
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.sampled_from(_places(doc)))
        value = data.draw(JSON_VALUES)
        if not at:
            doc = value
            continue
        node = doc
        for step in at[:-1]:
            node = node[step]
        node[at[-1]] = value
    _ingest(fmt, json.dumps(doc).encode())


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
@given(rows=st.lists(st.lists(st.text(max_size=12), min_size=0, max_size=8), max_size=8), keep_header=st.booleans())
def test_random_csv(fmt: str, rows: list[list[str]], keep_header: bool) -> None:
    with tempfile.TemporaryDirectory() as d:
        original = original_bytes(TARGETS[fmt], Path(d))
    buf = io.StringIO()
    delimiter = "\t" if TARGETS[fmt].family == "tsv" else ","
    writer = csv.writer(buf, delimiter=delimiter)
    header = original.decode("utf-8-sig").splitlines()[0]
    text = (header + "\n" if keep_header else "")
    writer.writerows(rows)
    _ingest(fmt, (text + buf.getvalue()).encode("utf-8", "surrogatepass"))


# --- analysis invariants -----------------------------------------------------------------------------------------

NODES = [f"ex:c{i}" for i in range(6)]
CONFIDENCE = st.none() | st.floats(0.0, 1.0)
MAPPINGS = st.lists(
    st.builds(Mapping, subject_id=st.sampled_from(NODES), predicate_id=st.sampled_from(PREDICATES),
              object_id=st.sampled_from(NODES), confidence=CONFIDENCE).filter(lambda m: m.subject_id != m.object_id),
    max_size=12,
)


@given(mappings=MAPPINGS, steps=st.integers(2, 4))
def test_chaining_invariants(mappings: list[Mapping], steps: int) -> None:
    direct = {(m.subject_id, m.object_id) for m in mappings} | {(m.object_id, m.subject_id) for m in mappings}
    for m in chain(mappings, max_steps=steps):
        assert m.confidence is not None and 0.0 <= m.confidence <= 1.0
        assert m.subject_id != m.object_id
        assert (m.subject_id, m.object_id) not in direct, "chaining repeated a direct mapping"
        used = [d.split(" ")[1] for d in m.derivation]
        assert len(used) >= 2
        if m.predicate_id == EXACT:
            assert set(used) == {EXACT}, f"exact chained from {used}"
        if m.predicate_id == CLOSE:
            assert set(used) <= {EXACT, CLOSE}
        assert not ({BROAD, NARROW} <= set(used)), "broad and narrow never compose"
        if RELATED in used:
            assert m.predicate_id == RELATED


@given(mappings=MAPPINGS, subjects=st.lists(st.sampled_from(NODES), max_size=6))
def test_coverage_is_a_fraction(mappings: list[Mapping], subjects: list[str]) -> None:
    assert 0.0 <= coverage(MappingSet(mappings), subjects) <= 1.0


CREDS = [f"ex:cred{i}" for i in range(4)]
OCCS = [f"ex:occ{i}" for i in range(3)]


@st.composite
def projections(draw: st.DrawFn) -> Projections:
    g = nx.Graph()
    for a, b, conf in draw(st.lists(st.tuples(st.sampled_from(NODES), st.sampled_from(NODES), st.floats(0.0, 1.0)), max_size=10)):
        if a != b:
            g.add_edge(a, b, confidence=conf)
    offers = {c: {n: ("teaches", draw(st.floats(0.0, 1.0))) for n in draw(st.lists(st.sampled_from(NODES), max_size=4))}
              for c in CREDS}
    requirements = {
        o: {n: (draw(st.none() | st.booleans()), draw(st.none() | st.floats(0.0, 1.0)))
            for n in draw(st.lists(st.sampled_from(NODES), max_size=5))}
        for o in OCCS
    }
    costs = {c: draw(st.floats(0.0, 1000.0)) for c in draw(st.lists(st.sampled_from(CREDS), max_size=4))}
    return Projections(g, offers, requirements, {n: n.upper() for n in NODES}, costs)


@given(p=projections(), held=st.lists(st.sampled_from(NODES + CREDS), max_size=4), target=st.sampled_from(OCCS))
def test_pathway_invariants(p: Projections, held: list[str], target: str) -> None:
    result = pathway(None, held, target, p)
    assert 0.0 <= result.coverage <= 1.0
    required = set(p.requirements[target])
    gap = {r.competency for r in result.gap}
    covered = {e.requirement for e in result.covered}
    assert gap | covered == required and not gap & covered
    assert all(0.0 <= e.confidence <= 1.0 for e in result.covered)
    for step in result.plan:
        assert step.credential not in held
        assert step.covers, "a plan step that covers nothing"
        assert {e.requirement for e in step.covers} <= gap, "the plan covers something that is not in the gap"
    assert {r.competency for r in result.not_closable} <= gap
    planned = {e.requirement for s in result.plan for e in s.covers}
    assert not planned & {r.competency for r in result.not_closable}
    assert all(0.0 <= c <= 1.0 for _, _, c in result.alternatives)
