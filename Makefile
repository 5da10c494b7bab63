# Everything a fresh machine needs: `make run` (the main job) and `make test` (the suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
APT_PACKAGES := qemu-system-arm tmux

.PHONY: run test bench install install-test apt lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e . --config-settings editable_mode=compat
	$(BIN)/python -m compileall -q ubit  # byte-code up front, as a regular install has it
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install -q -e '.[test]' --config-settings editable_mode=compat
	touch $@

install: $(VENV)/.installed

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

# The main job: the example program on a virtual micro:bit (a live view in a terminal,
# serial output in virtual time otherwise); then the same program built into a hex.
run: install
	@$(BIN)/python -m compileall -q ubit
	$(BIN)/ubit run examples/hello.py
	mkdir -p build
	$(BIN)/ubit hex build examples/hello.py -o build/hello.hex
	$(BIN)/ubit hex info build/hello.hex

test: install-test
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: install-test
	@$(BIN)/python -m compileall -q ubit
	$(BIN)/python -m bench

lint: install-test
	$(BIN)/ruff check ubit tests bench

clean:
	rm -rf $(VENV) build
