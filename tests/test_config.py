"""Settings: per-user folders follow XDG (through platformdirs), LERMAP_* variables override them, secrets stay out
of reprs, and config.py is the only module that reads the environment."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from lermap.config import settings

LERMAP = Path(__file__).resolve().parents[1] / "lermap"


@pytest.mark.skipif(sys.platform != "linux", reason="XDG base directories are the Linux convention")
def test_config_and_cache_folders_follow_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LERMAP_CONFIG_DIR", raising=False)
    monkeypatch.delenv("LERMAP_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    s = settings()
    assert s.config_dir == tmp_path / "xdg-config" / "lermap"
    assert s.contexts_dir == tmp_path / "xdg-config" / "lermap" / "contexts"
    assert s.cache_dir == tmp_path / "xdg-cache" / "lermap"


@pytest.mark.skipif(sys.platform != "linux", reason="XDG base directories are the Linux convention")
def test_without_xdg_variables_the_folders_are_under_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LERMAP_CONFIG_DIR", "LERMAP_CACHE_DIR", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    s = settings()
    assert (s.config_dir, s.cache_dir) == (tmp_path / ".config" / "lermap", tmp_path / ".cache" / "lermap")


def test_lermap_variables_override_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("LERMAP_CONFIG_DIR", str(tmp_path / "mine"))
    monkeypatch.setenv("LERMAP_CACHE_DIR", str(tmp_path / "cache"))
    s = settings()
    assert (s.config_dir, s.models_dir, s.cache_dir) == (tmp_path / "mine", tmp_path / "mine" / "models", tmp_path / "cache")


def test_secrets_are_read_but_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LERMAP_SPARQL_PASSWORD", "hunter2-secret")
    monkeypatch.setenv("LERMAP_REVIEW_TOKENS", "ann:tok-secret")
    s = settings()
    assert (s.sparql_password, s.review_tokens) == ("hunter2-secret", "ann:tok-secret")
    assert "secret" not in repr(s)


def _reads_environment(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv", "environb"} and isinstance(node.value, ast.Name) \
                and node.value.id == "os":
            return True
        if isinstance(node, ast.ImportFrom) and node.module == "os" and any(a.name in {"environ", "getenv"} for a in node.names):
            return True
    return False


def test_only_config_reads_the_environment() -> None:
    readers = sorted(str(p.relative_to(LERMAP)) for p in LERMAP.rglob("*.py") if _reads_environment(ast.parse(p.read_text("utf-8"))))
    assert readers == ["config.py"]
