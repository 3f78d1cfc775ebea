"""Plain W3C Verifiable Credentials 1.1 / 2.0 and Verifiable Presentations.

A plain credential has no achievement: its definition is minted from the issuer and the credential's types
("<issuer>'s UniversityDegreeCredential"). Documents whose contexts have no offline copy (the specs'
``*.example`` placeholders) are refused with a :class:`~lermap.errors.ContextError` naming the URL.
"""

from __future__ import annotations

from lermap.ingest.base import Source
from lermap.ingest.credentials.contexts import VC1_CONTEXT, VC2_CONTEXT, VC_VOCAB
from lermap.ingest.credentials.ingester import JsonCredentialIngester
from lermap.ingest.credentials.read import json_head

# Other standards built on the VC data model that have their own ingester.
_OTHER_FAMILIES = ("data.europa.eu/snb", "hropenstandards.org", "purl.imsglobal.org/spec/", "w3id.org/openbadges")


class VerifiableCredentialIngester(JsonCredentialIngester):
    name = "vc"
    title = "W3C Verifiable Credential"
    version = "2"  # minted IRIs no longer depend on one-item arrays (mapping.mint_place)
    kinds = frozenset({"vc", "presentation", "ob3", "clr2"})

    def sniff(self, source: Source) -> float:
        head = json_head(source)
        expanded = f'"{VC_VOCAB}' in head and '"@context"' not in head
        if VC1_CONTEXT not in head and VC2_CONTEXT not in head and not expanded:
            return 0.0  # neither context names the VC data model nor (expanded form) do its IRIs
        if any(marker in head for marker in _OTHER_FAMILIES):
            return 0.1
        return 0.5
