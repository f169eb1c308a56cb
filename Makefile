# revalign: `make report` runs the whole analysis, `make test` runs the tests.
# Every stage is one notebook executed by papermill; Make reruns a stage only when its
# notebook, the parameter file, the package modules it uses or its input files change.

SHELL := /bin/bash
.DELETE_ON_ERROR:
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
PY	 := $(VENV)/bin/python
UV	 := $(VENV)/bin/uv
UV_VERSION := 0.13.9
ENV_STAMP  := $(VENV)/.revalign-env

PARAMS ?= params/default.yml
RUN	:= $(basename $(notdir $(PARAMS)))
ifeq ($(RUN),default)
  NB_OUT := notebooks
  STAMPS := data/interim/.stamps
else
  NB_OUT := runs/$(RUN)/notebooks
  STAMPS := runs/$(RUN)/.stamps
endif

STAGES := 01_bibliography 02_screening 03_coding 04_alignment 05_report
DEPS_MK := $(STAMPS)/deps.mk

.PHONY: help env report test unit nbval bench bench-env lab clean distclean lock

help: ## list the targets
	@echo "revalign: make TARGET [PARAMS=params/NAME.yml]"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | awk -F'\t' '{printf "  %-10s %s\n", $$1, $$2}'

# --- environment -------------------------------------------------------------------
env: $(ENV_STAMP) ## create .venv with the pinned dependencies and a Jupyter kernel

$(ENV_STAMP): requirements.lock pyproject.toml scripts/install_kernel.py
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@test -x $(UV) || $(PY) -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(UV) pip install --python $(PY) --quiet -r requirements.lock
	$(UV) pip install --python $(PY) --quiet --no-deps -e .
	$(PY) scripts/install_kernel.py
	@touch $@

lock: ## re-resolve requirements.lock from pyproject.toml (then commit it)
	$(UV) pip compile pyproject.toml --extra dev --python-version 3.11 --universal --quiet -o requirements.lock

# --- the pipeline --------------------------------------------------------------------
# Make dependencies of each stage (module files and input files), computed from the
# parameter file by the package itself.
ifneq ($(filter report test,$(MAKECMDGOALS)),)
-include $(DEPS_MK)
endif

$(DEPS_MK): $(PARAMS) $(ENV_STAMP) $(wildcard src/revalign/pipeline/*.py)
	@mkdir -p $(@D)
	$(PY) -m revalign deps $(PARAMS) > $@.tmp
	@mv $@.tmp $@

# stage KEY NOTEBOOK PREVIOUS-STAMP
define stage
$(STAMPS)/$(1).done: notebooks/$(2).ipynb $(PARAMS) $$(DEPS_$(1)) $(3) $(ENV_STAMP)
	@mkdir -p $(STAMPS) $(NB_OUT)
	@echo "[$(RUN)] running $(2)"
	$(PY) -m revalign run-notebook notebooks/$(2).ipynb --params $(PARAMS) -o $(NB_OUT)/$(2).ipynb
	@touch $$@
endef
$(eval $(call stage,01,01_bibliography,))
$(eval $(call stage,02,02_screening,$(STAMPS)/01.done))
$(eval $(call stage,03,03_coding,$(STAMPS)/02.done))
$(eval $(call stage,04,04_alignment,$(STAMPS)/03.done))
$(eval $(call stage,05,05_report,$(STAMPS)/04.done))

report: $(STAMPS)/05.done ## run the analysis (PARAMS=params/default.yml; others write under runs/NAME/)

# --- tests ---------------------------------------------------------------------------
test: report ## run the analysis, then unit, notebook (nbval), end-to-end and bad-input tests
	$(PY) -m pytest tests notebooks --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

unit: $(ENV_STAMP) ## unit tests only (fast)
	$(PY) -m pytest tests/unit -q -p no:cacheprovider

BENCH_PY ?= benchmarks/.venv/bin/python
LITSTUDY_PY ?= benchmarks/.venv-litstudy/bin/python
DEDUP_DATA ?= ../shared/benchmarks/dedup

# reference tools, each in its own environment (litstudy needs bibtexparser 1, bib-dedupe 2)
bench-env: $(BENCH_PY) $(LITSTUDY_PY) ## the reference tools of make bench (bib-dedupe, litstudy), outside .venv
$(BENCH_PY): | $(ENV_STAMP)
	$(PYTHON) -m venv benchmarks/.venv
	$(UV) pip install --python $(BENCH_PY) --quiet "bib-dedupe==0.11.0"
$(LITSTUDY_PY): | $(ENV_STAMP)
	$(PYTHON) -m venv benchmarks/.venv-litstudy
	$(UV) pip install --python $(LITSTUDY_PY) --quiet "litstudy==1.0.6" "bibtexparser<2"

bench: $(ENV_STAMP) $(BENCH_PY) $(LITSTUDY_PY) ## speed, memory and de-duplication benchmarks (not part of make test)
	$(PY) benchmarks/bench_import.py --n 100000
	$(PY) benchmarks/bench_speed.py --litstudy-python $(LITSTUDY_PY)
	$(PY) benchmarks/dedup.py --bench-python $(BENCH_PY) --data $(DEDUP_DATA)

lab: $(ENV_STAMP) ## open JupyterLab on the project
	$(VENV)/bin/jupyter lab --notebook-dir=. $(if $(filter 0,$(shell id -u)),--allow-root)

clean: ## remove generated files that are not committed (never data/raw or committed results)
	rm -rf data/interim reports runs benchmarks/out .pytest_cache .hypothesis
	find . -name __pycache__ -type d -not -path "./$(VENV)/*" -prune -exec rm -rf {} +

distclean: clean ## clean, and remove the environment too
	rm -rf $(VENV)
