"""`make lab`'s steps, read with `make -n` (nothing runs): the notebooks extra into the project's venv, the project's
kernel registered in it, the default graph built only when missing, JupyterLab on notebooks/ with that kernel."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _steps(tmp_path: Path, **variables: str) -> list[str]:
    make = shutil.which("make")
    assert make is not None, "make is part of the toolchain (`make run`, `make test`)"
    args = [make, "-n", "-B", "--no-print-directory", "-C", str(ROOT), "lab", *(f"{k}={v}" for k, v in variables.items())]
    out = subprocess.run(args, capture_output=True, text=True, check=True, timeout=60).stdout
    return [line.strip() for line in out.splitlines() if line.strip() and not line.strip().startswith("#")]


def test_lab_installs_the_extra_registers_the_kernel_builds_if_missing_and_opens_notebooks(tmp_path: Path) -> None:
    steps = _steps(tmp_path)
    text = "\n".join(steps)
    install = next(i for i, s in enumerate(steps) if "install --quiet -e '.[notebooks]'" in s)
    kernel = next(i for i, s in enumerate(steps) if "-m ipykernel install --sys-prefix --name lermap" in s)
    build = next(i for i, s in enumerate(steps) if s == "test -d .lermap/store || .venv/bin/lermap build")
    lab = next(i for i, s in enumerate(steps) if s.startswith(".venv/bin/jupyter lab --notebook-dir=notebooks"))
    assert install < kernel < build < lab
    assert steps[install].startswith(".venv/bin/pip ") and steps[kernel].startswith(".venv/bin/python ")  # the project's venv
    assert "--MappingKernelManager.default_kernel_name=lermap" in text and "--ServerApp.ip=127.0.0.1" in text
    assert "overrides.json" in text and (ROOT / "tools" / "jupyterlab-overrides.json").is_file()


def test_lab_builds_the_store_it_is_told_to_use(tmp_path: Path) -> None:
    assert f"test -d {tmp_path}/s || .venv/bin/lermap build" in _steps(tmp_path, STORE_DIR=f"{tmp_path}/s")


@pytest.mark.parametrize("package", ["jupyterlab", "jupytext", "ipykernel", "pyarrow", "kaleido"])
def test_the_notebooks_extra_pins_a_compatible_range(package: str) -> None:
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["notebooks"]
    (spec,) = [s for s in extra if s.split(">")[0].split("=")[0].strip() == package]
    assert ">=" in spec and ",<" in spec
