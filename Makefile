# Two commands do all set-up on a fresh machine: `make run` (the demo) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=

.PHONY: run test test-sqlite test-pg lint bench migrate browser-deps fonts messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP) fonts
	$(BIN)/daogou demo

migrate: $(STAMP)
	$(BIN)/daogou migrate

# Browser tests drive Debian's chromium (Playwright's own download is not used).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || scripts/install-chromium

# Share posters draw Chinese text with Debian's Noto Sans CJK (web/poster_text.py).
fonts:
	@scripts/install-cjk-font

# Both databases at once (each suite waits on crawl subprocesses much of the time);
# each suite's output is printed whole when it ends.
test: $(STAMP) browser-deps fonts
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-pg

test-sqlite: $(STAMP)
	@echo "== test suite on SQLite =="
	$(BIN)/pytest -q $(PYTEST_ARGS)

test-pg: $(STAMP)
	@echo "== test suite on PostgreSQL ($(PG_TEST_URL)) =="
	@$(BIN)/python -c "import psycopg,sys; psycopg.connect(sys.argv[1], connect_timeout=5).close()" \
		'$(PG_TEST_URL)' || { echo "PostgreSQL is not reachable at $(PG_TEST_URL)"; exit 1; }
	DAOGOU_TEST_DATABASE_URL='$(PG_TEST_URL)' $(BIN)/pytest -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy aggregator crawlers web

bench: $(STAMP)
	$(BIN)/python -m tests.benchmarks

# Shopper-site translations (web/translations): extract every marked string, merge new ones
# into the zh_CN and en catalogs, give new English entries their msgid; then translate the
# empty zh_CN entries by hand. The site compiles the .po files itself: no compile step.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -c Translators: --add-location=file \
		--sort-output --no-wrap --project=daogou --copyright-holder="the daogou authors" \
		--msgid-bugs-address="daogou issue tracker" -o web/translations/messages.pot .
	$(BIN)/pybabel update -i web/translations/messages.pot -d web/translations -D messages \
		--no-wrap --no-fuzzy-matching --ignore-obsolete
	$(BIN)/python -m web.i18n

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache data/*.db data/*.db-* data/logs
