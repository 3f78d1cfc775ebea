"""Reading CTDL and CTDL-ASN sources into native triples (shared by the ``ctdl`` and ``ctdl-asn`` ingesters).

What the Credential Engine publishes comes in several shapes, all handled here:

* JSON-LD documents with a ``@graph``, single resources, and arrays of resources;
* Registry envelopes whose ``decoded_resource`` holds the JSON-LD;
* registry examples with no ``@context`` at all (they use ``ceterms:``/``ceasn:`` compact IRIs and rely on
  the registry's contexts): read with the CTDL-ASN and CTDL contexts, with a warning;
* Turtle (the ``.ttl`` twins of CTDL-ASN frameworks);
* expanded or flattened JSON-LD (a top-level array of node objects with full ``https://purl.org/ctdl/terms/`` IRIs,
  ``[{"@value": ...}]`` values and no ``@context``, as some Credential Engine examples are published): read as it
  is — the reader works on triples, so it needs no compaction;
* the publisher's non-strict JSON (comments, trailing or missing commas, several values in one file): refused by
  default with the line, column and defect, repaired when ``IngestOptions.lenient`` is set
  (:func:`lermap.ingest.jsonld.read_json_values`).

Every triple leaves here namespace-normalised: CTDL and CTDL-ASN terms under ``https://purl.org/...``
whatever the source wrote, and language tags lower-cased.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pyoxigraph as ox

from lermap.graph.jsonld import to_quads
from lermap.graph.jsonld_forms import is_expanded
from lermap.graph.terms import Object, Subject, TripleTuple
from lermap.graph.vocab import LERMAP_ID_BASE, RDF
from lermap.ingest.base import IngestContext, Source
from lermap.ingest.jsonld import context_policy, read_json_values

CTDL_CONTEXT = "https://credreg.net/ctdl/schema/context/json"
CTDLASN_CONTEXT = "https://credreg.net/ctdlasn/schema/context/json"
# Read context-less registry examples with both contexts; CTDL's comes last and wins on shared terms.
DEFAULT_CONTEXT: list[str] = [CTDLASN_CONTEXT, CTDL_CONTEXT]

_NAMESPACES = {
    "http://purl.org/ctdl/terms/": "https://purl.org/ctdl/terms/",
    "http://purl.org/ctdlasn/terms/": "https://purl.org/ctdlasn/terms/",
    "http://purl.org/ctdl/vocabs/": "https://purl.org/ctdl/vocabs/",
    "http://purl.org/ctdlasn/vocabs/": "https://purl.org/ctdlasn/vocabs/",
    # the draft namespace of early registry samples (credreg-sample-cer-*.json): same prefix, same terms
    "http://purl.org/ceterms/terms/": "https://purl.org/ctdl/terms/",
}
# The terms' documentation pages, used as term IRIs by some expanded documents: read as the terms (properties and
# classes only: as values they name concept schemes, which stay as they are).
_TERM_PAGES = {
    "https://credreg.net/ctdl/terms/": "https://purl.org/ctdl/terms/",
    "http://credreg.net/ctdl/terms/": "https://purl.org/ctdl/terms/",
    "https://credreg.net/ctdlasn/terms/": "https://purl.org/ctdlasn/terms/",
    "http://credreg.net/ctdlasn/terms/": "https://purl.org/ctdlasn/terms/",
}
_CTDL_KEY = re.compile(r'"(?:ceterms|ceasn|qdata|asn):[A-Za-z]')


# --- namespace normalisation ---------------------------------------------------------------------


def normalise_iri(value: str) -> str:
    """The ``https`` form of a CTDL / CTDL-ASN term IRI; other IRIs unchanged."""
    if value.startswith(("http://purl.org/ctdl", "http://purl.org/ceterms/")):
        for old, new in _NAMESPACES.items():
            if value.startswith(old):
                return new + value[len(old) :]
    return value


def _norm_node(term: Any) -> Any:
    if isinstance(term, ox.NamedNode):
        value = normalise_iri(term.value)
        return term if value == term.value else ox.NamedNode(value)
    if isinstance(term, ox.Literal):
        if term.language and term.language != term.language.lower():
            return ox.Literal(term.value, language=term.language.lower())
        if term.datatype is not None and term.datatype.value.startswith(("http://purl.org/ctdl", "http://purl.org/ceterms/")):
            return ox.Literal(term.value, datatype=ox.NamedNode(normalise_iri(term.datatype.value)))
    return term


def _term_page(term: ox.NamedNode) -> ox.NamedNode:
    if "credreg.net/ctdl" in term.value:
        for old, new in _TERM_PAGES.items():
            if term.value.startswith(old):
                return ox.NamedNode(new + term.value[len(old) :])
    return term


def normalise_triples(quads: list[ox.Quad] | list[ox.Triple]) -> list[TripleTuple]:
    """Triples with CTDL namespaces on ``https`` and lower-cased language tags, duplicates dropped."""
    out: dict[TripleTuple, None] = {}
    for q in quads:
        s: Subject = _norm_node(q.subject)
        p: ox.NamedNode = _term_page(_norm_node(q.predicate))
        o: Object = _norm_node(q.object)
        if p == RDF.type and isinstance(o, ox.NamedNode):
            o = _term_page(o)
        out[(s, p, o)] = None
    return list(out)


# --- JSON: strict, or repaired leniently (lermap.ingest.jsonld) ------------------------------------------------


def read_json(source: Source, ctx: IngestContext) -> list[Any]:
    """The JSON values of the source: one normally; several from a lenient read of concatenated values."""
    return read_json_values(source, ctx, several=True)


# --- JSON-LD ---------------------------------------------------------------------------------------


def unwrap(value: Any) -> list[Any]:
    """The JSON-LD documents inside ``value``: envelopes give their ``decoded_resource``."""
    if isinstance(value, list):
        out: list[Any] = []
        for v in value:
            out.extend(unwrap(v))
        return out
    if isinstance(value, dict) and "decoded_resource" in value:
        return unwrap(value["decoded_resource"])
    if isinstance(value, dict) and isinstance(value.get("envelope"), dict):
        return unwrap(value["envelope"])
    return [value]


def is_assistant_api(doc: Any) -> bool:
    """Registry Assistant API input: PascalCase keys (``CTID``, ``Name``), no JSON-LD keywords."""
    if isinstance(doc, dict):
        keys = set(doc)
        return not any(k.startswith("@") or ":" in k for k in keys) and bool(keys & {"CTID", "Name", "Type"})
    return False


def _prepare(docs: list[Any], ctx: IngestContext) -> Any:
    """One JSON-LD document for all of ``docs``: a lone document as it is, several under one ``@graph``.

    Expanding once keeps blank-node labels shared across a top-level array (as JSON-LD says they are)
    and processes a shared context once instead of once per resource (the O*NET concept scheme has 2,454).
    Documents without ``@context`` get the registry's contexts, unless they are expanded JSON-LD (full IRIs),
    which needs none.
    """
    for i, d in enumerate(docs):
        location = f"[{i}]" if len(docs) > 1 else "(document)"
        if isinstance(d, dict) and isinstance(d.get("@id"), str) and len(docs) > 1:
            location = f'[{i}] (node "{d["@id"]}")'
        if not isinstance(d, dict):
            ctx.fail(location, f"expected a JSON-LD object, found {type(d).__name__}")
        if "@context" not in d and is_assistant_api(d):
            ctx.fail(
                location,
                "this is Credential Registry Assistant API input (PascalCase keys such as CTID, Name), not CTDL "
                "JSON-LD; publish it through the Assistant and ingest the JSON-LD the registry returns",
            )
    if len(docs) == 1 and "@context" in docs[0]:
        return docs[0]
    if all(is_expanded(d) for d in docs):
        return {"@graph": docs}
    bare = [d for d in docs if "@context" not in d and not is_expanded(d)]
    if bare:
        if not any(_CTDL_KEY.search(json.dumps(d)) for d in bare):
            ctx.fail("(document)", "not a CTDL document: no @context, no ceterms:/ceasn: terms and no CTDL IRIs "
                                   "(expanded JSON-LD under https://purl.org/ctdl/terms/)")
        ctx.warn(
            "(document)",
            f"{len(bare)} resource(s) without @context: read with the CTDL-ASN and CTDL contexts, as the registry does",
        )
    shared = next((d["@context"] for d in docs if "@context" in d), DEFAULT_CONTEXT)
    graph = [{k: v for k, v in d.items() if not (k == "@context" and v == shared)} for d in docs]
    return {"@context": shared, "@graph": graph}


def document_base(source: Source) -> str:
    """The base IRI for relative ``@id`` values: stable per document content, never a local path."""
    return f"{LERMAP_ID_BASE}ctdl-doc/{source.sha256[:20]}/"


_COLON_TAG = re.compile(r"^[A-Za-z]{2,3}:[A-Za-z]{2}$")


def _is_colon_language_map(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and bool(value)
        and all(isinstance(k, str) and _COLON_TAG.match(k) for k in value)
        and all(isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v)) for v in value.values())
    )


def repair_language_maps(node: Any) -> int:
    """Rewrite language-map keys written ``en:us`` as ``en-us`` (in place); returns how many were fixed.

    A JSON-LD processor drops values under an invalid language tag, so a name written that way would
    vanish. Only maps under CTDL / CTDL-ASN terms whose keys all look like ``xx:yy`` are touched.
    """
    fixed = 0
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, list):
            stack.extend(current)
        elif isinstance(current, dict):
            for key, value in current.items():
                if key.startswith(("ceterms:", "ceasn:")) and _is_colon_language_map(value):
                    current[key] = {k.replace(":", "-"): v for k, v in value.items()}
                    fixed += len(value)
                elif key != "@context":
                    stack.append(value)
    return fixed


def jsonld_triples(values: list[Any], source: Source, ctx: IngestContext) -> list[TripleTuple]:
    """Expand every JSON-LD document in ``values`` (offline contexts) to normalised triples."""
    docs = [d for v in values for d in unwrap(v)]
    if not docs:
        ctx.fail("(document)", "no JSON-LD resource in the document")
    repaired = repair_language_maps(docs)
    if repaired:
        ctx.warn("(document)", f"{repaired} language-map key(s) written like 'en:us' read as 'en-us'")
    doc = _prepare(docs, ctx)
    return normalise_triples(to_quads(doc, source.key, base_iri=document_base(source), policy=context_policy(ctx)))


# --- Turtle ----------------------------------------------------------------------------------------


def turtle_triples(source: Source, ctx: IngestContext) -> list[TripleTuple]:
    """Parse a Turtle source to normalised triples; syntax errors name line and column."""
    data = source.read_bytes()
    try:
        triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=document_base(source)))
    except SyntaxError as exc:
        ctx.fail(_syntax_location(exc), f"invalid Turtle: {exc.msg if hasattr(exc, 'msg') else exc}")
    return normalise_triples(triples)  # type: ignore[arg-type]


def _syntax_location(exc: SyntaxError) -> str:
    if exc.lineno:
        return f"line {exc.lineno}, column {exc.offset or 0}"
    return "(document)"


_CONTEXT_VALUE = re.compile(rb'"@context"\s*:\s*\[?\s*"(https?://[^"]+)"')
_FOREIGN_CONTEXT = re.compile(rb"imsglobal\.org|w3\.org/20\d\d/credentials|w3\.org/ns/credentials|w3id\.org/openbadges")
_INLINE_CTDL = re.compile(rb'"@context"\s*:\s*[\[{][^\]}]*purl\.org/(?:ctdl|ctdlasn|ceterms)/terms/')
_BARE_TERM = re.compile(rb'"(ceterms|ceasn):[A-Za-z]+"\s*:')
# A type IRI of expanded JSON-LD: CTDL or CTDL-ASN, http or https, purl.org or the credreg.net term pages.
_EXPANDED_TYPE = re.compile(rb'"@type"\s*:\s*\[?\s*"https?://(?:purl\.org|credreg\.net)/(ctdl|ctdlasn|ceterms|qdata)/terms/')


def sniff_json(head: bytes) -> str | None:
    """Which CTDL family a JSON head belongs to: "ctdl", "ctdl-asn", "bare-ctdl", "bare-asn" or None.

    The first ``@context`` decides; documents of other families that merely mention CTDL terms (an Open
    Badges alignment to the registry, say) are not claimed.
    """
    if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[", b"/")) or _FOREIGN_CONTEXT.search(head):
        return None
    expanded = _EXPANDED_TYPE.search(head)
    if expanded is not None and b'"@context"' not in head:
        return "ctdl-asn" if expanded.group(1) == b"ctdlasn" else "ctdl"
    found = _CONTEXT_VALUE.search(head)
    if found is not None:
        url = found.group(1)
        if b"credreg.net/ctdlasn/" in url:
            return "ctdl-asn"
        return "ctdl" if b"credreg.net/ctdl/" in url else None
    if _INLINE_CTDL.search(head):
        return "ctdl"
    if b'"@context"' in head:
        return None
    terms = {m.group(1) for m in _BARE_TERM.finditer(head)}
    if b"ceterms" in terms:
        return "bare-ctdl"
    return "bare-asn" if terms else None


def looks_like_turtle(head: str) -> bool:
    """True for text that starts like Turtle (prefix/base declarations or an IRI subject)."""
    stripped = head.lstrip("\ufeff \t\r\n")
    return stripped.startswith(("@prefix", "@base", "PREFIX", "prefix", "BASE", "<")) and not stripped.startswith("<?xml")
