# Two commands do everything on a fresh machine: `make report` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-from-lock
CORES  ?= 4

.PHONY: report test setup lint clean

report: $(STAMP)
	$(BIN)/snakemake --cores $(CORES)

test: $(STAMP)
	$(BIN)/pytest

setup: $(STAMP)

# The virtual environment is (re)built whenever the lock file changes.
$(STAMP): requirements.lock
	$(PYTHON) scripts/chinhquyenso/system_check.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -r requirements.lock
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/snakemake --lint

clean:
	rm -rf results .snakemake
