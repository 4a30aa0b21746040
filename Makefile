# The README's two commands are `make demo` and `make test`; the rest are their parts.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LIB    := .kb/neo4j-lib
PORT   ?= 8501

.PHONY: setup demo test test-fast bench browser clean-state settings-table help

help:
	@echo "make demo   - set up, start Neo4j, load the bundled case base, analyse, open the UI"
	@echo "make test   - set up, then run the whole test suite against a throwaway Neo4j"
	@echo "make setup  - create .venv, install the package, fetch the Neo4j server jars"

setup: $(VENV)/.installed $(LIB)/.fetched

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11+ is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

$(LIB)/.fetched: neo4j/pom.xml
	@command -v java >/dev/null || { echo "Java 17 or 21 is needed for the local Neo4j: apt-get install openjdk-17-jre-headless (or set NEO4J_URI to use an existing Neo4j)"; exit 1; }
	@command -v mvn >/dev/null || { echo "Maven is needed to fetch the Neo4j jars: apt-get install maven"; exit 1; }
	rm -rf $(LIB) && mkdir -p $(LIB)
	mvn -q -B -f neo4j/pom.xml dependency:copy-dependencies -DoutputDirectory=$(abspath $(LIB))
	touch $@

# Debian's Chromium for the end-to-end browser tests (Playwright drives it; it never
# downloads a browser of its own). Installed when missing and we are allowed to.
browser:
	@if command -v chromium >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "Could not install chromium: the browser tests will be skipped"; \
	else echo "chromium not found (apt-get install chromium as root): the browser tests will be skipped"; fi

demo: setup
	@if [ -z "$$NEO4J_URI" ] && ! grep -qs '^NEO4J_URI=.\+' .env; then $(BIN)/kb db start; fi
	$(BIN)/kb init
	$(BIN)/kb load data/
	$(BIN)/kb analyse
	$(BIN)/kb ui --port $(PORT)

test: setup browser
	$(BIN)/python -m pytest

test-fast: setup
	$(BIN)/python -m pytest -m "not reliability and not browser"

bench: setup
	$(BIN)/python -m bench.run

# The README's table of settings, from their one declaration in kb/settings.py.
settings-table:
	$(BIN)/python -c "from kb.settings import update_readme; update_readme('README.md')"

clean-state:
	-$(BIN)/kb db stop
	rm -rf .kb/neo4j
