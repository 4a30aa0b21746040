"""Reliability: readers during a load, and kill -9 of the `kb` process or of the Neo4j
server in the middle of `kb load` and `kb analyse`. After each crash, running the same
command again gives exactly the counts and scores of an uninterrupted run.

Runs against its own throwaway server so the session's server is not disturbed.
Figures (reader latency) are printed; docs/reliability.md records a run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from kb.store.analysis_runs import analyse_network
from kb.store.connection import KnowledgeBase
from kb.services.generate import generate
from kb.store.schema import apply_schema
from kb.neo4j_server import LocalServer, free_port
from kb.settings import PROJECT_ROOT, Settings, load_settings
from kb.store.known_ids import known_ids
from kb.store.writer import write_batch
from loaders import read_paths, validate

pytestmark = pytest.mark.reliability
NETWORKS = Settings().kb_network_types


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = LocalServer(home=tmp_path_factory.mktemp("reliability") / "neo4j", lib_dir=Settings().neo4j_lib_dir,
                      port=free_port(), heap="1g", pagecache="128m")
    srv.start(timeout=240)
    yield srv
    srv.stop(grace=30)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("generated")
    generate(out, localities=4, actors=2000, ties=20000, innovations=40, seed=7)
    return out


def _connect(server) -> KnowledgeBase:
    settings = load_settings(env_file=None, environ={}, neo4j_uri=f"neo4j://127.0.0.1:{server.port}",
                             neo4j_password=server.password())
    return KnowledgeBase.connect(settings)


def _env(server):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KB_"))}
    env["NEO4J_URI"] = f"neo4j://127.0.0.1:{server.port}"
    env["NEO4J_PASSWORD"] = server.password()
    return env


def _wipe(kb):
    kb.write_in_batches("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
    apply_schema(kb)


def _counts(kb):
    # The data only: not the audit records (`kb load` also records the load in the history,
    # a :Change linked to what it wrote: docs/curation.md).
    labels = {r["l"]: r["n"] for r in kb.read("MATCH (n) WHERE NOT n:Load AND NOT n:Change "
                                                "UNWIND labels(n) AS l RETURN l, count(*) AS n")}
    types = {r["t"]: r["n"] for r in kb.read("MATCH ()-[r]->() WHERE type(r) <> 'CHANGED' "
                                               "RETURN type(r) AS t, count(*) AS n")}
    return labels, types


def _load(kb, folder):
    batch = validate(read_paths([folder]), NETWORKS, known_ids(kb))
    return write_batch(kb, batch, NETWORKS, progress=False)


def _wait_for(predicate, timeout=120, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def _writing(kb, fragment):
    rows = kb.read("SHOW TRANSACTIONS YIELD currentQuery, status RETURN currentQuery")
    return any(fragment in (r["currentQuery"] or "") for r in rows)


@pytest.fixture(scope="module")
def clean_load(server, generated):
    """Counts of an uninterrupted load of the generated knowledge base."""
    with _connect(server) as kb:
        _wipe(kb)
        _load(kb, generated)
        counts = _counts(kb)
        _wipe(kb)
    return counts


def test_count_store_readers_see_nothing_or_the_whole_load(server, generated, clean_load):
    """Counts from the count store are atomic. A statement that scans while the load commits
    can see part of it: tests/test_read_isolation.py, docs/reliability.md "Isolation"."""
    full_people = clean_load[0]["Person"]
    full_ties = clean_load[1]["TIE"]
    with _connect(server) as kb:
        _wipe(kb)
        seen: list[tuple[int, int]] = []
        latencies: list[float] = []
        stop = threading.Event()
        errors: list[BaseException] = []

        def reader():
            try:
                while not stop.is_set():
                    started = time.perf_counter()
                    row = kb.read("CALL () { MATCH (p:Person) RETURN count(p) AS people } "
                                  "CALL () { MATCH ()-[t:TIE]->() RETURN count(t) AS ties } "
                                  "RETURN people, ties")[0]
                    latencies.append(time.perf_counter() - started)
                    seen.append((row["people"], row["ties"]))
            except BaseException as exc:  # surfaced below
                errors.append(exc)

        readers = [threading.Thread(target=reader) for _ in range(4)]
        for t in readers:
            t.start()
        try:
            _load(kb, generated)
            time.sleep(0.5)
        finally:
            stop.set()
            for t in readers:
                t.join(60)
        assert not errors
        assert set(seen) <= {(0, 0), (full_people, full_ties)}, sorted(set(seen))[:5]
        assert (full_people, full_ties) in set(seen)
        p50, p95 = np.percentile(np.array(latencies) * 1000, [50, 95])
        print(f"\nreaders: 4 threads, {len(latencies)} reads during the load; p50 {p50:.1f} ms, p95 {p95:.1f} ms")


def test_kill_kb_process_in_the_middle_of_a_load(server, generated, clean_load):
    with _connect(server) as kb:
        _wipe(kb)
        proc = subprocess.Popen([sys.executable, "-m", "kb.cli", "load", str(generated), "--no-progress"],
                                env=_env(server), cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert _wait_for(lambda: _writing(kb, "UNWIND $rows"), timeout=180), "the load never started writing"
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        # The server rolls back the open transaction when the connection drops.
        assert _wait_for(lambda: not _writing(kb, "UNWIND $rows"), timeout=120)
        assert kb.read("MATCH (p:Person) RETURN count(p) AS n")[0]["n"] == 0
        again = subprocess.run([sys.executable, "-m", "kb.cli", "load", str(generated), "--no-progress"],
                               env=_env(server), cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
        assert again.returncode == 0, again.stderr
        assert _counts(kb) == clean_load


def _scores(kb, network="all"):
    rows = kb.read("MATCH (r:AnalysisRun {network: $n, current: true})<-[:IN_RUN]-(s:Score)<-[:HAS_SCORE]-(a) "
                   "RETURN a.id AS id, s.betweenness AS b, s.coreness AS c, s.gf_total AS g, s.roles AS roles",
                   {"n": network})
    return {r["id"]: (round(r["b"], 6), r["c"], r["g"], tuple(r["roles"])) for r in rows}


def _runs(kb):
    return kb.read("MATCH (r:AnalysisRun) RETURN r.network AS network, r.status AS status, r.current AS current")


@pytest.fixture(scope="module")
def analysed(server, generated):
    """The knowledge base loaded, and the scores of an uninterrupted `kb analyse -n all`."""
    with _connect(server) as kb:
        _wipe(kb)
        _load(kb, generated)
        analyse_network(kb, "all")
        return _scores(kb)


def test_kill_kb_process_in_the_middle_of_analyse(server, analysed):
    with _connect(server) as kb:
        proc = subprocess.Popen([sys.executable, "-m", "kb.cli", "analyse", "-n", "all"], env=_env(server),
                                cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert _wait_for(lambda: any(r["status"] == "writing" for r in _runs(kb)), timeout=300)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        # The half-written run is never read as current: readers still get the old scores.
        assert _scores(kb) == analysed
        subprocess.run([sys.executable, "-m", "kb.cli", "analyse", "-n", "all"], env=_env(server),
                       cwd=PROJECT_ROOT, check=True, capture_output=True, timeout=600)
        assert _scores(kb) == analysed
        assert [(r["status"], r["current"]) for r in _runs(kb)] == [("complete", True)]
        assert kb.read("MATCH (s:Score) WHERE NOT (s)-[:IN_RUN]->() RETURN count(s) AS n")[0]["n"] == 0


def test_kill_server_in_the_middle_of_analyse(server, analysed):
    with _connect(server) as kb:
        proc = subprocess.Popen([sys.executable, "-m", "kb.cli", "analyse", "-n", "all"], env=_env(server),
                                cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert _wait_for(lambda: any(r["status"] == "writing" for r in _runs(kb)), timeout=300)
    server.kill()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode != 0
    server.start(timeout=240)
    with _connect(server) as kb:
        assert _scores(kb) == analysed
        subprocess.run([sys.executable, "-m", "kb.cli", "analyse", "-n", "all"], env=_env(server),
                       cwd=PROJECT_ROOT, check=True, capture_output=True, timeout=600)
        assert _scores(kb) == analysed
        assert [(r["status"], r["current"]) for r in _runs(kb)] == [("complete", True)]
