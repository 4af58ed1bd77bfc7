# SOP portal generator. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help
.PHONY: help setup site site-offline serve check test bench impor schema lock clean

help: ## Daftar perintah / list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-13s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# Two `make` runs on a fresh clone (say `make site` and `make serve`) would build the same
# virtualenv at once: the second waits for the first (flock) and then finds it done.
$(STAMP): requirements.lock pyproject.toml
	@exec 9>.venv.lock && flock 9 && \
	if [ -f $@ ] && [ $@ -nt requirements.lock ] && [ $@ -nt pyproject.toml ]; then exit 0; fi && \
	{ test -x $(PY) || $(PYTHON) -m venv $(VENV); } && \
	echo "Memasang paket Python ke $(VENV)/" && \
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.lock && \
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e . && \
	touch $@

setup: $(STAMP) ## Pasang paket Debian dan virtualenv (hanya yang belum ada) / install what is missing
	@scripts/system-deps.sh site

# The site engine: MkDocs by default; ENGINE=zensical builds the same portal with Zensical,
# the successor of Material for MkDocs (generator/zensical_engine.py).
ENGINE ?= mkdocs

site: setup ## Pasang semua lalu bangun portal ke site/ [ENGINE=zensical] / install everything and build the portal (engine: mkdocs or zensical)
	$(PY) -m generator build --engine $(ENGINE)

site-offline: setup ## Bangun portal untuk dibuka dari disk/USB (file://) ke site-offline/ [ENGINE=zensical] / portal that works from disk
	SOP_OFFLINE=true SOP_DIRECTORY_URLS=false $(PY) -m generator build --engine $(ENGINE) --site-dir site-offline

serve: setup ## Pratinjau portal dengan muat-ulang otomatis / preview with live reload
	$(PY) -m mkdocs serve --dirty

check: setup ## Periksa sumber SOP, lint, tipe, dan build ketat / validate sources, lint, types, strict build
	$(PY) -m generator check
	$(PY) -m ruff check generator tests
	$(PY) -m ruff format --check generator tests
	$(PY) -m mypy
	$(PY) -m generator build --strict --site-dir build/check-site

# axe-core for the accessibility tests (tests/test_browser.py injects its axe.min.js into the
# pages): the version pinned by tests/axe/package-lock.json, installed with npm when missing or
# older than the lock; nothing is fetched while the tests run.
AXE := tests/axe/node_modules/.installed

test: $(STAMP) ## Pasang semua lalu jalankan seluruh uji / install everything and run the whole test suite
	@scripts/system-deps.sh test
	@exec 9>tests/axe/.npm.lock && flock 9 && \
	if [ ! -f $(AXE) ] || [ tests/axe/package-lock.json -nt $(AXE) ]; then \
	  echo "Memasang axe-core ke tests/axe/node_modules/" && \
	  npm ci --prefix tests/axe --no-audit --no-fund --loglevel=error && touch $(AXE); \
	fi
	$(PY) -m pytest

# BENCH="100 1000 --no-downloads 10000": other sizes; a corpus given after --no-downloads is built
# without its PDFs, Word sheets and workbooks (too many to print in a session: see BENCHMARKS.md).
BENCH ?= 100 500 1000
bench: setup ## Ukur waktu build untuk 100, 500, 1000 SOP [BENCH="..."] / benchmark (writes build/bench/results.md)
	$(PY) -m benchmarks.run $(BENCH)

impor: setup ## Impor SOP: make impor BERKAS="a.docx b.txt" [PERBARUI=1] / import Word or text SOPs as drafts; a sheet from the portal shows its changes (PERBARUI=1 writes them)
	@test -n "$$SOP_BERKAS" || { echo 'Sebutkan berkasnya: make impor BERKAS="sop-lama.docx"'; exit 2; }
	$(PY) -m generator impor $(if $(PERBARUI),--perbarui) --daftar "$$SOP_BERKAS"

# BERKAS reaches the generator as one text, never as shell or make code: its value unexpanded
# ($(value ...): "$(shell ...)" in a file name stays text), in the environment of the recipe
# (the shell expands "$$SOP_BERKAS" in quotes: spaces, parentheses, ";" and backquotes stay
# text), and not exported itself (make would expand it to do so). The generator reads the
# names out of it (`python -m generator impor --daftar`: the one file the whole text names,
# else names apart at spaces, a name with spaces in quotes).
unexport BERKAS
impor: export SOP_BERKAS := $(value BERKAS)

schema: $(STAMP) ## Tulis ulang skema editor di sop_sources/ / regenerate the editor schemas
	$(PY) -m generator schema --write sop_sources/sop.schema.json
	$(PY) -m generator schema --documents --write sop_sources/dokumen.schema.json
	$(PY) -m generator schema --shared --write sop_sources/portal.schema.json

lock: ## Perbarui requirements.lock dari requirements.in / re-resolve the pins
	rm -rf build/lock-venv && $(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/pip install -q -r requirements.in
	build/lock-venv/bin/pip freeze --all | grep -vE '^(pip)==' > requirements.lock
	rm -rf build/lock-venv

clean: ## Hapus hasil build dan cache / remove build output and caches
	rm -rf site site-offline build .cache .venv.lock .site.new-* .site.old-* .site-offline.new-* .site-offline.old-*
