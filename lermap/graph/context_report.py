"""``lermap contexts check``: a context document's defects, and which ones ``--lenient`` repairs, without ingesting.

The check reads the document the way an ingest does (:mod:`lermap.graph.jsontext` for its JSON text,
:mod:`lermap.graph.context_check` for its term definitions) and lists every finding instead of stopping at the
first; it also names the contexts the document refers to that have no offline copy (an ingest would refuse them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lermap.errors import NotFoundError
from lermap.graph.context_check import check_context, repair_context
from lermap.graph.jsonld import ContextRegistry
from lermap.graph.jsontext import JsonTextError, read_json_text


@dataclass(frozen=True)
class ContextFinding:
    """One defect: where (``line 3, column 7`` or ``term "x"``), which rule, and whether --lenient repairs it."""

    place: str
    rule: str
    repairable: bool

    def to_dict(self) -> dict[str, Any]:
        return {"place": self.place, "rule": self.rule, "repairable": self.repairable}


@dataclass
class ContextReport:
    """What ``lermap contexts check`` says about one context document."""

    context: str  # the URL checked, or the file
    path: str  # the file read
    findings: list[ContextFinding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def repairable(self) -> bool:
        """Every finding has one safe reading: an ingest with --lenient reads the context."""
        return all(f.repairable for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {"context": self.context, "path": self.path, "ok": self.ok, "repairable": self.repairable,
                "findings": [f.to_dict() for f in self.findings]}


def check_context_document(target: str, registry: ContextRegistry) -> ContextReport:
    """The findings for ``target``: a context document file, or the URL of a bundled or registered context."""
    path = Path(target)
    if not path.is_file():
        found = registry.path(target)
        if found is None:
            raise NotFoundError(f"{target} is neither a file nor a context available offline (`lermap contexts list`; "
                                f"register one with `lermap contexts add {target} FILE`)")
        path = found
    report = ContextReport(target, str(path))
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        report.findings.append(ContextFinding("(file)", f"unreadable: {exc}", False))
        return report
    try:
        (doc,), _ = read_json_text(text)
    except JsonTextError as exc:
        if not exc.repairable:
            report.findings.append(ContextFinding(exc.location, f"invalid JSON: {exc.defect}", False))
            return report
        (doc,), repairs = read_json_text(text, lenient=True)
        report.findings.extend(ContextFinding(f"line {r.line}, column {r.column}", f"not strict JSON: {r.defect}", True)
                               for r in repairs)
    except RecursionError:
        report.findings.append(ContextFinding("(file)", "JSON nested too deeply to read", False))
        return report
    if not isinstance(doc, dict) or "@context" not in doc:
        report.findings.append(ContextFinding("(document)", "a JSON-LD context document needs a top-level @context", False))
        return report
    value = doc["@context"]
    for defect in check_context(value, target):
        report.findings.append(ContextFinding(defect.place(), defect.rule, defect.repairable))
    known = registry.urls()
    for url in sorted(_references(repair_context(value))):
        if url not in known:
            report.findings.append(ContextFinding("@context", f"refers to context {url}, which is not available "
                                                  f"offline (`lermap contexts add {url} FILE`)", False))
    return report


def _references(value: Any) -> set[str]:
    """The context URLs a context value refers to (arrays, ``@import``, scoped contexts)."""
    found: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.add(item)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if isinstance(item.get("@import"), str):
                found.add(item["@import"])
            stack.extend(d["@context"] for d in item.values() if isinstance(d, dict) and "@context" in d)
    return found
