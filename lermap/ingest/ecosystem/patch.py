"""Approved edits written back to the curated directory's YAML (``data/ecosystem/*.yaml``), so curators can commit them.

The files are edited as text, item by item: an entity or relation is one list item (``  - {id: ..., name: ...}``,
possibly wrapped over several lines); an edit rewrites, removes or appends only the items it touches, in the files'
own style (flow mappings, wrapped at 120 columns, URLs quoted), and leaves every other line, comment and blank line
as it was. Each rewritten item is read back and compared with what it should hold, and the edited folder as a whole
must still parse as a directory (:class:`~lermap.ingest.ecosystem.directory.DirectoryIngester`), or nothing is written.

A corrected organisation name would mint a new IRI on the next build (an organisation without its own ``iri`` is
named after its name), so the item gets the IRI it has now as its ``iri``: links to it, and the LER map's resources
that share it, keep pointing at it.

An edit is ``(proposal id, payload)`` as :mod:`lermap.analysis.proposals` stores it (ids, not IRIs); edits that the
files cannot express (a version's derived name, one pair out of a many-to-many entry) are skipped with the reason.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from lermap.errors import SourceError
from lermap.ingest.base import IngestContext, Source
from lermap.ingest.ecosystem.directory import DirectoryIngester
from lermap.ingest.identifiers import organisation_iri

WIDTH = 120
_SECTION = re.compile(r"^([A-Za-z_][\w-]*):")
_SECTIONS = {"organisation": "organisations", "tool": "tools", "standard": "standards"}
ALREADY = "already in the files"
_PLAIN = re.compile(r"^[A-Za-z0-9][^:#,\[\]{}&*!|>'\"%@`]*$")


@dataclass
class _Item:
    file: Path
    section: str
    start: int  # first line (0-based)
    end: int  # one past the last line
    data: dict[str, Any]


@dataclass
class DirectoryPatch:
    """The edited text of each changed file, which edits went in, and which were skipped and why."""

    folder: Path
    before: dict[Path, str] = field(default_factory=dict)
    after: dict[Path, str] = field(default_factory=dict)
    applied: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def diff(self, root: Path | None = None) -> str:
        """A unified diff of every changed file, with paths relative to ``root`` (default: the folder's parent's parent,
        so ``a/data/ecosystem/organisations.yaml`` applies with ``git apply`` / ``patch -p1`` at the repository root)."""
        base = root if root is not None else self.folder.resolve().parent.parent
        out: list[str] = []
        for path in sorted(self.after):
            old, new = self.before[path], self.after[path]
            if old == new:
                continue
            rel = path.resolve().relative_to(base.resolve()).as_posix()
            out.extend(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{rel}", f"b/{rel}"))
        return "".join(out)

    def write(self) -> list[Path]:
        """Write the edited files in place; returns those that changed."""
        changed = [p for p in sorted(self.after) if self.after[p] != self.before[p]]
        for path in changed:
            path.write_text(self.after[path], encoding="utf-8")
        return changed


def scalar(value: Any) -> str:
    """A value as the directory files write it: plain when YAML reads it back as the same text, else double-quoted.

    >>> scalar("Credential Engine"), scalar("https://x.example/"), scalar("yes"), scalar("a, b"), scalar(True)
    ('Credential Engine', '"https://x.example/"', '"yes"', '"a, b"', 'true')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    text = str(value)
    if _PLAIN.match(text) and text == text.strip() and yaml.safe_load(text) == text:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def flow_item(data: dict[str, Any]) -> list[str]:
    """One list item as a flow mapping, wrapped at :data:`WIDTH` with the files' 5-space continuation indent."""
    parts = [f"{k}: {scalar(v)}" for k, v in data.items() if v is not None and v != []]
    lines, current = [], "  - {"
    for i, part in enumerate(parts):
        piece = part + ("}" if i == len(parts) - 1 else ",")
        if len(current) + len(piece) + 1 > WIDTH and current.strip() not in {"- {", ""}:
            lines.append(current.rstrip())
            current = "     "
        current += ("" if current.endswith(("{", "     ")) else " ") + piece
    lines.append(current)
    return [line + "\n" for line in lines]


def _load_item(lines: list[str]) -> Any:
    """One list item's lines (indented by two) read as YAML; None when they do not read."""
    try:
        return yaml.safe_load("".join(line[2:] if line.startswith("  ") else line for line in lines))
    except yaml.YAMLError:
        return None


def _items(path: Path, text: str) -> list[_Item]:
    lines = text.splitlines(keepends=True)
    items: list[_Item] = []
    section, start = "", None

    def close(end: int) -> None:
        nonlocal start
        if start is not None:
            loaded = _load_item(lines[start:end])
            if isinstance(loaded, list) and loaded and isinstance(loaded[0], dict):
                items.append(_Item(path, section, start, end, loaded[0]))
        start = None

    for i, line in enumerate(lines):
        if _SECTION.match(line):
            close(i)
            section = _SECTION.match(line).group(1)  # type: ignore[union-attr]
        elif line.startswith("  - "):
            close(i)
            start = i
        elif start is not None and line.startswith("    ") and line.strip() and not line.lstrip().startswith("#"):
            continue
        else:
            close(i)
    close(len(lines))
    return items


class _Files:
    """The directory's YAML files as lists of lines, edited in place; items are found again after every edit."""

    def __init__(self, folder: Path) -> None:
        self.paths = sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())
        self.text = {p: p.read_text(encoding="utf-8") for p in self.paths}

    def items(self, section: str | None = None) -> list[_Item]:
        found = [it for p in self.paths for it in _items(p, self.text[p])]
        return [it for it in found if section is None or it.section == section]

    def entity(self, ent_id: str) -> _Item | None:
        return next((it for it in self.items() if it.section != "relations" and it.data.get("id") == ent_id), None)

    def replace(self, item: _Item, new: list[str]) -> None:
        lines = self.text[item.file].splitlines(keepends=True)
        if new:
            back = _load_item(new)
            if not (isinstance(back, list) and back):
                raise ValueError(f"{item.file.name}: the rewritten item does not read back")
        self.text[item.file] = "".join(lines[:item.start] + new + lines[item.end:])

    def lines(self, item: _Item) -> list[str]:
        return self.text[item.file].splitlines(keepends=True)[item.start:item.end]

    def append(self, section: str, new: list[str]) -> None:
        existing = self.items(section)
        if existing:
            last = existing[-1]
            lines = self.text[last.file].splitlines(keepends=True)
            self.text[last.file] = "".join(lines[:last.end] + new + lines[last.end:])
            return
        path = next(p for p in self.paths if re.search(rf"^{section}:", self.text[p], re.MULTILINE))
        self.text[path] = self.text[path].rstrip("\n") + "\n" + "".join(new)


def set_fields(lines: list[str], data: dict[str, Any], changes: dict[str, Any]) -> list[str]:
    """An item's lines with ``changes`` made where the values are written (other text untouched); a flow item that
    cannot be edited so is written anew. The result must read back as ``data`` with the changes, or ValueError.

    >>> set_fields(['  - {id: a, name: Old Name, url: "https://a.example/"}'], {"id": "a", "name": "Old Name",
    ...            "url": "https://a.example/"}, {"name": "New: Name"})
    ['  - {id: a, name: "New: Name", url: "https://a.example/"}']
    """
    flow = lines[0].startswith("  - {")
    text = "".join(lines)
    for key, value in changes.items():
        new = scalar(value)
        if flow:
            found = re.search(rf"(?<=[{{,\s]){re.escape(key)}: (\"(?:[^\"\\]|\\.)*\"|'[^']*'|\[[^\]]*\]|[^,}}\n]*)", text)
        else:  # block style: the key at the item's own level (first line, or four spaces in), its value to the line's end
            found = re.search(rf"(?m)(?:^  - |^    ){re.escape(key)}: ([^\n]*)", text)
        if found:
            text = text[:found.start(1)] + new + text[found.end(1):]
        elif flow:
            end = text.rstrip().rfind("}")
            text = text[:end] + f", {key}: {new}" + text[end:]
        else:
            first, _, rest = text.partition("\n")
            text = f"{first}\n    {key}: {new}\n{rest}"
    expected = {**data, **changes}
    back = _load_item(text.splitlines(keepends=True))
    if isinstance(back, list) and back and back[0] == expected:
        return text.splitlines(keepends=True)
    if flow and all(not isinstance(v, dict) for v in expected.values()):
        return flow_item(expected)
    raise ValueError(f"item {data.get('id')!r} could not be edited in place")


def _refs(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _one_or_list(values: list[str]) -> Any:
    return values[0] if len(values) == 1 else values


def _apply(files: _Files, payload: dict[str, Any]) -> str | None:
    """Apply one edit to the files; returns why it cannot be expressed there (None when done)."""
    kind = payload["kind"]
    if kind == "entity":
        if files.entity(str(payload["entity"]["id"])) is not None:
            return ALREADY
        files.append(_SECTIONS[payload["entity_type"]], flow_item(dict(payload["entity"])))
        return None
    if kind == "relation":
        if any(r.data.get("p") == payload["p"] and payload["s"] in _refs(r.data.get("s")) and payload["o"] in _refs(r.data.get("o"))
               for r in files.items("relations")):
            return ALREADY
        rel = {"s": payload["s"], "p": payload["p"], "o": payload["o"], "source": payload["source"], "note": payload.get("note")}
        files.append("relations", flow_item(rel))
        return None
    ent_id = str(payload["entity"])
    if kind == "fix":
        item = files.entity(ent_id)
        if item is None:
            return f"{ent_id} is not an item of the files (a standard's version takes its name from the standard)"
        if item.data.get(payload["field"]) == payload["value"]:
            return ALREADY
        changes = {str(payload["field"]): payload["value"]}
        if payload["field"] == "name" and item.section in {"organisations", "standards_bodies"} and not item.data.get("iri"):
            changes["iri"] = organisation_iri(str(item.data["name"])).value  # keep the IRI it has now
        files.replace(item, set_fields(files.lines(item), item.data, changes))
        return None
    if payload.get("p"):
        return _remove_relation(files, ent_id, str(payload["p"]), str(payload["o"]))
    item = files.entity(ent_id)
    if item is None:
        return ALREADY
    files.replace(item, [])
    gone = {ent_id} | ({f"{ent_id}@"} if item.section == "standards" else set())
    for entry in reversed(files.items("relations")):
        s = [x for x in _refs(entry.data.get("s")) if not any(x == g or (g.endswith("@") and x.startswith(g)) for g in gone)]
        o = [x for x in _refs(entry.data.get("o")) if not any(x == g or (g.endswith("@") and x.startswith(g)) for g in gone)]
        if not s or not o:
            files.replace(entry, [])
        elif s != _refs(entry.data.get("s")) or o != _refs(entry.data.get("o")):
            files.replace(entry, flow_item({**entry.data, "s": _one_or_list(s), "o": _one_or_list(o)}))
    return None


def _remove_relation(files: _Files, s_id: str, pred: str, o_id: str) -> str | None:
    if pred == "provider":
        return "a tool's provider is a required field of the tool; correct it in tools.yaml by hand"
    for rel in files.items("relations"):
        s, o = _refs(rel.data.get("s")), _refs(rel.data.get("o"))
        if rel.data.get("p") != pred or s_id not in s or o_id not in o:
            continue
        if len(s) == 1 and len(o) == 1:
            files.replace(rel, [])
        elif len(s) == 1:
            files.replace(rel, flow_item({**rel.data, "o": _one_or_list([x for x in o if x != o_id])}))
        elif len(o) == 1:
            files.replace(rel, flow_item({**rel.data, "s": _one_or_list([x for x in s if x != s_id])}))
        else:
            return f"{rel.file.name}: the relation is one pair of a many-to-many entry; split it by hand"
        return None
    return ALREADY


def patch_directory(folder: str | Path, edits: Sequence[tuple[str, dict[str, Any]]]) -> DirectoryPatch:
    """The directory's files with ``edits`` (``(proposal id, payload)``, in the order they were approved) applied.

    Nothing is written (see :meth:`DirectoryPatch.write`); raises :class:`SourceError` when the edited folder no
    longer parses as a directory, naming the file and place."""
    root = Path(folder)
    files = _Files(root)
    result = DirectoryPatch(root, before=dict(files.text))
    for proposal_id, payload in edits:
        saved = dict(files.text)
        try:
            reason = _apply(files, payload)
        except (KeyError, ValueError, yaml.YAMLError) as exc:
            reason = f"could not be written: {exc}"
        if reason is None:
            result.applied.append(proposal_id)
        else:
            files.text = saved
            result.skipped.append((proposal_id, reason))
    result.after = dict(files.text)
    _check(root, result.after)
    return result


def _check(folder: Path, texts: dict[Path, str]) -> None:
    """The edited files must still read as a directory (ids resolve, fields valid)."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / folder.name
        shutil.copytree(folder, copy)
        for path, text in texts.items():
            (copy / path.name).write_text(text, encoding="utf-8")
        source = Source.from_path(copy)
        try:
            DirectoryIngester().parse(source, IngestContext(source))
        except SourceError as exc:
            raise SourceError(str(folder), exc.location, f"the patched directory would not build: {exc.reason}") from None
