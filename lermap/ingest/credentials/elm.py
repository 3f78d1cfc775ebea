"""Europass / European Learning Model (ELM v3, EDC) credentials: JSON-LD, Turtle, and the EDC wrappers.

Read forms: a JSON-LD credential (context ``http://data.europa.eu/snb/model/context/edc-ap``); the EDC export
wrapper ``{"credential": ..., "deliveryDetails": ...}`` (the delivery details name the learner and are dropped);
a JAdES/JWS JSON serialisation ``{"payload": ..., "signatures": [...]}`` (signature not checked offline); and
Turtle. The learner (the credential subject) is removed before mapping; the core view is computed from the
triples (:mod:`lermap.ingest.credentials.elm_mapping`) so that a JSON-LD credential and its Turtle twin map alike.
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from lermap.errors import SourceError
from lermap.graph.context_choice import ContextChoice
from lermap.graph.jsonld import to_quads
from lermap.graph.terms import TripleTuple
from lermap.graph.vocab import RDF
from lermap.ingest.base import IngestContext, Ingester, Source, parse_json_text
from lermap.ingest.credentials.contexts import VC1_CONTEXT, VC2_CONTEXT
from lermap.ingest.credentials.elm_mapping import ELM, ElmMapper, Index, scrub_subjects
from lermap.ingest.credentials.read import as_list, check_contexts, json_head, types_of
from lermap.ingest.jsonld import compacted, context_policy, read_json_document

EDC_CONTEXT = "http://data.europa.eu/snb/model/context/edc-ap"
ELM_VOCAB = "http://data.europa.eu/snb/model/elm/"
# What an ELM credential in expanded or flattened form is compacted against: the VC 1.1 envelope ELM documents
# carry (2.0 when its IRIs say so), with the EDC context.
ELM_CONTEXTS = ContextChoice(bases=((VC1_CONTEXT, EDC_CONTEXT), (VC2_CONTEXT, EDC_CONTEXT)))
# What stays of a credential subject before expansion: its claims (and, in OB 3.0-merged documents, the achievement).
SUBJECT_KEEP = frozenset({"hasClaim", "achievement"})


@dataclass
class ElmParsed:
    """The scrubbed triples of one ELM document and the envelope facts the core view records."""

    triples: list[TripleTuple]
    envelope: str
    proof_type: str | None


class ElmIngester(Ingester):
    name = "elm"
    title = "European Learning Model (Europass EDC)"
    version = "1"

    def sniff(self, source: Source) -> float:
        if source.is_dir:
            return 0.0
        if source.suffix in (".ttl", ".turtle"):
            head = source.head(16384).decode("utf-8", "replace")
            return 0.9 if "data.europa.eu/snb/model/elm" in head else 0.0
        head = json_head(source)
        if not head:
            return 0.0
        if EDC_CONTEXT in head:
            return 0.95  # above ob3 (0.9): EDC documents merged with OB 3.0 are ELM first
        if "EuropeanDigitalCredential" in head or (f'"{ELM_VOCAB}' in head and '"@context"' not in head):
            return 0.85
        return 0.0

    # -- parse --------------------------------------------------------------------------------

    def parse(self, source: Source, ctx: IngestContext) -> ElmParsed:
        head = source.head(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
        if source.suffix in (".ttl", ".turtle") or not head.startswith((b"{", b"[")):
            triples = self._turtle(source, ctx)
            envelope, proof = "rdf", None
        else:
            doc, proof = self._unwrap(compacted(read_json_document(source, ctx), ctx, ELM_CONTEXTS), ctx)
            envelope = "vc2.0" if VC2_CONTEXT in as_list(doc.get("@context")) else "vc1.1"
            if isinstance(doc.get("proof"), (dict, list)):
                proof = ",".join(t for p in as_list(doc["proof"]) for t in types_of(p)) or "proof"
            if not ctx.options.personal:
                doc = _scrub_json(doc)
            triples = self._expand(check_contexts(doc, ctx), ctx)
        if not ctx.options.personal:
            triples = scrub_subjects(triples, ctx)
        ctx.format_version = "3"
        return ElmParsed(triples, envelope, proof)

    def _turtle(self, source: Source, ctx: IngestContext) -> list[TripleTuple]:
        text = source.text()
        try:
            quads = ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE, base_iri=None)
            triples = [(q.subject, q.predicate, q.object) for q in quads]
        except SyntaxError as exc:
            ctx.fail("(Turtle)", f"invalid Turtle: {exc}")
        if not any(p == RDF.type and isinstance(o, ox.NamedNode) and o.value.startswith(ELM) for _, p, o in triples):
            ctx.fail("(Turtle)", f"no resource typed in the ELM vocabulary ({ELM}): not a European Learning Model document")
        return triples

    def _unwrap(self, doc: Any, ctx: IngestContext) -> tuple[dict[str, Any], str | None]:
        """The credential object inside the EDC wrappers, with the signature facts."""
        if not isinstance(doc, dict):
            ctx.fail("(document)", f"an ELM credential must be a JSON object, not a JSON {type(doc).__name__}")
        proof: str | None = None
        if "payload" in doc and "signatures" in doc and "@context" not in doc:
            doc, proof = self._jws_payload(doc, ctx), "JAdES"
        if "credential" in doc and "@context" not in doc:
            if "deliveryDetails" in doc:
                ctx.warn("deliveryDetails", "EDC delivery details (the learner's delivery address) dropped")
            doc = doc["credential"]
            if not isinstance(doc, dict):
                ctx.fail("credential", "the EDC wrapper's credential must be a JSON object")
        if "@context" not in doc:
            if "EuropeanDigitalCredential" not in types_of(doc):
                ctx.fail("@context", f"missing @context and no EuropeanDigitalCredential type: not an ELM credential ({EDC_CONTEXT})")
            ctx.warn("@context", f"missing @context: read with {VC1_CONTEXT} and {EDC_CONTEXT}")
            doc = {"@context": [VC1_CONTEXT, EDC_CONTEXT], **doc}
        if EDC_CONTEXT not in as_list(doc.get("@context")):
            ctx.fail("@context", f"not a European Learning Model credential: its @context does not name {EDC_CONTEXT}")
        if "VerifiableCredential" not in types_of(doc):
            ctx.warn("type", "not typed VerifiableCredential: the VC terms (issuer, credentialSubject, dates) are "
                             "undefined without it and are lost")
        return doc, proof

    def _jws_payload(self, doc: dict[str, Any], ctx: IngestContext) -> Any:
        signatures = doc.get("signatures")
        header: Any = {}
        if isinstance(signatures, list) and signatures and isinstance(signatures[0], dict):
            protected = signatures[0].get("protected")
            if isinstance(protected, str):
                try:
                    header = json.loads(base64.urlsafe_b64decode(protected + "=" * (-len(protected) % 4)))
                except (binascii.Error, ValueError):
                    ctx.fail("signatures[0].protected", "not a base64url-encoded JSON header")
        payload = doc.get("payload")
        if not isinstance(payload, str):
            ctx.fail("payload", "a JWS payload must be a string")
        if isinstance(header, dict) and header.get("b64") is False:
            text = payload  # RFC 7797 unencoded payload: the JSON text itself
        else:
            try:
                text = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode("utf-8")
            except (binascii.Error, ValueError):
                ctx.fail("payload", "not base64url-encoded UTF-8 (and the header does not say b64: false)")
        alg = header.get("alg") if isinstance(header, dict) else None
        ctx.warn("signatures", f"JAdES/JWS signature ({alg or 'unknown alg'}) not checked offline")
        return parse_json_text(text, ctx.source.key, ctx.source.limits)

    def _expand(self, doc: dict[str, Any], ctx: IngestContext) -> list[TripleTuple]:
        try:
            quads = to_quads(doc, ctx.source.key, policy=context_policy(ctx))
        except SourceError as exc:
            contexts = as_list(doc.get("@context"))
            if "protected term" not in exc.reason or EDC_CONTEXT not in contexts or contexts[0] == EDC_CONTEXT:
                raise
            # EDC documents merged with OB 3.0 list the ELM context after the protected VC 2.0 one, which JSON-LD
            # forbids; read with the ELM context first so VC/OB terms win where both define one.
            term = re.search(r'term "([^"]+)"', exc.reason)
            ctx.warn("@context", f"the ELM context redefines protected VC terms (such as \"{term.group(1) if term else '?'}\"): "
                                 "read with the ELM context first, VC and OB definitions win on conflicts")
            reordered = {**doc, "@context": [EDC_CONTEXT, *(c for c in contexts if c != EDC_CONTEXT)]}
            quads = to_quads(reordered, ctx.source.key, policy=context_policy(ctx))
        return [(q.subject, q.predicate, q.object) for q in quads]  # type: ignore[misc]

    # -- map ----------------------------------------------------------------------------------

    def map(self, parsed: ElmParsed, ctx: IngestContext) -> Iterator[TripleTuple]:
        yield from parsed.triples
        yield from ElmMapper(ctx, Index(parsed.triples), parsed.envelope, parsed.proof_type).credentials()


def _scrub_json(doc: dict[str, Any]) -> dict[str, Any]:
    """The credential without its subject's identity: each subject keeps only its claims."""
    out = copy.deepcopy(doc)
    subjects = out.get("credentialSubject")
    if subjects is not None:
        out["credentialSubject"] = [
            {k: v for k, v in s.items() if k in SUBJECT_KEEP} if isinstance(s, dict) else {} for s in as_list(subjects)
        ]
    return out
