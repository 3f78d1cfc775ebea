"""RDFC-1.0 (URDNA2015) canonical N-Quads of a JSON-LD document, strictly offline and within work limits.

pyld does the JSON-LD → RDF step with lermap's offline document loader (bundled and user-registered
contexts only; an unknown context URL raises :class:`~lermap.errors.ContextError`) and the
canonicalisation proper. Its URDNA2015 has no bound on the Hash N-Degree Quads work, which crafted
blank-node graphs can make exponential ("poison graphs", RDFC-1.0 §4.4), so that step is counted and
stopped; documents over a size bound are not canonicalised at all.

Like jsonld.js's ``safe`` mode (which the reference Data Integrity verifiers use), a property that the
``@context`` does not define is refused rather than silently dropped: a signature over a canonical form
that leaves it out would not cover it, so it could be altered freely.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from cachetools import LRUCache
from pyld import jsonld
from pyld.canon import URDNA2015
from pyld.context_resolver import ContextResolver

from lermap.errors import ContextError, LermapError
from lermap.graph.jsonld import ContextRegistry, default_registry
from lermap.ingest.credentials.proofs.outcome import NotCheckable, ProofFailed

MAX_DOCUMENT_CHARS = 2 * 1024 * 1024  # credentials are a few kB; canonicalising MBs in pure Python takes minutes
MAX_BLANK_NODES = 5_000
MAX_N_DEGREE_CALLS = 2_000


class _WorkLimit(Exception):
    pass


class _BoundedURDNA2015(URDNA2015):  # type: ignore[misc]
    """pyld's URDNA2015 with a cap on Hash N-Degree Quads calls (RDFC-1.0 asks implementations to bound it)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def hash_n_degree_quads(self, id_: str, issuer: Any) -> Any:
        self.calls += 1
        if self.calls > MAX_N_DEGREE_CALLS:
            raise _WorkLimit
        return super().hash_n_degree_quads(id_, issuer)


@lru_cache(maxsize=8)
def _resolver_cache(registry: ContextRegistry) -> LRUCache[Any, Any]:
    # One pyld context cache per registry, so contexts registered in one config never leak into another.
    return LRUCache(maxsize=100)


def _context_error(exc: BaseException) -> ContextError | None:
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        if isinstance(cur, ContextError):
            return cur
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return None


def canonical_nquads(document: Any, source_key: str, what: str = "document") -> str:
    """The canonical N-Quads of ``document``; raises :class:`NotCheckable` when it cannot be computed offline."""
    size = len(json.dumps(document, ensure_ascii=False))
    if size > MAX_DOCUMENT_CHARS:
        raise NotCheckable(
            f"the {what} is {size:,} characters of JSON, over the {MAX_DOCUMENT_CHARS:,} this checker canonicalises"
        )
    registry = default_registry()
    loader = registry.loader(source_key)
    options: dict[str, Any] = {
        "documentLoader": loader,
        "contextResolver": ContextResolver(_resolver_cache(registry), loader),
        "base": "",
        "produceGeneralizedRdf": False,
        "processingMode": "json-ld-1.1",
        "extractAllScripts": True,
    }
    dropped: list[str] = []
    processor = jsonld.JsonLdProcessor(on_property_dropped=lambda prop: dropped.append(str(prop)))
    try:
        dataset = processor.to_rdf(document, options)
    except RecursionError:
        raise NotCheckable(f"the {what} is nested too deeply to canonicalise") from None
    except Exception as exc:  # noqa: BLE001 - pyld raises JsonLdError, but also TypeError/KeyError on odd input
        if (ctx_err := _context_error(exc)) is not None:
            raise NotCheckable(f"cannot canonicalise the {what} offline: {ctx_err.reason}") from None
        if isinstance(exc, LermapError):
            raise NotCheckable(f"cannot canonicalise the {what}: {exc}") from None
        raise ProofFailed(f"the {what} is not valid JSON-LD: {_pyld_message(exc)}") from None
    if dropped:
        names = ", ".join(sorted(set(dropped))[:5])
        raise ProofFailed(
            f"the {what} has properties its @context does not define ({names}); a signature cannot cover them"
        )
    blank = {
        t[k]["value"]
        for ts in dataset.values()
        for t in ts
        for k in ("subject", "object")
        if t[k]["type"] == "blank node"
    }
    if len(blank) > MAX_BLANK_NODES:
        raise NotCheckable(
            f"the {what} has {len(blank):,} blank nodes, over the {MAX_BLANK_NODES:,} this checker canonicalises"
        )
    try:
        result = _BoundedURDNA2015().main(dataset, {"format": "application/n-quads"})
    except _WorkLimit:
        raise NotCheckable(
            f"canonicalising the {what} needs more than {MAX_N_DEGREE_CALLS:,} blank-node hashing rounds "
            "(a pathological blank-node graph); refused"
        ) from None
    return str(result)


def _pyld_message(exc: BaseException) -> str:
    """pyld's JsonLdError prints a tuple and its type; the innermost message is the readable part."""
    inner: BaseException = exc
    while inner.__cause__ is not None:
        inner = inner.__cause__
    if isinstance(inner, jsonld.JsonLdError):
        msg = str(inner.args[0]) if inner.args else inner.type
        code = getattr(inner, "code", None)
        return f"{msg} ({code})" if code else msg
    return f"{type(inner).__name__}: {inner}"
