"""CLR 2.0: ClrCredential with its embedded credentials, achievements and associations.

Associations become alignments between achievements (``sssom:Mapping``, native predicate ``clrv:association``
plus ``lermap:associationType``); each embedded credential maps as the OB 3.0 credential it is.
"""

from __future__ import annotations

from lermap.ingest.base import Source
from lermap.ingest.credentials.contexts import CLR_VOCAB
from lermap.ingest.credentials.ingester import JsonCredentialIngester
from lermap.ingest.credentials.read import json_head
from lermap.ingest.jsonld import vocabulary_score


class ClrIngester(JsonCredentialIngester):
    name = "clr2"
    title = "Comprehensive Learner Record 2.0"
    version = "2"  # minted IRIs no longer depend on one-item arrays (mapping.mint_place)
    kinds = frozenset({"clr2"})

    def sniff(self, source: Source) -> float:
        head = json_head(source)
        if '"ClrCredential"' in head or "purl.imsglobal.org/spec/clr/v2p0" in head:
            return 0.95
        return vocabulary_score(head, "https://" + CLR_VOCAB, 0.95, 0.95)  # expanded or flattened JSON-LD
