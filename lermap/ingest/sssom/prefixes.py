"""The CURIE prefixes lermap writes SSSOM with: the field's own, so that a mapping set reads like the ones people publish.

Bioregistry's prefixes where it has one (``esco.occupation``, ``esco.isco``, ``esco.skill``, ``skos``, ``semapv``,
``schema``, ``dcterms``, ``orcid`` — as in the extended prefix map sssom-py ships), the field's usual ones where it has
none (``onet`` for O*NET OnLine's occupation pages, ``ceterms`` / ``ceasn`` / ``ctid`` for CTDL and the Credential
Registry), and for lermap's minted identifiers ``soc2018``, ``soc2010`` or ``lermap.<kind>``. A namespace nobody named
gets a prefix made from its host and last path segment (``example.frameworks``), never ``ns3``.

>>> p = Prefixes(); p.curie("http://data.europa.eu/esco/occupation/258e"), p.curie("https://www.onetonline.org/link/summary/15-1252.00")
('esco.occupation:258e', 'onet:15-1252.00')
>>> p.curie("https://w3id.org/lermap/id/soc2018/5ec8"), p.curie("https://example.org/frameworks/f1")
('soc2018:5ec8', 'example.frameworks:f1')
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from curies import Converter

from lermap.ingest.sssom.mapping import expand

FIELD_PREFIXES: dict[str, str] = {
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "semapv": "https://w3id.org/semapv/vocab/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "schema": "https://schema.org/",
    "dcterms": "http://purl.org/dc/terms/",
    "orcid": "https://orcid.org/",
    "esco.occupation": "http://data.europa.eu/esco/occupation/",
    "esco.isco": "http://data.europa.eu/esco/isco/",
    "esco.skill": "http://data.europa.eu/esco/skill/",
    "esco.conceptscheme": "http://data.europa.eu/esco/concept-scheme/",
    "onet": "https://www.onetonline.org/link/summary/",
    "ceterms": "https://purl.org/ctdl/terms/",
    "ceasn": "https://purl.org/ctdlasn/terms/",
    "ctid": "https://credentialengineregistry.org/resources/",
    "soc2018": "https://w3id.org/lermap/id/soc2018/",
    "soc2010": "https://w3id.org/lermap/id/soc2010/",
    "lermap.matcher": "https://w3id.org/lermap/matcher/",
    "lermap.mappings": "https://w3id.org/lermap/mappings/",
    "lermap": "https://w3id.org/lermap/vocab#",
}
_CONVERTER = Converter.from_prefix_map(FIELD_PREFIXES)
_LOCAL = re.compile(r"^[A-Za-z0-9_.\-~]+$")
_MINTED = re.compile(r"^https://w3id\.org/lermap/id/([a-z0-9-]+)/$")


def _made_up(base: str) -> str:
    minted = _MINTED.match(base)
    if minted:
        return "lermap." + minted.group(1)
    parts = urlsplit(base)
    host = (parts.hostname or "iri").removeprefix("www.").split(".")
    name = host[-2] if len(host) >= 2 else host[0]
    segments = [s for s in parts.path.split("/") if s]
    if segments:
        name += "." + segments[-1]
    return re.sub(r"[^a-z0-9.]+", "", name.lower().replace("-", "")) or "iri"


class Prefixes:
    """Gives each IRI a CURIE; :attr:`map` holds only the prefixes used, for the set's ``curie_map``."""

    def __init__(self) -> None:
        self.map: dict[str, str] = {"skos": FIELD_PREFIXES["skos"], "semapv": FIELD_PREFIXES["semapv"]}
        self._by_base = {v: k for k, v in self.map.items()}

    def curie(self, iri: str) -> str:
        iri = expand(iri)
        prefix, sep, local = iri.partition(":")
        if sep and prefix in FIELD_PREFIXES and not local.startswith("//"):
            iri = FIELD_PREFIXES[prefix] + local
        known = _CONVERTER.compress(iri)
        if known is not None and _LOCAL.match(known.split(":", 1)[1]):
            name = known.split(":", 1)[0]
            return self._use(name, FIELD_PREFIXES[name], known.split(":", 1)[1])
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        base, local = iri[:cut], iri[cut:]
        if not local or not _LOCAL.match(local):
            base, local = iri, ""
        if base in self._by_base:
            return f"{self._by_base[base]}:{local}"
        name, n = _made_up(base), 2
        while name in self.map or name in FIELD_PREFIXES:
            name, n = f"{_made_up(base)}{n}", n + 1
        return self._use(name, base, local)

    def _use(self, name: str, base: str, local: str) -> str:
        self.map.setdefault(name, base)
        self._by_base.setdefault(base, name)
        return f"{name}:{local}"
