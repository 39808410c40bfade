# The few commands people run. `make demo` and `make test` do all set-up themselves.
VENV    ?= .venv
PYTHON  ?= python3
PY      := $(VENV)/bin/python
# Test processes: one per core and one more, for the time browser tests spend waiting on pages (measured on 2
# cores: 2 processes 5m22s, 3 processes 5m02s). A module's tests stay in one process (--dist loadscope): its
# browser and served pages start once.
WORKERS ?= $(shell $(PYTHON) -c "import os; print((os.cpu_count() or 1) + 1)")
STAMP   := $(VENV)/.installed

.PHONY: demo test test-fast test-real-stores mask-pictures setup browser postgres lint typecheck bench store clean

demo: setup
	$(VENV)/bin/probe check --out probe-report

test: setup postgres
	$(PY) -m pytest -n $(WORKERS) --dist loadscope $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

# The real stores of tests/real_stores: django-oscar + django-oscar-accounts from PyPI (a venv of their own) and
# EverShop from npm (pinned by its package-lock.json, on a PostgreSQL of its own), both under .real-stores/: install
# them (a no-op when installed), then drive probe check against them.
test-real-stores: setup postgres
	sh scripts/real-stores/oscar/install.sh
	sh scripts/real-stores/evershop/install.sh
	$(PY) -m pytest tests/real_stores $(PYTEST_ARGS)
	@cat .real-stores/oscar/results.md .real-stores/evershop/results.md 2>/dev/null || true

# docs/masks/<kind>.png: for each kind of mask, the shopper's datum hidden beside the readable cart, from a test run.
mask-pictures: setup
	PROBE_WRITE_MASK_PICTURES=1 $(PY) -m pytest tests/test_masks.py -k pictures $(PYTEST_ARGS)

setup: $(STAMP) browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

browser: $(STAMP)
	@VENV=$(VENV) sh scripts/ensure-browser.sh

# PostgreSQL's server programs, for the run-history tests (each test run starts and stops a server of its own).
postgres:
	@sh scripts/ensure-postgres.sh

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
