# revalign: `make report` runs the whole analysis, `make test` runs the tests.
# Every stage is one notebook executed by papermill. Its targets are the files it writes
# (declared in src/revalign/pipeline/stages.py); Make reruns it only when one of them is
# missing or older than its notebook, the parameter file, a package file it imports, one of
# its input files or a file of an earlier stage it reads from.
#
# No .DELETE_ON_ERROR: a stage that fails puts back every file it had changed itself
# (revalign.pipeline.run), and make 4.3 would delete all the targets of a stage's rule,
# the results of the last good run, when its recipe fails.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
PY	 := $(VENV)/bin/python
UV	 := $(VENV)/bin/uv
UV_VERSION := 0.13.9
ENV_STAMP  := $(VENV)/.revalign-env

PARAMS ?= params/default.yml
RUN    := $(basename $(notdir $(PARAMS)))

# PARAMS reaches shell commands and file names: only letters, digits, '.', '_', '-' and '/'
# (the run name also without '/' and not dots only; revalign.core.config.RUN_NAME is the same rule,
# kept equal by tests/unit/core/test_run_name_rule.py).
_SAFE  := a b c d e f g h i j k l m n o p q r s t u v w x y z A B C D E F G H I J K L M N O P Q R S T U V W X Y Z \
          0 1 2 3 4 5 6 7 8 9 . _ - /
_strip  = $(if $(2),$(call _strip,$(subst $(firstword $(2)),,$(1)),$(wordlist 2,$(words $(2)),$(2))),$(1))
ifneq ($(call _strip,$(PARAMS),$(_SAFE))$(filter-out 1,$(words $(PARAMS))),)
  $(error error: PARAMS: the parameter file's path may hold only letters, digits, '.', '_', '-' and '/'; rename it)
endif
ifeq ($(subst .,,$(RUN)),)
  $(error error: $(PARAMS): the run name '$(RUN)' is dots only; rename the file)
endif
ifeq ($(RUN),default)
  ifneq ($(abspath $(PARAMS)),$(abspath params/default.yml))
    $(error error: $(PARAMS): only params/default.yml may be called default.yml; rename the file)
  endif
  BUILD := data/interim/.make
else
  BUILD := runs/$(RUN)/.make
endif
# the stages' rules for this run (written by `python -m revalign deps`) and the input check
DEPS_MK := $(BUILD)/deps.mk
CHECKED := $(BUILD)/check.txt

# the process id of this make: the run's lock belongs to it while its stages run
# (revalign.pipeline.guard), so a second make of the same parameter file waits for it
export REVALIGN_MAKE_PID := $(shell echo $$PPID)

.PHONY: help env report test test-generated unit typecheck nbval bench bench-env bench-scale lab clean distclean lock FORCE

help: ## list the targets
	@echo "revalign: make TARGET [PARAMS=params/NAME.yml]"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | awk -F'\t' '{printf "  %-10s %s\n", $$1, $$2}'

# --- environment -------------------------------------------------------------------
env: $(ENV_STAMP) ## create .venv with the pinned dependencies and a Jupyter kernel

# --compile-bytecode, as pip does by default: uv does not, and where Python may not write
# __pycache__ (PYTHONDONTWRITEBYTECODE, a read-only install) every process would compile
# pandas again (measured here: `import pandas` 1.3 s uncompiled, 0.44 s compiled).

$(ENV_STAMP): requirements.lock pyproject.toml scripts/install_kernel.py
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@test -x $(UV) || $(PY) -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(UV) pip install --python $(PY) --quiet --compile-bytecode -r requirements.lock
	$(UV) pip install --python $(PY) --quiet --no-deps -e .
	$(PY) scripts/install_kernel.py
	@touch $@

lock: ## re-resolve requirements.lock from pyproject.toml (then commit it)
	$(UV) pip compile pyproject.toml --extra dev --python-version 3.11 --universal --quiet -o requirements.lock

# --- the pipeline --------------------------------------------------------------------
# Each stage's rule (in $(DEPS_MK)) has as targets the files the stage writes (one rule with
# several targets: the notebook runs once) and as prerequisites its notebook, the parameter
# file, the package files it imports (and their data files), its input files and the files of
# the earlier stages it reads from, all taken from revalign.pipeline.stages.
# The rules are recomputed when the parameter file, a notebook or any package file changes.
# (include, not -include: when the rules cannot be made, make must stop there, also under make -n; a
# failed remake of a -include'd file would leave the previous rules in force)
ifneq ($(filter-out help env lock unit typecheck nbval test test-generated bench bench-env bench-scale lab clean distclean,$(or $(MAKECMDGOALS),help)),)
include $(DEPS_MK)
endif

PKG_FILES := $(shell find src/revalign \( -name __pycache__ -o -name '.*' \) -prune -o -type f -print)

# (written by Python, which refuses a symbolic link on the way: also `make -n` writes it)
$(DEPS_MK): $(PARAMS) $(PKG_FILES) $(ENV_STAMP)
	$(PY) -m revalign deps $(PARAMS) -o $@
# a package file added or removed since the rules were written (folders' times would also
# change whenever Python writes its __pycache__)
ifneq ($(sort $(PKG_FILES)),$(sort $(REVALIGN_PKG_FILES)))
$(DEPS_MK): FORCE
endif
FORCE:

# Inputs are checked before any stage runs. The check's import of the bibliography is kept for
# stage 01 (REVALIGN_KEEP_IMPORT, revalign.bibliography.kept), so a run reads its exports once.
$(CHECKED): $(PARAMS) $(REVALIGN_INPUTS) $(ENV_STAMP)
	REVALIGN_KEEP_IMPORT=1 $(PY) -m revalign.pipeline.guard write $(PARAMS) $@ -- $(PY) -m revalign check $(PARAMS)

# run_stage NAME NOTEBOOK EXECUTED-NOTEBOOK (called by the rules in $(DEPS_MK))
define run_stage
@echo "[$(RUN)] stage $(1): $(2)"
$(PY) -m revalign run-notebook $(2) --params $(PARAMS) -o $(3)
endef

report: $(REVALIGN_TARGETS) ## run the analysis (PARAMS=params/default.yml; others write under runs/NAME/)

# --- tests ---------------------------------------------------------------------------
# The notebooks are validated as they are in the project FIRST, before `make report` can
# regenerate them (in a scratch copy: nothing is written into the project), then the
# analysis is brought up to date and the tests run (unit, end-to-end, bad inputs, security,
# the report and JupyterLab in headless Chromium).
NOTEBOOKS ?= $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))

test: $(ENV_STAMP) ## type-check, validate the committed notebooks (nbval), run the analysis, the unit tests (timed on their own), then every other test
	@$(MAKE) --no-print-directory typecheck
	@$(MAKE) --no-print-directory nbval
	@$(MAKE) --no-print-directory report
	@$(MAKE) --no-print-directory unit
	$(PY) -m pytest tests -p no:cacheprovider -n 2 --dist loadfile -m "not unit or integration"

nbval: $(ENV_STAMP) ## re-execute the committed notebooks in a scratch copy; fail on any output or figure that differs
	$(PY) -m revalign.pipeline.validate $(NOTEBOOKS)

GENERATED_EXAMPLES ?= 300
test-generated: $(ENV_STAMP) ## many generated whole reviews (Hypothesis; GENERATED_EXAMPLES=300), not part of make test
	REVALIGN_GENERATED_EXAMPLES=$(GENERATED_EXAMPLES) REVALIGN_GENERATED_SHRINK=0 \
	  $(PY) -m pytest tests/e2e/test_generated_reviews.py -q -p no:cacheprovider -p no:nbval -n 2 -W error::UserWarning

# mypy as configured in pyproject.toml ([tool.mypy]: strict on revalign.core and the stages' public
# APIs, lenient elsewhere); its cache (.mypy_cache, git-ignored) makes a rerun take a few seconds
typecheck: $(ENV_STAMP) ## type-check the package (mypy)
	$(PY) -m mypy

# the tests tests/integration_tests.txt marks `integration` (a whole stage, a workflow, a subprocess, many
# generated cases) are left out here; `make test` runs them with the rest
unit: $(ENV_STAMP) ## unit tests only (fast; make test also runs the integration tests under tests/unit)
	$(PY) -m pytest tests/unit -q -p no:cacheprovider -p no:nbval -n 2 -m "not integration"

BENCH_PY ?= benchmarks/.venv/bin/python
LITSTUDY_PY ?= benchmarks/.venv-litstudy/bin/python
DEDUP_DATA ?= ../shared/benchmarks/dedup

# reference tools, each in its own environment (litstudy needs bibtexparser 1, bib-dedupe 2)
bench-env: $(BENCH_PY) $(LITSTUDY_PY) ## the reference tools of make bench (bib-dedupe, litstudy), outside .venv
$(BENCH_PY): | $(ENV_STAMP)
	$(PYTHON) -m venv benchmarks/.venv
	$(UV) pip install --python $(BENCH_PY) --quiet --compile-bytecode "bib-dedupe==0.11.0"
$(LITSTUDY_PY): | $(ENV_STAMP)
	$(PYTHON) -m venv benchmarks/.venv-litstudy
	$(UV) pip install --python $(LITSTUDY_PY) --quiet --compile-bytecode "litstudy==1.0.6" "bibtexparser<2"

bench: $(ENV_STAMP) $(BENCH_PY) $(LITSTUDY_PY) ## speed, memory and de-duplication benchmarks (not part of make test)
	$(PY) benchmarks/bench_import.py --n 100000
	$(PY) benchmarks/bench_speed.py --litstudy-python $(LITSTUDY_PY)
	$(PY) benchmarks/dedup.py --bench-python $(BENCH_PY) --data $(DEDUP_DATA)

bench-scale: $(ENV_STAMP) $(LITSTUDY_PY) ## the whole pipeline on reviews of 5k, 50k and 200k records: time, memory, sizes per stage
	$(PY) benchmarks/bench_scale.py --litstudy-python $(LITSTUDY_PY)

# The stage notebooks open read-only (revalign.pipeline.lab) and a run there writes to
# runs/lab/RUN/ (revalign.pipeline.notebook). LAB_ARGS: more options for jupyter lab
# (the JupyterLab test: --no-browser --port=...).
LAB_ARGS ?=
lab: $(ENV_STAMP) ## open JupyterLab on the project (stage notebooks read-only; runs there write to runs/lab/)
	$(VENV)/bin/jupyter lab --notebook-dir=. $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

clean: ## remove generated files that are not committed (never data/raw or committed results)
	rm -rf data/interim reports runs benchmarks/out .pytest_cache .hypothesis
	find . -name __pycache__ -type d -not -path "./$(VENV)/*" -prune -exec rm -rf {} +

distclean: clean ## clean, and remove the environment too
	rm -rf $(VENV)
