"""Bulk downloads: the whole shared dataset and each source as gzipped N-Quads, the alignments as SSSOM (TSV and JSON),
the directory's tables as CSV.

A dump is written once per state of the store (:meth:`GraphCore.state`) into a folder of its own beside the store
(``<store folder>/dumps/<state key>/``; a store in memory or behind SPARQL uses a temporary folder, or the cache
folder), then served from there as a file until the next ingest, drop or approval changes the state; the folder of an
earlier state is removed when a new one is made. A file is written under a temporary name and renamed into place, so
a reader never sees half of one, and several server processes on one store at worst write the same file twice.
Learner (personal) graphs are never in a dump, nor their catalogue entries.

>>> import lermap
>>> kg = lermap.open_graph("memory:")
>>> [d.name for d in kg.dumps()][:4]
['graph.nq.gz', 'alignments.sssom.tsv', 'alignments.sssom.json', 'entities.csv']
>>> kg.dump("graph.nq.gz").size > 0
True
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TextIO, cast

import pyoxigraph as ox

from lermap.config import settings
from lermap.errors import NotFoundError
from lermap.graph.backends.oxigraph import OxigraphBackend
from lermap.graph.store import slug
from lermap.graph.vocab import CATALOG_GRAPH
from lermap.ingest.sssom.mapping import MappingSet
from lermap.ingest.sssom.write import write_sssom
from lermap.service.curation import CurationOps
from lermap.service.entities import RESOURCES, EntityOps

CSV_COLUMNS = ["id", "label", "label_lang", "description", "scheme"]


@dataclass(frozen=True)
class DumpKind:
    """A download the server offers: its file name, media type and what it holds."""

    name: str
    media_type: str
    title: str


@dataclass(frozen=True)
class DumpFile:
    """A dump written for the current state: where it is and what a response says about it."""

    name: str
    media_type: str
    path: Path
    size: int
    modified: datetime
    etag: str


class DumpOps(EntityOps, CurationOps):
    """The bulk downloads: their list, and each one's file for the current state of the store."""

    _dump_lock = threading.Lock()
    _memory_dumps: Path | None = None

    def dump_kinds(self) -> list[DumpKind]:
        """Every download for the current state: the whole dataset, the alignments, the tables, one per source."""
        kinds = [
            DumpKind("graph.nq.gz", "application/gzip", "every shared graph (sources, derived links, the catalogue of them) as gzipped N-Quads"),
            DumpKind("alignments.sssom.tsv", "text/tab-separated-values", "every alignment as an SSSOM mapping set (TSV, YAML header)"),
            DumpKind("alignments.sssom.json", "application/json", "every alignment as an SSSOM mapping set (JSON)"),
            DumpKind("entities.csv", "text/csv", "every entity of the directory's kinds: resource, id, label, description, scheme"),
        ]
        kinds += [DumpKind(f"{name}.csv", "text/csv", f"{r.title}: id, label, description, scheme") for name, r in RESOURCES.items()]
        kinds += [DumpKind(f"sources/{slug(info.source)}.nq.gz", "application/gzip", f"the source {info.source} as gzipped N-Quads")
                  for info in self.sources() if not info.personal]
        return kinds

    def dumps(self) -> list[DumpKind]:
        """The downloads on offer (same as :meth:`dump_kinds`)."""
        return self.dump_kinds()

    def dump(self, name: str) -> DumpFile:
        """The file of one download for the current state, written now if this state has none yet."""
        kind = next((k for k in self.dump_kinds() if k.name == name), None)
        if kind is None:
            raise NotFoundError(f"no download {name!r}; GET /v1/dumps lists them")
        key = hashlib.sha256("\n".join(self.state()).encode("utf-8")).hexdigest()[:20]
        folder = self._dumps_root() / key
        path = folder / name
        if not path.exists():
            with self._dump_lock:
                if not path.exists():
                    self._write(kind, path)
                    self._forget_other_states(folder)
        stat = path.stat()
        return DumpFile(name, kind.media_type, path, stat.st_size, datetime.fromtimestamp(stat.st_mtime, UTC),
                        f'"{key}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"')

    def close(self) -> None:
        super().close()
        if self._memory_dumps is not None:
            shutil.rmtree(self._memory_dumps, ignore_errors=True)

    # -- where and how -----------------------------------------------------------------------------

    def _dumps_root(self) -> Path:
        backend = self.store.backend
        if isinstance(backend, OxigraphBackend) and backend.path is not None:
            return backend.path.resolve().parent / "dumps"
        if isinstance(backend, OxigraphBackend):  # in memory: this process's own folder
            if self._memory_dumps is None:
                self._memory_dumps = Path(tempfile.mkdtemp(prefix="lermap-dumps-"))
            return self._memory_dumps
        return settings().cache_dir / "dumps" / hashlib.sha256(self.selector.encode("utf-8")).hexdigest()[:16]

    def _forget_other_states(self, keep: Path) -> None:
        for other in keep.parent.iterdir():
            if other.is_dir() and other != keep:
                shutil.rmtree(other, ignore_errors=True)  # a file being served stays readable until it is closed

    def _write(self, kind: DumpKind, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".writing-")
        try:
            with os.fdopen(fd, "wb") as out:
                self._writer(kind.name)(out)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _writer(self, name: str) -> Callable[[IO[bytes]], None]:
        if name == "graph.nq.gz":
            return lambda out: _gzip_quads(out, self.shared_quads())
        if name.startswith("sources/"):
            info = next(i for i in self.sources() if not i.personal and f"sources/{slug(i.source)}.nq.gz" == name)
            graph = ox.NamedNode(info.graph)
            return lambda out: _gzip_quads(out, (ox.Quad(t.subject, t.predicate, t.object, graph) for t in self.store.backend.triples(graph)))
        if name.startswith("alignments.sssom."):
            fmt = name.rsplit(".", 1)[1]
            return lambda out: _text(out, lambda text: write_sssom(MappingSet(self.find_alignments()), text, fmt))
        resource = name.removesuffix(".csv")
        return lambda out: _text(out, lambda text: self._write_csv(text, None if resource == "entities" else resource))

    def shared_quads(self) -> Iterator[ox.Quad]:
        """Every quad of the shared graphs, and the catalogue's statements about them (never a learner's graph)."""
        shared = [g for g in self.store.visible_graphs() if g != CATALOG_GRAPH]
        listed = set(shared)
        for t in self.store.backend.triples(CATALOG_GRAPH):
            if t.subject in listed:
                yield ox.Quad(t.subject, t.predicate, t.object, CATALOG_GRAPH)
        for g in shared:
            for t in self.store.backend.triples(g):
                yield ox.Quad(t.subject, t.predicate, t.object, g)

    def _write_csv(self, text: TextIO, resource: str | None) -> None:
        writer = csv.writer(text, lineterminator="\n")
        names = list(RESOURCES) if resource is None else [resource]
        writer.writerow((["resource"] if resource is None else []) + CSV_COLUMNS)
        for name in names:
            page = self.list_entities(name, sort="id", limit=10**9)
            for item in page.items:
                row = [item.id, item.label, item.label_lang, item.description, item.scheme]
                writer.writerow(([name] if resource is None else []) + ["" if v is None else v for v in row])


def _gzip_quads(out: IO[bytes], quads: Iterator[ox.Quad]) -> None:
    # level 6 and a 1 MiB buffer: the serialiser's many small writes reach gzip in big blocks (1M quads of the default
    # graph: 23 s against 28 s unbuffered at level 9, for a file 5 % larger)
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, compresslevel=6) as packed:
        buffered = io.BufferedWriter(cast(io.RawIOBase, packed), 1 << 20)
        ox.serialize(quads, output=buffered, format=ox.RdfFormat.N_QUADS)
        buffered.flush()
        buffered.detach()


def _text(out: IO[bytes], write: Callable[[TextIO], None]) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    write(text)
    text.flush()
    text.detach()  # the caller closes ``out``
