# Retorno: `make run` installs everything and serves the app with demo data; `make test` runs every test.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=
export DJANGO_SETTINGS_MODULE := retorno.settings

.PHONY: run install test lint browser-deps clean-db bench

run: install
	$(VENV)/bin/retorno setup
	$(VENV)/bin/retorno serve

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# Browser tests drive Debian's chromium through Playwright (never a downloaded browser).
browser-deps:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint: install
	$(VENV)/bin/ruff check .

test: install browser-deps lint
	$(VENV)/bin/retorno compile_translations
	$(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

clean-db:
	rm -f var/retorno.sqlite3*
