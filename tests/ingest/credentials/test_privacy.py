"""Privacy by design: no learner identity from any positive credential document reaches the shared graph.

For every positive document of the learner-side formats (OB 3.0, CLR 2.0, VC 1.1/2.0, and OB 2.0, ELM, LER-RS
once their ingesters exist) this collects the subject's identifying strings from the source — ids, e-mails,
names, identity hashes, phone numbers... under ``credentialSubject`` (OB 2.0: ``recipient``; JWT: ``sub``),
leaving out the achievement/result structures the core view keeps and any string the document also states
publicly (outside the subject) — and asserts that none of them appears in the N-Quads dump of the graph.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import pytest

import lermap
from lermap.errors import ConfigError, SourceError, UnsupportedFormatError
from lermap.ingest.base import IngestContext, Source
from tests.conftest import CONFORMANCE

FOLDERS = ("ob3", "clr2", "vc1", "vc2", "ob2", "elm", "ler-rs")
SUFFIXES = {".json", ".jsonld", ".1ob", ".jwt", ".png", ".svg"}
# Collected at the top of a subject, and anywhere under a person-like key.
IDENTITY_KEYS = {
    "id", "@id", "email", "emailAddress", "name", "givenName", "familyName", "fullName", "formattedName",
    "identityHash", "identity", "identifier", "salt", "telephone", "phone", "birthDate", "dateOfBirth",
    "image", "portrait", "studentId", "licenseNumber",
}
PERSON_KEYS = {"person", "name", "identifier", "identity", "communication", "image", "portrait"}
# Collected anywhere else inside a subject (a nested object's name is often a degree or an institution).
NESTED_IDENTITY_KEYS = {"email", "emailAddress", "identityHash", "identity", "telephone", "phone", "birthDate"}
# Inside a subject these hold what was achieved, not who achieved it.
ACHIEVEMENT_KEYS = {
    "type", "achievement", "result", "verifiableCredential", "association", "hasClaim", "educationAndLearnings",
    "employmentHistories", "certifications", "licenses", "narratives", "attachments", "positionHistories",
}
SUBJECT_KEYS = ("credentialSubject", "recipient")
JWS = re.compile(r"^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


def documents() -> list[Path]:
    out = []
    for folder in FOLDERS:
        root = CONFORMANCE / folder
        if root.is_dir():
            out += [p for p in root.rglob("*") if p.is_file() and p.suffix in SUFFIXES and "negative" not in p.parts]
    return sorted(out)


def _jws_payload(text: str) -> Any:
    part = text.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def load(path: Path) -> Any:
    """The JSON the document carries (decoded from a JWT or a baked image)."""
    if path.suffix in {".png", ".svg"}:
        from lermap.ingest.credentials.baked import png_badge, svg_badge

        ctx = IngestContext(Source.from_path(path))
        data = path.read_bytes()
        try:
            text = (png_badge if path.suffix == ".png" else svg_badge)(data, ctx).text.strip()
        except SourceError:
            return None
        return _jws_payload(text) if JWS.match(text) else json.loads(text) if text.startswith("{") else None
    text = path.read_text("utf-8-sig").strip()
    return _jws_payload(text) if path.suffix == ".jwt" else json.loads(text)


def _leaves(node: Any, keys: set[str] | None, out: set[str]) -> None:
    """String leaves of ``node`` (only under ``keys`` when given; type names never), decoding embedded JWTs."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("type", "@type", "identityType", "identifierType"):
                continue
            if k in ACHIEVEMENT_KEYS:
                _identity_inside(v, out)
            elif keys is None or k in keys:
                _leaves(v, None if keys is None or keys is IDENTITY_KEYS or k in PERSON_KEYS else NESTED_IDENTITY_KEYS, out)
            else:
                _leaves(v, NESTED_IDENTITY_KEYS, out)
    elif isinstance(node, list):
        for v in node:
            _leaves(v, keys, out)
    elif isinstance(node, str) and keys is None:
        out.add(node)


def _identity_inside(node: Any, out: set[str]) -> None:
    """Within kept structures: identity hashes, e-mail ids, and the subjects of embedded credentials."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "identityHash" and isinstance(v, str):
                out.add(v)
            elif k in ("id", "@id") and isinstance(v, str) and v.lower().startswith("mailto:") and _is_achievement(node):
                out.update({v, v[7:]})
            else:
                _identity_inside(v, out)
        _subjects(node, out)
    elif isinstance(node, list):
        for v in node:
            _identity_inside(v, out)
    elif isinstance(node, str) and JWS.match(node):
        _walk(_jws_payload(node), out)


def _is_achievement(node: dict[str, Any]) -> bool:
    types = node.get("type", [])
    return "Achievement" in (types if isinstance(types, list) else [types])


def _subjects(node: dict[str, Any], out: set[str]) -> None:
    types = node.get("type", [])
    if "EndorsementCredential" in (types if isinstance(types, list) else [types]):
        return  # an endorsement's subject is the endorsed organisation or achievement, not a learner
    for key in SUBJECT_KEYS:
        for subject in node.get(key) if isinstance(node.get(key), list) else [node.get(key)]:
            if isinstance(subject, str):
                out.add(subject)
            elif isinstance(subject, dict):
                _leaves(subject, IDENTITY_KEYS, out)


def _walk(node: Any, out: set[str]) -> None:
    if isinstance(node, dict):
        _subjects(node, out)
        for k in ("sub",):
            if isinstance(node.get(k), str):
                out.add(node[k])
        for k, v in node.items():
            if k not in SUBJECT_KEYS:
                _walk(v, out)
    elif isinstance(node, list):
        for v in node:
            _walk(v, out)
    elif isinstance(node, str) and JWS.match(node):
        _walk(_jws_payload(node), out)


def _public(node: Any, out: set[str], in_subject: bool = False) -> None:
    """Every string the document states outside its subjects or inside their achievement structures."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k in SUBJECT_KEYS:
                for subject in v if isinstance(v, list) else [v]:
                    if isinstance(subject, dict):
                        kept = {sk: sv for sk, sv in subject.items() if sk in ACHIEVEMENT_KEYS - {"type"}}
                        _public(kept, out, in_subject=True)
            elif k not in ("sub", "aud", "identityHash"):
                _public(v, out, in_subject)
    elif isinstance(node, list):
        for v in node:
            _public(v, out, in_subject)
    elif isinstance(node, str) and not (in_subject and node.lower().startswith("mailto:")):
        out.add(node)
        if JWS.match(node):
            _public(_jws_payload(node), out, in_subject)


def identity_strings(doc: Any) -> set[str]:
    found: set[str] = set()
    _walk(doc, found)
    public: set[str] = set()
    _public(doc, public)
    return {s for s in found - public if len(s) >= 4 and not s.isdigit()}


# Assets in the credential folders that are not credentials: a BadgeClass criteria page with no
# @context, and two plain badge images with nothing baked into them.
NOT_CREDENTIALS = {
    "dvalidator-assets-badgecriteria.json",
    "dvalidator-assets-beths-robot-badge.png",
    "dvalidator-assets-robotics-badge.png",
}


def appears(value: str, dump: str) -> bool:
    if value.startswith(("http://", "https://")):  # a URL: as an IRI or literal of its own, or a fragment of it
        return f"<{value}>" in dump or f"<{value}#" in dump or f'"{value}"' in dump
    if len(value) >= 8:
        return value in dump
    return f'"{value}"' in dump or f"<{value}>" in dump


@pytest.mark.parametrize("path", documents(), ids=lambda p: str(p.relative_to(CONFORMANCE)))
def test_no_learner_identity_reaches_the_shared_graph(path: Path) -> None:
    doc = load(path)
    secrets = identity_strings(doc) if doc is not None else set()
    kg = lermap.open_graph("memory:")
    try:
        try:
            reports = kg.ingest(path, lenient=True)
        except (UnsupportedFormatError, ConfigError) as exc:
            # only files that hold no credential at all may go unrecognised; they are refused, nothing written
            assert path.name in NOT_CREDENTIALS, f"no ingester reads {path.name}: {exc}"
            assert kg.sources() == []
            return
        except SourceError:
            assert kg.sources() == []  # refused: nothing written, nothing leaked
            return
        dump = kg.export("nquads").decode("utf-8")
        leaked = sorted(s for s in secrets if appears(s, dump))
        assert not leaked, f"learner identity in the shared graph: {leaked}"
        assert not any(r.personal for r in reports)
    finally:
        kg.close()


def test_the_collector_finds_the_learner() -> None:
    doc = {
        "issuer": {"id": "https://issuer.test", "name": "Issuer"},
        "credentialSubject": {
            "id": "did:example:abc123", "name": "Jo Person", "email": "jo@mail.test",
            "identifier": [{"type": "IdentityObject", "identityHash": "sha256$deadbeef"}],
            "source": {"id": "https://issuer.test"},
            "achievement": {"id": "mailto:jo@mail.test", "type": "Achievement", "name": "Teamwork"},
        },
    }
    assert identity_strings(doc) == {
        "did:example:abc123", "Jo Person", "jo@mail.test", "sha256$deadbeef", "mailto:jo@mail.test"
    }
