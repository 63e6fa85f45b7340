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

# The whole suite, on the real PostgreSQL and Redis (DATABASE_URL / REDIS_URL to override), in
# one process per core (pytest-xdist; each has its own test database and Redis database, and
# takes whole files so a file's shared fixtures are built once). The slowest tests are listed.
test: install assets lint check-deploy
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=growth.settings.test
	$(BIN)/python -m pytest -p no:randomly -n auto --maxprocesses=4 --dist loadfile --durations=25

# The benchmark (docs/benchmark.md): Locust against gunicorn, databases of its own named
# after BENCH_DATABASE_URL (<name>_<staff>, <name>_<staff>_plus<n>), seeded once and reused.
# Full size by default; e.g. `make bench BENCH_ARGS="--staff 500 --schools 5"` for a quick run.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/growth_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/14
BENCH_ARGS ?=
bench: install
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) BENCH_REDIS_URL=$(BENCH_REDIS_URL) \
		$(BIN)/python -m bench $(BENCH_ARGS)
