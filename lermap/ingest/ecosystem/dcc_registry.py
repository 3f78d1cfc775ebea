"""The Digital Credentials Consortium community issuer registry (``registry.json``): issuer DIDs with names.

Layout (github.com/digitalcredentials/community-registry)::

    {"meta": {"created": ..., "updated": ...},
     "registry": {"did:key:z6Mk...": {"name": "...", "location": "Cambridge, MA, USA", "url": "https://..."}}}

Each issuer becomes a ``schema:Organization`` whose IRI is its DID (one organisation may hold several DIDs, so
several nodes may share a name), with its name, URL, location and, where the location names one, its country;
``lermap:inRegistry`` links it to the registry node.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pyoxigraph import NamedNode

from lermap.graph.terms import TripleTuple, is_iri, lit
from lermap.graph.vocab import DCTERMS, LERMAP, LERMAP_ID_BASE, RDF, SCHEMA, SKOS, XSD
from lermap.ingest.base import IngestContext, Ingester, Source
from lermap.ingest.identifiers import organisation_iri

REGISTRY_IRI = NamedNode(LERMAP_ID_BASE + "registry/dcc-community-issuer-registry")
REGISTRY_HOME = NamedNode("https://github.com/digitalcredentials/community-registry")

_COUNTRIES = {
    "usa": "US", "us": "US", "united states": "US", "u.s.a.": "US", "canada": "CA", "italy": "IT",
    "argentina": "AR", "mexico": "MX", "united kingdom": "GB", "uk": "GB", "germany": "DE", "netherlands": "NL",
    "spain": "ES", "france": "FR", "india": "IN", "australia": "AU", "brazil": "BR", "ireland": "IE",
}
_US_HINTS = re.compile(r"\b(D\.?C\.?|[A-Z]{2})$")


def country_of(location: str) -> str | None:
    """An ISO 3166 alpha-2 code for a free-text location (its last comma-separated part), or None."""
    last = location.rsplit(",", 1)[-1].strip()
    code = _COUNTRIES.get(last.casefold())
    if code:
        return code
    if "washington, d.c" in location.casefold() or _US_HINTS.fullmatch(last.rstrip(".")) and last != "ON":
        return "US"
    return None


class DccRegistryIngester(Ingester):
    name = "dcc-registry"
    title = "DCC community issuer registry"
    version = "1"

    def sniff(self, source: Source) -> float:
        if source.is_dir or source.suffix not in {".json", ""}:
            return 0.0
        head = source.head().decode("utf-8", "replace")
        return 0.9 if '"registry"' in head and '"did:' in head and "@context" not in head else 0.0

    def parse(self, source: Source, ctx: IngestContext) -> dict[str, Any]:
        doc = source.json()
        if not isinstance(doc, dict):
            ctx.fail("(document)", f"expected a JSON object, found {type(doc).__name__}")
        registry = doc.get("registry")
        if not isinstance(registry, dict):
            ctx.fail("registry", "expected an object of DIDs")
        meta = doc.get("meta")
        if meta is not None and not isinstance(meta, dict):
            ctx.fail("meta", f"expected an object, found {type(meta).__name__}")
        for did, entry in registry.items():
            loc = f'registry["{did}"]'
            if not isinstance(entry, dict):
                ctx.fail(loc, f"expected an object, found {type(entry).__name__}")
            for key in ("name", "location", "url"):
                if key in entry and not isinstance(entry[key], str):
                    ctx.fail(f"{loc}.{key}", f"expected text, found {type(entry[key]).__name__}")
            if not (entry.get("name") or "").strip():
                ctx.fail(f"{loc}.name", "missing")
        ctx.format_version = (meta or {}).get("updated") if isinstance((meta or {}).get("updated"), str) else None
        return doc

    def map(self, parsed: dict[str, Any], ctx: IngestContext) -> Iterator[TripleTuple]:
        reg = REGISTRY_IRI
        yield reg, RDF.type, SCHEMA.CreativeWork
        yield reg, SCHEMA.name, lit("DCC Community Issuer Registry", lang="en")
        yield reg, SKOS.prefLabel, lit("DCC Community Issuer Registry", lang="en")
        yield reg, SCHEMA.url, REGISTRY_HOME
        yield reg, SCHEMA.publisher, organisation_iri("Digital Credentials Consortium")
        meta = parsed.get("meta") or {}
        for key, prop in (("created", DCTERMS.created), ("updated", DCTERMS.modified)):
            if isinstance(meta.get(key), str) and meta[key]:
                yield reg, prop, lit(meta[key], datatype=XSD.dateTime)
        for did, entry in parsed["registry"].items():
            loc = f'registry["{did}"]'
            if not did.startswith("did:") or not is_iri(did):
                ctx.warn(loc, "key is not a DID; entry skipped")
                continue
            org = NamedNode(did)
            name = entry["name"].strip()
            yield org, RDF.type, SCHEMA.Organization
            yield org, SKOS.prefLabel, lit(name)
            yield org, SCHEMA.name, lit(name)
            yield org, SCHEMA.identifier, lit(did)
            yield org, LERMAP.inRegistry, reg
            yield reg, LERMAP.registryMember, org
            url = (entry.get("url") or "").strip()
            if url and is_iri(url):
                yield org, SCHEMA.url, NamedNode(url)
            elif url:
                ctx.warn(f"{loc}.url", f"not an IRI: {url!r}")
            location = (entry.get("location") or "").strip()
            if location:
                yield org, SCHEMA.location, lit(location)
                country = country_of(location)
                if country:
                    yield org, SCHEMA.addressCountry, lit(country)
