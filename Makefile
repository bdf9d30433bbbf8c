# Footing: `make run` to try it, `make test` to check it. Needs only Python 3.12+ and make.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 8000
# uv from PATH when it works; otherwise a private tool venv (a pyenv shim can exist and still fail).
UV := $(shell uv --version >/dev/null 2>&1 && echo uv || echo .tools/bin/uv)
PYTHON_FOR_TOOLS := $(shell command -v python3 || command -v python)

.PHONY: help install run test lint audit format migrations-check check-deploy clean

help:
	@echo "make run    install, migrate, load demo accounts, serve on http://127.0.0.1:$(PORT)"
	@echo "make test   run the whole test suite (uses DATABASE_URL when set)"
	@echo "make lint   ruff check and format check, bandit"
	@echo "make audit  pip-audit over the locked dependencies (skipped where advisories are unreachable)"

.tools/bin/uv:
	$(PYTHON_FOR_TOOLS) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv

install: $(if $(filter .tools/bin/uv,$(UV)),.tools/bin/uv)
	$(UV) sync --frozen

run: install
	DEBUG=1 $(UV) run --frozen python manage.py migrate --no-input
	DEBUG=1 $(UV) run --frozen python manage.py seed_demo
	@echo "Footing is at http://127.0.0.1:$(PORT)/  (Ctrl-C to stop)"
	DEBUG=1 $(UV) run --frozen python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(UV) run --frozen pytest

lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	# Security lint of the app code, medium severity and up (tests are not shipped).
	$(UV) run --frozen bandit --quiet --recursive accounts workouts config --severity-level medium

# pip-audit over every locked package, against PyPI's advisory data. Where the network
# cannot reach that data (this CI's mirror answers 404 for per-version lookups), it says so
# and skips rather than printing a clean report that checked nothing.
PIP_AUDIT := pip-audit==2.10.1
AUDIT_PROBE := https://pypi.org/pypi/pip/24.0/json
audit: install
	@requirements=$$(mktemp) && trap 'rm -f "$$requirements"' EXIT && \
	$(UV) export --frozen --no-emit-project --quiet -o "$$requirements" && \
	if $(UV) run --frozen python -c "import urllib.request as u; u.urlopen('$(AUDIT_PROBE)', timeout=15)" 2>/dev/null; then \
	  $(UV) tool run --quiet $(PIP_AUDIT) --strict --disable-pip --vulnerability-service pypi -r "$$requirements"; \
	else \
	  echo "SKIPPED pip-audit: $(AUDIT_PROBE) is unreachable from here, so no advisory data can be read."; \
	fi

format: install
	$(UV) run --frozen ruff check --fix .
	$(UV) run --frozen ruff format .

migrations-check: install
	DEBUG=1 $(UV) run --frozen python manage.py makemigrations --check --dry-run

clean:
	rm -rf .venv .tools staticfiles .pytest_cache .ruff_cache
