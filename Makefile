# Productenboek als code. The two commands a newcomer needs: `make site` and `make test`.
SHELL := /bin/bash
PYTHON_SYS ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
REGIO ?=
BASE ?= main
CONTENT ?= content
ARGS ?=

.PHONY: indexeer publiceer install lock lint check site pdf docx waswordt diff fmt fmt-check test test-fast bench serve schema clean system-deps

install: $(STAMP)

# The venv is installed from the hash-locked requirements (runtime + tests and tools) and only
# reinstalled when a lock file changes: a second `make install` is a no-op.
$(STAMP): requirements.lock requirements-dev.lock
	@test -x $(PY) || $(PYTHON_SYS) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-dev.lock
	@touch $(STAMP)

# Recompute the locks after editing requirements.txt or requirements-dev.txt (see README).
lock:
	@test -x .venv-tools/bin/pip-compile || { $(PYTHON_SYS) -m venv .venv-tools && .venv-tools/bin/pip install --quiet pip-tools==7.6.2; }
	.venv-tools/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.lock requirements.txt
	.venv-tools/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links -o requirements-dev.lock requirements-dev.txt

# Lint and types: ruff (rules and format in pyproject.toml) and mypy on the package.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

check: install
	$(PY) build.py check --content $(CONTENT) $(ARGS)

site: install
	$(PY) build.py site --content $(CONTENT) $(ARGS)

pdf: install
	$(PY) build.py pdf $(REGIO) --content $(CONTENT) $(ARGS)

docx: install
	$(PY) build.py docx $(REGIO) --content $(CONTENT) $(ARGS)

waswordt: install
	$(PY) build.py waswordt $(REGIO) --content $(CONTENT) $(ARGS)

diff: install
	@$(PY) build.py diff $(BASE) --content $(CONTENT) $(ARGS)

# make indexeer REGIO=groningen PERCENTAGE=3,2 PER=2027-01-01 [ARGS="--dry-run"]
indexeer: install
	$(PY) build.py indexeer $(REGIO) --percentage $(PERCENTAGE) --per $(PER) --content $(CONTENT) $(ARGS)

# make publiceer REGIO=groningen VERSIE=2027.1
publiceer: install
	$(PY) build.py publiceer $(REGIO) $(VERSIE) --content $(CONTENT) $(ARGS)

fmt: install
	$(PY) build.py fmt --content $(CONTENT) $(ARGS)

fmt-check: install
	$(PY) build.py fmt --check --content $(CONTENT)

schema: install
	$(PY) build.py schema

serve: install
	$(PY) build.py serve $(REGIO) --content $(CONTENT) $(ARGS)

# Browser, PDF and Office tests need Debian's chromium, poppler-utils and LibreOffice (Writer,
# Calc); installed when missing (with sudo when not root). A failed install stops `make test`:
# those tests are never skipped silently.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-writer-nogui libreoffice-calc-nogui"; \
	if [ -n "$$missing" ]; then \
	  echo "systeempakketten ontbreken:$$missing; installeren met apt-get"; \
	  { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; } \
	  || { echo "fout: installeren van$$missing mislukt; browser-, PDF- en Office-tests kunnen niet draaien" >&2; exit 1; }; \
	  command -v chromium >/dev/null && command -v pdftotext >/dev/null && command -v soffice >/dev/null \
	  || { echo "fout: chromium, pdftotext of soffice ontbreekt nog na de installatie" >&2; exit 1; }; \
	fi

test: install system-deps
	$(PY) -m pytest -q $(ARGS)

test-fast: install
	$(PY) -m pytest -q -m "not browser and not slow" $(ARGS)

bench: install
	$(PY) build.py bench $(ARGS)

clean:
	rm -rf site dist build .cache .site.mkdocs .site.staat.json .site.reserve
