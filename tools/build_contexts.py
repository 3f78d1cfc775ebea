"""Build lermap's bundled JSON-LD contexts (lermap/graph/contexts/) from the standards' term definitions.

The facts of a JSON-LD context are its term definitions: each term's IRI, ``@type`` coercion, ``@container``,
``@language``/``@direction``, ``@protected`` flag, ``@nest``/``@index``/``@prefix`` and scoped contexts. This
script reads them from the publishers' context documents (``shared/conformance/contexts``, via pyld's context
processing, so every compact IRI, term reference and ``@vocab``-derived IRI is resolved the way a JSON-LD
processor resolves it) and writes each context anew in lermap's own layout:

* a full IRI is written as a compact IRI over the prefixes that level of the context defines itself, or over one of
  lermap's few helper prefixes (``HELPERS``: names no document uses, declared in every scoped context that uses
  them and, in a ``@protected`` context, marked ``"@protected": false`` so they never block a document's own
  definitions);
* where the publisher wrote a compact IRI over a prefix defined elsewhere, or a term reference, its meaning depends
  on the definitions active where the context is used; that text is kept as written;
* a term is written in its shortest equivalent form (a plain string where the definition is only an IRI and the
  plain form keeps the term's prefix flag); defaults are dropped;
* terms are ordered: keywords, prefixes, keyword aliases, classes, properties (each alphabetical).

Run from the repository root (re-runnable; output is deterministic):

    .venv/bin/python tools/build_contexts.py [--conformance ../shared/conformance]

tests/graph/test_contexts.py checks the result: term by term against the publishers' documents, and by expanding
every conformance document with both.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from pyld import jsonld
from pyld.context_resolver import ContextResolver

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "lermap" / "graph" / "contexts"

# (our file, the URLs it answers for, the publisher's document in shared/conformance/contexts)
SOURCES: list[tuple[str, list[str], str]] = [
    ("vc-v1.jsonld", ["https://www.w3.org/2018/credentials/v1"], "w3c-credentials-v1.jsonld"),
    ("vc-v2.jsonld", ["https://www.w3.org/ns/credentials/v2"], "w3c-credentials-v2.jsonld"),
    (
        "vc-examples-v1.jsonld",
        ["https://www.w3.org/2018/credentials/examples/v1"],
        "w3c-credentials-examples-v1.jsonld",
    ),
    ("vc-examples-v2.jsonld", ["https://www.w3.org/ns/credentials/examples/v2"], "w3c-credentials-examples-v2.jsonld"),
    (
        "vc-undefined-terms-v2.jsonld",
        ["https://www.w3.org/ns/credentials/undefined-terms/v2"],
        "w3c-credentials-undefined-terms-v2.jsonld",
    ),
    ("vc-status-v1.jsonld", ["https://www.w3.org/ns/credentials/status/v1"], "w3c-ns-credentials-status-v1.jsonld"),
    ("odrl.jsonld", ["https://www.w3.org/ns/odrl.jsonld"], "odrl.jsonld"),
    ("did-v1.jsonld", ["https://www.w3.org/ns/did/v1"], "did-v1.jsonld"),
    ("security-v1.jsonld", ["https://w3id.org/security/v1"], "security-v1.jsonld"),
    ("security-v2.jsonld", ["https://w3id.org/security/v2"], "security-v2.jsonld"),
    (
        "data-integrity-v1.jsonld",
        ["https://w3id.org/security/data-integrity/v1"],
        "w3id-security-data-integrity-v1.w3c.jsonld",
    ),
    (
        "data-integrity-v2.jsonld",
        ["https://w3id.org/security/data-integrity/v2"],
        "w3id-security-data-integrity-v2.jsonld",
    ),
    ("multikey-v1.jsonld", ["https://w3id.org/security/multikey/v1"], "w3id-security-multikey-v1.jsonld"),
    ("jwk-v1.jsonld", ["https://w3id.org/security/jwk/v1"], "w3id-jwk-v1.jsonld"),
    ("bbs-v1.jsonld", ["https://w3id.org/security/bbs/v1"], "security-bbs-v1.jsonld"),
    ("suite-ed25519-2018.jsonld", ["https://w3id.org/security/suites/ed25519-2018/v1"], "suites-ed25519-2018.jsonld"),
    ("suite-ed25519-2020.jsonld", ["https://w3id.org/security/suites/ed25519-2020/v1"], "suites-ed25519-2020.jsonld"),
    ("suite-jws-2020.jsonld", ["https://w3id.org/security/suites/jws-2020/v1"], "suites-jws-2020.jsonld"),
    (
        "suite-secp256k1-2019.jsonld",
        ["https://w3id.org/security/suites/secp256k1-2019/v1"],
        "suites-secp256k1-2019.jsonld",
    ),
    ("ob-v2.jsonld", ["https://w3id.org/openbadges/v2"], "ob-v2-context.spec.json"),
    (
        "ob-v2-ext-example.jsonld",
        ["https://w3id.org/openbadges/extensions/exampleExtension/context.json"],
        "obv2x-example-extension.json",
    ),
    (
        "ob-v2-ext-applylink.jsonld",
        ["https://w3id.org/openbadges/extensions/applyLinkExtension/context.json"],
        "obv2x-applylink-extensions.json",
    ),
    ("ob-v3p0.jsonld", ["https://purl.imsglobal.org/spec/ob/v3p0/context.json"], "ob-v3p0.json"),
    ("ob-v3p0-3.0.1.jsonld", ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json"], "ob-v3p0-3.0.1.json"),
    ("ob-v3p0-3.0.2.jsonld", ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json"], "ob-v3p0-3.0.2.json"),
    # The published copy with endorsementJwt and jti (the other copy lacks those two terms).
    ("ob-v3p0-3.0.3.jsonld", ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"], "ob-v3p0-3.0.3.json"),
    (
        "ob-v3p0-extensions.jsonld",
        ["https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"],
        "ob-v3p0-extensions.json",
    ),
    (
        "ob-v3p0-ext-license-3.0.0.jsonld",
        ["https://openbadgespec.org/extensions/licenseExtension/context-3.0.0.json"],
        "ob-v3p0-ext-license-context-3.0.0.json",
    ),
    ("clr-v2p0.jsonld", ["https://purl.imsglobal.org/spec/clr/v2p0/context.json"], "clr-v2p0.json"),
    ("clr-v2p0-2.0.1.jsonld", ["https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"], "clr-v2p0-2.0.1.json"),
    (
        "ctdl.jsonld",
        ["https://credreg.net/ctdl/schema/context/json", "http://credreg.net/ctdl/schema/context/json"],
        "ctdl-context.credreg-2026-08-06.json",
    ),
    (
        "ctdl-asn.jsonld",
        ["https://credreg.net/ctdlasn/schema/context/json", "http://credreg.net/ctdlasn/schema/context/json"],
        "ctdlasn-context.credreg-2026-08-06.json",
    ),
    ("elm-edc-ap.jsonld", ["http://data.europa.eu/snb/model/context/edc-ap"], "edc-ap-context.jsonld"),
]

# Prefixes lermap may add. A JSON-LD context's terms are visible to the documents that use it, and a string like
# "sec:jws" means a different IRI once "sec" is a term, so only names nobody uses as a scheme or prefix of their own
# are added where the publisher defined no prefix; a conventional name (sec, xsd, schema...) is used only where the
# publisher's context itself defines it, at that level or an enclosing one.
HELPERS: dict[str, str] = {
    "https://purl.imsglobal.org/spec/vc/ob/vocab.html#": "obv",
    "https://purl.imsglobal.org/spec/vc/clr/vocab.html#": "clrv",
    "https://www.w3.org/ns/credentials/status#": "vcstatus",
}

KEYWORD_ORDER = ["@version", "@import", "@propagate", "@protected", "@base", "@vocab", "@language", "@direction"]
GEN_DELIM = re.compile(r".*[:/?#\[\]@]$")


def official_loader(folder: Path) -> Any:
    """A pyld document loader serving the publishers' documents (first copy of context-map.json)."""
    cmap = json.loads((folder / "context-map.json").read_text("utf-8"))

    def load(url: str, options: Any = None) -> dict[str, Any]:
        files = cmap.get(url)
        if not files:
            raise KeyError(f"no local copy of {url}")
        doc = json.loads((folder / files[0]).read_text("utf-8"))
        return {"contextUrl": None, "documentUrl": url, "document": doc}

    return load


class Builder:
    """Rewrites one publisher context into lermap's layout, using pyld for the meaning of each definition."""

    def __init__(self, loader: Any) -> None:
        self.proc = jsonld.JsonLdProcessor()
        self.options = {
            "base": "",
            "documentLoader": loader,
            "contextResolver": ContextResolver({}, loader),
            "processingMode": "json-ld-1.1",
        }
        self.names: dict[str, set[str]] = {}  # every term name in the context tree -> the IRIs it maps to

    def build(self, ctx: Any) -> Any:
        self.names = {}
        self.strings: set[str] = set()
        self._collect(ctx)
        return self._value(ctx, self.proc._get_initial_context(self.options), scoped=False)

    def _collect(self, node: Any) -> None:
        """Every term name (with the IRIs it is given) and every string in the context tree."""
        if isinstance(node, list):
            for c in node:
                self._collect(c)
        elif isinstance(node, str):
            self.strings.add(node)
        elif isinstance(node, dict):
            for term, value in node.items():
                if not term.startswith("@"):
                    iri = value if isinstance(value, str) else value.get("@id", "") if isinstance(value, dict) else ""
                    self.names.setdefault(term, set()).add(iri)
                self._collect(value)

    def _process(self, active: Any, ctx: Any, scoped: bool) -> Any:
        return self.proc._process_context(active, ctx, self.options, override_protected=scoped)

    def _value(self, ctx: Any, active: Any, scoped: bool) -> Any:
        if ctx is None or isinstance(ctx, str):
            return ctx
        if isinstance(ctx, list):
            out: list[Any] = []
            for c in ctx:
                built = self._value(c, active, scoped)
                out.extend(built if isinstance(built, list) else [built])
                active = self._process(active, c, scoped)
            return out
        return self._object(ctx, active, scoped)

    def _helper_ok(self, name: str) -> bool:
        return name not in self.names and not any(s.startswith(name + ":") for s in self.strings)

    def _object(self, ctx: dict[str, Any], outer: Any, scoped: bool) -> Any:
        active = self._process(outer, ctx, scoped)
        protected = bool(ctx.get("@protected", False))
        mappings = active["mappings"]
        own = {
            t: mappings[t]["@id"]
            for t, v in ctx.items()
            if not t.startswith("@") and isinstance(v, str) and mappings.get(t) and mappings[t]["_prefix"]
        }
        candidates = [(ns, n) for n, ns in own.items()]
        candidates += [(ns, n) for ns, n in HELPERS.items() if n not in own and self._helper_ok(n)]
        candidates.sort(key=lambda c: -len(c[0]))
        declared: dict[str, str] = {}  # helper prefixes used at this level

        def compact(iri: str) -> str:
            for ns, name in candidates:
                local = iri[len(ns) :]
                if not iri.startswith(ns) or not local or local.startswith("//") or f"{name}:{local}" in self.names:
                    continue
                if name not in own:
                    declared[name] = ns
                return f"{name}:{local}"
            return iri

        def write(term: str, written: str, expanded: str) -> str:
            """How to write an IRI the publisher wrote as ``written`` and a processor expands to ``expanded``."""
            if expanded.startswith("@"):
                return expanded
            if ":" in written:
                prefix, rest = written.split(":", 1)
                absolute = prefix == "_" or rest.startswith("//")
                # A compact IRI over a prefix this level does not define means whatever that prefix means where the
                # context is used (and "did:..."-like IRIs stay as they are): keep the publisher's form.
                if not absolute and prefix not in ctx:
                    return written
            elif written == term or written not in ctx:
                return written  # a term reference or @vocab-relative IRI, resolved where the context is used
            return compact(expanded)

        keywords = {k: ctx[k] for k in KEYWORD_ORDER if k in ctx}
        unknown = [k for k in ctx if k.startswith("@") and k not in KEYWORD_ORDER and k != "@type"]
        if unknown:
            raise SystemExit(f"unhandled context keywords {unknown}")
        terms: dict[str, Any] = {}
        for term, raw in ctx.items():
            if term == "@type":  # the @type keyword's own definition (@container/@protected)
                terms[term] = raw
            elif not term.startswith("@"):
                m = mappings.get(term) if raw is not None else None
                terms[term] = self._term(term, raw, m, protected, write, active)
        # In a protected context an added prefix stays unprotected, so a document may still define the name its own way.
        defs = {n: {"@id": ns, "@prefix": True, "@protected": False} if protected else ns for n, ns in sorted(declared.items())}
        ordered = sorted(terms.items(), key=lambda tv: _order(tv, own))
        return {**keywords, **defs, **dict(ordered)}

    def _term(self, term: str, raw: Any, m: Any, protected: bool, write: Any, active: Any) -> Any:
        if raw is None or m is None or m.get("@id") is None:
            return None
        d: dict[str, Any] = {}
        raw_d = raw if isinstance(raw, dict) else {}
        if m["reverse"]:
            d["@reverse"] = write(term, raw_d["@reverse"], m["@id"])
        elif isinstance(raw, str) or "@id" in raw_d:
            written = raw if isinstance(raw, str) else raw_d["@id"]
            # A prefix definition stays a full IRI; everything else is compacted.
            d["@id"] = m["@id"] if m["_prefix"] else write(term, written, m["@id"])
        if "@type" in raw_d:
            d["@type"] = write(term, raw_d["@type"], m["@type"])
        if "@container" in raw_d:
            c = sorted(m["@container"])
            d["@container"] = c[0] if len(c) == 1 else c
        for key in ("@language", "@direction", "@index", "@nest", "@prefix"):
            if key in raw_d:
                d[key] = raw_d[key]
        term_protected = raw_d.get("@protected", protected)
        if term_protected != protected:
            d["@protected"] = term_protected
        if "@context" in raw_d:
            d["@context"] = self._value(raw_d["@context"], active, scoped=True)
        if list(d) == ["@id"]:
            as_string_prefix = ":" not in term and (m["@id"].startswith("_:") or bool(GEN_DELIM.match(m["@id"])))
            if as_string_prefix == m["_prefix"]:
                return d["@id"]
        return d


def _order(item: tuple[str, Any], prefixes: dict[str, str]) -> tuple[int, str]:
    term, value = item
    if term.startswith("@"):
        rank = 0
    elif term in prefixes:
        rank = 1
    elif isinstance(value, str) and value.startswith("@"):
        rank = 2
    elif term[:1].isupper():
        rank = 3
    else:
        rank = 4
    return (rank, term.lower() + "\0" + term)


def render(value: Any, depth: int = 0, lead: int = 0, width: int = 118) -> str:
    """JSON with one term per line; objects and lists that fit on the rest of the line stay on one line."""
    flat = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    if len(flat) + 2 * depth + lead <= width or not isinstance(value, dict | list) or not value:
        return flat
    pad, end = "  " * (depth + 1), "  " * depth
    if isinstance(value, list):
        items = [pad + render(v, depth + 1, 1, width) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + end + "]"
    items = [f"{pad}{json.dumps(k, ensure_ascii=False)}: {render(v, depth + 1, len(k) + 5, width)}" for k, v in value.items()]
    return "{\n" + ",\n".join(items) + "\n" + end + "}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conformance", type=Path, default=ROOT.parent / "shared" / "conformance")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    folder = args.conformance / "contexts"
    builder = Builder(official_loader(folder))
    index: dict[str, str] = {}
    for name, urls, official in SOURCES:
        doc = json.loads((folder / official).read_text("utf-8"))
        ours = {"@context": builder.build(doc["@context"])}
        (args.out / name).write_text(render(ours) + "\n", "utf-8")
        for url in urls:
            index[url] = name
        print(f"{name:36} {len(json.dumps(doc)):7} -> {len(json.dumps(ours)):7} chars")
    (args.out / "index.json").write_text(json.dumps(dict(sorted(index.items())), indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
