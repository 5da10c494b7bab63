# Everything a fresh machine needs: `make run` (the main job) and `make test` (the suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
APT_PACKAGES := qemu-system-arm tmux chromium zbar-tools
# The editor's page: TypeScript from frontend/, bundled by esbuild into the package.
PAGE := ubit/editor/static/app.js
PAGE_SOURCES := $(wildcard frontend/src/*.ts frontend/src/*/*.ts frontend/src/*.css frontend/src/*.html) \
                frontend/package-lock.json frontend/build.mjs

.PHONY: run test bench install install-test apt lint clean page

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml $(PAGE)
	$(BIN)/pip install -q -e . --config-settings editable_mode=compat
	$(BIN)/python -m compileall -q ubit  # byte-code up front, as a regular install has it
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install -q -e '.[test]' --config-settings editable_mode=compat
	touch $@

install: $(VENV)/.installed

# npm ci takes the exact versions of package-lock.json; without npm the editor's page
# can't be built (the rest of ubit works, and `ubit editor` says so).
$(PAGE): $(PAGE_SOURCES)
	@if command -v npm >/dev/null 2>&1; then \
	  cd frontend && npm ci --no-audit --no-fund --loglevel=error && node build.mjs; \
	else echo "note: no npm here: the editor's page is not built (install Node.js 18+)"; fi

page: $(PAGE)

install-test: $(VENV)/.installed-test apt

# System packages the tests need (QEMU runs the real V1 firmware); only root can install them.
apt:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "note: not root, so not installing$$missing; tests that need them are skipped"; fi; \
	fi

# The main job: the editor, with examples/ open as a project (the browser opens on it,
# or its address is printed); Ctrl-C stops it.
run: install
	@$(BIN)/python -m compileall -q ubit
	$(BIN)/ubit editor examples/

test: install-test
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: install-test
	@$(BIN)/python -m compileall -q ubit
	$(BIN)/python -m bench

lint: install-test
	$(BIN)/ruff check ubit tests bench
	cd frontend && ./node_modules/.bin/tsc --noEmit -p .

clean:
	rm -rf $(VENV) build
