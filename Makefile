# The two commands a fresh machine needs:
#   make demo   set up, then run the demo on SQLite (prints the URL and logins)
#   make test   set up, then run the linters and the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PYTEST_ARGS ?= -n 2

.PHONY: demo test test-postgres lint format setup setup-test setup-bench browser screenshots clean

$(VENV)/.app-installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/.app-installed
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

setup: $(VENV)/.app-installed

setup-test: $(VENV)/.test-installed browser node_modules/.package-lock.json

# axe-core, which the browser tests run on every page (package-lock.json pins it).
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "installing Debian's npm for axe-core"; \
	  apt-get update -qq && apt-get install -y -qq npm >/dev/null; }
	npm ci --no-audit --no-fund

# What the benchmarks under bench/ need beyond the tests (run by hand).
setup-bench: $(VENV)/.test-installed
	$(BIN)/pip install --quiet -e ".[bench]"

# Debian's Chromium drives the browser tests (no browser is downloaded).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

demo: setup
	$(BIN)/evac demo

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.test-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: setup-test lint
	$(BIN)/pytest $(PYTEST_ARGS)

test-postgres: setup-test
	EVAC_TEST_DATABASE_URL=$${EVAC_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
	  $(BIN)/pytest $(PYTEST_ARGS)

# Regenerate the tracked screenshots in docs/screenshots (tests write to a scratch folder).
# The staff pages' folder is emptied first, so that a page gone leaves no picture behind.
screenshots: setup-test
	rm -rf docs/screenshots/staff
	EVAC_SCREENSHOTS_DIR=$(CURDIR)/docs/screenshots $(BIN)/pytest -m browser -p no:xdist

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache .hypothesis
