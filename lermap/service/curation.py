"""Alignments and their curation, and the edit proposals' moderation queue. Every decision (a curation, a proposal
approved, rejected or reverted) runs under the graph's write lock, so two reviewers deciding at once never both land."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from lermap.analysis import proposals
from lermap.analysis.alignment import harvest
from lermap.analysis.curation import decide
from lermap.analysis.matching import calibrate, scheme_concepts, suggest
from lermap.analysis.proposal_diff import DirectoryEntry, EditTarget, ProposalChange, describe, directory, edit_target
from lermap.analysis.proposals import Proposal
from lermap.analysis.versions import FrameworkDiff, diff_frameworks
from lermap.config import settings
from lermap.errors import NotFoundError
from lermap.ingest.ecosystem.patch import DirectoryPatch, patch_directory
from lermap.ingest.sssom import mapping as sssom
from lermap.ingest.sssom.mapping import MANUAL, MappingSet
from lermap.service.core import GraphCore


class CurationOps(GraphCore):
    """Alignments (harvested, suggested, curated), framework version diffs, and edit proposals."""

    def alignments(self) -> MappingSet:
        """Every alignment in the graph as one SSSOM-shaped mapping set."""
        return self.cached("alignments", lambda: harvest(self))

    def find_alignments(self, subject: str | None = None, object: str | None = None, scheme: str | None = None,
                        predicate: str | None = None, min_confidence: float | None = None,
                        between: tuple[str, str] | None = None) -> list[sssom.Mapping]:
        """The alignments that match (see :meth:`lermap.ingest.sssom.mapping.MappingSet.filter`, the one filter):
        ``subject`` on either side (rows turned to start from it), ``between`` two schemes, a predicate, a confidence."""
        return self.alignments().filter(subject=subject, object=object, scheme=scheme, predicate=predicate,
                                        min_confidence=min_confidence, between=between).mappings

    def suggest_alignments(self, scheme_a: str, scheme_b: str, top_k: int = 5, threshold: float = 0.3,
                           method: str = "lexical") -> MappingSet:
        """Suggestions from scheme A to scheme B, calibrated on the mappings already between them.

        ``method``: ``lexical``, ``semantic`` or ``combined`` (the last two need the ``semantic`` extra). Pairs a
        curator already decided on (:meth:`curate`) are not suggested again."""
        left, right = scheme_concepts(self, scheme_a), scheme_concepts(self, scheme_b)
        if not left or not right:
            empty = scheme_a if not left else scheme_b
            raise NotFoundError(f"scheme {empty} has no concepts in the graph (see `lermap query` with schemes.rq)")
        everything = self.alignments().mappings
        known = [m for m in everything if m.predicate_id in {"skos:exactMatch", "skos:closeMatch"} and (m.confidence is None or m.confidence > 0)]
        decided = {frozenset((m.subject_id, m.object_id)) for m in everything if m.mapping_justification == MANUAL and m.author_id
                   and (m.comment or "").startswith(("accepted", "rejected"))}
        found = [m for m in suggest(left, right, top_k=top_k, threshold=threshold, method=method)
                 if frozenset((m.subject_id, m.object_id)) not in decided]
        digest = hashlib.sha256(f"{scheme_a}\n{scheme_b}\n{method}".encode()).hexdigest()[:16]
        return MappingSet(calibrate(found, known), mapping_set_id=f"https://w3id.org/lermap/mappings/suggested/{digest}")

    def curate(self, subject: str, obj: str, accept: bool, author: str, predicate: str | None = None) -> sssom.Mapping:
        """Accept or reject the alignment ``subject`` → ``obj`` (manual curation, stored with author and date)."""
        with self.writing():
            return decide(self, self.alignments(), subject, obj, accept, author, predicate)

    def diff(self, version_a: str, version_b: str) -> FrameworkDiff:
        """Competencies added, removed and reworded between two ingested versions of a framework."""
        return diff_frameworks(self, version_a, version_b)

    # -- edit proposals --------------------------------------------------------------------------

    def propose(self, proposal: dict[str, Any] | str | bytes, proposer: str | None = None, contact: str | None = None) -> Proposal:
        """Check a proposed entity, sourced relation or fix and put it in the moderation queue (``ValidationFailed``
        says what is wrong)."""
        with self.writing():
            return proposals.propose(self, proposal, proposer, contact)

    def proposals(self, status: str | None = None) -> list[Proposal]:
        """The moderation queue, oldest first (``pending``, ``approved``, ``rejected``, ``reverted`` or all)."""
        return proposals.list_proposals(self, status)

    def proposal(self, proposal_id: str) -> Proposal:
        return proposals.get_proposal(self, proposal_id)

    def approve(self, proposal_id: str, reviewer: str, comment: str | None = None) -> Proposal:
        """Land a pending proposal as its own named graph with its provenance."""
        with self.writing():
            return proposals.approve(self, proposal_id, reviewer, comment)

    def reject(self, proposal_id: str, reviewer: str, reason: str | None = None) -> Proposal:
        with self.writing():
            return proposals.reject(self, proposal_id, reviewer, reason)

    def revert(self, proposal_id: str, reviewer: str | None = None) -> Proposal:
        """Take an approved proposal's graph out of the store again."""
        with self.writing():
            return proposals.revert(self, proposal_id, reviewer)

    def proposal_change(self, proposal_id: str) -> ProposalChange:
        """A proposal with what it changes, as before → after lines (what a reviewer and the proposer read)."""
        return describe(self, self.proposal(proposal_id))

    def proposal_changes(self, status: str | None = None, newest_first: bool = False) -> list[ProposalChange]:
        """:meth:`proposals` with what each changes; ``newest_first`` orders by decision (or creation) time, latest first."""
        found = [describe(self, p) for p in self.proposals(status)]
        if newest_first:
            found.sort(key=lambda c: c.proposal.decided_at or c.proposal.created, reverse=True)
        return found

    def directory_entries(self) -> list[DirectoryEntry]:
        """The curated directory's organisations, standards (and versions) and tools, by name."""
        return list(directory(self).values())

    def edit_target(self, iri: str) -> EditTarget | None:
        """What an edit form offers for the entity ``iri``: its current values and relations (None: not in the directory)."""
        return edit_target(self, iri)

    def proposals_patch(self, folder: str | Path | None = None) -> DirectoryPatch:
        """The approved edits (those still approved, in the order they were approved) written into the curated
        directory's YAML (default ``data/ecosystem``): nothing is written until :meth:`DirectoryPatch.write`; its
        :meth:`~DirectoryPatch.diff` is the patch for curators to commit."""
        root = Path(folder) if folder is not None else settings().data_dir / "ecosystem"
        approved = sorted(self.proposals("approved"), key=lambda p: p.decided_at or "")
        return patch_directory(root, [(p.id, p.payload) for p in approved])
