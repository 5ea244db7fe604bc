# Every target installs what it needs: `make demo` and `make test` work on a fresh clone.
.DEFAULT_GOAL := help
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium

.PHONY: help install demo serve test test-e2e lint fmt check-migrations bench clean

help:
	@echo "make demo    run Pledgewatch with demo data on SQLite at http://127.0.0.1:$(PORT)"
	@echo "make test    lint, migration check and the whole test suite"
	@echo "make bench   benchmarks (prints figures)"
	@echo "make fmt     format the code"

# Re-install when the dependencies change (or the venv is missing).
$(STAMP): pyproject.toml uv.lock scripts/bootstrap scripts/find-python
	@scripts/bootstrap
	@touch $@

install: $(STAMP)

demo: export DEBUG = 1
demo: export SITE_URL = http://127.0.0.1:$(PORT)
demo: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_data
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# With the test settings: comparing models with migrations needs no production secrets.
check-migrations: $(STAMP)
	PLEDGEWATCH_TESTING=1 $(BIN)/python manage.py makemigrations --check --dry-run

# The browser tests run when Debian's chromium is installed, and say so when they are skipped.
test: lint check-migrations
	@if [ -x "$(CHROMIUM)" ]; then echo "Browser tests: using $(CHROMIUM)"; \
	else echo "Browser tests: SKIPPED, $(CHROMIUM) not found (apt-get install chromium)"; fi
	$(BIN)/pytest $(PYTEST_ARGS)

test-e2e: $(STAMP)
	$(BIN)/pytest -m e2e $(PYTEST_ARGS)

bench: $(STAMP)
	@rm -f var/bench.sqlite3
	@mkdir -p var
	DATABASE_URL=sqlite:///var/bench.sqlite3 DEBUG=1 $(BIN)/python manage.py migrate --noinput -v0
	DATABASE_URL=sqlite:///var/bench.sqlite3 DEBUG=1 $(BIN)/pledgewatch bench-roster --rows 100000
	$(BIN)/pledgewatch bench-finance --rows 5000000 --fec-mb 100

clean:
	rm -rf $(VENV) .tools .pytest_cache .ruff_cache staticfiles
