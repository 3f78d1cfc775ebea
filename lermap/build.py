"""``lermap build``: the default graph from ``data/`` — datasets in, derived products out, only what changed.

1. **Datasets.** Every source under the data folder (``data/examples`` only on request) is found as ``lermap
   ingest`` finds it; one whose checksum, format and ingester version equal what the store recorded at its last
   ingest is left as it is; the others are ingested, each into its own graph, atomically. Sources that left the
   folder leave the graph.
2. **Derived steps**, in order: identity resolution (:mod:`lermap.analysis.identity`), the occupation crosswalk that
   carries wages to ESCO occupations (:mod:`lermap.analysis.occupation_crosswalk`). They write graphs of the
   store; the products pages need precomputed (the map's layout) are computed after the build by
   :meth:`lermap.service.KnowledgeGraph.derive`, keyed by the store's state. The steps run only when the inputs changed: the build record (a small derived graph) keeps a digest of every source
   graph's checksum and of the steps' versions, and a build whose digest matches skips them all.

Progress is reported as :class:`BuildEvent` values to a callback (the CLI draws a bar per dataset from them).
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode

from lermap.analysis import identity, occupation_crosswalk
from lermap.analysis.kg import Graph
from lermap.config import settings
from lermap.errors import LermapError, NotFoundError, SourceError, UnsupportedFormatError
from lermap.graph.store import GraphInfo
from lermap.graph.terms import TripleTuple, minted, sorted_turtle
from lermap.graph.vocab import LERMAP, PROV, RDF, XSD
from lermap.ingest import registry
from lermap.ingest.base import IngestOptions, Source
from lermap.ingest.pipeline import IngestReport, ProgressCallback, expand, ingest_source

DERIVED_PREFIX = "urn:lermap:derived/"
RECORD_KEY = DERIVED_PREFIX + "build.ttl"
EXAMPLES = "examples"


@dataclass(frozen=True)
class DerivedStep:
    """A product computed from the whole graph at build time: ``run(kg)`` (re)writes its own derived graph.

    ``version`` is part of the build digest: change it when the step's output changes for the same inputs."""

    name: str
    version: str
    run: Callable[[Graph], Any]


@dataclass
class BuildEvent:
    """What the build is doing, for a progress display: ``planned``, ``started``, ``progress`` (``triples`` so
    far), ``ingested``, ``unchanged``, ``refused``, ``dropped``, ``derived`` (a step ran) or ``current`` (the
    derived steps were skipped, nothing having changed)."""

    kind: str
    name: str
    triples: int = 0
    expected: int | None = None  # the triples of the source's last ingest, when the store has one
    error: SourceError | None = None


@dataclass
class BuildReport:
    ingested: list[IngestReport] = field(default_factory=list)
    unchanged: list[GraphInfo] = field(default_factory=list)
    refused: list[SourceError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files no ingester recognises
    dropped: list[GraphInfo] = field(default_factory=list)
    derived: list[str] = field(default_factory=list)  # the steps that ran (empty when nothing changed)
    built_at: str | None = None  # when the graph last changed (the build record's time)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.ingested or self.dropped)


_STEPS: list[DerivedStep] = [
    DerivedStep("identity-resolution", "1", identity.resolve),
    DerivedStep("occupation-crosswalk", "1", occupation_crosswalk.derive),
]
def derived_steps() -> list[DerivedStep]:
    return list(_STEPS)


Progress = Callable[[BuildEvent], None]


def _name(source: Source, root: Path) -> str:
    origin = source.origin
    if origin is None:
        return source.name
    with contextlib.suppress(ValueError):
        return origin.resolve().relative_to(root).as_posix()
    return origin.name


def _unchanged(source: Source, previous: GraphInfo | None) -> bool:
    if previous is None or previous.sha256 != source.sha256:
        return False
    try:
        ingester = registry.detect(source)
    except (UnsupportedFormatError, SourceError):
        return False
    return previous.format == ingester.name and previous.ingester_version == ingester.version


def _counting(emit: Progress, name: str) -> ProgressCallback:
    return lambda _key, n: emit(BuildEvent("progress", name, n))


def inputs_digest(infos: Iterable[GraphInfo], steps: Iterable[DerivedStep]) -> str:
    """A checksum of everything the derived steps read: each shared source's key, checksum, format and ingester
    version, and each step's name and version."""
    lines = sorted(f"{i.source}\0{i.sha256}\0{i.format}\0{i.ingester_version}" for i in infos
                   if not i.personal and not i.source.startswith(DERIVED_PREFIX))
    lines += [f"step\0{s.name}\0{s.version}" for s in steps]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _record(kg: Graph) -> tuple[str | None, str | None]:
    """(inputs digest, built at) of the last build, from its record."""
    rows = kg.rows("build-record")
    if not rows:
        return None, None
    return str(rows[0]["digest"]), str(rows[0]["at"])


def _record_turtle(digest: str, at: str, infos: list[GraphInfo], steps: list[DerivedStep]) -> bytes:
    b = minted("build", "lermap")
    triples: list[TripleTuple] = [
        (b, RDF.type, LERMAP.Build), (b, RDF.type, PROV.Activity), (b, LERMAP.inputsDigest, Literal(digest)),
        (b, PROV.endedAtTime, Literal(at, datatype=XSD.dateTime)),
    ]
    triples += [(b, PROV.used, NamedNode(i.graph)) for i in infos if not i.source.startswith(DERIVED_PREFIX) and not i.personal]
    triples += [(b, LERMAP.derivedStep, Literal(f"{s.name} {s.version}")) for s in steps]
    return sorted_turtle(triples)


def build_graph(kg: Graph, data_dir: str | Path | None = None, with_examples: bool = False, progress: Progress | None = None) -> BuildReport:
    """Build (or bring up to date) the default graph from ``data_dir`` (default: the settings' data folder)."""
    started = time.monotonic()
    folder = Path(data_dir) if data_dir is not None else settings().data_dir
    if not folder.is_dir():
        raise LermapError(f"data folder {folder} not found; run from the repository root or set LERMAP_DATA_DIR")
    root = folder.resolve()
    emit = progress or (lambda event: None)
    report = BuildReport()
    examples = folder / EXAMPLES
    sources, skipped = expand([folder], settings().limits, exclude=[examples])
    if with_examples and examples.is_dir():
        more, also = expand([examples], settings().limits)
        sources, skipped = sources + more, skipped + also
    report.skipped = skipped
    catalogue = {i.source: i for i in kg.sources()}
    public = {s.key: kg.store.source_name(s.key) for s in sources}  # the catalogue names sources without server paths
    for source in sources:
        previous = catalogue.get(public[source.key])
        emit(BuildEvent("planned", _name(source, root), expected=previous.triples if previous else None))
    for source in sources:
        name, previous = _name(source, root), catalogue.get(public[source.key])
        if _unchanged(source, previous):
            assert previous is not None
            report.unchanged.append(previous)
            emit(BuildEvent("unchanged", name, previous.triples, previous.triples))
            continue
        emit(BuildEvent("started", name, expected=previous.triples if previous else None))
        try:
            done = ingest_source(kg.store, source, None, IngestOptions(), _counting(emit, name))
        except SourceError as exc:
            report.refused.append(exc)
            emit(BuildEvent("refused", name, error=exc))
            continue
        report.ingested.append(done)
        emit(BuildEvent("ingested", name, done.triples, done.triples))
    built, prefix = set(public.values()), kg.store.source_name(str(root))
    for info in kg.sources():
        if (info.source.startswith(prefix + "/") and info.source not in built
                and not (root / info.source[len(prefix) + 1:]).exists()):
            report.dropped.append(kg.drop(info.graph))
            emit(BuildEvent("dropped", info.source))
    _derive(kg, report, emit)
    report.seconds = time.monotonic() - started
    return report


def _derive(kg: Graph, report: BuildReport, emit: Progress) -> None:
    steps = derived_steps()
    digest = inputs_digest(kg.sources(), steps)
    recorded, at = _record(kg)
    if recorded == digest:
        report.built_at = at
        emit(BuildEvent("current", "derived products"))
        return
    for step in steps:
        emit(BuildEvent("started", step.name))
        step.run(kg)
        report.derived.append(step.name)
        emit(BuildEvent("derived", step.name))
    with contextlib.suppress(NotFoundError):
        kg.drop(RECORD_KEY)
    report.built_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # as the store gives an xsd:dateTime back
    kg.ingest_bytes(RECORD_KEY, _record_turtle(digest, report.built_at, kg.sources(), steps), format="rdf")
