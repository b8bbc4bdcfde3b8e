# Interventional Pain Medicine: from physiology to mastery.
# Two commands set everything up on a fresh machine:  make book  and  make test.
# Every target creates the virtual environment from the exact pins if it is missing.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON_SYSTEM ?= python3.11
VENV := .venv
BIN := $(abspath $(VENV))/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
# nbgrader's database commands shell out to alembic: the venv's bin/ must come first on PATH.
export PATH := $(BIN):$(PATH)
export PYDEVD_DISABLE_FILE_VALIDATION := 1

COURSE := assignments
ASSIGNMENTS := $(notdir $(wildcard $(COURSE)/source/*))
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

VENDOR := book/vendor
VENDOR_STAMP := $(VENDOR)/.installed

.PHONY: help env hub-env vendor book release test test-hub lab grade clean distclean lock bench

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

env: $(STAMP)  ## create .venv from requirements.lock (only if missing or out of date)

$(STAMP): requirements.lock pyproject.toml config/jupyterlab-overrides.json
	@command -v $(PYTHON_SYSTEM) >/dev/null || { echo "error: $(PYTHON_SYSTEM) not found (set PYTHON_SYSTEM=/path/to/python3.11)"; exit 1; }
	test -x $(PY) || $(PYTHON_SYSTEM) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PY) -m pip check
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp config/jupyterlab-overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json  # no news pop-up
	touch $(STAMP)

vendor: $(VENDOR_STAMP)  ## browser assets the book serves itself (MathJax), from the npm registry, exact pins

$(VENDOR_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "error: npm not found (Debian: apt-get install -y npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/mathjax/output/chtml/fonts
	cp node_modules/mathjax/es5/tex-chtml.js $(VENDOR)/mathjax/
	cp -r node_modules/mathjax/es5/output/chtml/fonts/woff-v2 $(VENDOR)/mathjax/output/chtml/fonts/
	touch $(VENDOR_STAMP)

release: env  ## generate the student versions into assignments/release/
	cd $(COURSE) && for a in $(ASSIGNMENTS); do $(BIN)/nbgrader generate_assignment "$$a" --force --log-level=WARN; done
	@echo "Student versions: $(abspath $(COURSE))/release/"

book: release vendor  ## execute the notebooks (cached) and build the book into _build/html, warnings are errors
	@# The execution cache keys on notebook code only: when the library changes, re-execute everything.
	@mkdir -p _build; library=$$(find src/painlab -type f \( -name '*.py' -o -name '*.yml' \) -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16); \
	if [ "$$(cat _build/.painlab-hash 2>/dev/null)" != "$$library" ]; then rm -rf _build/.jupyter_cache _build/.doctrees; echo "$$library" > _build/.painlab-hash; fi
	$(BIN)/jupyter-book build . --warningiserror --keep-going
	@echo
	@echo "Book:             $(abspath _build/html/index.html)"
	@echo "Student versions: $(abspath $(COURSE))/release/"

test: env vendor  ## run the whole test suite (library, notebooks, nbgrader round trip, book build, real browser)
	$(PY) -m pytest -n $(JOBS) --dist loadfile -m "not browser and not hub"
	@# The browser tests run afterwards, on their own: timing-sensitive UI checks must not share the two
	@# cores with the book build and the graders. They reuse the book the first run built.
	$(PY) -m pytest -m browser tests/browser

# The course environment as a hub's users run it: the same pins, built from a Python that every OS user
# can execute (a Python under /root, as pyenv installs it, is not), in its own folder so .venv is untouched.
HUB_PYTHON ?= /usr/bin/python3.11
HUB_VENV := .venv-hub
HUB_STAMP := $(HUB_VENV)/.installed

hub-env: $(HUB_STAMP)  ## the course environment for a hub's users (.venv-hub: same pins, a Python all users can run)

$(HUB_STAMP): requirements.lock pyproject.toml
	@test -x $(HUB_PYTHON) || { echo "error: $(HUB_PYTHON) not found (Debian: apt-get install python3.11 python3.11-venv, or set HUB_PYTHON)"; exit 1; }
	test -x $(HUB_VENV)/bin/python || $(HUB_PYTHON) -m venv $(HUB_VENV)
	$(HUB_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(HUB_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(HUB_VENV)/bin/python -m pip check
	touch $(HUB_STAMP)

test-hub: hub-env vendor  ## the course on a real JupyterHub on 127.0.0.1 (root: creates, then removes, OS users)
	$(abspath $(HUB_VENV))/bin/python -m pytest -m hub tests/test_hub.py

ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)
LAB_ROOT ?= $(CURDIR)

lab: env  ## open JupyterLab on the course, at the first lesson (widgets work)
	$(BIN)/jupyter lab --ServerApp.root_dir=$(LAB_ROOT) $(ALLOW_ROOT) $(LAB_ARGS) $(LAB_ROOT)/notebooks/01_basics/01_pain_physiology.ipynb

grade: env  ## autograde everything in assignments/submitted/ in parallel (painlab.grading), then grades.csv
	@test -d $(COURSE)/submitted || { echo "Nothing to grade: put submissions in $(COURSE)/submitted/<student>/<assignment>/"; exit 1; }
	cd $(COURSE) && for a in $(ASSIGNMENTS); do \
	  if compgen -G "submitted/*/$$a" >/dev/null; then $(PY) -m painlab.grading "$$a" --course . --workers $(JOBS); fi; \
	done
	cd $(COURSE) && $(BIN)/nbgrader export --to grades.csv
	@echo "Grades: $(abspath $(COURSE))/grades.csv"

bench: env vendor  ## run the benchmarks (never part of make test; the book rows need the vendored MathJax)
	$(PY) -m benchmarks

clean:  ## remove generated files (keeps .venv)
	rm -rf _build $(VENDOR) $(COURSE)/release $(COURSE)/autograded $(COURSE)/feedback $(COURSE)/gradebook.db $(COURSE)/grades.csv
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean  ## also remove .venv, .venv-hub and node_modules
	rm -rf $(VENV) $(HUB_VENV) node_modules

lock:  ## re-resolve requirements.in into exact pins in requirements.lock (needs the registry)
	rm -rf /tmp/painlab-lock && $(PYTHON_SYSTEM) -m venv /tmp/painlab-lock
	/tmp/painlab-lock/bin/pip install --quiet -r requirements.in
	{ echo "# Exact pins for the course environment (Python 3.11). Generated with 'make lock' from requirements.in."; \
	  /tmp/painlab-lock/bin/pip freeze; } > requirements.lock
