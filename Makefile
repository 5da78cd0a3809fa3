# The front door: `make run` serves the portal, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run` serves like production (DEBUG off, hashed static files) but over plain HTTP on this machine.
RUN_ENV = DEBUG=false SECRET_KEY="$$(cat var/secret_key)"

.PHONY: run dev test test-browser bench bench-pages lint format migrations-check deploy-check clean-venv

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime-installed $@

var/secret_key:
	mkdir -p var
	umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

run: $(VENV)/.runtime-installed var/secret_key
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py load_demo
	$(RUN_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "门户网站: http://$(HOST):$(PORT)/"
	@$(RUN_ENV) $(PY) manage.py login_settings --base-url http://$(HOST):$(PORT)
	@echo "账号与密码（首次运行时生成，保存在 var/credentials.txt）:"
	@cat var/credentials.txt 2>/dev/null || echo "  (未找到 var/credentials.txt，可用 $(PY) manage.py changepassword admin 重设密码)"
	@echo ""
	$(RUN_ENV) GUNICORN_BIND=$(HOST):$(PORT) exec $(VENV)/bin/gunicorn -c gunicorn.conf.py portal.wsgi

dev: $(VENV)/.dev-installed
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py load_demo
	DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev-installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: $(VENV)/.dev-installed
	$(PY) manage.py makemigrations --check --dry-run

# Django's deployment checklist with production variables and the default HSTS, warnings
# included; the secret key is a throw-away one made for this run.
deploy-check: $(VENV)/.dev-installed
	env -u DEBUG -u HSTS_EXCLUDE_SUBDOMAINS DJANGO_ENV=production ALLOWED_HOSTS=portal.example.edu.cn \
	  SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  $(PY) manage.py check --deploy --fail-level WARNING

test: lint migrations-check deploy-check
	$(VENV)/bin/pytest -m "not browser" $(PYTEST_ARGS)

# Headless Chromium: Debian's chromium and chromium-driver must be installed
# (apt-get install chromium chromium-driver). A missing browser fails the run instead of skipping.
test-browser: $(VENV)/.dev-installed
	REQUIRE_BROWSER=1 $(VENV)/bin/pytest -m browser $(PYTEST_ARGS)

# Load test beside the Wagtail peer and Django's ceiling (run by hand; PostgreSQL, wrk; see
# bench/README.md). ARTICLES=20000 make bench for a quicker run.
bench: $(VENV)/.runtime-installed
	bench/run.sh

# In-process page timings and query counts with many articles (SQLite unless DATABASE_URL).
bench-pages: $(VENV)/.runtime-installed
	$(PY) bench/pages.py --articles $${ARTICLES:-5000}
