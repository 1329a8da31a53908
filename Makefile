# Youth Voice: `make run` serves the app with demo data; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
export INSTANCE_PATH ?= $(CURDIR)/instance
# The targets here run the app on one machine, on the development secrets; without
# APP_ENV=development the app counts as live and refuses to start without real keys.
export APP_ENV ?= development
# pytest-xdist workers for `make test`: one per core.
TEST_WORKERS ?= auto

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-12s %s\n", $$1, $$2}'

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

# Every Python package comes from requirements.lock, each checked against its hashes;
# then the project itself, which brings nothing more (`make lock` after changing pins).
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

.PHONY: install
install: $(VENV)/.installed ## Create the virtualenv and install the package

UV_VERSION := 0.13.9

.PHONY: lock
lock: | $(BIN)/activate ## Lock the Python dependencies (with hashes) after changing pyproject.toml
	$(BIN)/pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip compile --quiet --generate-hashes --extra test --extra postgres \
		--python-version 3.11 --output-file requirements.lock pyproject.toml

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# The CSS is trimmed to the classes the templates use, so templates count as its sources.
static/manifest.json: node_modules/.package-lock.json scripts/build-assets.mjs $(shell find assets templates -type f 2>/dev/null)
	npm run --silent build

.PHONY: assets
assets: static/manifest.json ## Build the CSS and JavaScript (hashed names, .br and .gz copies)

# Languages: gettext catalogues under feedback/translations. The .po files are the
# source (committed); the compiled .mo files are built here (git-ignored).
TRANSLATIONS := feedback/translations
PO_FILES := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
# lazy_gettext (as _l) marks form labels and messages made before a request.
EXTRACT_KEYWORDS := --keywords lazy_gettext --keywords _l
# The words staff see (s_, and sl_ for form labels) go to a domain of their own, staff.pot,
# never to the young people's catalogues; no staff catalogue is shipped (pages in English).
STAFF_KEYWORDS := --no-default-keywords --keywords s_ --keywords sl_ --keywords sn_:1,2 --keywords N_ --keywords sN_

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile --statistics --input-file $< --output-file $@

.PHONY: translations
translations: $(MO_FILES) ## Compile the translations (.po to .mo)

.PHONY: extract
extract: install ## Re-extract the strings to translate and update every language's .po file
	$(BIN)/pybabel extract --mapping-file babel.cfg $(EXTRACT_KEYWORDS) --no-location \
		--sort-output --no-wrap --project "Youth Voice" --copyright-holder "" \
		--msgid-bugs-address "" --output-file $(TRANSLATIONS)/messages.pot feedback templates
	$(BIN)/pybabel update --input-file $(TRANSLATIONS)/messages.pot \
		--output-dir $(TRANSLATIONS) --ignore-obsolete --no-wrap
	$(BIN)/pybabel extract --mapping-file babel.cfg $(STAFF_KEYWORDS) --no-location \
		--sort-output --no-wrap --project "Youth Voice" --copyright-holder "" \
		--msgid-bugs-address "" --output-file $(TRANSLATIONS)/staff.pot feedback templates

.PHONY: system
system: ## Install Debian's chromium, postgresql and redis-server where missing
	bash scripts/system-deps.sh

.PHONY: db
db: install ## Apply the database migrations
	$(FLASK) db upgrade

.PHONY: run
run: install assets translations db ## Run the app on SQLite with demo data at http://127.0.0.1:5000
	$(FLASK) demo seed
	$(FLASK) run --host 127.0.0.1 --port 5000

.PHONY: lint
lint: install ## Check the code and its format with ruff, the types of outcomes with mypy, and bandit
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/bandit --quiet --recursive --severity-level medium feedback outcomes

.PHONY: test
test: system install assets translations lint ## Run every test (SQLite, PostgreSQL, Chromium)
	@set -e; url=$$(bash scripts/pg-test-server.sh start); \
	trap 'bash scripts/pg-test-server.sh stop >/dev/null' EXIT; \
	TEST_POSTGRES_URL="$$url" $(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

.PHONY: bench
bench: install assets translations ## Run the benchmarks under bench/ (load.py starts redis-server on 127.0.0.1)
	$(BIN)/python bench/page_weight.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/detector.py
	$(BIN)/python bench/text.py
	$(BIN)/python bench/disclosure.py
	$(BIN)/python bench/language.py

.PHONY: clean
clean: ## Remove the virtualenv, node modules, built assets and the local database
	rm -rf $(VENV) node_modules static instance .pg-test
