"""The local server's lifecycle, driven through `kb db` as a user would."""

from __future__ import annotations

import socket

import pytest
from neo4j import GraphDatabase

from kb.neo4j_server import LocalServer, ServerError, free_port
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
        pid = first.stdout.split("pid ")[1].split(",")[0]

        second = run_kb(["db", "start"], local_env, cwd=tmp_path, check=True)
        assert second.stdout.startswith("Already running")
        assert f"pid {pid}," in second.stdout

        with GraphDatabase.driver(f"bolt://127.0.0.1:{port}") as driver:
            driver.execute_query("CREATE (:Locality {id: 'kept', name: 'Kept'})")

        status = run_kb(["db", "status"], local_env, cwd=tmp_path, check=True)
        assert "5.26." in status.stdout and "nodes 1 relationships 0" in status.stdout

        assert run_kb(["db", "stop"], local_env, cwd=tmp_path, check=True).stdout.strip() == "Stopped."
        stopped = run_kb(["db", "status"], local_env, cwd=tmp_path)
        assert stopped.returncode == 3 and "not running" in stopped.stderr

        run_kb(["db", "start"], local_env, cwd=tmp_path, check=True)
        with GraphDatabase.driver(f"bolt://127.0.0.1:{port}") as driver:
            records, _, _ = driver.execute_query("MATCH (n:Locality {id: 'kept'}) RETURN n.name AS name")
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


def test_missing_jars_says_how_to_fix(tmp_path):
    server = LocalServer(home=tmp_path / "h", lib_dir=tmp_path / "no-jars", port=free_port())
    with pytest.raises(ServerError, match=r"jars are missing .*make setup"):
        server.start(timeout=5)


def test_missing_java_says_how_to_fix(tmp_path, monkeypatch):
    server = LocalServer(home=tmp_path / "h", lib_dir=Settings().kb_neo4j_lib, port=free_port())
    server.java = None
    with pytest.raises(ServerError, match="Java was not found.*openjdk-17"):
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
