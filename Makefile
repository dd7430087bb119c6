# The two commands of the README:
#   make run    set up, load W6 and demo data, serve http://localhost:8000 (SQLite)
#   make test   set up and run the whole test suite (PostgreSQL when reachable)
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test setup lock lint format clean bench bench-serving bench-saves bench-reminders bench-guard bench-pages bench-attention bench-drill fuzz assets screenshots

$(STAMP): requirements.lock tools/bootstrap-venv
	@tools/bootstrap-venv $(VENV)
	@touch $@

setup: $(STAMP)

run: $(STAMP)
	@DEBUG=true $(PY) manage.py migrate --noinput --verbosity 0
	@DEBUG=true $(PY) manage.py load_review fixtures/w6.json
	@DEBUG=true $(PY) manage.py load_demo
	@echo
	@echo "Open http://localhost:8000 and sign in with one of the accounts above."
	@DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	@tools/run-tests $(ARGS)

# Re-resolve requirements.lock from pyproject.toml (pins with every file's
# SHA-256), with pip-tools in a throwaway environment. Run after changing a pin.
lock:
	@tools/lock-requirements

# Every benchmark on PostgreSQL (about 25 minutes); each prints its table.
bench: bench-serving bench-pages bench-attention bench-saves bench-reminders bench-drill

# Requests per second as deployed: gunicorn (2 workers) driven by wrk.
bench-serving: $(STAMP)
	@command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null 2>&1 || true
	@$(PY) benchmarks/serving.py $(ARGS)

# One rating change and one notification at 10,000 recommendations.
bench-saves: $(STAMP)
	@$(PY) benchmarks/saves.py $(ARGS)

# send_reminders with 5,000 open requests, twice.
bench-reminders: $(STAMP)
	@$(PY) benchmarks/reminders.py $(ARGS)

bench-guard: $(STAMP)
	@$(PY) benchmarks/guard.py

# The reporting pages at W6 scale, 1,000 and 10,000 recommendations (PostgreSQL
# on 127.0.0.1:5432; about ten minutes, most of it building the data).
bench-pages: $(STAMP)
	@$(PY) benchmarks/pages.py $(ARGS)

# What "Needs your attention" costs on every page, count by count, at 10,000
# recommendations.
bench-attention: $(STAMP)
	@$(PY) benchmarks/attention.py $(ARGS)

# The backup-and-restore drill on the benchmark data set (10,000
# recommendations, 100,000 submissions, 10,000 files); each step's time and
# the dump's size.
bench-drill: $(STAMP)
	@$(PY) benchmarks/drill.py $(ARGS)

# The intake fuzz test at length: 400 mutated files per type, with figures.
fuzz: $(STAMP)
	@FUZZ_CASES=400 TEST_WORKERS=0 tools/run-tests tests/test_intake_fuzz.py -s -q

# Rebuild scr_tracker/static/tracker/ from frontend/ (needs Node and npm; the
# built files are committed, so running and testing the tracker do not).
assets:
	cd frontend && npm ci --no-audit --no-fund && npm run build

# Refresh the README's screenshots from the browser journeys.
screenshots: $(STAMP)
	@tools/run-tests tests/test_browser_journeys.py tests/test_browser_assurance.py -q
	mkdir -p docs/screenshots && cp test-artifacts/screenshots/*.png docs/screenshots/
	cp test-artifacts/screenshots/board-report.pdf docs/sample-board-report.pdf

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

clean:
	rm -rf $(VENV) var test-artifacts frontend/node_modules
