"""Open Badges 3.0: OpenBadgeCredential / AchievementCredential, EndorsementCredential (VC 1.1 and 2.0
envelopes), and standalone OB 3.0 Achievement and Profile documents."""

from __future__ import annotations

from typing import Any

from lermap.ingest.base import Source
from lermap.ingest.credentials.contexts import OB3_VOCAB
from lermap.ingest.credentials.ingester import OB3_CONTEXT_PREFIX, JsonCredentialIngester, uses_context
from lermap.ingest.credentials.read import json_head
from lermap.ingest.jsonld import vocabulary_score


class OpenBadges3Ingester(JsonCredentialIngester):
    name = "ob3"
    title = "Open Badges 3.0"
    version = "2"  # minted IRIs no longer depend on one-item arrays (mapping.mint_place)
    kinds = frozenset({"ob3", "ob3-object"})

    def sniff(self, source: Source) -> float:
        head = json_head(source)
        if not head or "ClrCredential" in head:
            return 0.0
        if "purl.imsglobal.org/spec/ob/v3p0" in head or "openbadges-specification/context.json" in head:
            return 0.9
        if expanded := vocabulary_score(head, "https://" + OB3_VOCAB, 0.9, 0.7):  # expanded or flattened JSON-LD
            return expanded
        if any(t in head for t in ('"OpenBadgeCredential"', '"AchievementCredential"', '"EndorsementCredential"')):
            return 0.8
        return 0.0

    def accepts(self, doc: dict[str, Any], kind: str) -> bool:
        # A plain VC written with the OB 3.0 context (e.g. a bare EndorsementSubject) maps as a plain VC.
        return kind in self.kinds or (kind == "vc" and uses_context(doc, OB3_CONTEXT_PREFIX))
