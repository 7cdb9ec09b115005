# Two commands do all set-up on a fresh machine:
#   make serve   build the site and serve it on http://127.0.0.1:8000 (reloads on record edits);
#                another address: make serve ADDR=127.0.0.1:8001
#   make test    run every check and test
# And once, to check the records before every commit: make hooks
PYTHON ?= python3
ADDR ?= 127.0.0.1:8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

AXE := node_modules/axe-core/axe.min.js

.PHONY: serve build check test lint hooks clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# Pinned versions first, then the project itself (editable) against those pins.
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

# exec: the preview is make's own child, so stopping make (Ctrl-C, or a kill) stops the preview.
serve: $(STAMP)
	exec $(BIN)/python -m build_tools serve --addr $(ADDR)

build: $(STAMP)
	$(BIN)/python -m build_tools build

check: $(STAMP)
	$(BIN)/python -m build_tools check

# The git hook that runs the check before each commit (pre-commit is installed into .venv/).
hooks: $(STAMP)
	$(BIN)/pre-commit install

lint: $(STAMP)
	$(BIN)/ruff check build_tools tests
	$(BIN)/ruff format --check build_tools tests

# axe-core for the accessibility tests; without npm the browser tests skip locally (never in CI).
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent; \
	else echo "npm not found: accessibility tests will be skipped"; fi

test: $(STAMP) $(AXE) lint
	$(BIN)/python -m build_tools check
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) site docs/kb node_modules test-screenshots
