"""Run ingesters against a store: detect, parse, map, write into a fresh graph, commit atomically."""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from lermap.config import Limits, settings
from lermap.errors import LermapError, SourceError, UnsupportedFormatError
from lermap.graph.store import GraphInfo, GraphStore, SelectResult
from lermap.graph.terms import TripleTuple
from lermap.graph.vocab import CORE_TYPES, RDF
from lermap.ingest import registry
from lermap.ingest.base import IngestContext, IngestOptions, Source
from lermap.ingest.download import SIDECAR_SUFFIX

ProgressCallback = Callable[[str, int], None]
_KIND_OF_CLASS = {cls: kind for kind, cls in CORE_TYPES.items()}
_PROGRESS_EVERY = 20_000


@dataclass
class IngestReport:
    """What one source contributed: the `lermap ingest --json` object."""

    source: str
    format: str
    graph: str
    triples: int
    counts: dict[str, int]
    warnings: list[str] = field(default_factory=list)
    format_version: str | None = None
    personal: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "format": self.format,
            "graph": self.graph,
            "triples": self.triples,
            "counts": dict(self.counts),
            "warnings": list(self.warnings),
        }


class _CoreCounter:
    """Counts distinct core entities while triples stream past."""

    def __init__(self) -> None:
        self.seen: dict[str, set[Any]] = {k: set() for k in CORE_TYPES}

    def watch(self, triples: Iterable[TripleTuple], progress: ProgressCallback | None, key: str) -> Iterator[TripleTuple]:
        rdf_type = RDF.type
        for n, t in enumerate(triples, 1):
            if t[1] == rdf_type and isinstance(t[2], ox.NamedNode):
                kind = _KIND_OF_CLASS.get(t[2])
                if kind is not None:
                    self.seen[kind].add(t[0])
            if progress is not None and n % _PROGRESS_EVERY == 0:
                progress(key, n)
            yield t

    def counts(self) -> dict[str, int]:
        return {k: len(v) for k, v in self.seen.items()}


def expand(paths: Iterable[str | Path], limits: Limits | None = None, exclude: Iterable[Path] = ()) -> tuple[list[Source], list[str]]:
    """Turn paths into sources: a folder an ingester claims is one source, other folders are walked (leaving out the
    folders and files in ``exclude``).

    Returns the sources and notes about files skipped inside walked folders (named files are never skipped).
    """
    limits = limits or settings().limits
    left_out = {Path(p).resolve() for p in exclude}
    sources: list[Source] = []
    skipped: list[str] = []

    def claimed(src: Source) -> bool:
        try:
            registry.detect(src)
            return True
        except UnsupportedFormatError:
            return False
        except SourceError:  # a hostile or damaged archive: a source, refused with its reason when ingested
            return True

    def walk(folder: Path) -> None:
        for child in sorted(folder.iterdir()):
            if child.name.startswith((".", "_")) or child.name in {"README.md", "LICENSE"} or child.resolve() in left_out \
                    or child.name.endswith(SIDECAR_SUFFIX):  # what `lermap fetch` records beside a download
                continue
            src = Source.from_path(child, limits)
            if child.is_dir():
                if claimed(src):
                    sources.append(src)
                else:
                    walk(child)
            elif claimed(src):
                sources.append(src)
            else:
                skipped.append(f"{child}: skipped, no ingester recognises it")

    for p in paths:
        path = Path(p)
        if not path.exists():
            raise SourceError(str(p), "(path)", "no such file or folder")
        src = Source.from_path(path, limits)
        if path.is_dir() and not claimed(src):
            walk(path)
        else:
            sources.append(src)
    return sources, skipped


def ingest_source(
    store: GraphStore,
    source: Source,
    fmt: str | None = None,
    options: IngestOptions | None = None,
    progress: ProgressCallback | None = None,
) -> IngestReport:
    """Ingest one source into its own new graph and commit it; on any failure the store is unchanged."""
    options = options or IngestOptions()
    ingester = registry.get(fmt) if fmt else registry.detect(source)
    ctx = IngestContext(source, options)
    # A learner's own graph is a different source from the shared one, so neither replaces the other.
    source_key = ("personal:" if options.personal else "") + source.key
    graph = store.new_graph(source_key, personal=options.personal)
    counter = _CoreCounter()
    # Millions of short-lived term tuples make the cyclic collector rescan the heap over and over;
    # none of them form cycles, so collection waits until the source is in.
    collecting = gc.isenabled()
    gc.disable()
    try:
        native = ingester.native_file(source, ctx)
        if native is not None:
            path, rdf_format, base_iri = native
            store.add_file(graph, path, rdf_format, base_iri)
            counts = _counts_in_graph(store, graph)
        else:
            store.add(graph, counter.watch(ingester.run(source, ctx), progress, source.key))
            counts = counter.counts()
        triples = _triples_in_graph(store, graph)
        info = GraphInfo(
            graph=graph.value,
            source=source_key,
            format=ingester.name,
            format_version=ctx.format_version,
            sha256=source.sha256,
            ingested_at=datetime.now(UTC).isoformat(),
            triples=triples,
            ingester_version=ingester.version,
            personal=options.personal,
            warnings=list(ctx.warnings),
        )
        store.commit_graph(graph, info)
    except LermapError:
        store.discard_graph(graph)
        raise
    except SyntaxError as exc:  # pyoxigraph parse errors carry line and column
        store.discard_graph(graph)
        raise SourceError(source.key, _syntax_location(exc), f"invalid {ingester.title}: {exc}") from None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, OSError, RecursionError, UnicodeError) as exc:
        store.discard_graph(graph)
        raise SourceError(source.key, "(document)", f"{ingester.title} ingester could not read it: {type(exc).__name__}: {exc}") from exc
    except BaseException:
        store.discard_graph(graph)
        raise
    finally:
        if collecting:
            gc.enable()
    return IngestReport(
        source=source_key,
        format=ingester.name,
        graph=graph.value,
        triples=triples,
        counts=counts,
        warnings=list(ctx.warnings),
        format_version=ctx.format_version,
        personal=options.personal,
    )


def _syntax_location(exc: SyntaxError) -> str:
    match = re.search(r"line (\d+)(?: between columns (\d+))?", str(exc))
    if match is None:
        return "(document)"
    return f"line {match.group(1)}" + (f", column {match.group(2)}" if match.group(2) else "")


def _triples_in_graph(store: GraphStore, graph: ox.NamedNode) -> int:
    res = store.backend.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": graph}, None, None)
    assert isinstance(res, SelectResult)
    value = res.rows[0][0]
    return int(value.value) if isinstance(value, ox.Literal) else 0


def _counts_in_graph(store: GraphStore, graph: ox.NamedNode) -> dict[str, int]:
    counts = {}
    for kind, cls in CORE_TYPES.items():
        res = store.backend.query(
            "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?cls } }", {"g": graph, "cls": cls}, None, None
        )
        assert isinstance(res, SelectResult)
        value = res.rows[0][0]
        counts[kind] = int(value.value) if isinstance(value, ox.Literal) else 0
    return counts
