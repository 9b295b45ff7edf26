# Harbour: two commands for a newcomer.
#   make run   - set everything up (venv, packages, database, demo data) and serve on
#                http://127.0.0.1:8000 with a Celery worker and beat; Ctrl-C stops all three.
#   make test  - the whole test suite (lint, import layers, migrations check, unit, API, worker and
#                browser tests).
SHELL := /bin/bash
PY := .venv/bin/python
PIP := .venv/bin/pip
PYTHON ?= python3

.PHONY: run test setup deps assets messages db seed lint fmt browser serve clean load bench container-smoke

run: setup seed
	$(PY) scripts/run.py

setup: deps assets messages db

deps: .venv/.installed node_modules/.installed

.venv/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv .venv
	$(PIP) install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "*** npm is missing: install Node.js 20+ (apt-get install nodejs npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

assets: static_build/harbour.css

static_build/harbour.css: node_modules/.installed $(wildcard assets/scss/*.scss)
	@mkdir -p static_build
	npm run --silent build

# The Welsh catalogues (locale/*/LC_MESSAGES/*.po) compiled to .mo with GNU gettext's msgfmt
# (the .mo files are build output, not committed; docs/i18n.md).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))

messages: $(MO_FILES)

locale/%.mo: locale/%.po
	@command -v msgfmt >/dev/null || { echo "*** msgfmt is missing: sudo apt-get install gettext"; exit 1; }
	msgfmt --check -o $@ $<

db: deps
	$(PY) scripts/preflight.py
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0

seed: db
	$(PY) manage.py seed_demo

browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "*** chromium is missing: sudo apt-get install chromium"; exit 1; fi; }

test: deps assets messages browser
	$(PY) scripts/preflight.py
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports
	$(PY) -m pytest $(PYTEST_ARGS)

# lint-imports: the layers (pyproject.toml [tool.importlinter], docs/architecture.md "Layers").
lint: .venv/.installed
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports

fmt:
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

serve:
	$(PY) scripts/run.py

clean:
	rm -rf .venv node_modules static_build staticfiles $(MO_FILES)

# Not part of `make test`: the load test (bench/run_load.sh, about 6 minutes; results in
# bench/results/ and bench/RESULTS.md) and the benchmarks, each on a database of its own.
load: deps
	$(PIP) install --quiet --disable-pip-version-check -e ".[bench]"
	bash bench/run_load.sh

bench: deps
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/harbour_bench REDIS_URL=redis://127.0.0.1:6379/3 \
	  $(PY) bench/alerts_sweep.py
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/harbour_bench_reporting $(PY) bench/dashboard.py

# Not part of `make test`: build the image, start the compose stack, sign in, record a detention
# through the API, export and download, stop (scripts/container-smoke.sh; about 5 minutes).
# Without Docker Hub: make container-smoke COMPOSE="../shared/tools/container-lab.sh compose ."
container-smoke:
	COMPOSE="$(COMPOSE)" bash scripts/container-smoke.sh
