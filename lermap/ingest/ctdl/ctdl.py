"""CTDL (Credential Transparency Description Language) from the Credential Registry: credentials,
organisations, learning opportunities, assessments, conditions, alignments, transfer value and pathways.

Reads JSON-LD ``@graph`` documents, single resources, arrays and registry envelopes (``decoded_resource``);
see ``docs/ctdl.md`` for the mapping and for non-strict JSON (refused unless ``IngestOptions.lenient``).
"""

from __future__ import annotations

import re

from lermap.ingest.base import Source
from lermap.ingest.ctdl.ctdl_asn_mapping import CTDLASN_BUILDERS
from lermap.ingest.ctdl.ctdl_mapping import CTDL_BUILDERS
from lermap.ingest.ctdl.ingester import CtdlBaseIngester
from lermap.ingest.ctdl.read import looks_like_turtle, sniff_json

_SCORES = {"ctdl": 0.9, "bare-ctdl": 0.8, "ctdl-asn": 0.5, "bare-asn": 0.5}
_CTDL_TURTLE = re.compile(rb"purl\.org/ctdl/terms/|\bceterms:[A-Za-z]")


class CtdlIngester(CtdlBaseIngester):
    name = "ctdl"
    title = "CTDL (Credential Registry)"
    version = "1"
    # CTDL documents also describe competencies (qualifications frameworks, TVP outcomes): map those too.
    builders = CTDL_BUILDERS + CTDLASN_BUILDERS

    def sniff(self, source: Source) -> float:
        if source.is_dir or source.suffix in {".csv", ".xlsx"}:
            return 0.0
        head = source.head(16384)
        if source.suffix in {".ttl", ".turtle"} or looks_like_turtle(head.decode("utf-8", "replace")):
            # CTDL in Turtle (the twins of JSON-LD examples); frameworks go to ctdl-asn, which claims ceasn: at 0.9
            return 0.85 if _CTDL_TURTLE.search(head) else 0.0
        family = sniff_json(head)
        return _SCORES.get(family, 0.0) if family else 0.0
