"""Identity resolution across identifier schemes, written into its own named graph.

Two kinds of link, never mixed up:

* ``owl:sameAs`` — the *same record* under two IRIs: a CTDL resource and its Credential Registry URL
  (``https://credentialengineregistry.org/resources/<ctid>``; http, sandbox and ``ceterms:ctid`` forms), a CASE
  item's URI and ``urn:uuid:<GUID>`` (same ``dcterms:identifier``), ESCO URI variants (http/https, ``www.``,
  case, trailing slash; ESCO's own ``http://data.europa.eu/esco/...`` is canonical), O*NET OnLine URL variants
  (``/link/details/``, http) of ``https://www.onetonline.org/link/summary/<code>``;
* ``skos:exactMatch`` — *different records of one concept*: the CTDL-ASN publication of the O*NET content model
  (``ceasn:codedNotation`` 1.A.1.a) and the O*NET database's element with that Element ID; a node coded with an
  O*NET-SOC code (``skos:notation``, or a CTDL occupationType alignment's ``lermap:targetCode``) and the O*NET
  occupation, or, without an O*NET record, the SOC occupation (``XX-XXXX.00``; ``skos:broadMatch`` for O*NET's
  detailed ``.01``+); a node coded with a SOC code and the SOC occupation. Each is also a reified
  ``sssom:Mapping`` so alignments and pathways use it.

Every ``owl:sameAs`` is annotated by an ``owl:Axiom`` with the rule and the shared key. A registry URL whose CTID
differs from the node's ``ceterms:ctid`` is a conflict: reported, never linked. :func:`resolve` writes the links
as Turtle through the normal ingest path under a fixed key, so re-running replaces them.
"""

from __future__ import annotations

import contextlib
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import Literal, NamedNode

from lermap.analysis.kg import Graph
from lermap.errors import ConfigError, NotFoundError
from lermap.graph.sparql_text import read_query
from lermap.graph.store import SelectResult
from lermap.graph.terms import TripleTuple, minted, sorted_turtle
from lermap.graph.vocab import LERMAP, OWL, PROV, RDF, SEMAPV, SKOS, SSSOM, XSD
from lermap.ingest import registry
from lermap.ingest.identifiers import SOC2010_SCHEME, SOC_SCHEME, soc2018_iri
from lermap.ingest.onet.onet import CONTENT_MODEL

SOURCE_KEY = "urn:lermap:derived/identity-resolution.ttl"
REGISTRY = "https://credentialengineregistry.org/resources/"
ESCO = "http://data.europa.eu/esco/"
ONET = "https://www.onetonline.org/link/summary/"
_CTID_URL = re.compile(r"^https?://(?:sandbox\.)?credentialengineregistry\.org/resources/(ce-[0-9a-fA-F-]+)/?$")
_ESCO_URL = re.compile(r"^https?://(?:www\.)?data\.europa\.eu/esco/(.+?)/?$", re.I)
_ONET_URL = re.compile(r"^https?://(?:www\.)?onetonline\.org/link/(?:summary|details)/(\d{2}-\d{4}\.\d{2})/?$")
_ELEMENT = re.compile(r"^\d\.[A-Z](\.[0-9a-z]+)*$")
_ONET_SOC = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
_SOC = re.compile(r"^\d{2}-\d{4}$")
_SOC_SCHEMES = {SOC_SCHEME.value, SOC2010_SCHEME.value}


@dataclass(frozen=True)
class Link:
    subject: str
    predicate: str  # owl:sameAs or skos:exactMatch IRI
    object: str
    rule: str  # ctid, case-guid, esco-uri, onet-url, onet-element, onet-soc, soc
    key: str  # the shared identifier


@dataclass
class Resolution:
    links: list[Link]
    conflicts: list[str] = field(default_factory=list)
    report: Any = None  # the IngestReport of the derived graph

    def count(self, rule: str) -> int:
        return sum(1 for link in self.links if link.rule == rule)


def _same(group: dict[str, set[str]], canonical: dict[str, str], rule: str, exists: Callable[[str], bool]) -> list[Link]:
    """sameAs from every IRI of a group to its canonical IRI, for groups with two or more IRIs in the graph."""
    out = []
    for key, iris in sorted(group.items()):
        members = set(iris)
        if len(members) == 1 and canonical[key] not in members and exists(canonical[key]):
            members.add(canonical[key])
        if len(members) < 2:
            continue
        target = canonical[key]
        out += [Link(i, OWL.sameAs.value, target, rule, key) for i in sorted(members) if i != target]
    return out


def _variant_graphs(kg: Graph) -> list[NamedNode]:
    """The shared graphs whose IRIs may be variants of a canonical one: all but those of ingesters that write only
    canonical forms (O*NET, ESCO, OEWS ... mint or keep their publisher's own), whose hundreds of thousands of triples
    need no scanning — their canonical IRIs are looked up when a variant found elsewhere needs one."""
    out = []
    for info in kg.sources():
        if info.personal:
            continue
        try:
            canonical = registry.get(info.format).writes_canonical_iris
        except ConfigError:  # a format no longer installed: scan it
            canonical = False
        if not canonical:
            out.append(NamedNode(info.graph))
    return out


def _scanned_iris(kg: Graph) -> set[str]:
    graphs = _variant_graphs(kg)
    if not graphs:
        return set()
    res = kg.store.query_graphs(read_query("identity-iris"), graphs)
    assert isinstance(res, SelectResult)
    return {str(r["iri"]) for r in res.records()}


def find_links(kg: Graph) -> Resolution:
    """Compute the links (without writing them)."""
    iris = _scanned_iris(kg)
    keys = kg.rows("identity-keys")
    conflicts: list[str] = []
    ctid_group: dict[str, set[str]] = defaultdict(set)
    esco_group: dict[str, set[str]] = defaultdict(set)
    onet_group: dict[str, set[str]] = defaultdict(set)
    guid_group: dict[str, set[str]] = defaultdict(set)
    for iri in sorted(iris):
        if m := _CTID_URL.match(iri):
            ctid = m.group(1).lower()
            ctid_group[ctid].add(iri)
        elif m := _ESCO_URL.match(iri):
            path = m.group(1).lower()
            esco_group[path].add(iri)
        elif m := _ONET_URL.match(iri):
            onet_group[m.group(1)].add(iri)
        elif iri.startswith("urn:uuid:"):
            guid_group[iri[9:].lower()].add(iri)
    url_ctid = {iri: k for k, group in ctid_group.items() for iri in group}
    notations: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for r in keys:
        s, kind, value = str(r["s"]), str(r["kind"]), str(r["value"]).strip()
        if kind == "ctid":
            ctid = value.lower()
            if s in url_ctid and url_ctid[s] != ctid:
                conflicts.append(f"{s} is the registry URL of {url_ctid[s]} but says ceterms:ctid {value!r}; not linked")
                continue
            ctid_group[ctid].add(s)
        elif kind == "guid":
            guid_group[value.lower()].add(s)
        else:
            scheme = r.get("scheme")
            notations[value].append((s, str(scheme) if scheme is not None else None))
    present = iris | {str(r["s"]) for r in keys}

    def exists(iri: str) -> bool:
        if iri not in present and kg.ask("ASK WHERE { { ?iri ?p ?o } UNION { ?s ?p ?iri } }", {"iri": NamedNode(iri)}):
            present.add(iri)
        return iri in present

    links = _same(ctid_group, {k: REGISTRY + k for k in ctid_group}, "ctid", exists)
    links += _same(guid_group, {k: f"urn:uuid:{k}" for k in guid_group}, "case-guid", exists)
    links += _same(esco_group, {k: ESCO + k for k in esco_group}, "esco-uri", exists)
    links += _same(onet_group, {k: ONET + k for k in onet_group}, "onet-url", exists)
    links += _code_matches(notations, present)
    same_pairs = {(link.subject, link.object) for link in links if link.predicate == OWL.sameAs.value}
    links = [link for link in links if link.predicate == OWL.sameAs.value or (link.subject, link.object) not in same_pairs]
    return Resolution(sorted(set(links), key=lambda k: (k.rule, k.key, k.subject, k.object)), conflicts)


def _code_matches(notations: dict[str, list[tuple[str, str | None]]], present: set[str]) -> list[Link]:
    """exactMatch between different records coded with one O*NET element ID, O*NET-SOC or SOC code."""
    out = []
    for code, nodes in sorted(notations.items()):
        if _ELEMENT.match(code):
            onet = sorted(s for s, scheme in nodes if scheme == CONTENT_MODEL.value)
            others = sorted({s for s, scheme in nodes if scheme != CONTENT_MODEL.value} - set(onet))
            out += [Link(o, SKOS.exactMatch.value, t, "onet-element", code) for o in others for t in onet]
        elif _ONET_SOC.match(code):
            target = ONET + code
            coded = sorted({s for s, _ in nodes if s != target and not _ONET_URL.match(s)})
            soc = soc2018_iri(code[:7]).value
            if target in present:
                out += [Link(s, SKOS.exactMatch.value, target, "onet-soc", code) for s in coded]
            elif soc in present:  # no O*NET record: tie the code to SOC as the O*NET ingester would
                predicate = SKOS.exactMatch.value if code.endswith(".00") else SKOS.broadMatch.value
                out += [Link(s, predicate, soc, "onet-soc", code) for s in coded]
        elif _SOC.match(code):
            target = soc2018_iri(code).value
            if target in present or any(scheme == SOC_SCHEME.value for _, scheme in nodes):
                # a SOC 2010 occupation is another classification's concept, even under the same code
                out += [Link(s, SKOS.exactMatch.value, target, "soc", code) for s, scheme in sorted(nodes)
                        if s != target and scheme not in _SOC_SCHEMES]
    return out


_RULES = {
    "ctid": "same CTID (Credential Registry resource URL)", "case-guid": "same CASE identifier (GUID)",
    "esco-uri": "same ESCO concept URI up to scheme, host and case", "onet-url": "same O*NET-SOC code in O*NET OnLine URLs",
    "onet-element": "same O*NET content model Element ID", "onet-soc": "same O*NET-SOC code", "soc": "same SOC 2018 code",
}


def to_triples(resolution: Resolution) -> list[TripleTuple]:
    """The links with their provenance: owl:Axiom for sameAs, sssom:Mapping for SKOS matches."""
    activity = minted("identity-resolution", "lermap")
    out: list[TripleTuple] = [
        (activity, RDF.type, LERMAP.IdentityResolution),
        (activity, RDF.type, PROV.Activity),
        (activity, LERMAP.resolvedBy, Literal("lermap.analysis.identity")),
    ]
    for link in resolution.links:
        s, p, o = NamedNode(link.subject), NamedNode(link.predicate), NamedNode(link.object)
        out.append((s, p, o))
        same = link.predicate == OWL.sameAs.value
        node = minted("identity" if same else "alignment", link.subject, link.predicate, link.object)
        out += [
            (node, RDF.type, OWL.Axiom if same else SSSOM.Mapping),
            (node, OWL.annotatedSource, s),
            (node, OWL.annotatedProperty, p),
            (node, OWL.annotatedTarget, o),
            (node, PROV.wasGeneratedBy, activity),
            (node, SSSOM.comment, Literal(f"{_RULES[link.rule]}: {link.key}")),
            (node, LERMAP.rule, Literal(link.rule)),
        ]
        if not same:
            out += [
                (node, SSSOM.mapping_justification, SEMAPV.LogicalReasoning),
                (node, SSSOM.confidence, Literal("1.0", datatype=XSD.double)),
                (node, SSSOM.mapping_tool, Literal("lermap identity resolution")),
            ]
    return out


def to_turtle(resolution: Resolution) -> bytes:
    """The links as Turtle (sorted, so equal resolutions give equal bytes)."""
    return sorted_turtle(to_triples(resolution))


def resolve(kg: Graph) -> Resolution:
    """Find the links and (re)write them into the derived graph ``SOURCE_KEY``; the previous run's links leave
    the graph first so they never feed the next run."""
    with contextlib.suppress(NotFoundError):
        kg.drop(SOURCE_KEY)
    resolution = find_links(kg)
    resolution.report = kg.ingest_bytes(SOURCE_KEY, to_turtle(resolution), format="rdf")
    return resolution
