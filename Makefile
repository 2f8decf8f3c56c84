# ttcm — `make run` (set-up + app on the offline sandbox) and `make test` (set-up + all tests).
# `make run PORT=8502` moves the app; ADDRESS=0.0.0.0 serves it beyond this machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
ADDRESS ?= 127.0.0.1
STAMP  := $(VENV)/.installed
FLOORS := .venv-floors

.PHONY: setup run test test-floors lint typecheck format chromium cache clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# Debian's chromium for the browser tests (Playwright drives it; it never downloads a browser).
chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
		echo "installing Debian's chromium"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

# Fill the local cache from the configured API (the in-process sandbox by default) when empty.
cache: setup
	$(BIN)/ttcm db upgrade
	$(BIN)/ttcm refresh --if-empty

run: cache
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.address $(ADDRESS)

# The unit, service and page suites run on one pytest-xdist worker per core (every test has its own
# temporary files and PostgreSQL schema); the browser flows run after them, one at a time, as
# their sign-in waits are meant for a browser that does not share the cores with other tests.
test: setup chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -n auto -m "not e2e"
	$(BIN)/pytest -m e2e

# The unit and AppTest suites on the declared lower bounds: a separate venv in which every runtime
# dependency is pinned to its `>=` floor from pyproject.toml (.ci/floors.py writes the pins).
test-floors:
	rm -rf $(FLOORS)
	$(PYTHON) -m venv $(FLOORS)
	$(FLOORS)/bin/pip install --quiet --upgrade pip
	$(PYTHON) .ci/floors.py > $(FLOORS)/floors.txt
	$(FLOORS)/bin/pip install --quiet -c $(FLOORS)/floors.txt -e '.[dev]'
	$(FLOORS)/bin/pip check
	$(FLOORS)/bin/pytest -q -n auto -m "not e2e"

lint:
	$(BIN)/ruff check .

typecheck: setup
	$(BIN)/mypy

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) $(FLOORS) .pytest_cache .ruff_cache .hypothesis
