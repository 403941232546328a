# Plus Web3: `make run` to try it, `make test` to check it. Everything bootstraps itself.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# Use a working uv from PATH, or bootstrap one into var/tools through pip.
UV := $(shell uv --version >/dev/null 2>&1 && command -v uv || echo var/tools/bin/uv)
STAMP := $(VENV)/.synced
# Never download an interpreter: use the Python this machine has.
export UV_PYTHON_DOWNLOADS := never
WORKER_QUEUES := routing,email,default

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

var/tools/bin/uv:
	$(PYTHON) -m venv var/tools && var/tools/bin/pip install --quiet uv

$(STAMP): requirements.lock | $(UV)
	$(UV) venv --allow-existing --quiet --python "$$(cat .python-version)" $(VENV) 2>/dev/null || $(UV) venv --allow-existing --quiet --python $(PYTHON) $(VENV)
	$(UV) pip sync --quiet --python $(BIN)/python requirements.lock
	touch $@

venv: $(STAMP) ## Create or update .venv from requirements.lock

lock: | $(UV) ## Re-resolve requirements.lock from pyproject.toml
	$(UV) pip compile --quiet --universal --generate-hashes --python-version 3.12 --group dev pyproject.toml -o requirements.lock

# The demo's own emails are not worth a screenful each: they go to the in-memory backend.
run: export DJANGO_DEBUG := 1
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: $(STAMP) ## Migrate, load demo content and serve http://127.0.0.1:$(PORT) (SQLite, eager tasks)
	$(MANAGE) migrate --noinput -v0
	EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend $(MANAGE) load_demo_content
	$(MANAGE) ensure_demo_admin
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: $(STAMP) ## Lint, check formatting and run the whole test suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest $(PYTEST_ARGS)

serve: $(STAMP) ## Production-style web server (gunicorn); needs DJANGO_SECRET_KEY
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput -v0
	PATH=$(BIN):$$PATH gunicorn -c config/gunicorn.conf.py config.wsgi

worker: $(STAMP) ## Celery worker for every queue; run more of them on any host
	PATH=$(BIN):$$PATH celery -A config worker -Q $(WORKER_QUEUES) --loglevel INFO

beat: $(STAMP) ## Celery beat: the periodic sweep, SLA checks, digests (one is enough; more are safe)
	PATH=$(BIN):$$PATH celery -A config beat --loglevel INFO --schedule var/celerybeat-schedule

format: $(STAMP) ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP) ## Benchmark pages, form and routing side by side with a bare view; writes docs/benchmarks.md
	$(BIN)/python -m tests.bench.run

bench-profile: $(STAMP) ## Time and cProfile the bench's pages in-process beside the bare view (stdout)
	$(BIN)/python -m tests.bench.profile

bench-worker: $(STAMP) ## A lead's CPU in the Celery worker, profiled in-process, and a real worker's cost per empty task beside it (stdout)
	$(BIN)/python -m tests.bench.celery_overhead

bench-scale: $(STAMP) ## 1,000,000 leads and 10,000 articles in PostgreSQL: staff pages, routing, sitemap, search
	$(BIN)/python -m tests.bench.scale

lighthouse: $(STAMP) ## Lighthouse (phone) on every public page in production posture; writes docs/lighthouse.md
	$(BIN)/python -m tests.bench.lighthouse

drill: $(STAMP) ## Fault drills at full size: worker killed, Redis down, PostgreSQL down, duplicate tasks
	DRILL_SCALE=full $(BIN)/pytest tests/drills -m drill -s -v $(PYTEST_ARGS)

.PHONY: help venv lock run test serve worker beat format bench bench-profile bench-worker bench-scale lighthouse drill
