"""What a source is made of, read by streaming: the files of a folder, the members of a zip, the content of an .xz.

An ingester never opens an archive itself. :class:`~lermap.ingest.base.Source` lists its *entries* (one per file:
``name`` relative to the source's root, with ``/`` separators) and each entry opens as a bounded binary stream, so
a zip of a release (O*NET's, ESCO's, a site's repository) reads like the folder it would unpack to, and
``registry.json.xz`` reads like ``registry.json`` — nothing is unpacked to disk.

The limits of :class:`~lermap.config.Limits` hold inside archives:

* a zip is refused before anything is read when a member's name leaves the archive (absolute, ``..``, a drive
  letter), is a symbolic link or is encrypted, or when the sizes it declares add up to more than
  ``max_file_bytes`` or to more than ``max_archive_ratio`` times the archive's size (a zip bomb);
* while a member streams, it is cut off past its declared size, past ``max_archive_ratio`` times its packed size
  and past ``max_file_bytes`` — the counts are of bytes really produced, never trusted from headers;
* an ``.xz`` file streams up to ``max_file_bytes`` and ``max_archive_ratio`` times its own size.

Every refusal is a :class:`~lermap.errors.SourceError` naming the archive, the member and the reason. A zip whose
members all sit in one top folder (``db_29_2/...``) lists them without it; the folder's name stays known
(:attr:`Archive.root`), since releases name their version there.

>>> import io, zipfile, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> with zipfile.ZipFile(folder / "release.zip", "w") as zf:
...     zf.writestr("db_1_0/Read Me.txt", "hello")
>>> archive = open_archive(folder / "release.zip", "release.zip", Limits())
>>> [e.name for e in archive.entries()], archive.root, archive.entries()[0].read_bytes()
(['Read Me.txt'], 'db_1_0', b'hello')
"""

from __future__ import annotations

import io
import lzma
import stat
import zipfile
import zlib
from abc import ABC, abstractmethod
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import IO, Any

from lermap.config import Limits
from lermap.errors import LimitExceededError, SourceError

ZIP_SUFFIX = ".zip"
XZ_SUFFIX = ".xz"
ARCHIVE_SUFFIXES = (ZIP_SUFFIX, XZ_SUFFIX)
_IGNORED_MEMBERS = ("__MACOSX/",)  # resource forks macOS adds to the zips it makes
_CHUNK = 1 << 20


def decode_utf8(raw: bytes, key: str, place: str = "") -> str:
    """``raw`` as UTF-8 (a BOM dropped); invalid bytes are refused as a SourceError of ``key`` at ``place`` + their line
    and offset."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise SourceError(key, f"{place}line {line}, byte {exc.start}", "invalid UTF-8") from None


def is_archive_path(path: Path) -> bool:
    """True for a file lermap reads as an archive (``.zip``, ``.xz``)."""
    return path.suffix.lower() in ARCHIVE_SUFFIXES and path.is_file()


class Entry(ABC):
    """One file of a source: a file on disk, a zip member, the content of an .xz file, or bytes in memory."""

    def __init__(self, key: str, name: str, size: int | None) -> None:
        self.key = key  # the source's key, for messages
        self.name = name  # relative to the source's root, "/"-separated
        self.size = size  # as declared (None: unknown before reading, as in an .xz file)

    @property
    def basename(self) -> str:
        return self.name.rsplit("/", 1)[-1]

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.basename).suffix.lower()

    @abstractmethod
    def open(self) -> IO[bytes]:
        """The content as a binary stream, cut off with a :class:`LimitExceededError` past the limits."""

    def read_bytes(self, max_bytes: int | None = None) -> bytes:
        """The whole content; refused past ``max_bytes`` (and the source's limits)."""
        if max_bytes is not None and self.size is not None and self.size > max_bytes:
            raise LimitExceededError(self.key, self.name, f"{self.size:,} bytes is over the limit of {max_bytes:,}")
        with self.open() as fh:
            data = fh.read() if max_bytes is None else fh.read(max_bytes + 1)
        if max_bytes is not None and len(data) > max_bytes:
            raise LimitExceededError(self.key, self.name, f"more than {max_bytes:,} bytes: over the limit")
        return data

    def head(self, n: int = 4096) -> bytes:
        """The first ``n`` bytes (empty when the entry cannot be read), for format detection."""
        try:
            with self.open() as fh:
                return fh.read(n)
        except (SourceError, OSError):
            return b""

    def text(self, max_bytes: int | None = None) -> str:
        """The content as UTF-8 (a BOM dropped); invalid bytes are refused with their line and offset."""
        return decode_utf8(self.read_bytes(max_bytes), self.key, f"{self.name}: ")


class FileEntry(Entry):
    """A file on disk."""

    def __init__(self, key: str, name: str, path: Path, limits: Limits) -> None:
        super().__init__(key, name, path.stat().st_size)
        self.path = path
        self.limits = limits

    def open(self) -> IO[bytes]:
        if self.size is not None and self.size > self.limits.max_file_bytes:
            raise LimitExceededError(self.key, self.name, f"{self.size:,} bytes is over the limit of {self.limits.max_file_bytes:,}")
        try:
            return self.path.open("rb")
        except OSError as exc:
            raise SourceError(self.key, self.name, f"cannot read: {exc.strerror or exc}") from None


class BytesEntry(Entry):
    """Content held in memory."""

    def __init__(self, key: str, name: str, data: bytes) -> None:
        super().__init__(key, name, len(data))
        self.data = data

    def open(self) -> IO[bytes]:
        return io.BytesIO(self.data)


class _Bounded(io.RawIOBase):
    """A stream that refuses to give more than ``limit`` bytes, and turns decompression errors into refusals."""

    def __init__(self, raw: IO[bytes], key: str, name: str, limit: int, why: str) -> None:
        self.raw, self.key, self.name, self.limit, self.why, self.count = raw, key, name, limit, why, 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:  # the writable buffer io hands over (typeshed: Buffer, 3.12+)
        buffer = memoryview(b).cast("B")
        try:
            data = self.raw.read(min(len(buffer), _CHUNK))
        except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError) as exc:  # CRC mismatch, corrupt stream, cut short
            raise SourceError(self.key, self.name, f"damaged archive content: {exc}") from None
        self.count += len(data)
        if self.count > self.limit:
            raise LimitExceededError(self.key, self.name, self.why)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self.raw.close()
        super().close()


class ZipEntry(Entry):
    """A member of a zip archive, decompressed as it is read."""

    def __init__(self, archive: Archive, info: zipfile.ZipInfo, name: str) -> None:
        super().__init__(archive.key, name, info.file_size)
        self.archive = archive
        self.info = info

    def open(self) -> IO[bytes]:
        limits = self.archive.limits
        limit = min(self.info.file_size, max(self.info.compress_size, 1) * limits.max_archive_ratio, limits.max_file_bytes)
        try:
            zf = zipfile.ZipFile(self.archive.path)
            try:
                raw = zf.open(self.info)  # the member keeps the file open after the archive object is closed
            finally:
                zf.close()
        except (zipfile.BadZipFile, OSError) as exc:
            raise SourceError(self.key, self.name, f"cannot read the archive member: {exc}") from None
        why = "unpacks to more than it declares or than the limits allow: refused as a zip bomb"
        return io.BufferedReader(_Bounded(raw, self.key, self.name, limit, why), _CHUNK)


class XzEntry(Entry):
    """The content of an .xz file, decompressed as it is read."""

    def __init__(self, archive: Archive) -> None:
        super().__init__(archive.key, archive.inner_name, None)
        self.archive = archive

    def open(self) -> IO[bytes]:
        limits = self.archive.limits
        packed = max(self.archive.path.stat().st_size, 1)
        limit = min(packed * limits.max_archive_ratio, limits.max_file_bytes)
        try:
            raw = lzma.open(self.archive.path, "rb")  # noqa: SIM115 - handed to the caller, who closes it
        except OSError as exc:
            raise SourceError(self.key, self.name, f"cannot read: {exc.strerror or exc}") from None
        why = f"unpacks to more than {limit:,} bytes ({limits.max_archive_ratio}× its size or the file limit): refused"
        return io.BufferedReader(_Bounded(raw, self.key, self.name, limit, why), _CHUNK)


class Archive:
    """A zip or .xz file read in place: its entries, checked once, each streamed on demand."""

    def __init__(self, path: Path, key: str, limits: Limits) -> None:
        self.path, self.key, self.limits = path, key, limits
        self.kind = path.suffix.lower()

    @property
    def is_zip(self) -> bool:
        return self.kind == ZIP_SUFFIX

    @property
    def inner_name(self) -> str:
        """The name of what an .xz file holds (``registry.json`` for ``registry.json.xz``); the zip's own name."""
        return self.path.name[: -len(XZ_SUFFIX)] if not self.is_zip else self.path.name

    @property
    def root(self) -> str | None:
        """The single top folder every member of a zip sits in (stripped from entry names), if there is one."""
        return self._listing[1]

    def entries(self) -> list[Entry]:
        """The files, sorted by name; a hostile or unreadable zip is refused here, before anything is read."""
        return list(self._listing[0])

    @cached_property
    def _listing(self) -> tuple[list[Entry], str | None]:
        if not self.is_zip:
            return [XzEntry(self)], None
        try:
            with zipfile.ZipFile(self.path) as zf:
                infos = zf.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise SourceError(self.key, "(archive)", f"not a readable zip archive: {exc}") from None
        files = [i for i in infos if not i.is_dir() and not i.filename.startswith(_IGNORED_MEMBERS)]
        packed = max(self.path.stat().st_size, 1)
        declared = sum(i.file_size for i in files)
        if declared > self.limits.max_file_bytes or declared / packed > self.limits.max_archive_ratio:
            raise LimitExceededError(self.key, "(archive)", f"unpacks to {declared:,} bytes from {packed:,}: refused as a zip bomb")
        wanted = {id(i) for i in files}
        names: list[tuple[zipfile.ZipInfo, tuple[str, ...]]] = []
        for info in infos:
            parts = _member_parts(self.key, info)  # every member is checked, the skipped ones too
            if id(info) in wanted:
                names.append((info, parts))
        tops = {parts[0] for _, parts in names}
        root = next(iter(tops)) if len(tops) == 1 and all(len(parts) > 1 for _, parts in names) else None
        entries: dict[str, Entry] = {}
        for info, parts in names:
            name = "/".join(parts[1:] if root is not None else parts)
            if name in entries:
                raise SourceError(self.key, info.filename, "the archive holds this member twice: refused")
            entries[name] = ZipEntry(self, info, name)
        return [entries[n] for n in sorted(entries)], root


def _member_parts(key: str, info: zipfile.ZipInfo) -> tuple[str, ...]:
    """A member's path segments; refuses names that leave the archive, links and encrypted members."""
    name = info.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or (parts and ":" in parts[0]) or ".." in parts or not parts:
        raise SourceError(key, name, "member path leaves the archive: refused")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise SourceError(key, name, "symbolic links are not read: refused")
    if info.flag_bits & 0x1:
        raise SourceError(key, name, "encrypted members cannot be read: refused")
    return tuple(p for p in parts if p not in ("", "."))


def open_archive(path: Path, key: str, limits: Limits) -> Archive | None:
    """The archive at ``path``, or None when it is not one lermap reads (``.zip``, ``.xz``)."""
    return Archive(path, key, limits) if is_archive_path(path) else None


def folder_entries(folder: Path, key: str, limits: Limits) -> list[Entry]:
    """The files of a folder on disk, recursively, sorted by relative name."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return [FileEntry(key, p.relative_to(folder).as_posix(), p, limits) for p in files]
