# perfeval — the few targets a newcomer needs.
#   make run    set up (venv, packages, system fonts), migrate, load the demo, serve on 127.0.0.1:8000
#               (another port: make run PORT=8123)
#   make test   set up (incl. Debian's chromium for browser tests) and run the whole test suite
#   make lint   ruff, mypy (make typecheck), Biome on static/js (make jslint), migrations check,
#               Django system checks (incl. --deploy with production settings)

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

# What the PDF needs (Chinese fonts, HarfBuzz subsetting — without it WeasyPrint falls back to a
# much slower subsetter — and Pango) and Bootstrap served by the app (no CDN). The 仿宋 and 楷体
# faces (Fandol) come from Debian's texlive-lang-chinese without TeX: scripts/fandol-fonts.sh.
SYSTEM_PACKAGES := fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 libjs-bootstrap5 python3-venv
# Browser tests drive Debian's chromium; Playwright never downloads a browser. The Word export's
# test converts the .docx with LibreOffice headless (libreoffice-writer-nogui).
TEST_SYSTEM_PACKAGES := $(SYSTEM_PACKAGES) chromium poppler-utils libreoffice-writer-nogui

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
PORT ?= 8000

.PHONY: run test lint typecheck jslint setup setup-test node-deps system-deps test-system-deps clean

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --port $(PORT)
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup-test
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup-test typecheck jslint
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check
	DJANGO_SETTINGS_MODULE=perfeval.settings.production SECRET_KEY=check-deploy-$$(date +%s%N)-not-a-real-secret-key-0123456789 \
	  ALLOWED_HOSTS=perfeval.example.gov.cn $(PY) manage.py check --deploy --fail-level WARNING

# The typed modules are listed in pyproject.toml ([tool.mypy] files).
typecheck: $(VENV)/.installed-dev
	$(VENV)/bin/mypy

# Biome's recommended rules (biome.json); a warning fails too.
jslint: node_modules/.installed
	node_modules/.bin/biome ci --error-on-warnings static/js

# JavaScript dev tools, pinned in package-lock.json: Biome and axe-core (injected by tests/browser only;
# the app itself serves static/js as written and never serves axe).
node_modules/.installed: package.json package-lock.json | node-deps
	npm ci --no-audit --no-fund
	touch $@

# npm comes with Node.js; Debian's nodejs ships it as a separate package.
node-deps:
	@command -v npm >/dev/null 2>&1 || scripts/system-deps.sh nodejs npm

setup: system-deps $(VENV)/.installed
# The browser tests inject axe-core (node_modules) into every page they visit.
setup-test: test-system-deps $(VENV)/.installed-dev node_modules/.installed

system-deps:
	@scripts/system-deps.sh $(SYSTEM_PACKAGES)
	@scripts/fandol-fonts.sh

test-system-deps:
	@scripts/system-deps.sh $(TEST_SYSTEM_PACKAGES)
	@scripts/fandol-fonts.sh

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PIP) install -q -r requirements-dev.txt
	touch $(VENV)/.installed $@

clean:
	rm -rf $(VENV) var .mypy_cache node_modules
