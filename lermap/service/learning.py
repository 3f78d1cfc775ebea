"""Learners and labour: skills in a text, occupations for job titles, pathways and wages, credentials read from a
document, CTDL pathways, and the identity links between schemes."""

from __future__ import annotations

from collections.abc import Iterable

from lermap.analysis.ctdl_pathways import CtdlPathway, traverse
from lermap.analysis.extract import Extractor, SkillMention
from lermap.analysis.identity import Resolution, find_links, resolve
from lermap.analysis.occupations import OccupationMatch, OccupationMatcher, build_matcher, match_titles, read_profiles
from lermap.analysis.pathways import HeldItem, PathwayResult, Projections, pathway
from lermap.analysis.semantic_match import SemanticExtractor, check_method, combine_mentions
from lermap.analysis.wages import Wage, for_occupation
from lermap.config import settings
from lermap.errors import ConfigError, NotFoundError
from lermap.graph.backends import open_backend
from lermap.graph.store import GraphStore
from lermap.service.core import GraphCore


class LearningOps(GraphCore):
    """Skills, occupations, pathways, wages and identity links."""

    def extract(self, text: str, min_confidence: float = 0.0, method: str = "lexical") -> list[SkillMention]:
        """The competencies ``text`` mentions, against every framework in the graph.

        ``lexical``: label look-up (default); ``semantic``: embedded spans (``semantic`` extra); ``combined``:
        the lexical mentions plus the semantic ones that overlap none of them."""
        check_method(method)
        lexical: list[SkillMention] = []
        if method != "semantic":
            lexical = self.cached("extractor", lambda: Extractor.from_graph(self)).extract(text, min_confidence)
        if method == "lexical":
            return lexical
        semantic = self.cached("semantic-extractor", lambda: SemanticExtractor.from_graph(self)).extract(text, min_confidence)
        return semantic if method == "semantic" else combine_mentions(lexical, semantic)

    def match_occupations(self, titles: Iterable[str], scheme: str, k: int = 5, method: str = "lexical", tune: bool = False) -> list[list[OccupationMatch]]:
        """The ``k`` occupations of ``scheme`` (O*NET-SOC, ESCO...) that best fit each free-text job title.

        The ranker is trained on the scheme's own alternative labels the first time (seconds for lexical, minutes
        with an embedder); ``tune`` also fine-tunes the embedder on them, cached under the settings' models folder."""
        if tune and check_method(method) == "lexical":
            raise ConfigError("tuning adapts the embedder, which the lexical method does not use: choose --method semantic or combined")

        def build() -> OccupationMatcher:
            profiles = read_profiles(self, scheme)
            if not profiles:
                raise NotFoundError(f"scheme {scheme} has no occupations in the graph (see `lermap query` with schemes.rq)")
            return build_matcher(profiles, method, settings().models_dir if tune else None)

        matcher = self.cached(f"occupations:{scheme}:{method}:{tune}", build)
        return match_titles(matcher, [t for t in titles], k)

    def pathway(self, held: Iterable[str], target: str, current: str | None = None, alternatives: int = 5) -> PathwayResult:
        """Coverage of an occupation by what a learner holds, the gap, and credentials that close it;
        with ``current`` (the learner's occupation) the wage delta of the move too. ``alternatives``: how many other
        occupations what is held covers best (0 skips ranking every occupation, most of a pathway's time)."""
        projections = self.cached("pathways", lambda: Projections.from_graph(self))
        result = pathway(self, list(held), target, projections, alternatives=alternatives, current=current)
        if not result.covered and not result.gap:  # the CLI, the API and Python callers all get the same refusal
            raise NotFoundError(f"occupation {target} has no requirements in the graph")
        return result

    def wage(self, occupation: str, area: str = "0000000") -> Wage | None:
        """The OEWS wage of an occupation (SOC, O*NET-SOC, or any occupation the graph maps to them); None if unknown."""
        return for_occupation(self, occupation, area)

    def resolve_identities(self) -> Resolution:
        """Link the same records and concepts across identifier schemes (CTID, CASE, ESCO, O*NET, SOC) into
        their own named graph, replaced on every run; returns the ingest report."""
        with self.writing():
            return resolve(self)

    def identity_links(self) -> Resolution:
        """The identity links the graph supports, computed without writing them."""
        return find_links(self)

    def ctdl_pathway(self, pathway_iri: str) -> CtdlPathway:
        """A CTDL ceterms:Pathway's destination, components, prerequisites and conditions in order."""
        return traverse(self, pathway_iri)

    def held_from_document(self, data: bytes) -> list[str]:
        """What an OB 3.0 / CLR credential gives, read into a throwaway in-memory graph (never stored):
        its achievements, the competencies they certify and their alignment targets."""
        return [item.id for item in self.read_held_document(data)]

    def read_held_document(self, data: bytes) -> list[HeldItem]:
        """:meth:`held_from_document` with each item's name (the document's, else the graph's) and what it is."""
        scratch = GraphCore(GraphStore(open_backend("memory:")))
        with scratch:
            scratch.ingest_bytes("urn:lermap:held-document", data)
            offers = scratch.rows("credential-competencies")
            names = {str(r["entity"]): str(r["label"]) for r in scratch.rows("labels")}
        kinds = {str(r["credential"]): "credential" for r in offers} | {str(r["competency"]): "competency" for r in offers}
        return [HeldItem(iri, names.get(iri) or self._label_of(iri), kind) for iri, kind in sorted(kinds.items())]

    def _label_of(self, iri: str) -> str | None:
        rows = self.rows("entity-label", {"entity": iri})
        return str(rows[0]["label"]) if rows and rows[0]["label"] is not None else None
