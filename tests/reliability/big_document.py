"""Run in a subprocess by test_limits.py: a 200 MB document for every ingester, with peak memory after each.

Prints one JSON object: ``{"baseline_kib": ..., "results": {format: {"error": ..., "kind": ..., "peak_kib": ...}}}``.
The document is a sparse file (the fixture followed by NUL bytes up to 200 MB), so making it costs no disk time;
reading it into memory would show as a jump of ~200 MB in the peak resident set size.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
from pathlib import Path

BIG = 200 * 1024 * 1024


def _peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    import lermap
    from lermap.errors import SourceError
    from tests.reliability.cases import TARGETS, original_bytes, placed

    formats = sys.argv[1:] or list(TARGETS)
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as d, lermap.open_graph("memory:") as kg:
        root = Path(d)
        for fmt in formats:  # warm up: every ingester imported and run once on its real fixture
            warm = root / f"warm-{fmt}"
            warm.mkdir()
            kg.ingest(placed(TARGETS[fmt], warm, original_bytes(TARGETS[fmt], warm)), format=fmt)
        baseline = _peak_kib()
        for fmt in formats:
            folder = root / fmt
            folder.mkdir()
            original = original_bytes(TARGETS[fmt], folder)

            def grow(path: Path, original: bytes = original) -> None:
                with path.open("wb") as fh:
                    fh.write(original)
                    fh.truncate(BIG)

            path = placed(TARGETS[fmt], folder, grow)
            before = kg.digest()
            try:
                kg.ingest(path, format=fmt)
                results[fmt] = {"error": None, "kind": None}
            except SourceError as exc:
                results[fmt] = {"error": str(exc), "kind": type(exc).__name__, "location": exc.location, "reason": exc.reason}
            results[fmt]["unchanged"] = kg.digest() == before
            results[fmt]["peak_kib"] = _peak_kib()
    json.dump({"baseline_kib": baseline, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
