# The two commands of the README: `make run` and `make test`, on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
KB = $(VENV)/bin/kb
HOST ?= 127.0.0.1
PORT ?= 5000

# PostgreSQL's server programs, for the second run of the suite (Debian: package postgresql).
PG_INITDB = $(or $(shell command -v initdb),$(lastword $(sort $(wildcard /usr/lib/postgresql/*/bin/initdb))))

# The suite on every core (pytest-xdist), a test file per worker at a time: the files'
# module-scoped instances are built once. `make test PYTEST_WORKERS=0` runs it in one process.
# Bytecode is written for the tests even where PYTHONDONTWRITEBYTECODE is set: pytest caches
# its rewriting of the test modules' asserts there, which each worker otherwise redoes (~2.5 s).
PYTEST_WORKERS ?= auto
PYTEST = PYTHONDONTWRITEBYTECODE= $(VENV)/bin/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile

.PHONY: install run test test-sqlite test-postgres lint bench locale clean

# kb's modules are byte-compiled once, as pip does for an installed package: an editable
# install leaves it to each run, which compiles them again every time where
# PYTHONDONTWRITEBYTECODE is set (a cold `kb search` paid some 45 ms of processor for it).
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -e '.[test]'
	$(VENV)/bin/python -m compileall -q kb ingest indexer webui
	touch $@

install: $(VENV)/.installed

run: install
	$(KB) init
	$(KB) ingest corpus/documents --quiet || echo "Certains fichiers n'ont pas été ingérés (voir ci-dessus)."
	$(KB) serve --production --host $(HOST) --port $(PORT)

# The suite on SQLite, then every test that uses a database again on PostgreSQL.
test: install
	@[ -n "$$KB_CHROMIUM" ] || command -v chromium >/dev/null || [ -x /usr/bin/chromium ] \
	  || echo "Chromium absent : les tests de navigateur seront sautés (sudo apt-get install chromium, ou sudo .ci/run)."
	$(PYTEST)
ifeq ($(PG_INITDB),)
	@echo "PostgreSQL absent : la suite n'a tourné que sur SQLite (sudo apt-get install postgresql, ou sudo .ci/run)."
	@[ -z "$$CI" ] || { echo "PostgreSQL est requis en CI (installé par .ci/run)"; exit 1; }
else
	KB_TEST_DATABASE=postgresql $(PYTEST)
endif

test-sqlite: install
	$(PYTEST)

# A throwaway cluster in $$TMPDIR, or the server of KB_TEST_DATABASE=postgresql+psycopg://…
test-postgres: install
	KB_TEST_DATABASE=$${KB_TEST_DATABASE:-postgresql} $(PYTEST)

lint: install
	$(VENV)/bin/ruff check kb ingest indexer webui tests corpus
	$(VENV)/bin/lint-imports

bench: install
	$(VENV)/bin/python -m pytest tests/bench -s -p no:randomly -o python_files="bench_*.py"

# Click's messages in French: compile the catalogue after editing messages.po.
locale: install
	$(VENV)/bin/pybabel compile -d kb/cli/locale -D messages

clean:
	rm -rf $(VENV) instance .pytest_cache
