"""Content negotiation for the resource routes: JSON, JSON-LD, Turtle, N-Triples (and RDF/XML, and a browser's page).

One dependency, :data:`Negotiated`, picks the representation of every resource route from ``?format=`` (when given,
it wins) or the ``Accept`` header (q-values, ``type/*`` and ``*/*`` understood, RFC 9110 §12.5.1); anything else is
refused with 406 and a JSON body listing what the route can give. :func:`represent` then answers with the chosen
representation: the route's JSON, or the RDF description the service gives of the resource. Every answer varies by
``Accept`` (the HTTP middleware sends ``Vary: Accept`` on reads; a 406 says so too).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from lermap.errors import LermapError
from lermap.graph.vocab import PREFIXES


@dataclass(frozen=True)
class Representation:
    """A representation a resource route can give: its ``?format=`` name, its media type, its RDF syntax (if RDF)."""

    name: str
    media_type: str
    rdf_format: ox.RdfFormat | None = None


JSON = Representation("json", "application/json")
JSONLD = Representation("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD)
TURTLE = Representation("ttl", "text/turtle", ox.RdfFormat.TURTLE)
NTRIPLES = Representation("nt", "application/n-triples", ox.RdfFormat.N_TRIPLES)
RDFXML = Representation("rdf", "application/rdf+xml", ox.RdfFormat.RDF_XML)
HTML = Representation("html", "text/html")
# the server's order of preference, for ranges that match several equally (``*/*``: JSON)
OFFERS: tuple[Representation, ...] = (JSON, JSONLD, TURTLE, NTRIPLES, RDFXML, HTML)
RDF_OFFERS = tuple(r for r in OFFERS if r.rdf_format is not None)


class NotAcceptable(LermapError):
    """The route has no representation the request accepts (406); the error lists those it has."""

    http_status = 406

    def __init__(self, asked: str, offers: Sequence[Representation]) -> None:
        self.offers = tuple(offers)
        super().__init__(f"cannot answer {asked}; this resource is available as "
                         + ", ".join(f"{r.media_type} (?format={r.name})" for r in self.offers))

    def to_dict(self) -> dict[str, Any]:
        return {"available": [r.media_type for r in self.offers], "formats": [r.name for r in self.offers]}


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    q: float
    order: int

    def specificity(self, media_type: str) -> int:
        """2 for an exact match, 1 for ``type/*``, 0 for ``*/*``, -1 for no match."""
        main, _, sub = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 0
        if self.type == main and self.subtype == "*":
            return 1
        return 2 if (self.type, self.subtype) == (main, sub) else -1


def parse_accept(header: str) -> list[_Range]:
    """The media ranges of an ``Accept`` header; malformed parts are skipped, a malformed q counts as 0."""
    out = []
    for order, part in enumerate(header.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        main, slash, sub = media.lower().partition("/")
        if not slash or not main or not sub:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        out.append(_Range(main, sub, q, order))
    return out


def choose(accept: str | None, offers: Sequence[Representation] = OFFERS) -> Representation | None:
    """The offer the ``Accept`` header prefers: highest q (of the most specific range matching it), then the more
    specific match, then the range the client listed first, then the server's order; None if it accepts none.

    >>> choose("text/turtle;q=0.9, application/ld+json").name
    'jsonld'
    >>> choose("text/*").name, choose("*/*").name, choose(None).name
    ('ttl', 'json', 'json')
    >>> choose("image/png") is None, choose("text/turtle;q=0") is None
    (True, True)
    """
    ranges = parse_accept(accept or "") if accept and accept.strip() else [_Range("*", "*", 1.0, 0)]
    best: tuple[float, int, int, int] | None = None
    chosen = None
    for rank, offer in enumerate(offers):
        matching = [(r.specificity(offer.media_type), r) for r in ranges if r.specificity(offer.media_type) >= 0]
        if not matching:
            continue
        spec, rng = max(matching, key=lambda m: m[0])  # the most specific range decides the q (RFC 9110)
        score = (rng.q, spec, -rng.order, -rank)
        if rng.q > 0 and (best is None or score > best):
            best, chosen = score, offer
    return chosen


def negotiate(accept: str | None, format: str | None, offers: Sequence[Representation]) -> Representation:
    """``?format=`` when given (one of the offers' names), else the ``Accept`` header; :class:`NotAcceptable` otherwise."""
    if format is not None:
        for offer in offers:
            if offer.name == format.strip().lower():
                return offer
        raise NotAcceptable(f"?format={format[:40]}", offers)
    found = choose(accept, offers)
    if found is None:
        raise NotAcceptable(f"Accept: {(accept or '')[:200]}", offers)
    return found


FormatParam = Annotated[str | None, Query(alias="format", max_length=20, description=(
    "the representation, instead of the Accept header: json (default), jsonld, ttl, nt, rdf (RDF/XML) or html (the page)"),
    json_schema_extra={"enum": [r.name for r in OFFERS]})]


def negotiated(request: Request, format: FormatParam = None) -> Representation:
    return negotiate(request.headers.get("accept"), format, OFFERS)


Negotiated = Annotated[Representation, Depends(negotiated)]


def responses() -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` entries of a negotiated route: its media types, the HTML redirect, the 406."""
    return {200: {"content": {r.media_type: {} for r in RDF_OFFERS}},
            303: {"description": "HTML (a browser): the entity's page, /entity?id=IRI"}}


def represent(rep: Representation, iri: str, rdf: Callable[[], list[ox.Triple]]) -> Response:
    """Answer in a representation other than JSON: the RDF description of the resource (``rdf`` gives it; it raises
    for a resource the graph does not hold), or, for HTML, a redirect to the resource's page."""
    triples = rdf()
    if rep.rdf_format is None:
        return RedirectResponse("/entity?id=" + quote(iri, safe=""), status_code=303)
    body = ox.serialize(triples, format=rep.rdf_format, prefixes=PREFIXES if rep is TURTLE else None)
    return Response(body or b"", media_type=rep.media_type)
