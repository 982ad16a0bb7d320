# Retorno: `make run` installs everything and serves the app with demo data; `make test` runs every test.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: run install install-dev test lint browser-deps clean-db bench worker

# The server and its task worker, on the embedded SQLite database with demo data. It runs as in
# production (DEBUG off, real error pages) on a secret written once to var/secret_key;
# `DEBUG=1 make run` for tracebacks while developing.
run: export DJANGO_SETTINGS_MODULE := retorno.settings
run: export SECRET_KEY_FILE ?= var/secret_key
run: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
run: install var/secret_key
	$(VENV)/bin/retorno setup
	$(VENV)/bin/retorno serve --with-worker

var/secret_key:
	mkdir -p var && umask 077 && $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

# Runtime dependencies only (requirements.lock): what a production install has.
install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# Test and benchmark tools on top (requirements-dev.lock): pytest, Playwright, Schemathesis, ruff...
install-dev: $(VENV)/.installed-dev

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	$(PY) -m pip install --quiet -r requirements-dev.lock
	touch $@

# Browser tests drive Debian's chromium through Playwright (never a downloaded browser).
browser-deps:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint: install-dev
	$(VENV)/bin/ruff check .

# The whole suite, Schemathesis over the API and the permission matrix included. The test
# settings (retorno/settings_test.py) turn DEBUG on and use a test-only secret.
test: export DJANGO_SETTINGS_MODULE := retorno.settings_test
test: install-dev browser-deps lint
	$(VENV)/bin/retorno compile_translations
	$(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

worker: export SECRET_KEY_FILE ?= var/secret_key
worker: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
worker: install var/secret_key
	$(VENV)/bin/retorno worker

clean-db:
	rm -f var/retorno.sqlite3* var/retorno-*.sqlite3*
