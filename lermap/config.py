"""Settings, read from the environment (``LERMAP_*``) with documented defaults.

This module is the only place lermap reads environment variables; everything else asks :func:`settings`.
Nothing here touches the disk at import; :func:`settings` builds a fresh value on each call so that
tests and long-running servers see changes to the environment.

The per-user folders follow the platform's conventions through ``platformdirs``: on Linux the config folder is
``$XDG_CONFIG_HOME/lermap`` (``~/.config/lermap`` when unset) and the download cache ``$XDG_CACHE_HOME/lermap``
(``~/.cache/lermap``); ``LERMAP_CONFIG_DIR`` and ``LERMAP_CACHE_DIR`` override them.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import platformdirs

from lermap.errors import ConfigError

DEFAULT_STORE = "oxigraph:.lermap/store"


def default_config_dir() -> Path:
    """The per-user config folder (JSON-LD contexts, tuned models): ``$XDG_CONFIG_HOME/lermap`` on Linux."""
    return Path(platformdirs.user_config_dir("lermap", appauthor=False))


def default_cache_dir() -> Path:
    """The per-user download cache of ``lermap fetch``: ``$XDG_CACHE_HOME/lermap`` on Linux."""
    return Path(platformdirs.user_cache_dir("lermap", appauthor=False))


def _int_env(name: str, default: int, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    return value


def _bool_env(name: str) -> bool:
    raw = (os.environ.get(name) or "").strip().lower()
    if raw in {"", "0", "false", "no"}:
        return False
    if raw in {"1", "true", "yes"}:
        return True
    from lermap.errors import ConfigError

    raise ConfigError(f"{name} must be 1 or 0 (true or false), got {raw!r}")


@dataclass(frozen=True)
class Limits:
    """Bounds on what an ingester accepts; every one is configurable by environment variable."""

    max_json_bytes: int = 64 * 1024 * 1024  # LERMAP_MAX_JSON_BYTES
    max_file_bytes: int = 1024 * 1024 * 1024  # LERMAP_MAX_FILE_BYTES (tabular and RDF files)
    max_json_depth: int = 200  # LERMAP_MAX_JSON_DEPTH
    max_archive_ratio: int = 100  # LERMAP_MAX_ARCHIVE_RATIO (unpacked / packed)

    @classmethod
    def from_env(cls) -> Limits:
        return cls(
            max_json_bytes=_int_env("LERMAP_MAX_JSON_BYTES", cls.max_json_bytes, minimum=1),
            max_file_bytes=_int_env("LERMAP_MAX_FILE_BYTES", cls.max_file_bytes, minimum=1),
            max_json_depth=_int_env("LERMAP_MAX_JSON_DEPTH", cls.max_json_depth, minimum=1),
            max_archive_ratio=_int_env("LERMAP_MAX_ARCHIVE_RATIO", cls.max_archive_ratio, minimum=1),
        )


@dataclass(frozen=True)
class Settings:
    store: str = DEFAULT_STORE  # LERMAP_STORE
    config_dir: Path = field(default_factory=default_config_dir)  # LERMAP_CONFIG_DIR
    cache_dir: Path = field(default_factory=default_cache_dir)  # LERMAP_CACHE_DIR
    data_dir: Path = Path("data")  # LERMAP_DATA_DIR: what `lermap build` reads
    limits: Limits = field(default_factory=Limits)
    query_timeout_s: float = 20.0  # LERMAP_QUERY_TIMEOUT
    result_cap: int = 10_000  # LERMAP_RESULT_CAP
    max_query_bytes: int = 64 * 1024  # LERMAP_MAX_QUERY_BYTES: longest query /sparql accepts
    sparql_workers: int = 4  # LERMAP_SPARQL_WORKERS: /sparql worker processes (queries evaluated at once) per server process
    max_query_depth: int = 100  # LERMAP_MAX_QUERY_DEPTH: deepest bracket nesting /sparql accepts
    max_upload_bytes: int = 4 * 1024 * 1024  # LERMAP_MAX_UPLOAD_BYTES: largest request body carrying a document
    read_only: bool = False  # LERMAP_READ_ONLY: open the store without its write lock (a snapshot nobody writes)
    warm: bool = False  # LERMAP_WARM: compute the pages' per-state caches in the background at start (lermap serve sets it)
    cors_origins: tuple[str, ...] = ()  # LERMAP_CORS_ORIGINS: comma-separated; empty = no cross-origin access
    proposal_rate: int = 20  # LERMAP_PROPOSAL_RATE: edit proposals accepted per client IP per hour
    # LERMAP_REVIEW_TOKENS: "name:token,name:token" of the reviewers who may moderate proposals and curate
    review_tokens: str | None = field(default=None, repr=False)
    sparql_user: str | None = None  # LERMAP_SPARQL_USER: credentials of a sparql: store, when its URLs carry none
    sparql_password: str | None = field(default=None, repr=False)  # LERMAP_SPARQL_PASSWORD
    debug: bool = False  # LERMAP_DEBUG: the CLI shows tracebacks
    # LERMAP_SESSION_SECRET: signs session and CSRF cookies; unset, each process draws its own (sign-ins end on restart)
    session_secret: str | None = field(default=None, repr=False)

    def cookie_secret(self) -> bytes:
        """The key that signs cookies: ``LERMAP_SESSION_SECRET``, or one drawn at random once per process."""
        return self.session_secret.encode("utf-8") if self.session_secret else process_secret()

    @property
    def contexts_dir(self) -> Path:
        """Where user-registered JSON-LD contexts live (``lermap contexts add``)."""
        return self.config_dir / "contexts"

    @property
    def models_dir(self) -> Path:
        """Where embedders fine-tuned on a graph's own labels are cached (:mod:`lermap.analysis.tuning`)."""
        return self.config_dir / "models"


@cache
def process_secret() -> bytes:
    """32 random bytes drawn on first use and kept for the life of the process."""
    return secrets.token_bytes(32)


def settings() -> Settings:
    env = os.environ
    return Settings(
        store=env.get("LERMAP_STORE") or DEFAULT_STORE,
        config_dir=Path(env["LERMAP_CONFIG_DIR"]) if env.get("LERMAP_CONFIG_DIR") else default_config_dir(),
        cache_dir=Path(env["LERMAP_CACHE_DIR"]) if env.get("LERMAP_CACHE_DIR") else default_cache_dir(),
        data_dir=Path(env.get("LERMAP_DATA_DIR") or "data"),
        limits=Limits.from_env(),
        query_timeout_s=float(env.get("LERMAP_QUERY_TIMEOUT") or 20.0),
        result_cap=_int_env("LERMAP_RESULT_CAP", 10_000),
        max_query_bytes=_int_env("LERMAP_MAX_QUERY_BYTES", 64 * 1024, minimum=1),
        sparql_workers=_int_env("LERMAP_SPARQL_WORKERS", 4, minimum=1),
        max_query_depth=_int_env("LERMAP_MAX_QUERY_DEPTH", 100, minimum=1),
        max_upload_bytes=_int_env("LERMAP_MAX_UPLOAD_BYTES", 4 * 1024 * 1024, minimum=1),
        read_only=_bool_env("LERMAP_READ_ONLY"),
        warm=_bool_env("LERMAP_WARM"),
        cors_origins=tuple(o.strip() for o in (env.get("LERMAP_CORS_ORIGINS") or "").split(",") if o.strip()),
        proposal_rate=_int_env("LERMAP_PROPOSAL_RATE", 20, minimum=1),
        review_tokens=env.get("LERMAP_REVIEW_TOKENS"),
        sparql_user=env.get("LERMAP_SPARQL_USER") or None,
        sparql_password=env.get("LERMAP_SPARQL_PASSWORD") or None,
        debug=bool(env.get("LERMAP_DEBUG")),
        session_secret=_secret_env("LERMAP_SESSION_SECRET"),
    )


def _secret_env(name: str) -> str | None:
    raw = os.environ.get(name)
    if not raw:
        return None
    if len(raw) < 32:
        raise ConfigError(f"{name} must be at least 32 characters (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)")
    return raw


def child_environment() -> dict[str, str]:
    """A copy of this process's environment, for a child process it starts (a query worker)."""
    return dict(os.environ)


def publish_to_children(**settings_: str) -> None:
    """Set ``LERMAP_*`` settings in this process's environment, for the server processes it is about to start
    (``lermap serve --workers N``: uvicorn's workers read their store from it)."""
    os.environ.update(settings_)


def keep_model_hub_offline() -> None:
    """Tell Hugging Face libraries never to reach their hub (unless the user set these variables otherwise)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
