# Portaat — the README's commands. Everything installs into ./.venv; nothing else is needed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test check bench demo messages compilemessages browser-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files make re-runs fast: pip runs again only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/portaat init
	$(BIN)/portaat serve --host $(HOST) --port $(PORT)

demo: $(VENV)/.installed
	$(BIN)/portaat demo --host $(HOST) --port $(PORT)

# The whole suite. Browser tests use Debian's chromium and are skipped, with a reason, where it
# is not installed (`apt-get install chromium`); CI sets PORTAAT_REQUIRE_BROWSER=1.
PYTEST_ARGS ?=
test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

browser-test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q -m browser $(PYTEST_ARGS)

check: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy portaat
# Any finding fails; a reviewed false positive carries "# nosec BXXX  # reason" on its line.
# The output is shown only on failure: bandit logs spurious "nosec encountered, but no failed
# test" warnings for other nodes on a nosec line (PyCQA/bandit#1041).
	out=$$($(BIN)/bandit -q -r portaat -x '*/migrations/*' 2>&1) || { echo "$$out"; exit 1; }
	$(BIN)/python scripts/check_translations.py
	PORTAAT_DATA_DIR=$$(mktemp -d) $(BIN)/portaat manage spectacular --validate --fail-on-warn --file /dev/null
	PORTAAT_DATA_DIR=$$(mktemp -d) $(BIN)/portaat manage makemigrations --check --dry-run

bench: $(VENV)/.installed-dev
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Extract new strings into the .po files (needs GNU gettext), then compile them with polib.
messages: $(VENV)/.installed-dev
	cd portaat && ../$(BIN)/django-admin makemessages -l fi -l sv --no-obsolete --add-location file -i "static/vendor/*"
	$(BIN)/python scripts/check_translations.py --compile

compilemessages: $(VENV)/.installed-dev
	$(BIN)/python scripts/check_translations.py --compile

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
