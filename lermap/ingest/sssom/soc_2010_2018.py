"""The SOC 2010 → SOC 2018 relation (BLS's 2010-to-2018 crosswalk) as SSSOM-shaped alignments.

Read from the JSON that the AI Labor Atlas project derived from BLS's November 2017 crosswalk
(``soc_2010_to_2018.json``, MIT; the data are BLS's, public domain)::

    {"one_to_one": {"15-1121": "15-1211", ...},          # one target and no BLS split/merge marker
     "ambiguous": {"15-1199": ["13-1082", ...], ...},    # several targets, or a marker
     "official_crosswalk_url": "https://www.bls.gov/soc/2018/soc_2010_to_2018_crosswalk.xlsx", ...}

The JSON keeps no titles and not the markers themselves, so the predicate from a 2010 occupation *X* to a 2018
occupation *Y* is read from the shape of the relation — how many targets *X* has and how many 2010 occupations
*Y* receives:

=====================================  ===============  =====================================================
*X*                                    *Y* receives     mapping written (subject *X*, object *Y*)
=====================================  ===============  =====================================================
one target, unmarked (``one_to_one``)  only *X*         ``skos:exactMatch`` (possibly under a new code)
one target, unmarked                   several          ``skos:broadMatch`` — *Y* merges *X* with others
several targets (split)                only *X*         ``skos:narrowMatch`` — *Y* is a part of *X*
several targets                        several          ``skos:closeMatch`` — they overlap
one target, marked                     several          ``skos:broadMatch`` (a merge)
one target, marked                     only *X*         ``skos:closeMatch`` (BLS marks a change the JSON does not say)
=====================================  ===============  =====================================================

SOC 2010 occupations are the nodes the ISCO–SOC crosswalk writes; SOC 2018 occupations are the nodes O*NET and
OEWS write (:func:`lermap.ingest.identifiers.soc2018_iri`), each under its SOC broad group (``15-2051`` under
``15-2050``: SOC's codes say so), where OEWS publishes a few occupations only together (``13-1020``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pyoxigraph import Literal

from lermap.graph.terms import TripleTuple
from lermap.graph.vocab import RDF, SKOS
from lermap.ingest.base import IngestContext, Ingester, Source
from lermap.ingest.identifiers import SOC2010_SCHEME, SOC_SCHEME, soc2010_iri, soc2018_broad_group, soc2018_iri
from lermap.ingest.sssom.mapping import BROAD, CLOSE, EXACT, MANUAL, NARROW, Mapping, crosswalk_triples

BLS = "https://www.bls.gov/"
_SOC = re.compile(r"^\d{2}-\d{4}$")


@dataclass
class Relation:
    targets: dict[str, list[str]]  # SOC 2010 code -> SOC 2018 codes
    marked: set[str]  # SOC 2010 codes listed as ambiguous
    edition: str | None
    url: str | None


def predicate_of(targets: int, marked: bool, received: int) -> str:
    """The SKOS predicate from a SOC 2010 occupation to one of its SOC 2018 targets.

    >>> predicate_of(1, False, 1), predicate_of(1, False, 2), predicate_of(2, True, 1), predicate_of(2, True, 3)
    ('skos:exactMatch', 'skos:broadMatch', 'skos:narrowMatch', 'skos:closeMatch')
    >>> predicate_of(1, True, 2), predicate_of(1, True, 1)
    ('skos:broadMatch', 'skos:closeMatch')
    """
    if targets > 1:
        return NARROW if received == 1 else CLOSE
    if received > 1:
        return BROAD
    return CLOSE if marked else EXACT


def read_relation(doc: Any, ctx: IngestContext) -> Relation:
    if not isinstance(doc, dict):
        ctx.fail("(document)", f"expected a JSON object, found {type(doc).__name__}")
    one, many = doc.get("one_to_one", {}), doc.get("ambiguous", {})
    if not isinstance(one, dict) or not isinstance(many, dict):
        ctx.fail("one_to_one", "expected objects 'one_to_one' {2010 code: 2018 code} and 'ambiguous' {2010 code: [2018 codes]}")
    targets: dict[str, list[str]] = {}
    for part, key, value in [*(("one_to_one", k, v) for k, v in one.items()), *(("ambiguous", k, v) for k, v in many.items())]:
        where = f"{part}[{key!r}]"
        codes = [value] if isinstance(value, str) else value
        if not _SOC.match(str(key)) or not isinstance(codes, list) or not all(isinstance(c, str) and _SOC.match(c) for c in codes):
            ctx.warn(where, "not a SOC 2010 code with SOC 2018 codes (XX-XXXX); skipped")
            continue
        if key in targets:
            ctx.fail(where, "the code is both one-to-one and ambiguous")
        targets[str(key)] = sorted(set(codes))
    if not targets:
        ctx.fail("(document)", "no SOC 2010 → 2018 pairs found")
    edition = doc.get("official_crosswalk_retrieved_from")
    url = doc.get("official_crosswalk_url")
    return Relation(targets, {k for k in many if k in targets}, edition if isinstance(edition, str) else None,
                    url if isinstance(url, str) else None)


class Soc2010To2018Ingester(Ingester):
    """SOC 2010 → SOC 2018 (BLS crosswalk, as JSON)."""

    name = "soc-2010-2018"
    title = "SOC 2010 to SOC 2018 relation"
    version = "1"
    writes_canonical_iris = True

    def sniff(self, source: Source) -> float:
        if source.is_dir or source.suffix != ".json":
            return 0.0
        head = source.head(1 << 14).decode("utf-8", "replace")
        if '"ambiguous"' in head and '"one_to_one"' in head and re.search(r'"\d{2}-\d{4}"\s*:', head):
            return 0.9
        return 0.0

    def parse(self, source: Source, ctx: IngestContext) -> Relation:
        relation = read_relation(source.json(), ctx)
        ctx.format_version = relation.edition
        return relation

    def map(self, parsed: Relation, ctx: IngestContext) -> Iterator[TripleTuple]:
        received = Counter(t for ts in parsed.targets.values() for t in ts)
        for scheme, label in ((SOC2010_SCHEME, "Standard Occupational Classification 2010"),
                              (SOC_SCHEME, "Standard Occupational Classification 2018")):
            yield scheme, RDF.type, SKOS.ConceptScheme
            yield scheme, SKOS.prefLabel, Literal(label, language="en")
        described: set[str] = set()
        note = f"BLS 2010-to-2018 SOC crosswalk{' (' + parsed.edition + ')' if parsed.edition else ''}"
        for old, new in sorted(parsed.targets.items()):
            s = soc2010_iri(old)
            yield s, RDF.type, SKOS.Concept
            yield s, SKOS.inScheme, SOC2010_SCHEME
            yield s, SKOS.notation, Literal(old)
            for code in new:
                yield from self._soc2018(code, described)
                shape = (f"one of {len(new)} SOC 2018 occupations of SOC 2010 {old}" if len(new) > 1 else
                         f"the one SOC 2018 occupation of SOC 2010 {old}" + (" (marked split/merge)" if old in parsed.marked else ""))
                shape += f"; it receives {received[code]} SOC 2010 occupations" if received[code] > 1 else ""
                m = Mapping(s.value, predicate_of(len(new), old in parsed.marked, received[code]), soc2018_iri(code).value, MANUAL,
                            author_id=BLS, subject_source=SOC2010_SCHEME.value, object_source=SOC_SCHEME.value,
                            subject_source_version="SOC 2010", object_source_version="SOC 2018", comment=f"{note}: {code} is {shape}")
                yield from crosswalk_triples(m, f"SOC 2010 {old} / SOC 2018 {code}", ctx)

    def _soc2018(self, code: str, described: set[str]) -> Iterator[TripleTuple]:
        if code in described:
            return
        group = soc2018_broad_group(code)
        for c in (code, group):
            if c is not None and c not in described:
                described.add(c)
                node = soc2018_iri(c)
                yield node, RDF.type, SKOS.Concept
                yield node, SKOS.inScheme, SOC_SCHEME
                yield node, SKOS.notation, Literal(c)
        if group is not None:
            yield soc2018_iri(code), SKOS.broader, soc2018_iri(group)
