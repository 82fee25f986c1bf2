# Thrive: `make run` serves the demo, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
THRIVE := $(BIN)/thrive
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install run test test-fast lint format bench loadtest worker clean browser-deps security

install: $(VENV)/.installed node_modules/.installed thrive/core/static/thrive/build/app.css

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=24"
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

thrive/core/static/thrive/build/app.css: node_modules/.installed scripts/build-assets.mjs thrive/core/assets/app.scss
	npm run --silent build

run: install
	$(THRIVE) migrate --no-input -v0
	$(THRIVE) seed --scale demo --if-empty -v0
	$(THRIVE) serve $(HOST):$(PORT)

# Debian's Chromium for the browser tests and Pango for PDFs (installed when root and missing).
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Install Chromium (apt-get install chromium) to run the browser tests."; fi; \
	fi
	@if ! ldconfig -p | grep -q libpangoft2-1.0; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; \
	  else echo "Install Pango (apt-get install libpango-1.0-0 libpangoft2-1.0-0) to write PDFs."; fi; \
	fi

test: install browser-deps
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

test-fast: install
	$(BIN)/pytest -n 2 -m "not browser" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(THRIVE) makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: install
	$(THRIVE) db_worker

# bandit over the code and pip-audit over the installed dependencies (scripts/security-checks.py).
.venv-security/.installed: scripts/security-requirements.txt
	test -x .venv-security/bin/python || $(PYTHON) -m venv .venv-security
	.venv-security/bin/pip install --quiet -r scripts/security-requirements.txt
	touch $@

security: install .venv-security/.installed
	$(BIN)/python scripts/security-checks.py

bench: install
	$(BIN)/python bench/run.py

# The deadline surge on PostgreSQL (bench/loadtest.py): LOADTEST_ORGS organisations (3000)
# start, fill and submit within a minute, then a run with a web worker killed mid-surge.
loadtest: install
	LOADTEST_FAULT=$${LOADTEST_FAULT:-1} LOADTEST_WRITE=$${LOADTEST_WRITE:-1} $(BIN)/python bench/loadtest.py

clean:
	rm -rf $(VENV) .venv-security node_modules thrive/core/static/thrive/build var
