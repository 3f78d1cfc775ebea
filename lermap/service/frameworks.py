"""Frameworks as a catalogue, and the crosswalk between two of them: its alignments, the curators' decisions, and
suggestions still to decide.

Suggesting alignments between two large frameworks takes seconds to minutes (every concept of one against every
concept of the other), so the suggestions for a pair are kept for as long as the graph's content stays the same —
curation decisions aside: a decision changes which suggestions are still open (filtered on every read), not what the
matcher suggests, so accepting one does not recompute the rest.
"""

from __future__ import annotations

from lermap.analysis.curation import CURATION_SOURCE
from lermap.analysis.framework_catalogue import FrameworkSummary, catalogue, is_decision, undecided
from lermap.errors import ConfigError
from lermap.graph.store import GraphStore
from lermap.ingest.sssom.mapping import Mapping
from lermap.service.curation import CurationOps
from lermap.service.entities import EntityOps

MAX_SUGGESTION_PAIRS = 2_000_000  # concepts of A × concepts of B compared on a page request (~15 s the first time)


class FrameworkOps(EntityOps, CurationOps):
    """The frameworks catalogue and crosswalk curation."""

    def __init__(self, store: GraphStore) -> None:
        super().__init__(store)
        self._suggestions: dict[tuple[str, str, tuple[str, ...]], list[Mapping]] = {}

    def framework_catalogue(self) -> list[FrameworkSummary]:
        """Every framework and classification: size, publisher, version, source and alignments to the others."""
        return self.cached("framework-catalogue", lambda: catalogue(self, self.schemes(), self.alignments().mappings))

    def crosswalk_decisions(self, scheme_a: str, scheme_b: str) -> list[Mapping]:
        """The curators' accept / reject decisions on alignments between two schemes, newest first."""
        found = [m for m in self.find_alignments(between=(scheme_a, scheme_b)) if is_decision(m)]
        return sorted(found, key=lambda m: (m.mapping_date or "", m.subject_label or ""), reverse=True)

    def crosswalk_suggestions(self, scheme_a: str, scheme_b: str, limit: int = 50) -> tuple[list[Mapping], int]:
        """The most confident suggestions from scheme A to scheme B no curator has decided on, and how many are open.

        Refused (``ConfigError``, in words) when the two are too large to compare within a page request."""
        sizes = {s.id: s.concepts for s in self.schemes()}
        pairs = sizes.get(scheme_a, 0) * sizes.get(scheme_b, 0)
        if pairs > MAX_SUGGESTION_PAIRS:
            raise ConfigError(f"these two are too large to compare here ({sizes.get(scheme_a, 0):,} × {sizes.get(scheme_b, 0):,} concepts); "
                              "`lermap align` compares them on the command line")
        content = tuple(g.graph for g in self.sources() if g.source != CURATION_SOURCE)
        key = (scheme_a, scheme_b, content)
        if key not in self._suggestions:
            found = self.suggest_alignments(scheme_a, scheme_b).mappings
            self._suggestions = {k: v for k, v in self._suggestions.items() if k[2] == content}
            self._suggestions[key] = sorted(found, key=lambda m: (-(m.confidence or 0.0), m.subject_label or "", m.object_label or ""))
        open_ = undecided(self._suggestions[key], self.crosswalk_decisions(scheme_a, scheme_b))
        return open_[:limit], len(open_)
