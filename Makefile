# The one entry point for contributors: every command README.md and CONTRIBUTING.md show is a
# target here.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev
QUERY  ?= which miRNAs act on colitis

.PHONY: run test test-slow lint typecheck pytest validate fmt schema bench eval readme clean stress e2e

# Python writes bytecode here even where the shell sets PYTHONDONTWRITEBYTECODE: the tests
# run in several pytest workers and launch the tool in subprocesses, and without bytecode
# each of them compiles the package and its dependencies again (about 0.8 s of CPU a launch).
unexport PYTHONDONTWRITEBYTECODE

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# pip installs uv, and uv the package with its `dev` extras (from PyPI, downloading in
# parallel): on a fresh clone of this 2-core machine that took 5 s where pip took 40-55 s
# (CONTRIBUTING.md, "Tests"). uv writes no bytecode; the first import of a module does.
$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet 'uv>=0.5'
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[dev]'
	touch $@

## run: install into .venv and run a real search
run: $(STAMP)
	$(BIN)/secretome search "$(QUERY)"

# Tests run on every core (pytest-xdist); `worksteal` hands a waiting worker the tests queued
# on a busy one, since the slowest tests take hundreds of times the median.
PYTEST := $(BIN)/pytest -q -n auto --dist worksteal

## test: ruff, mypy, lint-imports, the tests not marked slow and `secretome validate --strict`,
## run side by side (CI runs this, then test-slow)
test: $(STAMP)
	$(MAKE) --no-print-directory --jobs=4 --output-sync=target lint typecheck pytest validate

## test-slow: the tests marked slow or stress (document examples, generated inputs, kills,
## subprocess matrices, git repositories, pagers, a browser, rebuilds of a copied record set),
## the randomised ones a bounded number of times
test-slow: $(STAMP)
	$(PYTEST) -m "slow or stress"

lint: $(STAMP)
	$(BIN)/ruff check secretome_cli tests benchmarks
	$(BIN)/ruff format --check secretome_cli tests benchmarks
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(PYTEST) -m "not slow and not stress"

validate: $(STAMP)
	$(BIN)/secretome validate --strict

## stress: the randomised index tests at length (kills, concurrent runs, stateful steps, planted caches)
STRESS ?= SECRETOME_KILLS=200 SECRETOME_CONCURRENT_ROUNDS=20 SECRETOME_STATEFUL_EXAMPLES=300 \
	SECRETOME_ATTACK_ROUNDS=20
stress: $(STAMP)
	$(STRESS) $(BIN)/pytest -q -s -m stress -p no:cacheprovider

## e2e: the HTML report in headless Chromium (installs Debian's chromium first, as root)
e2e: $(STAMP)
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
	$(BIN)/pytest -q -m e2e tests/e2e

## fmt: rewrite code and record files into their canonical form
fmt: $(STAMP)
	$(BIN)/ruff format secretome_cli tests benchmarks
	$(BIN)/ruff check --fix secretome_cli tests benchmarks
	$(BIN)/secretome fmt

## schema: regenerate the committed JSON Schema of a record
schema: $(STAMP)
	$(BIN)/secretome schema > schema/record.schema.json

## eval: search quality on the question suite (recall, precision, MRR, empty answers, negatives)
eval: $(STAMP)
	$(BIN)/python tests/eval/evaluate.py $(EVAL)

## bench: the performance benchmark (writes a Markdown table to stdout; BENCH="--sizes 1000")
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run $(BENCH)

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache

## readme: rerun every example of README.md, CONTRIBUTING.md and docs/*.md and rewrite its output
readme: $(STAMP)
	$(BIN)/python tests/readme.py --update
