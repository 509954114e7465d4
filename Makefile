# careerfacts: two commands set everything up on a fresh machine.
#   make refresh   build curated/ and reports/ from raw/ (creates .venv on first use)
#   make test      run the test suite

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: refresh test check-sources golden renditions bench clean-venv help

help:
	@echo "make refresh   extract, validate and reconcile raw/ into curated/ and reports/"
	@echo "make test      run the tests (installs the test extras on first use)"
	@echo "make check-sources  check the sources added or changed since main (BASE=rev to change)"
	@echo "make golden    rewrite tests/golden/*/expected.jsonl from the current extractors"
	@echo "make renditions  rebuild the HTML and PDF test renditions of the seed pages"
	@echo "make bench     pages per second per format against the bare parsers, then the"
	@echo "               scale series: refreshes of SCALE pages (SCALE=100,1000 by default)"
	@echo "make clean-venv  remove the virtual environment"

# The stamp depends on pyproject.toml, so a change of dependencies reinstalls.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

refresh: $(STAMP)
	$(BIN)/careerfacts refresh

test: $(STAMP)
	$(BIN)/python -m pytest

BASE ?= main
check-sources: $(STAMP)
	$(BIN)/careerfacts check-source --base $(BASE)

golden: $(STAMP)
	$(BIN)/python -m tests.golden_cases

renditions: $(STAMP)
	$(BIN)/python -m tests.renditions.build

SCALE ?= 100,1000
bench: $(STAMP)
	$(BIN)/python -m benchmarks.bench_extract
	$(BIN)/python -m benchmarks.bench_scale --sizes $(SCALE)

clean-venv:
	rm -rf $(VENV)
