"""CLR 2.0: ClrCredential with its embedded credentials, achievements and associations.

Associations become alignments between achievements (``sssom:Mapping``, native predicate ``clrv:association``
plus ``lermap:associationType``); each embedded credential maps as the OB 3.0 credential it is.
"""

from __future__ import annotations

from lermap.ingest.base import Source
from lermap.ingest.credentials.ingester import JsonCredentialIngester
from lermap.ingest.credentials.read import CLR_VOCAB, json_head


class ClrIngester(JsonCredentialIngester):
    name = "clr2"
    title = "Comprehensive Learner Record 2.0"
    version = "1"
    kinds = frozenset({"clr2"})

    def sniff(self, source: Source) -> float:
        head = json_head(source)
        if '"ClrCredential"' in head or "purl.imsglobal.org/spec/clr/v2p0" in head:
            return 0.95
        if CLR_VOCAB in head and '"@context"' not in head:  # expanded or flattened JSON-LD
            return 0.95
        return 0.0
