# Two commands do all set-up on a fresh machine:
#   make serve   build the site and serve it on http://127.0.0.1:8000 (reloads on record edits)
#   make test    run every check and test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve build check test lint clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# Pinned versions first, then the project itself (editable) against those pins.
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/python -m build_tools serve

build: $(STAMP)
	$(BIN)/python -m build_tools build

check: $(STAMP)
	$(BIN)/python -m build_tools check

lint: $(STAMP)
	$(BIN)/ruff check build_tools tests
	$(BIN)/ruff format --check build_tools tests

test: $(STAMP) lint
	$(BIN)/python -m build_tools check
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) site docs/kb
