# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SAMPLE := examples/ukrainska-pravda-2022-11-09.txt

.PHONY: setup system run test test-fast bench eval clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

# System packages (Debian's chromium for the browser tests); quick when already installed.
system:
	bash scripts/setup-system

setup: $(STAMP) system

run: $(STAMP)
	$(BIN)/onrecord extract --format table $(SAMPLE)

test: $(STAMP) system
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow and not integration"

bench: $(STAMP)
	$(BIN)/onrecord bench ../shared/data/polnear/dev/text

clean:
	rm -rf $(VENV) build *.egg-info
