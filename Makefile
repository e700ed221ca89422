# The two commands a newcomer needs: `make run` and `make test`. Everything else they need is set up here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PKGS := chromium fonts-noto-core zbar-tools poppler-utils
STAMP := $(VENV)/.installed
# Every Python package, pinned with its hashes; `make lock` upgrades it (see the README).
LOCK := requirements.lock
# Test processes side by side (pytest-xdist), one more than the cores: a test waiting on Chromium,
# PostgreSQL or a CLI subprocess leaves its core to the others. Each test file runs in one of them.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || sysctl -n hw.ncpu) + 1 )))

.PHONY: run test lint lock browser-deps db translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Only the locked packages, each checked against its hash; the project itself is then installed
# without dependencies and without fetching a build backend, so nothing unpinned enters the venv.
$(STAMP): $(BIN)/python $(LOCK) pyproject.toml
	$(BIN)/python -m pip install -q --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	touch $@

# Re-resolve every dependency to its newest allowed release (pyproject.toml's ranges) with hashes
# for every platform; pip, setuptools and wheel are pinned too because they build the project.
# Extras stay on their pins (cachecontrol[filecache]==...): without them, pip's hash-checking mode
# looks an extra up anew, and fails as soon as a newer release of that package is published.
lock: $(BIN)/python
	$(BIN)/python -m pip install -q uv
	printf 'pip\nsetuptools>=69\nwheel\n' | $(BIN)/uv pip compile pyproject.toml - --extra dev --upgrade \
		--no-strip-extras --generate-hashes --universal --python-version 3.11 --custom-compile-command 'make lock' -o $(LOCK)

# .mo files are built from the committed .po catalogs, never committed themselves.
translations: $(STAMP)
	$(BIN)/insight translations compile

db: $(STAMP) translations
	$(BIN)/insight db upgrade
	$(BIN)/insight questionnaires sync

run: db
	$(BIN)/insight serve --host 127.0.0.1 --port 5000

# Debian's Chromium and Noto fonts for the browser tests, zbarimg to read QR posters back and
# pdftoppm/pdftotext to read the SNA report's PDF back; installed only when missing and we are root.
browser-deps:
	@if dpkg -s $(APT_PKGS) >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PKGS); \
	else echo "Browser tests need: sudo apt-get install $(APT_PKGS)"; fi

test: $(STAMP) browser-deps translations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/insight questionnaires check
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) instance tests/artifacts .pytest_cache
