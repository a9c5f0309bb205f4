# Two commands do everything on a fresh machine: `make report` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-from-lock
CORES  ?= 4
# More options for Snakemake, e.g. ARGS=--logger-chinhquyenso-verbose (its job blocks on screen)
ARGS   ?=
# The project's Snakemake logger plugin: the console in Vietnamese (README, "Running the workflow").
# Every run uses it through the workflow profile (profiles/default/config.yaml), no flag needed.
PLUGIN := plugins/snakemake-logger-plugin-chinhquyenso

.PHONY: report recover test setup lint clean codebook-draft

report: $(STAMP)
	$(BIN)/snakemake --cores $(CORES) $(ARGS)

# After a run was cut off (kill -9, power cut): release Snakemake's lock on the folder and
# redo the jobs whose outputs were left incomplete. Gives the same bytes as an uninterrupted run.
recover: $(STAMP)
	$(BIN)/snakemake --unlock
	$(BIN)/snakemake --cores $(CORES) --rerun-incomplete $(ARGS)

test: $(STAMP)
	$(BIN)/pytest

setup: $(STAMP)

# Next year's draft codebook and its change report (README, "Chạy lại với dữ liệu năm sau"):
#   make codebook-draft EXPORT=resources/survey/khao_sat_2026.xlsx REFERENCE=resources/codebook.yaml \
#       OUT=resources/codebook_2026.yaml
# or, from the Kobo/ODK form definition before any answer came in, FORM=bang_hoi.xlsx instead of EXPORT=.
REFERENCE ?= resources/codebook.yaml
SOURCE = $(if $(EXPORT),--export "$(EXPORT)") $(if $(FORM),--form "$(FORM)")
codebook-draft: $(STAMP)
	@test -n "$(EXPORT)$(FORM)" -a -n "$(OUT)" || { echo "Cần EXPORT=<tệp xuất mới> (hoặc FORM=<biểu mẫu XLSForm>) và OUT=<bản nháp .yaml> (README)" >&2; exit 1; }
	$(BIN)/python scripts/draft_codebook.py $(SOURCE) --reference "$(REFERENCE)" --out "$(OUT)"

# The virtual environment is (re)built whenever the lock file or the logger plugin changes. The
# plugin is installed as a package, not in editable mode: Snakemake would not find it otherwise.
$(STAMP): requirements.lock $(PLUGIN)/pyproject.toml $(wildcard $(PLUGIN)/snakemake_logger_plugin_chinhquyenso/*.py)
	$(PYTHON) scripts/chinhquyenso/system_check.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -r requirements.lock
	$(BIN)/python -m pip install --disable-pip-version-check --quiet --no-deps --force-reinstall ./$(PLUGIN)
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/snakemake --lint

clean:
	rm -rf results .snakemake
