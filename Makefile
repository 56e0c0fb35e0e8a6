# probepress. Two commands do all the set-up on a fresh Debian machine with Python 3.11:
#   make serve   install, render the demo clips, build and serve the site on :8000
#   make test    install (Chromium too), then run every test
# Both are idempotent: a second run installs nothing and re-renders nothing.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# Root installs system packages directly; anyone else through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTEST_ARGS ?=

# Material prints a banner about MkDocs 2.0 on every run; we pin mkdocs<2.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test lint bench audit clips install install-dev chromium cairo axe clean

# probepress serve: MkDocs' dev server answering HTTP Range requests, so clips seek.
serve: clips
	$(BIN)/probepress serve --dev-addr $(HOST)

build: clips
	$(BIN)/mkdocs build --strict

test: install-dev chromium axe
	$(BIN)/python -m pytest -n auto --dist loadgroup $(PYTEST_ARGS)

# --scale renders 400 clips and builds a site 10x the demo: the longest part (its
# corpus sizes: `probepress bench --scale --scale-n 40,400`).
bench: clips install-dev
	$(BIN)/probepress bench --out .cache/probepress/bench-report.md
	$(BIN)/probepress bench --site
	$(BIN)/probepress bench --scale

# Lighthouse (npm, pinned) on home, flagship, leaderboard and a plain Material page:
# .cache/probepress/audit-report.md. Needs Node.js 18+ with npm.
LIGHTHOUSE := .cache/audit/node_modules/lighthouse/cli/index.js
audit: clips chromium
	@command -v npm >/dev/null || { echo "make audit needs Node.js and npm: $(SUDO) apt-get install -y nodejs npm"; exit 1; }
	@test -f $(LIGHTHOUSE) || npm install --prefix .cache/audit --no-audit --no-fund lighthouse@12.2.3
	CHROME_PATH=$$(command -v chromium) $(BIN)/probepress bench --audit --out .cache/probepress/audit-report.md

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clips: install
	$(BIN)/probepress synth

install: $(VENV)/.runtime-installed
install-dev: $(VENV)/.dev-installed

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV) || { \
	  echo "venv failed: installing python3-venv"; \
	  $(SUDO) apt-get update && $(SUDO) apt-get install -y python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt pyproject.toml | $(VENV)/bin/python cairo
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.runtime-installed
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# Browser tests drive Debian's Chromium (no browser downloads).
chromium:
	@command -v chromium >/dev/null || { \
	  $(SUDO) apt-get update && \
	  $(SUDO) apt-get install -y --no-install-recommends chromium fonts-dejavu-core; }

# The demo's social cards: cairosvg (requirements.txt) loads Debian's libcairo2.
cairo:
	@/sbin/ldconfig -p | grep -q 'libcairo\.so\.2 ' || { \
	  $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends libcairo2; }

# The accessibility test injects axe-core (npm, MPL-2.0) into every page of the demo.
AXE_VERSION := 4.14.1
AXE := .cache/axe/node_modules/axe-core/axe.min.js
axe: $(AXE)
$(AXE):
	@command -v npm >/dev/null || { \
	  $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends nodejs npm; }
	npm install --prefix .cache/axe --no-audit --no-fund --no-save axe-core@$(AXE_VERSION)

clean:
	rm -rf site .cache

# The validation corpus (tests/validation/): Blender scenes rendered with Cycles on the
# CPU plus real-camera negative controls from Debian's opencv-doc. The clips are
# committed; only re-rendering needs Blender (apt-get install blender opencv-doc).
.PHONY: validation-clips validation
validation-clips: install
	@command -v blender >/dev/null || { echo "validation-clips needs Blender 3.4: $(SUDO) apt-get install -y blender opencv-doc"; exit 1; }
	$(BIN)/python tests/validation/render_all.py

validation: install-dev
	$(BIN)/python -m pytest -m validation tests/validation $(PYTEST_ARGS)
