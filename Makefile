# Two commands: `make run` (set up and start) and `make test` (set up and pass the suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= landmosaic.config.settings.local

.PHONY: run test setup frontend messages db lint test-python test-postgres chromium clean makemessages openapi

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

frontend: node_modules/.package-lock.json $(VENV)/.installed
	$(PY) scripts/build_frontend.py

messages: $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -D django -d landmosaic/locale 2>&1 | grep -v "^compiling" || true

setup: $(VENV)/.installed frontend messages

db: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py load_demo

# Starts the job worker in the background and the web server in the foreground; Ctrl-C stops both.
run: db
	@echo ""
	@echo "Landmosaic is starting on http://$(HOST):$(PORT)/"
	@$(PY) manage.py db_worker --queue-name '*' --interval 1 --no-reload > var/worker.log 2>&1 & \
	  worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  echo "Job worker running (pid $$worker, log: var/worker.log)"; \
	  $(PY) manage.py runserver $(HOST):$(PORT) --noreload

# Debian's Chromium for the browser tests, installed when missing and we are root.
chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    (apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 || \
	     (apt-get update -qq && apt-get install -y --no-install-recommends chromium)); \
	  else echo "chromium is missing: install Debian's chromium package (browser tests will be skipped)"; fi; \
	fi

lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=landmosaic.config.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=landmosaic.config.settings.test $(PY) scripts/check_openapi.py
	$(PY) scripts/check_translations.py

test-python: setup chromium
	DJANGO_SETTINGS_MODULE=landmosaic.config.settings.test $(BIN)/pytest -q -n 2

test: lint test-python

test-postgres: setup chromium
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test DJANGO_SETTINGS_MODULE=landmosaic.config.settings.test \
	  $(BIN)/pytest -q -n 2

makemessages: setup
	$(PY) manage.py makemessages --no-obsolete --no-location -l en -l es -l fr -l pt -i 'node_modules/*' -i '.venv/*'

openapi: setup
	DJANGO_SETTINGS_MODULE=landmosaic.config.settings.test $(PY) scripts/check_openapi.py --write

clean:
	rm -rf $(VENV) node_modules landmosaic/web/static/vendor var
