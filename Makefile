# Soglia: `make run` serves the app, `make test` runs the whole suite. Both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PO_FILES := $(wildcard app/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
HOST ?= 127.0.0.1
PORT ?= 5000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
#: Debian packages the app needs at run time (certificate PDFs: Pango and Noto fonts for any script)
RUNTIME_DEBS := libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core git
#: and for the end-to-end tests, Debian's Chromium and a Java runtime (the Nu HTML checker)
TEST_DEBS := $(RUNTIME_DEBS) chromium default-jre-headless
#: test-only npm packages (axe-core, the Nu checker's vnu.jar), pinned in its package-lock.json
E2E_TOOLS := tests/e2e/tools

# Install the Debian packages of $(1) that are missing (no-op elsewhere, or when all are there).
define apt_ensure
	@missing=""; command -v dpkg >/dev/null && for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi
endef

.PHONY: run test typecheck mutants bench bench-start bench-trainer bench-cluster install install-dev debs-runtime debs-test e2e-tools translations extract-messages update-messages check-courses clean

run: debs-runtime install translations
	$(FLASK) db upgrade
	@echo "Soglia is starting on http://$(HOST):$(PORT) (Ctrl+C to stop); edited course files show up on the next request"
	SOGLIA_COURSES_AUTO_RELOAD=$${SOGLIA_COURSES_AUTO_RELOAD:-true} $(FLASK) run --host $(HOST) --port $(PORT)

#: the tests run in parallel, one pytest-xdist worker per core (at most 4), handed out one by one in file order (by
#: file, the browser tests' few-test files would come last and run alone); `make test PYTEST_ARGS=` runs them in one
#: process, `make test PYTEST_ARGS="tests/e2e"` a part
PYTEST_ARGS ?= -n auto --maxprocesses 4 --dist load
test: debs-test install-dev translations e2e-tools typecheck
	$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

#: types on the boundaries (configuration in pyproject.toml: strict on app/services and app/content)
typecheck: install-dev
	$(BIN)/mypy

#: mutation testing of the core rules with the tests that cover them (slow, not part of `make test`;
#: configuration in pyproject.toml; PostgreSQL only for the tests marked mutants_postgres, skipped when it is not
#: reachable); prints the score per module and the surviving mutants
mutants: install-dev translations
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2 > /dev/null
	$(BIN)/python -m tests.mutation_scores

#: throughput (wrk) and instructions per request (valgrind's callgrind) of every route beside a Flask hello-world;
#: every part runs, and the target fails at the end if a goal was not met
bench: install-dev translations
	$(call apt_ensure,wrk valgrind)
	status=0; \
	$(BIN)/python -m bench.run || status=1; \
	$(BIN)/python -m bench.trainer_scale || status=1; \
	$(BIN)/python -m bench.pdf_rate || status=1; \
	$(BIN)/python -m bench.wire || status=1; \
	exit $$status

# Cold start of gunicorn with 2 workers, with and without preloading the app (gunicorn.conf.py)
bench-start: install-dev translations
	$(BIN)/python -m bench.cold_start

# The trainer workspace at 1k/10k/50k learners on PostgreSQL (SOGLIA_BENCH_POSTGRES_URL, default the test database)
bench-trainer: install-dev translations
	$(BIN)/python -m bench.trainer_scale

# Two instances behind nginx (TLS) on PostgreSQL and Redis, on loopback: learners under load, integrity checked
bench-cluster: install-dev translations
	$(call apt_ensure,nginx wrk)
	$(BIN)/python -m bench.cluster

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
		echo "Installing Debian's python3-venv"; $(SUDO) apt-get install -y -qq python3-venv >/dev/null && $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

debs-runtime:
	$(call apt_ensure,$(RUNTIME_DEBS))

debs-test:
	$(call apt_ensure,$(TEST_DEBS))

e2e-tools: $(E2E_TOOLS)/node_modules/.installed

$(E2E_TOOLS)/node_modules/.installed: $(E2E_TOOLS)/package-lock.json
	command -v npm >/dev/null || { echo "Installing Debian's npm"; $(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	npm ci --prefix $(E2E_TOOLS) --ignore-scripts --no-audit --no-fund --silent
	touch $@

translations: $(MO_FILES)

%.mo: %.po | $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@

extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -o app/translations/messages.pot --no-location --sort-output app

update-messages: extract-messages
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

check-courses: install
	$(FLASK) courses check

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts $(E2E_TOOLS)/node_modules
