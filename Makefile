# The few commands people run. `make demo` and `make test` do all set-up themselves.
VENV    ?= .venv
PYTHON  ?= python3
PY      := $(VENV)/bin/python
# Test processes: browser tests spend much of their time waiting on pages, so more than one per core pays.
# A module's tests stay in one process (--dist loadscope): its browser and served pages start once.
WORKERS ?= auto
STAMP   := $(VENV)/.installed

.PHONY: demo test test-fast setup browser lint typecheck bench store clean

demo: setup
	$(VENV)/bin/probe check --out probe-report

test: setup
	$(PY) -m pytest -n $(WORKERS) --dist loadscope $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

setup: $(STAMP) browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

browser: $(STAMP)
	@VENV=$(VENV) sh scripts/ensure-browser.sh

lint: setup
	$(VENV)/bin/ruff check probe mock_store tests bench
	$(VENV)/bin/ruff format --check probe mock_store tests bench

typecheck: setup
	$(VENV)/bin/mypy

bench: setup
	$(PY) bench/run.py

store: setup
	$(VENV)/bin/probe store

clean:
	rm -rf $(VENV) probe-report .pytest_cache
