# Two commands do everything on a fresh machine: `make report` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-from-lock
CORES  ?= 4

.PHONY: report recover test setup lint clean

report: $(STAMP)
	$(BIN)/snakemake --cores $(CORES)

# After a run was cut off (kill -9, power cut): release Snakemake's lock on the folder and
# redo the jobs whose outputs were left incomplete. Gives the same bytes as an uninterrupted run.
recover: $(STAMP)
	$(BIN)/snakemake --unlock
	$(BIN)/snakemake --cores $(CORES) --rerun-incomplete

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
