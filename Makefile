# Werkregie: the only entry points. `make run` and `make test` work on a fresh clone.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

run: $(STAMP)
	mkdir -p var
	DEBUG=1 WERKREGIE_DEMO=1 $(BIN)/werkregie migrate --noinput -v0
	DEBUG=1 WERKREGIE_DEMO=1 $(BIN)/werkregie setup_demo
	@echo "Werkregie draait op http://127.0.0.1:8000 — log in met een van de demogebruikers hierboven."
	@# The task worker runs beside the web server (imports, plans and executions are jobs).
	DEBUG=1 WERKREGIE_DEMO=1 $(BIN)/werkregie worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  DEBUG=1 WERKREGIE_DEMO=1 $(BIN)/werkregie runserver 127.0.0.1:8000

lint: $(STAMP)
	mkdir -p var
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	WERKREGIE_TESTING=1 $(BIN)/mypy .
	WERKREGIE_TESTING=1 $(BIN)/lint-imports --no-cache
	WERKREGIE_TESTING=1 $(BIN)/werkregie makemigrations --check --dry-run
	WERKREGIE_TESTING=1 $(BIN)/werkregie spectacular --validate --fail-on-warn --file /dev/null
	# The production settings pass Django's deployment checks (docs/deployment.md).
	env -u WERKREGIE_TESTING -u DEBUG -u WERKREGIE_DEMO SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	  ALLOWED_HOSTS=werkregie.example.nl $(BIN)/werkregie check --deploy --fail-level WARNING

test: $(STAMP)
	bash scripts/test.sh

bench: $(STAMP)
	bash scripts/bench.sh

clean:
	rm -rf $(VENV) var/*.sqlite3*
