"""Reading CTDL and CTDL-ASN sources into native triples (shared by the ``ctdl`` and ``ctdl-asn`` ingesters).

What the Credential Engine publishes comes in several shapes, all handled here:

* JSON-LD documents with a ``@graph``, single resources, and arrays of resources;
* Registry envelopes whose ``decoded_resource`` holds the JSON-LD;
* registry examples with no ``@context`` at all (they use ``ceterms:``/``ceasn:`` compact IRIs and rely on
  the registry's contexts): read with the CTDL-ASN and CTDL contexts, with a warning;
* Turtle (the ``.ttl`` twins of CTDL-ASN frameworks);
* the publisher's non-strict JSON (comments, trailing commas, several values in one file): refused by
  default with the line, column and defect, read when ``IngestOptions.lenient`` is set.

Every triple leaves here namespace-normalised: CTDL and CTDL-ASN terms under ``https://purl.org/...``
whatever the source wrote, and language tags lower-cased.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pyoxigraph as ox

from lermap.graph.jsonld import to_quads
from lermap.graph.terms import Object, Subject, TripleTuple
from lermap.graph.vocab import LERMAP_ID_BASE
from lermap.ingest.base import IngestContext, Source, check_json_depth

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


def normalise_triples(quads: list[ox.Quad] | list[ox.Triple]) -> list[TripleTuple]:
    """Triples with CTDL namespaces on ``https`` and lower-cased language tags, duplicates dropped."""
    out: dict[TripleTuple, None] = {}
    for q in quads:
        s: Subject = _norm_node(q.subject)
        p: ox.NamedNode = _norm_node(q.predicate)
        o: Object = _norm_node(q.object)
        out[(s, p, o)] = None
    return list(out)


# --- JSON: strict, diagnosed, lenient --------------------------------------------------------------


def _strip_nonstrict(text: str) -> str:
    """Blank out ``//`` and ``/* */`` comments and trailing commas outside strings (offsets kept)."""
    out = list(text)
    i, n = 0, len(text)
    in_str = False
    last_sig = -1  # index of the last significant character outside strings and comments
    while i < n:
        c = text[i]
        if in_str:
            if c == "\\":
                i += 2
                continue
            if c == '"':
                in_str = False
                last_sig = i
            i += 1
            continue
        if c == '"':
            in_str = True
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            for k in range(i, end):
                out[k] = " "
            i = end
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            for k in range(i, end):
                if out[k] != "\n":
                    out[k] = " "
            i = end
            continue
        elif c in "}]" and last_sig >= 0 and out[last_sig] == ",":
            out[last_sig] = " "
        if not c.isspace():
            last_sig = i
        i += 1
    return "".join(out)


def _defect(text: str, exc: json.JSONDecodeError) -> tuple[str, bool]:
    """What makes ``text`` invalid where ``exc`` points, and whether a lenient read can get past it."""
    pos = exc.pos
    rest = text[pos:].lstrip()
    if exc.msg.startswith("Extra data"):
        return "more than one JSON value in one file", True
    if rest.startswith(("//", "/*")):
        return "a comment (JSON has none)", True
    if text[:pos].rstrip().endswith(",") and rest[:1] in "}]":
        return "a trailing comma", True
    if "/*" in text or re.search(r"^\s*//", text, re.MULTILINE):
        return f"{exc.msg} (the file also holds comments, which JSON does not allow)", True
    return exc.msg, False


def read_json(source: Source, ctx: IngestContext) -> list[Any]:
    """The JSON values of the source: one normally; several from a lenient read of concatenated values."""
    text = source.text(source.limits.max_json_bytes)
    try:
        value = json.loads(text)
    except RecursionError:
        ctx.fail("(document)", "JSON nested too deeply to read")
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        defect, fixable = _defect(text, exc)
        if not fixable:
            ctx.fail(where, f"invalid JSON: {defect}")
        if not ctx.options.lenient:
            ctx.fail(
                where,
                f"not strict JSON: {defect}; the publisher ships some CTDL examples this way — "
                "read them with the lenient option (IngestOptions.lenient=True)",
            )
        values = _read_lenient(text, ctx)
        ctx.warn(where, f"non-strict JSON read leniently ({defect})")
        for v in values:
            check_json_depth(v, source.key, source.limits.max_json_depth)
        return values
    check_json_depth(value, source.key, source.limits.max_json_depth)
    return [value]


def _read_lenient(text: str, ctx: IngestContext) -> list[Any]:
    cleaned = _strip_nonstrict(text)
    decoder = json.JSONDecoder()
    values: list[Any] = []
    pos, n = 0, len(cleaned)
    while True:
        while pos < n and cleaned[pos].isspace():
            pos += 1
        if pos >= n:
            break
        try:
            value, pos = decoder.raw_decode(cleaned, pos)
        except json.JSONDecodeError as exc:
            ctx.fail(f"line {exc.lineno}, column {exc.colno}", f"unreadable even leniently: {exc.msg}")
        values.append(value)
    if not values:
        ctx.fail("(document)", "no JSON value in the file")
    return values


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
    Documents without ``@context`` get the registry's contexts.
    """
    for i, d in enumerate(docs):
        location = f"[{i}]" if len(docs) > 1 else "(document)"
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
    bare = [d for d in docs if "@context" not in d]
    if bare:
        if not any(_CTDL_KEY.search(json.dumps(d)) for d in bare):
            ctx.fail("(document)", "not a CTDL document: no @context and no ceterms:/ceasn: terms")
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
    return normalise_triples(to_quads(doc, source.key, base_iri=document_base(source)))


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


def sniff_json(head: bytes) -> str | None:
    """Which CTDL family a JSON head belongs to: "ctdl", "ctdl-asn", "bare-ctdl", "bare-asn" or None.

    The first ``@context`` decides; documents of other families that merely mention CTDL terms (an Open
    Badges alignment to the registry, say) are not claimed.
    """
    if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[", b"/")) or _FOREIGN_CONTEXT.search(head):
        return None
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
