# The two commands of the README: `make serve` and `make test`.
PYTHON ?= python3.11
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: serve test install assets lint check-deploy bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock

assets:
	npm ci --no-audit --no-fund --loglevel=error

# Embedded default: SQLite, tasks in-process, mail to the console, demo trusts loaded.
serve: install assets
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check-deploy: install
	DJANGO_SETTINGS_MODULE=growth.settings.production SECRET_KEY=$$(python -c 'import secrets;print(secrets.token_urlsafe(50))') \
		ALLOWED_HOSTS=growth.example.org $(BIN)/python manage.py check --deploy --fail-level WARNING

# The whole suite, on the real PostgreSQL and Redis (DATABASE_URL / REDIS_URL to override).
test: install assets lint check-deploy
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=growth.settings.test
	$(BIN)/python -m pytest -p no:randomly

# The benchmark (README "Scale data and the benchmark"): its own database, seeded when empty.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/growth_bench
bench: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) SECRET_KEY=benchmark-only $(BIN)/python manage.py benchmark
