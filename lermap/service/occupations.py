"""Occupations as people look them up: a job title to the occupations of every scheme, and one occupation with its
requirements, wage (and the crosswalk it came through) and its links to other schemes."""

from __future__ import annotations

import pyoxigraph as ox

from lermap.analysis.occupation_detail import (
    OccupationDetail,
    OccupationFinder,
    OccupationHit,
    RequirementLine,
    read_detail,
    read_requirements,
    search_schemes,
)
from lermap.analysis.pathways import HeldItem, PathwayResult
from lermap.analysis.wages import for_occupation
from lermap.errors import NotFoundError
from lermap.ingest.sssom.mapping import Mapping
from lermap.service.curation import CurationOps
from lermap.service.entities import EntityOps
from lermap.service.learning import LearningOps


class OccupationOps(EntityOps, CurationOps, LearningOps):
    """Occupation search, occupation profiles, and what a learner can pick for a pathway."""

    def occupation_schemes(self) -> dict[str, str | None]:
        """The schemes that hold occupations: IRI → name, largest first."""
        return self.cached("occupation-schemes", lambda: {str(r["scheme"]): (str(r["label"]) if r["label"] is not None else None)
                                                          for r in self.rows("occupation-schemes")})

    def find_occupations(self, title: str, limit: int = 20) -> list[OccupationHit]:
        """The occupations that best fit a job title ("nurse"), from the job-title matcher over each occupation scheme
        (O*NET-SOC and ESCO first), then occupations outside those schemes whose name contains the words."""
        finder = self.cached("occupation-finder", lambda: OccupationFinder.from_graph(self, search_schemes(self.occupation_schemes())))
        hits = finder.find(title, limit)
        searched = {iri for iri, _, _ in finder.matchers}
        seen = {h.id for h in hits}
        words = title.casefold().split()
        outside = self.cached("occupations-outside-matched-schemes", lambda: [
            (i.id, i.label or i.id, (i.label or "").casefold(), i.scheme)
            for i in self.list_entities("occupations", limit=1_000_000).items if i.scheme not in searched])
        for iri, label, text, scheme in outside:
            if len(hits) >= limit:
                break
            if iri not in seen and words and all(w in text for w in words):
                hits.append(OccupationHit(iri, label, scheme, None, 0.0))
        return hits

    def find_held(self, q: str, limit: int = 20) -> list[HeldItem]:
        """Credentials and competencies whose name has every word of ``q``: an exact name first, then names that start
        with the first word, shorter names first (what a learner picks as held for a pathway)."""
        words = q.casefold().split()
        if not words:
            return []
        index = self.cached("holdable-names", lambda: [
            (item.id, item.label, (item.label or "").casefold(), kind)
            for kind, resource in (("credential", "credentials"), ("competency", "competencies"))
            for item in self.list_entities(resource, limit=1_000_000).items])
        whole = q.casefold().strip()
        found = [(0 if text == whole else 1 if text.startswith(words[0]) else 2, len(text), text, HeldItem(iri, label, kind))
                 for iri, label, text, kind in index if all(w in text for w in words)]
        found.sort(key=lambda t: t[:3])
        return [t[3] for t in found[:limit]]

    def requirement_lines(self, occupation: str) -> list[RequirementLine]:
        """An occupation's requirements with their group (skills, knowledge, technologies...), importance and level."""
        return read_requirements(self, occupation)

    def plan_pathway(self, held: list[str], target: str, current: str | None = None) -> tuple[PathwayResult, str | None]:
        """:meth:`pathway` for a learner: what they hold plus the occupation they work in now (``current``, which
        counts as held), the wage delta from ``current`` or else from the first occupation among ``held``; returns the
        result and the occupation the wage delta starts from."""
        occupations = self.cached("occupation-ids", lambda: {i.id for i in self.list_entities("occupations", limit=1_000_000).items})
        wage_from = current or next((h for h in held if h in occupations), None)
        everything = [*held, *([current] if current and current not in held else [])]
        return self.pathway(everything, target, current=wage_from, alternatives=0), wage_from

    def occupation(self, iri: str) -> OccupationDetail:
        """One occupation: its facts and requirements, its OEWS wage (with the crosswalk steps it came through when it
        is not its own), and its alignments to other schemes; a 404 when the graph has no such occupation."""
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            raise NotFoundError(f"no occupation {iri} in the graph (not an absolute IRI)") from None
        detail = read_detail(self, node.value)
        if detail is None:
            raise NotFoundError(f"no occupation {iri} in the graph")
        detail.crosswalks = sorted(self.find_alignments(subject=iri), key=lambda m: (m.object_source or "", m.object_label or m.object_id))
        names = self.occupation_schemes()
        detail.scheme_names = {m.object_source: names.get(m.object_source) or m.object_source_version or ""
                               for m in detail.crosswalks if m.object_source}
        detail.wage = for_occupation(self, iri)
        if detail.wage is not None and detail.wage.soc != iri:
            detail.wage_via = wage_steps(self, iri, detail.wage.soc, detail.crosswalks)
        return detail


def wage_steps(kg: CurationOps, occupation: str, soc: str, crosswalks: list[Mapping]) -> list[Mapping]:
    """The alignments from ``occupation`` to the SOC occupation whose wage it has: one step, or two through an
    occupation in between (an ESCO occupation through its O*NET-SOC match); empty when the link is no alignment
    (an O*NET-SOC occupation's ``skos:broader`` SOC occupation)."""
    direct = [m for m in crosswalks if m.object_id == soc]
    if direct:
        return direct[:1]
    for first in crosswalks:
        second = [m for m in kg.find_alignments(subject=first.object_id) if m.object_id == soc]
        if second:
            return [first, second[0]]
    return []
