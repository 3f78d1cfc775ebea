"""What the occupation aligner reads from the graph: each scheme's occupations with every text the graph has about
them, the groups they sit in, and the group-level mappings between schemes (:class:`Links`).

An occupation's *groups* are the nearest nodes above it that are not occupations of its own scheme: following
``skos:broader`` through parent occupations up to a classification group (an ESCO occupation's ISCO-08 unit group),
and its ``skos:exactMatch`` outside the scheme (an O*NET-SOC ``.00`` occupation's SOC 2018 code). Group-level mappings
are every SKOS mapping triple in the graph; :mod:`.structure` chains through them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from pyoxigraph import NamedNode

from lermap.analysis.kg import Graph, text
from lermap.graph.terms import Value

_KINDS = ("pref", "alt", "hidden", "text", "task", "code", "broader", "exact")


@dataclass
class Side:
    """The occupations of one scheme, in a fixed order (rows of every feature matrix)."""

    scheme: str
    iris: list[str]
    pref: list[str]
    labels: list[list[str]]  # preferred first, then alternative and hidden labels
    text: list[str]  # definition
    tasks: list[str]
    codes: list[str | None]
    groups: list[set[str]]

    def __len__(self) -> int:
        return len(self.iris)

    @property
    def members(self) -> set[str]:
        return set(self.iris)


@dataclass
class Links:
    """The graph's SKOS mappings (both directions) and what it knows about their ends."""

    edges: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))  # node -> (neighbour, predicate)
    code: dict[str, str] = field(default_factory=dict)
    scheme: dict[str, str] = field(default_factory=dict)
    parents: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    scheme_label: dict[str, str] = field(default_factory=dict)

    def name(self, node: str) -> str:
        """``ISCO 2008 2512``, ``SOC 2010 15-1132``: the node's scheme label and code, as far as the graph says."""
        scheme = self.scheme_label.get(self.scheme.get(node, ""), "").replace("Standard Occupational Classification", "SOC")
        code = self.code.get(node)
        return " ".join(x for x in (scheme, code) if x) or node


def side_from_rows(scheme: str, rows: list[tuple[str, str, str]]) -> Side:
    """A :class:`Side` from (occupation, kind, value) facts as the ``occupation-texts`` query returns them."""
    facts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for occ, kind, value in rows:
        if kind in _KINDS:
            facts[occ][kind].append(value)
    iris = sorted(o for o, f in facts.items() if f.get("pref"))
    members = set(iris)
    broader = {o: set(facts[o].get("broader", [])) for o in iris}
    out = Side(scheme, iris, [], [], [], [], [], [])
    for occ in iris:
        f = facts[occ]
        pref = sorted(f["pref"])[0]
        out.pref.append(pref)
        extra = sorted(set(f.get("pref", [])[1:] + f.get("alt", []) + f.get("hidden", [])) - {pref})
        out.labels.append([pref, *extra])
        out.text.append(" ".join(sorted(set(f.get("text", [])))))
        out.tasks.append(" ".join(sorted(set(f.get("task", [])))))
        out.codes.append(min(f["code"]) if f.get("code") else None)
        out.groups.append(_groups(occ, broader, members) | {x for x in f.get("exact", []) if x not in members})
    return out


def _groups(occ: str, broader: dict[str, set[str]], members: set[str]) -> set[str]:
    """The nearest non-member nodes above ``occ``, walking up through member occupations."""
    out: set[str] = set()
    seen = {occ}
    todo = list(broader.get(occ, ()))
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        if node in members:
            todo.extend(broader.get(node, ()))
        else:
            out.add(node)
    return out


def read_side(kg: Graph, scheme: str) -> Side:
    """Every occupation of ``scheme`` (``schema:Occupation`` and ``skos:inScheme``; groups that are concepts of the
    scheme without being occupations, like ESCO's ISCO groups, are not subjects) with its texts and groups."""
    return kg.cached(f"occupation-align-side {scheme}", lambda: side_from_rows(
        scheme, [(str(r["occ"]), str(r["kind"]), str(r["value"])) for r in kg.rows("occupation-texts", {"scheme": NamedNode(scheme)})]))


def links_from_rows(triples: list[tuple[str, str, str]], facts: list[tuple[str, str, str]]) -> Links:
    """:class:`Links` from mapping triples (a, predicate, b) and node facts (node, code|scheme|parent|label, value)."""
    out = Links()
    for a, p, b in triples:
        curie = "skos:" + p.rsplit("#", 1)[-1]
        out.edges[a].append((b, curie))
        out.edges[b].append((a, curie))
    for node, kind, value in facts:
        if kind == "code":
            out.code.setdefault(node, value)
        elif kind == "scheme":
            out.scheme.setdefault(node, value)
        elif kind == "parent":
            out.parents[node].add(value)
        elif kind == "label":
            out.scheme_label.setdefault(node, value)
    return out


def read_links(kg: Graph) -> Links:
    """The graph's group-level mappings (queries ``group-links`` and ``group-nodes``), once per state of the store."""
    def build() -> Links:
        triples = [(str(r["a"]), str(r["p"]), str(r["b"])) for r in kg.rows("group-links")]
        facts = [(str(r["node"]), str(r["kind"]), _str(r["value"])) for r in kg.rows("group-nodes")]
        return links_from_rows(triples, facts)

    return kg.cached("occupation-align-links", build)


def _str(value: Value) -> str:
    return text(value) or ""
