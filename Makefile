# Soglia: `make run` serves the app, `make test` runs the whole suite. Both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PO_FILES := $(wildcard app/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test bench install install-dev browser translations extract-messages update-messages check-courses clean

run: install translations
	$(FLASK) db upgrade
	@echo "Soglia is starting on http://$(HOST):$(PORT) (Ctrl+C to stop); edited course files show up on the next request"
	SOGLIA_COURSES_AUTO_RELOAD=$${SOGLIA_COURSES_AUTO_RELOAD:-true} $(FLASK) run --host $(HOST) --port $(PORT)

test: install-dev translations browser
	$(BIN)/pytest -p no:cacheprovider

bench: install-dev translations
	@command -v wrk >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); $$SUDO apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m bench.run

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

# Debian's Chromium for the end-to-end tests, and Noto fonts for certificates in any script.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/truetype/noto ]; then \
		echo "Installing Debian packages: chromium fonts-noto-core"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-core >/dev/null; \
	fi

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
	rm -rf $(VENV) .pytest_cache test-artifacts
