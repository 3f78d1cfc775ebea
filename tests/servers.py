"""Real servers for tests, started on loopback and stopped by the test that needs them."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, proc: subprocess.Popen[bytes], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}")
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not come up in {seconds}s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Ask a server to stop; kill it if it hasn't within 10 s."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def lermap_server(selector: str, env: dict[str, str], log: int | IO[bytes] = subprocess.DEVNULL) -> Iterator[str]:
    """``lermap serve`` over ``selector`` on a free loopback port, with ``env`` as its whole environment; yields the
    base URL and stops the server (terminate, then kill) when the block ends."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "lermap.cli", "serve", "--store", selector, "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT if log is not subprocess.DEVNULL else subprocess.PIPE, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/v1/health", proc, 60)
        yield base
    finally:
        stop(proc)


def oxigraph_binary() -> str | None:
    """The Oxigraph server from the PyPI package `oxigraph`, installed beside this Python."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


@contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """Run `oxigraph serve` on a free loopback port; yields its base URL."""
    binary = oxigraph_binary()
    if binary is None:
        raise RuntimeError("the oxigraph server (PyPI package `oxigraph`) is not installed")
    port = free_port()
    proc = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/", proc)
        yield base
    finally:
        stop(proc)


# -- engines for the remote-store suite ----------------------------------------------------------------

REQUIRE_ENGINES = "LERMAP_REQUIRE_ENGINES"


def engine_missing(what: str) -> None:
    """Skip (engine not installed here) — or fail, when CI says the engines are required."""
    import os

    import pytest

    if os.environ.get(REQUIRE_ENGINES) == "1":
        pytest.fail(f"{what} is required ({REQUIRE_ENGINES}=1) but not installed")
    pytest.skip(f"{what} is not installed here (CI installs it and sets {REQUIRE_ENGINES}=1)")


def virtuoso_binary() -> str | None:
    """OpenLink Virtuoso's server (Debian package `virtuoso-opensource`)."""
    return shutil.which("virtuoso-t")


_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{isql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {dir}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
EnabledGzipContent = 0
[SPARQL]
; Virtuoso's shipped default cap, kept so the tests meet it: lermap must page past it.
ResultSetMaxRows = 10000
MaxQueryExecutionTime = 120
; 0 turns the pre-execution cost check off: 7.2's estimator overflows (negative "estimated seconds") on
; queries with several OPTIONALs, such as lermap's catalogue query. docs/deploy.md says the same.
MaxQueryCostEstimationTime = 0
"""


class Virtuoso:
    """A running Virtuoso: its base URL and the stock ``dba`` account (loopback only, a throwaway database)."""

    user = "dba"
    password = "dba"

    def __init__(self, base: str, port: int) -> None:
        self.base = base
        self.port = port

    @property
    def selector(self) -> str:
        """Anonymous reads on /sparql, authenticated writes on /sparql-auth (GSP derived: /sparql-graph-crud-auth)."""
        return f"sparql:{self.base}/sparql,http://{self.user}:{self.password}@127.0.0.1:{self.port}/sparql-auth"

    def update(self, sparql: str) -> None:
        httpx.post(f"{self.base}/sparql-auth", data={"update": sparql}, auth=httpx.DigestAuth(self.user, self.password),
                   timeout=60).raise_for_status()


@contextmanager
def virtuoso_server(folder: Path, buffers: int = 20_000) -> Iterator[Virtuoso]:
    """Run `virtuoso-t -f` with its own virtuoso.ini in ``folder``, HTTP and ISQL on free loopback ports."""
    binary = virtuoso_binary()
    if binary is None:
        raise RuntimeError("virtuoso-t (Debian package `virtuoso-opensource`) is not installed")
    folder.mkdir(parents=True, exist_ok=True)
    http_port, isql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(dir=folder, http_port=http_port, isql_port=isql_port, buffers=buffers, dirty=buffers * 3 // 4))
    log = (folder / "stdout.log").open("wb")
    proc = subprocess.Popen([binary, "-f", "+configfile", str(ini)], cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http_port}"
    try:
        wait_until_up(base + "/sparql", proc, seconds=120)
        yield Virtuoso(base, http_port)
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
