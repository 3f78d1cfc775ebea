"""The ingest contract: a source, a context for one run, and the ``Ingester`` base class.

An ingester turns one source into triples in two steps, sssom-py style:

* ``parse(source, ctx)`` reads the source into records (any Python value the ingester likes), and
  refuses bad input by raising :class:`~lermap.errors.SourceError` through ``ctx.fail``;
* ``map(parsed, ctx)`` yields ``(subject, predicate, object)`` tuples of pyoxigraph terms: the
  source's own triples where it is RDF (nothing lost) plus the shared core view (see ``graph/vocab``).

Neither step writes to a store: the pipeline collects the triples and swaps them in atomically, so
an exception anywhere leaves the store as it was.
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import IO, Any, ClassVar, NoReturn

import yaml

from lermap.config import Limits
from lermap.errors import LimitExceededError, SourceError
from lermap.graph.terms import TripleTuple
from lermap.ingest.sources import Archive, BytesEntry, Entry, FileEntry, decode_utf8, folder_entries, open_archive


@dataclass
class Source:
    """One thing to ingest: a file, a folder the ingester reads as a whole, an archive, or bytes with a name.

    ``key`` identifies the source across re-ingests (a resolved path or a URL); re-ingesting the
    same key replaces its graph. A ``.zip`` reads like the folder it holds and an ``.xz`` file like the file it
    holds, both by streaming (:mod:`lermap.ingest.sources`): ``path`` is then ``None`` and ``archive`` is set, so
    no ingester opens the packed bytes by mistake. Ingesters read contents through :meth:`entries` (folders and
    zips) or :meth:`read_bytes` / :meth:`open` / :meth:`text` (single contents).
    """

    key: str
    path: Path | None = None  # a plain file or folder on disk
    data: bytes | None = None
    limits: Limits = field(default_factory=Limits)
    archive: Archive | None = None  # a zip or .xz file read in place

    @classmethod
    def from_path(cls, path: str | Path, limits: Limits | None = None) -> Source:
        p = Path(path)
        limits = limits or Limits()
        key = str(p.resolve())
        archive = open_archive(p, key, limits)
        if archive is not None:
            return cls(key=key, limits=limits, archive=archive)
        return cls(key=key, path=p, limits=limits)

    @classmethod
    def from_bytes(cls, key: str, data: bytes, limits: Limits | None = None) -> Source:
        return cls(key=key, data=data, limits=limits or Limits())

    @property
    def name(self) -> str:
        """The file name (an .xz file's inner name, a zip's own), or the last part of the key, for messages and graph names."""
        if self.archive is not None:
            return self.archive.inner_name
        if self.path is not None:
            return self.path.name
        return self.key.rstrip("/").rsplit("/", 1)[-1] or self.key

    @property
    def origin(self) -> Path | None:
        """The file or folder on disk the source is read from (the archive itself for archives)."""
        return self.archive.path if self.archive is not None else self.path

    @property
    def names(self) -> list[str]:
        """Names that may tell what the source is (a version, a release): its name, an archive's top folder and
        own name, the folder it sits in."""
        out = [self.name]
        if self.archive is not None:
            out += [n for n in (self.archive.root, self.archive.path.name) if n]
        origin = self.origin
        if origin is not None and not self.is_dir:
            out.append(origin.resolve().parent.name)
        return list(dict.fromkeys(out))

    @property
    def is_dir(self) -> bool:
        """True for a collection of files: a folder, or a zip archive."""
        if self.archive is not None:
            return self.archive.is_zip
        return self.path is not None and self.path.is_dir()

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()

    def entries(self) -> list[Entry]:
        """The files of the source, sorted by their name relative to its root (``_data/x.yml``); one entry for a
        single file. A hostile archive is refused here, naming the member and the reason."""
        return list(self._entries)

    def top_entries(self) -> list[Entry]:
        """The entries directly at the source's root (not in a sub-folder)."""
        return [e for e in self._entries if "/" not in e.name]

    def entry(self, name: str) -> Entry | None:
        """The entry of that relative name, or None."""
        return next((e for e in self._entries if e.name == name), None)

    @cached_property
    def _entries(self) -> list[Entry]:
        if self.archive is not None:
            return self.archive.entries()
        if self.data is not None:
            return [BytesEntry(self.key, self.name, self.data)]
        if self.path is None:
            return []
        if self.path.is_dir():
            return folder_entries(self.path, self.key, self.limits)
        return [FileEntry(self.key, self.path.name, self.path, self.limits)] if self.path.exists() else []

    def _single(self) -> Entry:
        if self.is_dir:
            raise SourceError(self.key, "(document)", "a folder has no single content to read")
        entries = self._entries
        if not entries:
            raise SourceError(self.key, "(document)", "cannot read: no such file")
        return entries[0]

    def size(self) -> int:
        """The size on disk (packed, for an archive) or in memory."""
        if self.data is not None:
            return len(self.data)
        origin = self.origin
        assert origin is not None
        if origin.is_dir():
            return sum(p.stat().st_size for p in origin.rglob("*") if p.is_file())
        return origin.stat().st_size

    def open(self) -> IO[bytes]:
        """The single content as a binary stream, bounded by the file limit (and the archive limits)."""
        entry = self._single()
        if entry.size is not None and entry.size > self.limits.max_file_bytes:
            raise LimitExceededError(self.key, "(document)", f"{entry.size:,} bytes is over the limit of {self.limits.max_file_bytes:,}")
        return entry.open()

    def read_bytes(self, max_bytes: int | None = None) -> bytes:
        """The whole content; refuses content over ``max_bytes`` (default: the file limit)."""
        limit = max_bytes if max_bytes is not None else self.limits.max_file_bytes
        if self.data is not None:
            if len(self.data) > limit:
                raise LimitExceededError(self.key, "(document)", f"{len(self.data):,} bytes is over the limit of {limit:,}")
            return self.data
        entry = self._single()
        if entry.size is not None and entry.size > limit:
            raise LimitExceededError(self.key, "(document)", f"{entry.size:,} bytes is over the limit of {limit:,}")
        if self.archive is None:
            try:
                assert self.path is not None
                return self.path.read_bytes()
            except OSError as exc:
                raise SourceError(self.key, "(document)", f"cannot read: {exc.strerror or exc}") from None
        return entry.read_bytes(limit)

    def head(self, n: int = 4096) -> bytes:
        """The first ``n`` bytes, for format detection; empty for folders and unreadable sources."""
        if self.data is not None:
            return self.data[:n]
        if self.is_dir:
            return b""
        try:
            entries = self._entries
        except SourceError:
            return b""
        return entries[0].head(n) if entries else b""

    def text(self, max_bytes: int | None = None) -> str:
        """The content decoded as UTF-8 (a BOM is dropped); invalid bytes are refused with their offset."""
        return decode_utf8(self.read_bytes(max_bytes), self.key)

    def json(self) -> Any:
        """The content parsed as JSON within the size and depth limits."""
        return parse_json_text(self.text(self.limits.max_json_bytes), self.key, self.limits)

    @cached_property
    def sha256(self) -> str:
        """Checksum of the content as stored (an archive's own bytes); for a folder, of its files' names and checksums."""
        if self.data is not None:
            return hashlib.sha256(self.data).hexdigest()
        origin = self.origin
        assert origin is not None
        if not origin.is_dir():
            return _file_sha256(origin)
        h = hashlib.sha256()
        for f in sorted(p for p in origin.rglob("*") if p.is_file()):
            h.update(f"{f.relative_to(origin)}\0{_file_sha256(f)}\n".encode())
        return h.hexdigest()


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def parse_json_text(text: str, source: str, limits: Limits) -> Any:
    """Parse JSON, refusing syntax errors (with line and column) and nesting past the depth limit."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(source, f"line {exc.lineno}, column {exc.colno}", f"invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise LimitExceededError(source, "(document)", "JSON nested too deeply to read") from None
    check_json_depth(value, source, limits.max_json_depth)
    return value


class _NoAliasLoader(yaml.SafeLoader):
    """A safe loader that refuses anchors and aliases (no lermap YAML uses them; they can explode in size)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.YAMLError(f"YAML aliases are not accepted (line {event.start_mark.line + 1})")
        return super().compose_node(parent, index)


def parse_yaml_text(text: str, source: str, where: str, limits: Limits) -> Any:
    """Parse YAML safely: no aliases, no Python tags, nesting bounded like JSON; refusals name line and column."""
    prefix = f"{where}: " if where else ""
    try:
        value = yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        place = f"{prefix}line {mark.line + 1}, column {mark.column + 1}" if mark is not None else (where or "(document)")
        raise SourceError(source, place, f"invalid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise SourceError(source, where or "(document)", f"invalid YAML: {exc}") from None
    except RecursionError:  # the composer is recursive: Python's own limit stops a deep document first
        raise LimitExceededError(source, where or "(document)", "YAML nested too deeply to read") from None
    check_json_depth(value, source, limits.max_json_depth)
    return value


def check_json_depth(value: Any, source: str, max_depth: int) -> None:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > max_depth:
            raise LimitExceededError(source, "(document)", f"JSON nested deeper than {max_depth} levels")
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node if isinstance(v, (dict, list)))


@dataclass
class IngestOptions:
    """What the caller asked for, passed to every ingester."""

    personal: bool = False  # a learner's own graph: subject identity may be kept, in a marked graph
    lenient: bool = False  # read near-miss documents (e.g. JSON with comments) instead of refusing them
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class IngestContext:
    """One run of one ingester over one source: options, warnings, and the way to refuse."""

    source: Source
    options: IngestOptions = field(default_factory=IngestOptions)
    warnings: list[str] = field(default_factory=list)
    format_version: str | None = None

    def warn(self, location: str, message: str) -> None:
        self.warnings.append(f"{location}: {message}" if location else message)

    def fail(self, location: str, reason: str) -> NoReturn:
        raise SourceError(self.source.key, location, reason)


class Ingester(ABC):
    """Base class of every ingester. Subclasses set the class variables and the two steps."""

    name: ClassVar[str]  # registry key and `--format` choice, e.g. "ob3"
    title: ClassVar[str]  # human name, e.g. "Open Badges 3.0"
    version: ClassVar[str] = "1"  # bump when the mapping changes
    # True when every IRI it writes for another publisher's concept is that publisher's canonical form (it mints them,
    # or keeps a publisher's own): identity resolution then needs not scan its graphs for variant IRIs
    writes_canonical_iris: ClassVar[bool] = False

    @abstractmethod
    def sniff(self, source: Source) -> float:
        """How sure this ingester is that it reads ``source``: 0 (not mine) to 1 (certainly mine).

        Look at ``source.head()``, the suffix or (for folders) file names; don't parse the whole file.
        """

    @abstractmethod
    def parse(self, source: Source, ctx: IngestContext) -> Any:
        """Read the source into records; refuse bad input with ``ctx.fail(location, reason)``."""

    @abstractmethod
    def map(self, parsed: Any, ctx: IngestContext) -> Iterable[TripleTuple]:
        """Yield the triples for the parsed records (native layer and core view)."""

    def native_file(self, source: Source, ctx: IngestContext) -> tuple[Path, Any, str | None] | None:
        """An RDF file the store can bulk-load as it is: ``(path, pyoxigraph.RdfFormat, base_iri)``.

        Only the generic RDF ingester uses this fast path; format ingesters keep the default ``None``.
        """
        return None

    def run(self, source: Source, ctx: IngestContext) -> Iterator[TripleTuple]:
        """Both steps; the pipeline calls this."""
        parsed = self.parse(source, ctx)
        yield from self.map(parsed, ctx)
