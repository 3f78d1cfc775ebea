"""The bundled JSON-LD contexts: offline, and expanding every conformance document as the publishers' contexts do.

The bundled contexts (lermap/graph/contexts, built by tools/build_contexts.py) are lermap's own text. Two checks hold
them to the publishers' documents in ../shared/conformance/contexts (the first copy listed in context-map.json):
term by term (pyld's processed definitions), and document by document (every JSON-LD conformance document expanded
to RDF with each, compared as graphs).
"""

from __future__ import annotations

import base64
import json
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from pyld import jsonld
from pyld.context_resolver import ContextResolver
from rdflib.compare import isomorphic

from lermap.errors import ContextError, SourceError
from lermap.graph.jsonld import ContextRegistry, to_quads
from lermap.graph.terms import to_rdflib

ROOT = Path(__file__).resolve().parents[2]
CONFORMANCE = (ROOT / ".." / "shared" / "conformance").resolve()
OFFICIAL = CONFORMANCE / "contexts"
DATA = ROOT / "tests" / "data" / "jsonld"
BUNDLED_INDEX = ROOT / "lermap" / "graph" / "contexts" / "index.json"
NOT_DOCUMENTS = {"contexts", "schemas", "vocab", "license-texts", "nonstrict"}
OB303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB303_OTHER_COPY = "ob-v3p0-context-3.0.3.spec.json"  # lacks endorsementJwt and jti

# Documents pyoxigraph refuses with the publishers' contexts too; ours must refuse them with the same reason.
REFUSED_EITHER_WAY = {
    # VC 2.0 (protected "description") followed by the ELM context redefining it: invalid JSON-LD (pyld agrees).
    "elm/dcbootcamp-MC_raw-merged.json": "protected term",  # (multi-typed, so read by pyld: "tried to redefine a protected term")
    # "@language" on a node object (OB 2.0 i18n): pyoxigraph refuses, pyld ignores it. See test_pyoxigraph_feature.
    "ob2/dvalidator-assets-badgeclass-with-language.json": "@value and @id are incompatible",
    "ob2/dvalidator-badge-class-with-language.json": "@value and @id are incompatible",
    "ob2/negative/dvalidator-rdf-validation-badge-class-invalid-issuer-type.json": "@value and @id are incompatible",
}


# --- the conformance documents ---------------------------------------------------------------------------------


def _official_files() -> dict[str, str]:
    """Context URL -> the publisher's document (first copy of context-map.json that is a file)."""
    cmap = json.loads((OFFICIAL / "context-map.json").read_text("utf-8"))
    out: dict[str, str] = {}
    for url, files in cmap.items():
        if url.startswith("http") and isinstance(files, list):
            existing = [f for f in files if (OFFICIAL / f).is_file()]
            if existing:
                out[url] = existing[0]
    return out


def _read_document(path: Path) -> Any:
    """The JSON-LD in ``path`` (a JSON file or a JWT's payload), or None when it holds none."""
    try:
        if path.suffix == ".jwt":
            segment = path.read_text("utf-8").strip().split(".")[1]
            payload = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
            doc = payload if "@context" in payload else payload.get("vc")
        else:
            doc = json.loads(path.read_text("utf-8"))
    except (ValueError, IndexError, UnicodeDecodeError, AttributeError):
        return None
    return doc if isinstance(doc, dict | list) and '"@context"' in json.dumps(doc) else None


def _context_urls(node: Any) -> set[str]:
    """Every context URL a document references (at any depth, in arrays and scoped @context values)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                values = value if isinstance(value, list) else [value]
                found.update(v for v in values if isinstance(v, str))
                found.update(u for v in values if isinstance(v, dict) for u in _context_urls(v))
            else:
                found |= _context_urls(value)
    elif isinstance(node, list):
        for value in node:
            found |= _context_urls(value)
    return found


def _documents() -> tuple[list[Any], list[Any], list[Any]]:
    """(comparable, comparable against the other 3.0.3 copy, refused for a missing context) pytest params."""
    if not OFFICIAL.is_dir():
        return [], [], []
    official = _official_files()
    comparable, other_copy, missing = [], [], []
    for path in sorted(CONFORMANCE.rglob("*")):
        rel = path.relative_to(CONFORMANCE)
        if not path.is_file() or set(rel.parts) & NOT_DOCUMENTS or path.suffix.lower() not in {".json", ".jsonld", ".1ob", ".jwt"}:
            continue
        doc = _read_document(path)
        if doc is None:
            continue
        urls = _context_urls(doc)
        absent = sorted(u for u in urls if u not in official)
        if absent:
            missing.append(pytest.param(str(rel), absent, id=str(rel)))
            continue
        comparable.append(pytest.param(str(rel), id=str(rel)))
        if OB303 in urls:
            other_copy.append(pytest.param(str(rel), id=str(rel)))
    return comparable, other_copy, missing


COMPARABLE, OTHER_303_COPY, MISSING = _documents()


@pytest.fixture(scope="session")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> ContextRegistry:
    """Only the package's contexts: the user directory is empty."""
    return ContextRegistry(tmp_path_factory.mktemp("no-user-contexts"))


def _official_registry(folder: Path, overrides: dict[str, str]) -> ContextRegistry:
    registry = ContextRegistry(folder)
    for url, name in {**_official_files(), **overrides}.items():
        registry.add(url, OFFICIAL / name)
    return registry


@pytest.fixture(scope="session")
def official(conformance: Path, tmp_path_factory: pytest.TempPathFactory) -> ContextRegistry:
    """The publishers' contexts registered as user contexts (which take precedence over the bundled ones)."""
    return _official_registry(tmp_path_factory.mktemp("official-contexts"), {})


@pytest.fixture(scope="session")
def official_other_303(conformance: Path, tmp_path_factory: pytest.TempPathFactory) -> ContextRegistry:
    return _official_registry(tmp_path_factory.mktemp("official-303-spec"), {OB303: OB303_OTHER_COPY})


def _canonical(quads: list[ox.Quad]) -> set[ox.Quad]:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def _graph(quads: list[ox.Quad]) -> rdflib.Graph:
    """An rdflib graph of the quads; a quad in a named graph becomes a blank node naming its four parts."""
    q = rdflib.Namespace("urn:lermap-test:quad#")
    g = rdflib.Graph()
    for quad in quads:
        s, p, o = to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)  # type: ignore[arg-type]
        if isinstance(quad.graph_name, ox.DefaultGraph):
            g.add((s, p, o))
        else:
            node = rdflib.BNode()
            for part, value in ((q.s, s), (q.p, p), (q.o, o), (q.g, to_rdflib(quad.graph_name))):
                g.add((node, part, value))
    return g


def _same_graph(a: list[ox.Quad], b: list[ox.Quad]) -> bool:
    # Equal RDFC-1.0 canonical forms prove isomorphism cheaply; rdflib decides the rest.
    return _canonical(a) == _canonical(b) or isomorphic(_graph(a), _graph(b))


def _expand_both(rel: str, ours: ContextRegistry, theirs: ContextRegistry) -> None:
    doc = _read_document(CONFORMANCE / rel)
    if rel in REFUSED_EITHER_WAY:
        for registry in (theirs, ours):
            with pytest.raises(SourceError, match=REFUSED_EITHER_WAY[rel]):
                to_quads(doc, rel, registry)
        return
    expected = to_quads(doc, rel, theirs)
    got = to_quads(doc, rel, ours)
    assert len(got) == len(expected)
    assert _same_graph(got, expected)


@pytest.mark.parametrize("rel", COMPARABLE)
def test_bundled_contexts_expand_like_official(rel: str, bundled: ContextRegistry, official: ContextRegistry) -> None:
    _expand_both(rel, bundled, official)


@pytest.mark.parametrize("rel", OTHER_303_COPY)
def test_bundled_contexts_expand_like_other_ob303_copy(rel: str, bundled: ContextRegistry, official_other_303: ContextRegistry) -> None:
    _expand_both(rel, bundled, official_other_303)


@pytest.mark.parametrize(("rel", "absent"), MISSING)
def test_document_with_unavailable_context_is_refused(
    rel: str, absent: list[str], bundled: ContextRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", _no_dns)
    with pytest.raises(ContextError) as exc:
        to_quads(_read_document(CONFORMANCE / rel), rel, bundled)
    assert any(url in str(exc.value) for url in absent)
    assert "lermap contexts add" in str(exc.value)


def test_conformance_documents_were_found(conformance: Path) -> None:
    # JSON-LD documents (JSON files and JWT payloads) whose contexts all have a publisher's copy / some lack one
    assert (len(COMPARABLE), len(OTHER_303_COPY), len(MISSING)) == (383, 113, 29)


# --- term by term ------------------------------------------------------------------------------------------------

DEFINITION_FIELDS = (
    "@id",
    "reverse",
    "protected",
    "_prefix",
    "@type",
    "@container",
    "@language",
    "@direction",
    "@index",
    "@nest",
)
CONTEXT_FIELDS = ("@vocab", "@base", "@language", "@direction")


def _describe(proc: Any, options: dict[str, Any], active: Any, parent: Any, depth: int) -> dict[str, Any]:
    """The term definitions ``active`` adds to ``parent``, with their scoped contexts, as plain data."""
    out: dict[str, Any] = {f"(context){k}": active.get(k) for k in CONTEXT_FIELDS}
    inherited = parent["mappings"] if parent is not None else {}
    for term, m in active["mappings"].items():
        if inherited.get(term) is m:
            continue
        if m is None:
            out[term] = None
            continue
        d = {k: (sorted(m[k]) if k == "@container" else m[k]) for k in DEFINITION_FIELDS if k in m}
        scoped = m.get("@context")
        if scoped is False:
            d["@context"] = None
        elif scoped is not None and depth < 8:
            inner = proc._process_context(active, scoped, options, override_protected=True)
            d["@context"] = _describe(proc, options, inner, active, depth + 1)
        out[term] = d
    return out


def _definitions(url: str, loader: Callable[..., Any]) -> dict[str, Any]:
    proc = jsonld.JsonLdProcessor()
    options = {
        "base": "",
        "documentLoader": loader,
        "contextResolver": ContextResolver({}, loader),
        "processingMode": "json-ld-1.1",
    }
    return _describe(proc, options, proc._process_context(proc._get_initial_context(options), url, options), None, 0)


def _differences(ours: dict[str, Any], theirs: dict[str, Any], where: str = "") -> list[str]:
    diffs = []
    for term, definition in theirs.items():
        mine = ours.get(term, "(missing)")
        if isinstance(definition, dict) and isinstance(mine, dict) and isinstance(definition.get("@context"), dict):
            sub_theirs, sub_mine = definition["@context"], mine.get("@context")
            if not isinstance(sub_mine, dict):
                diffs.append(f"{where}{term}: scoped context missing")
                continue
            diffs += _differences(sub_mine, sub_theirs, f"{where}{term}/")
            definition = {k: v for k, v in definition.items() if k != "@context"}
            mine = {k: v for k, v in mine.items() if k != "@context"}
        if mine != definition:
            diffs.append(f"{where}{term}: ours {mine} != official {definition}")
    for term in ours.keys() - theirs.keys():
        # lermap's own helper prefixes: usable as prefixes, never protected
        if not (isinstance(ours[term], dict) and ours[term].get("_prefix") and not ours[term].get("protected")):
            diffs.append(f"{where}{term}: only in ours ({ours[term]})")
    return diffs


def _bundled_urls() -> list[str]:
    return sorted(json.loads(BUNDLED_INDEX.read_text("utf-8")))


@pytest.mark.parametrize("url", _bundled_urls())
def test_bundled_context_defines_the_same_terms(url: str, bundled: ContextRegistry, conformance: Path) -> None:
    files = _official_files()
    assert url in files, f"no publisher copy of {url} to check against"

    def official_loader(u: str, options: Any = None) -> dict[str, Any]:
        return {"contextUrl": None, "documentUrl": u, "document": json.loads((OFFICIAL / files[u]).read_text("utf-8"))}

    assert _differences(_definitions(url, bundled.loader()), _definitions(url, official_loader)) == []


def test_bundled_contexts_are_not_copies(conformance: Path) -> None:
    index = json.loads(BUNDLED_INDEX.read_text("utf-8"))
    official = {(OFFICIAL / f).read_bytes() for f in _official_files().values()}
    folder = BUNDLED_INDEX.parent
    assert all((folder / name).is_file() for name in index.values())
    assert not [name for name in set(index.values()) if (folder / name).read_bytes() in official]


# --- offline behaviour: unknown contexts, user contexts, cycles, @import ----------------------------------------


def _no_dns(*args: object, **kwargs: object) -> object:
    raise AssertionError(f"network lookup attempted: {args!r}")


def _doc(name: str) -> Any:
    return json.loads((DATA / name).read_text("utf-8"))


def _registry(tmp_path: Path, **contexts: str) -> ContextRegistry:
    registry = ContextRegistry(tmp_path / "contexts")
    for name, file in contexts.items():
        registry.add(f"https://contexts.lermap.test/{name.replace('_', '-')}", DATA / file)
    return registry


def test_unknown_context_is_refused_offline_then_expands_once_added(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", _no_dns)
    url = "https://contexts.lermap.test/skills/v1"
    registry = ContextRegistry(tmp_path / "contexts")
    with pytest.raises(ContextError) as exc:
        to_quads(_doc("unknown-context-doc.jsonld"), "skills.jsonld", registry)
    assert url in str(exc.value)
    assert f"lermap contexts add {url}" in str(exc.value)

    registry.add(url, DATA / "unknown-context.jsonld")
    quads = to_quads(_doc("unknown-context-doc.jsonld"), "skills.jsonld", ContextRegistry(tmp_path / "contexts"))
    assert {(q.predicate.value, str(q.object)) for q in quads} == {
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "<https://vocab.lermap.test/Skill>"),
        ("https://vocab.lermap.test/name", '"Welding"'),
    }


def test_user_context_takes_precedence_over_bundled(tmp_path: Path) -> None:
    url = "https://www.w3.org/ns/credentials/undefined-terms/v2"
    doc = {"@context": url, "@id": "https://example.lermap.test/a", "name": "x"}
    assert {q.predicate.value for q in to_quads(doc, "doc", ContextRegistry(tmp_path / "empty"))} == {
        "https://www.w3.org/ns/credentials/undefined-term#name"
    }
    registry = ContextRegistry(tmp_path / "contexts")
    registry.add(url, DATA / "import-base.jsonld")
    assert {q.predicate.value for q in to_quads(doc, "doc", registry)} == {"https://vocab.lermap.test/name"}


@pytest.mark.parametrize(
    ("doc", "contexts", "chain"),
    [
        pytest.param(
            "cycle-doc.jsonld",
            {"cycle_a": "cycle-a.jsonld", "cycle_b": "cycle-b.jsonld"},
            ["cycle-a", "cycle-b", "cycle-a"],
            id="array-reference",
        ),
        pytest.param("import-self-doc.jsonld", {"import_self": "import-self.jsonld"}, ["import-self", "import-self"], id="import"),
    ],
)
def test_context_cycle_is_refused(doc: str, contexts: dict[str, str], chain: list[str], tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="context cycle") as exc:
        to_quads(_doc(doc), doc, _registry(tmp_path, **contexts))
    assert " -> ".join(f"https://contexts.lermap.test/{c}" for c in chain) in str(exc.value)


def test_context_that_is_an_array_is_spliced_into_the_document_array(tmp_path: Path) -> None:
    # JSON-LD allows no array inside a context array: the referenced array's entries take its place.
    doc = {
        "@context": ["https://contexts.lermap.test/array-context", {"level": "https://vocab.lermap.test/level"}],
        "name": "n",
        "level": "1",
    }
    quads = to_quads(doc, "doc", _registry(tmp_path, array_context="array-context.jsonld"))
    assert sorted(q.predicate.value for q in quads) == ["https://vocab.lermap.test/level", "https://vocab.lermap.test/name"]


def test_import_merges_the_imported_context_under_local_definitions(tmp_path: Path) -> None:
    registry = _registry(tmp_path, import_base="import-base.jsonld", import_ext="import-ext.jsonld")
    quads = to_quads(_doc("import-doc.jsonld"), "import-doc.jsonld", registry)
    xsd_integer = "http://www.w3.org/2001/XMLSchema#integer"
    assert {(q.predicate.value, q.object.value, q.object.datatype.value) for q in quads} == {  # type: ignore[union-attr]
        ("https://vocab.lermap.test/name", "Thing", "http://www.w3.org/2001/XMLSchema#string"),
        ("https://vocab.lermap.test/headline", "A headline", "http://www.w3.org/2001/XMLSchema#string"),
        ("https://vocab.lermap.test/level", "3", xsd_integer),
    }
    # pyld processes @import itself: same graph
    assert _same_graph(quads, _pyld_quads(_doc("import-doc.jsonld"), registry.loader()))


# --- what pyoxigraph's JSON-LD parser handles, next to pyld ------------------------------------------------------


def _pyld_quads(doc: Any, loader: Callable[..., Any] | None = None) -> list[ox.Quad]:
    options: dict[str, Any] = {"format": "application/n-quads"}
    if loader is not None:
        options["documentLoader"] = loader
    return list(ox.parse(jsonld.to_rdf(doc, options), format=ox.RdfFormat.N_QUADS))


PYOXIGRAPH_GAPS = {
    # pyoxigraph refuses "@language" on a node object ("@value and @id are incompatible"); pyld ignores it.
    "node-language.jsonld": "@language on a node object is refused",
    # pyoxigraph emits the rdf:type of a node under a dropped (undefined) property; the spec drops the whole value.
    "dropped-property.jsonld": "types of nodes under a dropped property leak",
    # pyoxigraph refuses type maps ("@type must be the first key of an object or right after @context").
    "type-map.jsonld": "@container @type maps are refused",
}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(p.name, id=p.stem, marks=[pytest.mark.xfail(strict=True, reason=PYOXIGRAPH_GAPS[p.name])])
        if p.name in PYOXIGRAPH_GAPS
        else pytest.param(p.name, id=p.stem)
        for p in sorted((DATA / "features").glob("*.jsonld"))
    ],
)
def test_pyoxigraph_feature(name: str) -> None:
    doc = json.loads((DATA / "features" / name).read_text("utf-8"))
    expected = _pyld_quads(doc)
    got = to_quads(doc, name, ContextRegistry(Path("/nonexistent/lermap-test")))
    assert len(got) == len(expected)
    assert _same_graph(got, expected)


@pytest.mark.xfail(strict=True, reason="pyoxigraph 0.5.13 applies only the last of several type-scoped contexts")
def test_raw_pyoxigraph_drops_multiple_type_scoped_terms() -> None:
    """Pins the upstream bug that to_quads works around by reading such documents with pyld (the test above
    passes for this fixture); when it starts passing, the workaround in graph/jsonld.py can go."""
    doc = json.loads((DATA / "features" / "multiple-type-scoped.jsonld").read_text("utf-8"))
    raw = list(ox.parse(json.dumps(doc), format=ox.RdfFormat.JSON_LD))
    assert _same_graph(raw, _pyld_quads(doc))
