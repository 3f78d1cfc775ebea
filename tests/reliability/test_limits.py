"""Size and depth limits: configurable, and a 200 MB document is refused without being read into memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lermap.config import Limits, settings
from lermap.errors import ConfigError, LimitExceededError
from lermap.service import KnowledgeGraph
from tests.conftest import ROOT
from tests.reliability.cases import JSON_FORMATS, TARGETS, placed
from tests.reliability.conftest import refused

# The file limit defaults to 1 GiB (whole ESCO / O*NET / RDF dumps are legitimately hundreds of MB): the run
# lowers it to 128 MiB to show it is enforced for every format; the JSON limit keeps its 64 MiB default.
FILE_LIMIT = 128 * 1024 * 1024
MEMORY_MARGIN_KIB = 64 * 1024  # reading the 200 MB document would add ~200 MB to the peak


@pytest.fixture(scope="module")
def big_runs() -> dict[str, Any]:
    env = {**os.environ, "LERMAP_MAX_FILE_BYTES": str(FILE_LIMIT), "PYTHONPATH": str(ROOT)}
    env.pop("LERMAP_MAX_JSON_BYTES", None)
    out = subprocess.run([sys.executable, "-m", "tests.reliability.big_document"], cwd=ROOT, env=env,
                         capture_output=True, check=True, timeout=600)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize("fmt", list(TARGETS))
def test_a_200_mb_document_is_refused_by_the_size_limit_without_reading_it(big_runs: dict[str, Any], fmt: str) -> None:
    result = big_runs["results"][fmt]
    assert result["kind"] in ("LimitExceededError", "SourceError"), result  # esco, onet and rdf refuse via ctx.fail
    assert "209,715,200 bytes is over the limit" in result["reason"]
    assert result["unchanged"]
    assert result["peak_kib"] - big_runs["baseline_kib"] < MEMORY_MARGIN_KIB, "the document was read into memory"


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LERMAP_MAX_JSON_BYTES", "1000")
    monkeypatch.setenv("LERMAP_MAX_FILE_BYTES", "2000")
    monkeypatch.setenv("LERMAP_MAX_JSON_DEPTH", "7")
    monkeypatch.setenv("LERMAP_MAX_ARCHIVE_RATIO", "9")
    assert settings().limits == Limits(max_json_bytes=1000, max_file_bytes=2000, max_json_depth=7, max_archive_ratio=9)


@pytest.mark.parametrize("value", ["ten", "1e6", "-5", "0"])
def test_a_bad_limit_setting_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("LERMAP_MAX_JSON_DEPTH", value)
    with pytest.raises(ConfigError, match="LERMAP_MAX_JSON_DEPTH"):
        settings()


@pytest.mark.parametrize("fmt", JSON_FORMATS)
def test_the_json_size_limit_applies_to_every_json_ingester(kg: KnowledgeGraph, tmp_path: Path, fmt: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LERMAP_MAX_JSON_BYTES", "100")
    path = placed(TARGETS[fmt], tmp_path, TARGETS[fmt].original())
    err = refused(kg, path, fmt)
    assert isinstance(err, LimitExceededError) and "over the limit of 100" in err.reason


@pytest.mark.parametrize("fmt", JSON_FORMATS)
def test_the_json_depth_limit_applies_to_every_json_ingester(kg: KnowledgeGraph, tmp_path: Path, fmt: str,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LERMAP_MAX_JSON_DEPTH", "2")
    path = placed(TARGETS[fmt], tmp_path, TARGETS[fmt].original())
    err = refused(kg, path, fmt)
    assert isinstance(err, LimitExceededError) and "deeper than 2 levels" in err.reason
