# The runbook. `make help` lists every target.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CLUSTER_STAMP := $(VENV)/.installed-cluster

# One environment for executing and for validating notebooks, so nbval compares like with like.
export PYTHONHASHSEED := 0
export MPLBACKEND := module://matplotlib_inline.backend_inline
export MPLCONFIGDIR := $(CURDIR)/.cache/matplotlib
export PYTHONIOENCODING := utf-8
export PYDEVD_DISABLE_FILE_VALIDATION := 1
export JUPYTER_PLATFORM_DIRS := 1

.DEFAULT_GOAL := help
.PHONY: help setup cluster-setup browser corpus notebooks study test unit nbval lint lab validate bench report clean

help: ## List the targets with a one-line description
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | awk -F'\t' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version' 
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

setup: $(STAMP) ## Create .venv and install the pinned dependencies (only when the pins changed)

corpus: $(STAMP) ## Parse the configured corpus (notebooks/study.toml, or the file named by DISCOURSE_STUDY) into its processed tables
	$(BIN)/python -m discourse.study.build

notebooks: $(CLUSTER_STAMP) ## Execute every notebook (all or nothing: files change only when every notebook succeeds)
	$(BIN)/python -m discourse.study.runner

study: corpus notebooks ## Set up, build the corpus, run every notebook and write every figure

# tests/test_report.py opens the report in headless Chromium, which it finds as `chromium` on PATH.
# APT_GET is apt-get when this runs as root and has it, else empty (`make APT_GET=` never installs).
APT_GET ?= $(if $(filter 0,$(shell id -u)),$(shell command -v apt-get))
browser: ## Find Chromium for the report tests; install Debian's chromium if root with apt-get
	@command -v chromium >/dev/null || { \
	  if [ -n "$(APT_GET)" ]; then \
	    echo "Installing Debian's chromium for the report tests"; \
	    $(APT_GET) update -qq && DEBIAN_FRONTEND=noninteractive $(APT_GET) install -y -qq chromium >/dev/null; \
	  else \
	    echo "make test needs Chromium for the report tests: install Debian's chromium package (apt-get install chromium) or put chromium on PATH" >&2; \
	    exit 1; \
	  fi; \
	}

unit: browser $(CLUSTER_STAMP) ## Run the unit tests only (Dask extra and Chromium included; a skip fails)
	$(BIN)/python -m pytest -q tests

nbval: $(CLUSTER_STAMP) ## Validate the committed notebook outputs with nbval (strict)
	$(BIN)/python -m pytest -q --nbval --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg notebooks

test: browser $(CLUSTER_STAMP) ## Set up all it needs, then run the unit tests and nbval (strict); a skip fails
	$(BIN)/python -m pytest -q tests
	$(BIN)/python -m pytest -q --nbval --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg notebooks

lint: $(STAMP) ## Check code and notebooks with ruff (lint and format)
	$(BIN)/ruff check src tests notebooks
	$(BIN)/ruff format --check src tests

lab: $(STAMP) ## Start JupyterLab on 127.0.0.1 with a token (LAB_PORT, LAB_TOKEN to override)
	$(BIN)/python -m discourse.study.lab

$(CLUSTER_STAMP): $(STAMP) requirements-cluster.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-cluster.lock
	touch $(CLUSTER_STAMP)

cluster-setup: $(CLUSTER_STAMP) ## Install the optional Dask extra (pinned in requirements-cluster.lock)

validate: $(STAMP) ## The reply measure against the QEvasion test set (QEVASION_TEST_SET, default ../shared/data/qevasion/test_set.csv): AUC with its interval; fails below 0.70
	$(BIN)/python benchmarks/validate_replies.py

bench: $(CLUSTER_STAMP) ## Time every stage, the study and the tests; scale to 100x; check targets (benchmarks/)
	$(BIN)/python benchmarks/run.py

report: $(STAMP) ## Reader's report: findings on the index, notebooks with code folded, contents, captions (build/report/)
	$(BIN)/python -m discourse.study.report

clean: ## Remove the virtual environment and caches (keeps corpus, notebooks, figures)
	rm -rf $(VENV) .cache build
