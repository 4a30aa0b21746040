"""A load is one transaction: kill -9 the Neo4j server in the middle of `kb load`, and after a
restart nothing of it is there; loading again gives exactly the totals of a clean load.

Runs against its own throwaway server (the session's server is not disturbed).
"""

from __future__ import annotations

import csv
import os
import random
import subprocess
import sys
import time

import pytest

from kb.store.connection import KnowledgeBase
from kb.store.schema import apply_schema
from kb.neo4j_server import LocalServer, free_port
from kb.settings import PROJECT_ROOT, Settings, load_settings
from kb.store.known_ids import known_ids
from kb.store.writer import write_batch
from loaders import read_paths, validate

pytestmark = pytest.mark.reliability

PEOPLE = 3_000
TIES = 4_000
LAYERS = ("national", "local_authority", "sectoral", "frontline", "community")
NETWORKS = ("work", "social", "innovation", "expertise", "career", "learning", "strategic")


def _write_load(folder):
    """A load big enough to take several seconds: one locality, PEOPLE people, TIES ties."""
    folder.mkdir()
    rnd = random.Random(2008)
    with open(folder / "localities.csv", "w", newline="") as handle:
        csv.writer(handle).writerows([["id", "name", "country"], ["bigtown", "Big Town", "UK"]])
    with open(folder / "people.csv", "w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "name", "role", "layer", "locality", "synthetic"])
        out.writerows([f"p{i:05d}", f"Person {i}", "resident", LAYERS[i % 5], "bigtown", "true"]
                      for i in range(PEOPLE))
    seen = set()
    with open(folder / "ties.csv", "w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["from", "to", "network", "weight"])
        while len(seen) < TIES:
            a, b, network = rnd.randrange(PEOPLE), rnd.randrange(PEOPLE), rnd.choice(NETWORKS)
            if a != b and (a, b, network) not in seen:
                seen.add((a, b, network))
                out.writerow([f"p{a:05d}", f"p{b:05d}", network, rnd.randint(1, 5)])


EXPECTED_LABELS = {"Locality": 1, "Person": PEOPLE, "Actor": PEOPLE, "Layer": 5, "NetworkType": 7, "Load": 1}
EXPECTED_TYPES = {"TIE": TIES, "IN_LAYER": PEOPLE, "LOCATED_IN": PEOPLE}


def _types(kb):
    return {r["t"]: r["n"] for r in kb.read("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n")}


def _wait_for_the_write(kb, proc, timeout=300.0):
    """Block until the load's write transaction runs on the server."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the load ended before it was interrupted:\n{proc.communicate()}"
        rows = kb.read("SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS 'UNWIND $' + 'rows' "
                       "RETURN count(*) AS n")  # (split so that this query does not find itself)
        if rows[0]["n"]:
            return
        time.sleep(0.1)
    raise AssertionError("the load's write transaction never started")


def test_killing_the_server_mid_load_leaves_nothing_half_written(tmp_path):
    server = LocalServer(home=tmp_path / "neo4j", lib_dir=Settings().neo4j_lib_dir, port=free_port(),
                         heap="512m", pagecache="64m")
    server.start(timeout=300)
    settings = load_settings(env_file=None, environ={}, neo4j_uri=f"neo4j://127.0.0.1:{server.port}",
                             neo4j_password=server.password(), kb_state_dir=tmp_path / "state")
    kb = KnowledgeBase.connect(settings)
    try:
        apply_schema(kb)
        folder = tmp_path / "big"
        _write_load(folder)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KB_"))}
        env.update(NEO4J_URI=settings.uri, NEO4J_PASSWORD=settings.neo4j_password, KB_STATE_DIR=str(tmp_path / "state"))
        proc = subprocess.Popen([sys.executable, "-m", "kb.cli", "load", str(folder), "--no-progress"],
                                env=env, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        try:
            _wait_for_the_write(kb, proc)
            time.sleep(0.5)  # well inside the write: ties alone take seconds
            assert proc.poll() is None, "the load finished before the server was killed; make it bigger"
            server.kill()
            stdout, stderr = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        assert proc.returncode == 1, stdout + stderr
        assert "stopped answering during the load; nothing was written" in stderr
        assert "Traceback" not in stderr and "Loaded" not in stdout

        # Restart: the interrupted transaction left nothing behind.
        kb.close()
        server.start(timeout=300)
        kb = KnowledgeBase.connect(settings)
        assert kb.read("MATCH (p:Person) RETURN count(p) AS n") == [{"n": 0}]
        assert kb.counts() == {"nodes": 0, "relationships": 0}

        # The same load again completes, with the totals of a clean load.
        clean = validate(read_paths([folder]), settings.kb_network_types, known_ids(kb))
        summary = write_batch(kb, clean, settings.kb_network_types, progress=False)
        assert summary.counts["people"]["created"] == PEOPLE and summary.counts["ties"]["created"] == TIES
        assert kb.label_counts() == EXPECTED_LABELS
        assert _types(kb) == EXPECTED_TYPES
    finally:
        kb.close()
        server.kill()  # a throwaway database: no need to wait for a clean shutdown
