# LabelWatch set-up. `make run` and `make test` are the only two commands
# anyone needs; both do the whole set-up first and skip what is already done.
SHELL := /bin/bash
PY := .venv/bin/python
PIP := .venv/bin/pip
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk \
	poppler-utils gettext chromium libimage-exiftool-perl libgl1 libglib2.0-0
PYTEST_ARGS ?=
# make is the developer's entry point: the embedded set-up runs with DEBUG on.
# Production starts its processes directly (README) with DJANGO_DEBUG unset
# and DJANGO_SECRET_KEY set.
export DJANGO_DEBUG ?= 1

.PHONY: run test setup system venv messages static migrate seed lint worker worker-notices worker-explicit beat

run: setup
	$(PY) manage.py seed_demo --if-empty
	@$(PY) manage.py demo_logins
	$(PY) manage.py runserver 127.0.0.1:8000

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

setup: system venv messages static migrate

# System packages (pango, HarfBuzz subsetting, CJK fonts, Chromium for browser
# tests and chart images). Installed with apt-get when missing and root.
system:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing system packages:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
		else echo "Missing system packages (install them as root):$$missing"; fi; \
	fi

venv: .venv/.installed

.venv/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || python3.11 -m venv .venv || python3 -m venv .venv
	$(PIP) install -q -r requirements-dev.txt
	touch $@

messages: venv
	@$(PY) manage.py compilemessages --ignore=.venv -v 0

# plotly.js ships inside the plotly wheel; serve that copy, never a CDN.
static: venv static/vendor/plotly.min.js

static/vendor/plotly.min.js: requirements.txt
	mkdir -p static/vendor
	$(PY) -c "import plotly, pathlib, shutil; shutil.copy(pathlib.Path(plotly.__file__).parent / 'package_data' / 'plotly.min.js', '$@')"

migrate: venv
	@$(PY) manage.py migrate --noinput -v 0

lint: venv
	.venv/bin/ruff check .

# Production processes (see README): Celery workers and beat.
worker: setup
	.venv/bin/celery -A config worker --loglevel=INFO
worker-notices: setup
	.venv/bin/celery -A config worker -Q notices --pool=solo -n notices@%h --loglevel=INFO
# Explicit-label checks (OCR, video, audio): CPU-bound, one process per core.
worker-explicit: setup
	.venv/bin/celery -A config worker -Q explicit --concurrency=$$(nproc) -n explicit@%h --loglevel=INFO
beat: setup
	.venv/bin/celery -A config beat --loglevel=INFO
