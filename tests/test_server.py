"""The local server's lifecycle, driven through `kb db` as a user would."""

from __future__ import annotations

import os
import re
import socket
import stat

import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError

from kb.neo4j_server import LocalServer, ServerError, free_port
from kb.services.queries import list_queries
from kb.settings import Settings
from tests.conftest import run_kb


@pytest.fixture
def local_env(tmp_path):
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KB_"))}
    env.update(KB_STATE_DIR=str(tmp_path / "state"), KB_NEO4J_PORT=str(free_port()),
               KB_NEO4J_HEAP="512m", KB_NEO4J_PAGECACHE="64m")
    return env


def test_start_double_start_stop_restart_keeps_data(local_env, tmp_path):
    port = int(local_env["KB_NEO4J_PORT"])
    try:
        first = run_kb(["db", "start"], local_env, cwd=tmp_path, check=True)
        assert f"neo4j://127.0.0.1:{port}" in first.stdout
        assert first.stdout.startswith("Started")
        assert "Planning" not in first.stdout  # an empty database: nothing worth planning yet
        pid = first.stdout.split("pid ")[1].split(",")[0]

        second = run_kb(["db", "start"], local_env, cwd=tmp_path, check=True)
        assert second.stdout.startswith("Already running")
        assert f"pid {pid}," in second.stdout

        # Auth is on: the generated password is in the state folder, for the owner only ...
        password_file = tmp_path / "state" / "neo4j" / "password"
        assert stat.S_IMODE(os.stat(password_file).st_mode) == 0o600
        password = password_file.read_text().strip()
        assert len(password) >= 24
        shown = run_kb(["db", "password", "--show"], local_env, cwd=tmp_path, check=True)
        assert shown.stdout.strip() == password
        # ... the server refuses a connection without it (or with Neo4j's default) ...
        for auth in (None, ("neo4j", "neo4j")):
            with GraphDatabase.driver(f"bolt://127.0.0.1:{port}", auth=auth) as driver:
                with pytest.raises(AuthError):
                    driver.execute_query("RETURN 1")
        with GraphDatabase.driver(f"bolt://127.0.0.1:{port}", auth=("neo4j", password)) as driver:
            driver.execute_query("CREATE (:Locality {id: 'kept', name: 'Kept'})")

        # ... and kb commands use it without anyone typing it (no NEO4J_PASSWORD here).
        assert "NEO4J_PASSWORD" not in local_env
        status = run_kb(["db", "status"], local_env, cwd=tmp_path, check=True)
        assert "5.26." in status.stdout and "nodes 1 relationships 0" in status.stdout
        assert "java Java " in status.stdout  # which Java runs the server
        assert run_kb(["init"], local_env, cwd=tmp_path, check=True).stdout.startswith("Schema applied")

        reset = run_kb(["db", "password", "--reset"], local_env, cwd=tmp_path, check=True)
        assert "Password changed" in reset.stdout and password not in reset.stdout
        new_password = password_file.read_text().strip()
        assert new_password != password and stat.S_IMODE(os.stat(password_file).st_mode) == 0o600
        with GraphDatabase.driver(f"bolt://127.0.0.1:{port}", auth=("neo4j", password)) as driver:
            with pytest.raises(AuthError):
                driver.execute_query("RETURN 1")
        assert "nodes 1" in run_kb(["db", "status"], local_env, cwd=tmp_path, check=True).stdout

        assert run_kb(["db", "stop"], local_env, cwd=tmp_path, check=True).stdout.strip() == "Stopped."
        stopped = run_kb(["db", "status"], local_env, cwd=tmp_path)
        assert stopped.returncode == 3 and "not running" in stopped.stderr

        restarted = run_kb(["db", "start"], local_env, cwd=tmp_path, check=True)
        assert password_file.read_text().strip() == new_password  # kept across restarts
        # A restarted server with data plans the pages' queries before `kb db start` returns: its
        # query plan cache holds them all (the count the server reports when emptying it), so no
        # page's first view after the restart waits for planning.
        planned = re.search(r"Planned (\d+) statements", restarted.stdout)
        assert planned, restarted.stdout
        assert int(planned.group(1)) >= len(list_queries())
        with GraphDatabase.driver(f"bolt://127.0.0.1:{port}", auth=("neo4j", new_password)) as driver:
            cleared, _, _ = driver.execute_query("CALL db.clearQueryCaches()")
            records, _, _ = driver.execute_query("MATCH (n:Locality {id: 'kept'}) RETURN n.name AS name")
        assert int(re.search(r"cleared of (\d+) quer", cleared[0]["value"]).group(1)) >= int(planned.group(1))
        assert [r["name"] for r in records] == ["Kept"]
    finally:
        run_kb(["db", "stop"], local_env, cwd=tmp_path)
    assert run_kb(["db", "stop"], local_env, cwd=tmp_path).stdout.strip() == "No local server was running."


def test_port_already_taken_gives_clear_message(local_env, tmp_path):
    port = int(local_env["KB_NEO4J_PORT"])
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as blocker:
        blocker.bind(("127.0.0.1", port))
        blocker.listen(1)
        result = run_kb(["db", "start"], local_env, cwd=tmp_path)
    assert result.returncode == 1
    assert f"Port {port} on 127.0.0.1 is already taken" in result.stderr
    assert "KB_NEO4J_PORT" in result.stderr
    assert "Traceback" not in result.stderr


def test_jars_that_cannot_be_fetched_say_how_to_fix(tmp_path):
    server = LocalServer(home=tmp_path / "h", lib_dir=tmp_path / "no-jars", port=free_port(),
                         jar_cache=tmp_path / "cache", mirror=f"http://127.0.0.1:{free_port()}/maven2")
    with pytest.raises(ServerError, match=r"jars are not ready .*could not be fetched(.|\n)*kb db fetch"):
        server.start(timeout=5)
    assert server.state() is None


def test_a_wrong_java_says_how_to_fix(tmp_path):
    fake = tmp_path / "java"
    fake.write_text("#!/bin/sh\necho 'openjdk version \"11.0.2\" 2019-01-15' >&2\n")
    fake.chmod(0o755)
    server = LocalServer(home=tmp_path / "h", lib_dir=Settings().neo4j_lib_dir, port=free_port(), java=str(fake))
    with pytest.raises(ServerError, match="is Java 11; Neo4j 5.26 needs Java 17 or 21"):
        server.start(timeout=5)


def test_status_without_server_is_a_clear_error(local_env, tmp_path):
    result = run_kb(["db", "status"], local_env, cwd=tmp_path)
    assert result.returncode == 3
    assert "kb db start" in result.stderr


def test_bolt_is_bound_to_loopback_only(neo4j_server):
    conf = (neo4j_server.home / "conf" / "neo4j.conf").read_text()
    assert f"server.bolt.listen_address=127.0.0.1:{neo4j_server.port}" in conf
    assert "server.default_listen_address=127.0.0.1" in conf
    assert "dbms.usage_report.enabled=false" in conf
    assert "server.memory.pagecache.size=128m" in conf
    assert "dbms.security.auth_enabled=true" in conf
    with GraphDatabase.driver(f"bolt://127.0.0.1:{neo4j_server.port}", auth=None) as driver:
        with pytest.raises(AuthError):
            driver.execute_query("RETURN 1")
