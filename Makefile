# credgroup: the two commands of the quick start are `make run` and `make test`.
# Everything else here is what they are made of.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app app

.PHONY: run test test-postgres lint format install install-test load-fault clean

## Install everything and start the site (web + worker) on SQLite with demo data.
run: install
	$(FLASK) local

## Install and run the whole test suite (SQLite; PostgreSQL too when
## CREDGROUP_TEST_DATABASE_URL is set; browser tests when chromium is installed).
## Two processes by default (each with a database of its own); TEST_WORKERS=0 runs serially.
TEST_WORKERS ?= 2
test: install-test
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

test-postgres: install-test
	CREDGROUP_TEST_DATABASE_URL=$${CREDGROUP_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
		$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

## Regenerate the README's screenshots (docs/screenshots/*.png) from the demo data; needs
## Debian's chromium, like the browser tests.
screenshots: install-test
	$(BIN)/python -m tests.browser.screenshots

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

install-test: $(VENV)/.installed-test
$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

## The load and fault test (benchmarks/load_fault.py): its own PostgreSQL cluster, gunicorn
## and the worker under load while they are killed and restarted; a few minutes.
load-fault: install-test
	$(BIN)/python -m pip install --quiet -e ".[deploy,test]"
	$(BIN)/python benchmarks/load_fault.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
