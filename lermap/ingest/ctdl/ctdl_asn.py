"""CTDL-ASN competency frameworks, competencies, alignments and rubrics (JSON-LD and Turtle).

Turtle twins of JSON-LD frameworks give the same core view (CTDL-ASN terms are normalised to ``https``).
See ``docs/ctdl.md``.
"""

from __future__ import annotations

import re

from lermap.ingest.base import Source
from lermap.ingest.ctdl.ctdl_asn_mapping import CTDLASN_BUILDERS
from lermap.ingest.ctdl.ctdl_mapping import CTDL_BUILDERS
from lermap.ingest.ctdl.ingester import CtdlBaseIngester
from lermap.ingest.ctdl.read import looks_like_turtle, sniff_json

_ASN_TURTLE = re.compile(rb"purl\.org/ctdlasn/terms/|\bceasn:[A-Za-z]")
_SCORES = {"ctdl-asn": 0.95, "bare-asn": 0.85, "ctdl": 0.5, "bare-ctdl": 0.5}


class CtdlAsnIngester(CtdlBaseIngester):
    name = "ctdl-asn"
    title = "CTDL-ASN (competency frameworks)"
    version = "1"
    builders = CTDLASN_BUILDERS + CTDL_BUILDERS

    def sniff(self, source: Source) -> float:
        if source.is_dir:
            return 0.0
        head = source.head(16384)
        if source.suffix in {".ttl", ".turtle"} or looks_like_turtle(head.decode("utf-8", "replace")):
            return 0.9 if _ASN_TURTLE.search(head) else 0.0
        family = sniff_json(head)
        return _SCORES.get(family, 0.0) if family else 0.0
