# The README's two commands: `make run` and `make test`. Both set up what they
# need (a Python >= 3.12 virtual environment with the dependencies, the
# database, the demo study) and reuse it on a second run.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

# The first interpreter of 3.12 or newer: on PATH, then under pyenv.
PYTHON ?= $(shell for c in python3.12 python3.13 python3 \
	$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null); do \
	  if command -v "$$c" >/dev/null 2>&1 && \
	     "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	    command -v "$$c"; break; fi; done)

.PHONY: setup browser run test lint demo worker clean

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
	  echo "coprod needs Python 3.12 or newer, and none was found on PATH or under pyenv."; \
	  echo "Install one (for example 'pyenv install 3.12') or run 'make PYTHON=/path/to/python3.12 ...'."; \
	  exit 1; fi
	@if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
	  echo "Creating $(VENV) with $(PYTHON)"; rm -rf $(VENV); "$(PYTHON)" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)

demo: setup
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py collectstatic --no-input -v 0
	$(PY) manage.py load_demo

run: demo
	@echo
	@echo "  coprod is starting at http://$(HOST):$(PORT)/"
	@echo "  Demo logins (password: coprod-demo for each):"
	@echo "    owner       owns the demo study"
	@echo "    supervisor  checks agreement and settles disagreements"
	@echo "    coder1      codes the interviews"
	@echo "    coder2      codes them too, blind to coder1"
	@echo
	@# The background worker (suggestion runs) lives as long as the server does.
	@$(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# The browser tests drive Debian's Chromium. As root with apt (these machines, CI) it is
# installed here; elsewhere this says how, and the browser tests are skipped (in CI they fail).
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's Chromium for the browser tests"; \
	    { DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
	    echo "Chromium could not be installed: the browser tests will be skipped."; \
	  else \
	    echo "Chromium is not installed, so the browser tests will be skipped:"; \
	    echo "install it with 'sudo apt-get install chromium' to run them."; \
	  fi; \
	fi

test: setup browser
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) data staticfiles
