PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean chromium translations bytecode

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Where Python may not write bytecode as it imports (PYTHONDONTWRITEBYTECODE, as some shells and
# CI machines set), every `tierline` command would compile the package's modules anew: about a
# third of a second each time. Compiled here instead; only what changed is compiled again.
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q src

run: bytecode
	$(BIN)/tierline demo --catalog examples/hap/catalog.yaml

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

# The portal's browser tests drive Debian's Chromium; install it where it is missing.
chromium:
	@command -v chromium >/dev/null || [ "$$(id -u)" != 0 ] || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

test: lint chromium bytecode
	$(BIN)/pytest -n 2 --dist loadfile

# Words: extract the message ids from code and templates, merge them into every language's
# catalog, then compile the catalogs (the .mo files are kept in the repository, so an install
# needs nothing more; tests/test_i18n.py checks they match their .po).
LOCALE := src/tierline/locale
translations: $(STAMP)
	$(BIN)/pybabel extract --mapping-file babel.cfg --no-location --sort-by-file \
		--project Tierline --copyright-holder Tierline --width 100 \
		--output-file $(LOCALE)/tierline.pot src/tierline
	$(BIN)/pybabel update --input-file $(LOCALE)/tierline.pot --output-dir $(LOCALE) \
		--domain tierline --width 100 --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile --directory $(LOCALE) --domain tierline --statistics

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) tierline.db .pytest_cache .mypy_cache .ruff_cache
