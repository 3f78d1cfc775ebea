"""Group crosswalks as evidence: which target occupations the graph's group-level mappings lead to from a source
occupation's groups (a *chain*), at the detailed level and relaxed to the parent group.

From each group of a source occupation (an ISCO-08 unit group), a breadth-first walk over the graph's SKOS mappings
(:class:`~.schemes.Links`, either direction, never through an occupation of the two schemes being aligned) reaches
other groups: ISCO-08 2512 → SOC 2010 15-1132 (BLS crosswalk) → SOC 2018 15-1252 (BLS SOC 2010 → 2018). A target
occupation whose own group is reached is *allowed* by the chain; one whose group shares a parent (``skos:broader``)
with a reached group is allowed at the broad level (SOC 2018 broad group 15-1250). Nothing is hard-coded about ISCO or
SOC: the same walk works for any two schemes whose groups the graph maps, and a scheme pair with no group mappings
simply gets no chain evidence.

>>> from lermap.analysis.occupation_align.schemes import Links, Side
>>> links = Links(); links.edges["g1"].append(("h1", "skos:exactMatch")); links.edges["h1"].append(("g1", "skos:exactMatch"))
>>> a = Side("A", ["a1"], ["x"], [["x"]], [""], [""], [None], [{"g1"}])
>>> b = Side("B", ["b1", "b2"], ["y", "z"], [["y"], ["z"]], ["", ""], ["", ""], [None, None], [{"h1"}, {"h2"}])
>>> c = chain(a, b, links)
>>> c.allowed.tolist(), c.paths[(0, 0)]
([[1.0, 0.0]], ('g1', 'h1'))
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from lermap.analysis.occupation_align.schemes import Links, Side

MAX_HOPS = 3  # ISCO -> SOC 2010 -> SOC 2018 is two; one more for a chain with a bridge step (e.g. O*NET-SOC 2010 -> 2019)


@dataclass
class Chains:
    allowed: np.ndarray  # (source, target) 1.0 when a chain reaches one of the target's groups
    broad: np.ndarray  # 1.0 when a chain reaches a group sharing a parent with one of the target's groups
    paths: dict[tuple[int, int], tuple[str, ...]]  # the shortest chain for each allowed pair: group, ..., target's group
    predicates: dict[tuple[int, int], tuple[str, ...]]  # the mapping predicate of each step
    broad_paths: dict[tuple[int, int], tuple[str, ...]]  # pairs allowed at the parent level only: the chain to the sibling group


def _walk(start: str, links: Links, blocked: set[str]) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Every node reachable from ``start`` in at most MAX_HOPS mappings, with the shortest path and its predicates; a
    ``blocked`` node (an occupation of the two schemes) is reached but not walked through."""
    reached: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {start: ((start,), ())}
    frontier = [start]
    for _ in range(MAX_HOPS):
        nxt = []
        for node in frontier:
            path, preds = reached[node]
            for other, pred in links.edges.get(node, ()):
                if other not in reached:
                    reached[other] = ((*path, other), (*preds, pred))
                    if other not in blocked:  # an occupation being aligned ends a chain, never relays it
                        nxt.append(other)
        frontier = nxt
    return reached


def chain(source: Side, target: Side, links: Links) -> Chains:
    """The chain evidence for every (source, target) occupation pair."""
    blocked = source.members | target.members
    by_group: dict[str, list[int]] = defaultdict(list)
    parents_of: dict[str, set[int]] = defaultdict(set)
    for j, groups in enumerate(target.groups):
        by_group[target.iris[j]].append(j)  # a target occupation the groups map to directly (SOC 2018 as the target scheme)
        for g in groups:
            by_group[g].append(j)
            for p in links.parents.get(g, ()):
                parents_of[p].add(j)
    allowed = np.zeros((len(source), len(target)), dtype=np.float32)
    broad = np.zeros_like(allowed)
    paths: dict[tuple[int, int], tuple[str, ...]] = {}
    predicates: dict[tuple[int, int], tuple[str, ...]] = {}
    broad_paths: dict[tuple[int, int], tuple[str, ...]] = {}
    walks: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for i, groups in enumerate(source.groups):
        for g in sorted(groups):
            if g not in walks:
                walks[g] = _walk(g, links, blocked)
            for node, (path, preds) in walks[g].items():
                for j in by_group.get(node, ()):
                    if (i, j) not in paths or len(path) < len(paths[(i, j)]):
                        paths[(i, j)], predicates[(i, j)] = path, preds
                    allowed[i, j] = 1.0
                for p in links.parents.get(node, ()):
                    for j in parents_of.get(p, ()):
                        broad[i, j] = 1.0
                        if (i, j) not in broad_paths or len(path) < len(broad_paths[(i, j)]):
                            broad_paths[(i, j)] = path
    return Chains(allowed, np.maximum(broad, allowed), paths, predicates, {k: v for k, v in broad_paths.items() if k not in paths})
