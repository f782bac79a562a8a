# The two commands: `make run` (demo on SQLite) and `make test` (every check, on PostgreSQL).
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/delivery_unit
ASSETS := static/build/application.css static/build/govuk-frontend.js

.PHONY: run test bench bench-profile loadtest screenshots prerequisites prerequisites-browser prerequisites-screenshots assets clean

run: prerequisites $(VENV)/.installed assets
	DEBUG=true $(PY) manage.py migrate --no-input
	DEBUG=true $(PY) manage.py load_demo
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: prerequisites-browser $(VENV)/.installed assets tests/oidc_provider/node_modules/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	DEBUG=true $(VENV)/bin/mypy
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	DATABASE_URL=$(TEST_DATABASE_URL) DEBUG=false SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	  ALLOWED_HOSTS=delivery.example.org $(PY) manage.py check --deploy --fail-level WARNING
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} DJANGO_ALLOW_ASYNC_UNSAFE=true \
	  $(VENV)/bin/pytest $(PYTEST_ARGS)

prerequisites:
	@scripts/check-prerequisites

prerequisites-browser:
	@scripts/check-prerequisites --browser

prerequisites-screenshots:
	@scripts/check-prerequisites --screenshots

$(VENV)/.installed: pyproject.toml constraints.txt
	@python=$$(scripts/find-python) || { echo "No Python 3.12 or newer found: install python3.13 (or 3.12) and try again." >&2; exit 1; }; \
	  echo "Using $$python"; \
	  [ -x $(PY) ] || $$python -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# The OpenID Connect provider the sign-in tests start on loopback (tests/oidc.py).
tests/oidc_provider/node_modules/.installed: tests/oidc_provider/package.json tests/oidc_provider/package-lock.json
	cd tests/oidc_provider && npm ci --no-audit --no-fund --ignore-scripts
	touch $@

assets: $(ASSETS)

static/build/application.css: node_modules/.installed $(wildcard static/scss/*.scss)
	mkdir -p static/build/assets
	cp -r node_modules/govuk-frontend/dist/govuk/assets/images static/build/assets/
	node_modules/.bin/sass --load-path=node_modules --style=compressed --no-source-map \
	  --quiet-deps static/scss/application.scss $@

static/build/govuk-frontend.js: node_modules/.installed
	mkdir -p static/build
	cp node_modules/govuk-frontend/dist/govuk/all.bundle.js $@
	# The bundle names its source map; collectstatic's manifest storage fails without it.
	cp node_modules/govuk-frontend/dist/govuk/all.bundle.js.map static/build/

clean:
	rm -rf $(VENV) node_modules tests/oidc_provider/node_modules static/build staticfiles db.sqlite3

# Every main page at 1x and 10x the demo (load_demo --scale 1 and 10) beside a bare Django page,
# twenty people reading the 10x council at once, the pack's cost and the time to import 10,000 rows
# (QUALITY.md, Performance), in PostgreSQL databases that the script creates and drops: the name
# must contain "bench". `make bench-profile` writes pyinstrument profiles of the slowest pages at
# 10x into PROFILE_DIR.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/delivery_unit_bench
PROFILE_DIR ?= docs/profile-after

bench: prerequisites $(VENV)/.installed assets
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) scripts/bench.py

bench-profile: prerequisites $(VENV)/.installed
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) PROFILE_DIR=$(PROFILE_DIR) $(PY) scripts/bench_profile.py

# Locust: 50 signed-in people for 10 minutes on the 10x council, gunicorn with production
# settings on PostgreSQL and the worker issuing a pack (README, Load test). Not part of `make test`.
loadtest: prerequisites $(VENV)/.installed assets
	scripts/loadtest

# The screenshots in docs/screenshots/ (linked from the README): the delivery report and a
# priority page in Chromium at 1280 px, and three pages of the demo's issued pack via pdftoppm
# (apt-get install poppler-utils). Builds the demo in a throwaway SQLite database.
screenshots: prerequisites-screenshots $(VENV)/.installed assets
	$(PY) scripts/screenshots.py
