"""Test fixtures: one real Neo4j server per test session, on a free port, in a throwaway
folder. Nothing here touches the user's .kb/ state or a configured NEO4J_URI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kb.store.connection import KnowledgeBase
from kb.neo4j_server import LocalServer, free_port
from kb.settings import PROJECT_ROOT, Settings, load_settings

# Tests must never pick up a developer's .env or NEO4J_* variables.
for _name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
    os.environ.pop(_name, None)

DATA_DIR = PROJECT_ROOT / "data"


def throwaway_server(home, heap: str = "1g", pagecache: str = "128m") -> LocalServer:
    """A LocalServer in a throwaway `home` on a free port. Its jars come from the lock like
    any start's (KB_NEO4J_MIRROR / KB_NEO4J_CACHE are honoured); auth is on, and its
    password is in `home / "password"` (server.password())."""
    fetch = load_settings(env_file=None)
    return LocalServer(home=home, lib_dir=Settings().neo4j_lib_dir, port=free_port(), heap=heap,
                       pagecache=pagecache, jar_cache=fetch.kb_neo4j_cache, mirror=fetch.kb_neo4j_mirror)


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory):
    server = throwaway_server(tmp_path_factory.mktemp("neo4j-test") / "neo4j")
    server.start(timeout=240)
    yield server
    server.stop(grace=30)


@pytest.fixture(scope="session")
def test_settings(neo4j_server, tmp_path_factory) -> Settings:
    """Settings for the test server: its URI and password (auth is on), a throwaway state."""
    return load_settings(env_file=None, environ={}, neo4j_uri=f"neo4j://127.0.0.1:{neo4j_server.port}",
                         neo4j_password=neo4j_server.password(), kb_state_dir=tmp_path_factory.mktemp("kb-state"))


@pytest.fixture(scope="session")
def session_kb(test_settings):
    kb = KnowledgeBase.connect(test_settings)
    from kb.store.schema import apply_schema

    apply_schema(kb)
    yield kb
    kb.close()


@pytest.fixture
def kb(session_kb):
    """An empty database (schema applied) for one test."""
    session_kb.write_in_batches("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
    return session_kb


@pytest.fixture
def cli_env(test_settings, tmp_path):
    """Environment for running the `kb` command against the test server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KB_"))}
    # A generous query limit: the tests check answers, not speed (a machine shared with other
    # test runs can take 10 s over a case-base query); tests of the limit set their own.
    env.update(NEO4J_URI=test_settings.uri, NEO4J_PASSWORD=test_settings.neo4j_password,
               KB_STATE_DIR=str(tmp_path / "state"), KB_QUERY_TIMEOUT="120")
    return env


def run_kb(args, env, cwd=None, check=False, input=None, timeout=600):
    """Run the installed `kb` CLI in a subprocess (as a user would)."""
    proc = subprocess.run([sys.executable, "-m", "kb.cli", *args], env=env, cwd=cwd or PROJECT_ROOT,
                          capture_output=True, text=True, input=input, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"kb {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc
