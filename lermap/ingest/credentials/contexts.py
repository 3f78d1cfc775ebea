"""The contexts credentials are published with, and the vocabulary IRIs that say "a credential" without one.

A credential that arrives expanded or flattened carries no ``@context``: :data:`CREDENTIAL_CONTEXTS` lists the
context lists published credentials carry, from which :func:`lermap.graph.context_choice.contexts_for` picks the
one the document's IRIs call for (see :func:`lermap.ingest.jsonld.compacted`). The ``*_VOCAB`` IRIs let ``sniff``
recognise such a document.
"""

from __future__ import annotations

from lermap.graph.context_choice import ContextChoice

VC1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
_OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/"
# What a credential in expanded or flattened form is compacted against (lermap.graph.jsonld_forms.contexts_for):
# the context lists published credentials carry. The versions of the OB 3.0 context map some terms to different
# IRIs ("achievement": obv:Achievement in 3.0.0, obv:achievement-0 in 3.0.1, obv:achievement since 3.0.2), so the
# IRIs a document uses say which list it was written with.
CREDENTIAL_CONTEXTS = ContextChoice(
    bases=(
        (VC2_CONTEXT, OB3_CONTEXT),
        (VC2_CONTEXT, CLR_CONTEXT, OB3_CONTEXT),
        (VC2_CONTEXT, _OB3 + "context-3.0.2.json"),
        (VC1_CONTEXT, OB3_CONTEXT),
        (VC1_CONTEXT, _OB3 + "context-3.0.2.json"),
        (VC1_CONTEXT, _OB3 + "context-3.0.1.json"),
        (VC1_CONTEXT, _OB3 + "context.json"),
        (VC1_CONTEXT, "https://purl.imsglobal.org/spec/clr/v2p0/context.json", _OB3 + "context.json"),
        (VC2_CONTEXT, "https://www.w3.org/ns/credentials/examples/v2"),
        (VC1_CONTEXT, "https://www.w3.org/2018/credentials/examples/v1"),
        (VC2_CONTEXT,),
        (VC1_CONTEXT,),
    ),
    addons=(
        _OB3 + "extensions.json",
        "https://www.w3.org/ns/credentials/status/v1",
        ("https://w3id.org/security/data-integrity/v2", "https://w3id.org/security/data-integrity/v1"),
        "https://w3id.org/security/suites/ed25519-2020/v1",
        "https://w3id.org/security/suites/ed25519-2018/v1",
        "https://w3id.org/security/suites/jws-2020/v1",
        "https://w3id.org/security/suites/secp256k1-2019/v1",
        "https://www.w3.org/ns/credentials/undefined-terms/v2",
    ),
)
# The IRIs that say "a credential" in a document's first bytes when it has no context (expanded form).
VC_VOCAB = "https://www.w3.org/2018/credentials#"
OB3_VOCAB = "purl.imsglobal.org/spec/vc/ob/vocab.html#"
CLR_VOCAB = "purl.imsglobal.org/spec/vc/clr/vocab.html#"
