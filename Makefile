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

.PHONY: install check site pdf docx waswordt diff fmt fmt-check test test-fast bench serve schema clean system-deps

install: $(STAMP)

# The venv is rebuilt only when requirements.txt changes.
$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON_SYS) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

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

fmt: install
	$(PY) build.py fmt --content $(CONTENT) $(ARGS)

fmt-check: install
	$(PY) build.py fmt --check --content $(CONTENT)

schema: install
	$(PY) build.py schema

serve: install
	$(PY) build.py serve $(REGIO) --content $(CONTENT) $(ARGS)

# Browser and PDF tests need Debian's chromium and poppler-utils; installed when missing.
system-deps:
	@command -v chromium >/dev/null && command -v pdftotext >/dev/null || { \
	  echo "chromium/poppler-utils ontbreken; installeren met apt-get"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null) \
	  || echo "waarschuwing: installeren mislukt; browser- en PDF-tests worden overgeslagen"; }
	@command -v soffice >/dev/null || { \
	  echo "LibreOffice ontbreekt (DOCX/XLSX-tests); installeren met apt-get"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui libreoffice-calc-nogui >/dev/null) \
	  || echo "waarschuwing: installeren mislukt; LibreOffice-tests worden overgeslagen"; }

test: install system-deps
	$(PY) -m pytest -q $(ARGS)

test-fast: install
	$(PY) -m pytest -q -m "not browser and not slow" $(ARGS)

bench: install
	$(PY) build.py bench $(ARGS)

clean:
	rm -rf site dist build .cache
