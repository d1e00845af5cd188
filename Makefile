# The two commands of the README: `make run` and `make test`, on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
KB = $(VENV)/bin/kb
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install run test lint bench locale clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -e '.[test]'
	touch $@

install: $(VENV)/.installed

run: install
	$(KB) init
	$(KB) ingest corpus/documents --quiet || echo "Certains fichiers n'ont pas été ingérés (voir ci-dessus)."
	$(KB) serve --production --host $(HOST) --port $(PORT)

test: install
	@[ -n "$$KB_CHROMIUM" ] || command -v chromium >/dev/null || [ -x /usr/bin/chromium ] \
	  || echo "Chromium absent : les tests de navigateur seront sautés (sudo apt-get install chromium, ou sudo .ci/run)."
	$(VENV)/bin/python -m pytest

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
