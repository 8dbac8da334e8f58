# Shouwang: `make run` serves the demo county, `make test` runs the whole suite (SQLite, then PostgreSQL).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
COUNTY ?= 500243
DEMO_HOUSEHOLDS ?= 3000
LINT_PATHS := src tests $(wildcard bench)

.PHONY: setup run test test-sqlite test-postgres lint bench clean

setup: $(VENV)/.installed node_modules/.installed messages

$(VENV)/.installed: requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "需要 Python 3.11 / Python 3.11 is required"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: $(VENV)/.installed
	@bash scripts/system-deps.sh gettext
	$(BIN)/shouwang compilemessages --ignore=.venv --ignore=node_modules -v 0

run: setup
	$(BIN)/shouwang init --county $(COUNTY)
	$(BIN)/shouwang demo --households $(DEMO_HOUSEHOLDS) --seed 1 --if-empty
	$(BIN)/shouwang demo_accounts --county $(COUNTY)
	$(BIN)/shouwang serve

test: setup
	@bash scripts/system-deps.sh browser
	bash scripts/test.sh

test-sqlite: setup
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/mypy src

bench: setup
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) node_modules var
