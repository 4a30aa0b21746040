"""`kb load --bulk`: the offline importer makes the same graph as the transactional loader.

The bundled case base and network study (what `kb demo` loads) go into an empty database
of a local server of this module's own, which the bulk load stops and starts, and through
`load_files` into the session's test server. Counts per label and type, and every node's
and relationship's properties, must be equal apart from the load's id and time; a normal
load of the same files on top then changes nothing; a database that holds data, a remote
server and a server kb does not run are refused with a clear message.

The two tests that use the module's own server are marked `reliability`: they start a
server, and the bulk load stops and starts it again (minutes on a busy machine).
"""

from __future__ import annotations

import os

import pytest

from conftest import DATA_DIR, run_kb
from kb.neo4j_server import LocalServer, free_port
from kb.services.bulk_load import BulkLoadRefused, bulk_load
from kb.services.loading import bulk_suggestion, load_files
from kb.settings import Settings, load_settings
from kb.store.backup import database_has_data
from kb.store.bulk_files import entity_columns
from kb.store.connection import KnowledgeBase
from kb.store.cypher import statement

# Where and when a load ran: differ between any two loads.
PER_LOAD = {"load_id", "loaded_at"}


@pytest.fixture(scope="module")
def bulk_settings(tmp_path_factory):
    """Settings of a local server kb runs (no NEO4J_URI), in a throwaway state folder."""
    fetch = load_settings(env_file=None)
    settings = load_settings(env_file=None, environ={}, kb_state_dir=tmp_path_factory.mktemp("bulk-state"),
                             kb_neo4j_lib=Settings().neo4j_lib_dir, kb_neo4j_port=free_port(),
                             kb_neo4j_heap="1g", kb_neo4j_pagecache="128m", kb_neo4j_cache=fetch.kb_neo4j_cache,
                             kb_neo4j_mirror=fetch.kb_neo4j_mirror)
    server = LocalServer.from_settings(settings)
    server.start(timeout=240)
    yield settings
    server.stop(grace=30)


def graph(kb: KnowledgeBase) -> tuple[dict, dict]:
    """Every node by (labels, id) and every relationship by (type, ends, distinguishing
    properties), with their properties apart from PER_LOAD; :Load nodes apart."""
    nodes, keys = {}, {}
    for row in kb.read(statement("admin/backup-nodes")):
        if "Load" in row["labels"] or "Change" in row["labels"]:  # per-load audit records (counted below)
            continue
        key = (tuple(sorted(row["labels"])), row["props"].get("id"))
        assert key not in nodes, f"two nodes {key}"
        props = {k: v for k, v in row["props"].items() if k not in PER_LOAD and k != "embedding"}
        nodes[key], keys[row["eid"]] = props, key
    rels: dict = {}
    for row in kb.read(statement("admin/backup-relationships")):
        if row["start"] not in keys or row["end"] not in keys:
            continue
        props = {k: v for k, v in row["props"].items() if k not in PER_LOAD}
        key = (row["type"], keys[row["start"]], keys[row["end"]], props.get("network"), props.get("round"),
               props.get("section"), props.get("locality"))
        assert key not in rels, f"two relationships {key}"
        rels[key] = props
    return nodes, rels


def counts(kb: KnowledgeBase) -> tuple[dict, dict]:
    labels = {r["label"]: r["n"] for r in kb.read(statement("admin/count-labels"))}
    types = {r["type"]: r["n"] for r in kb.read(statement("admin/count-relationship-types"))}
    return labels, types


def load_records(kb: KnowledgeBase) -> list[dict]:
    return [r["props"] for r in kb.read(statement("admin/backup-nodes")) if "Load" in r["labels"]]


@pytest.mark.reliability
def test_bulk_load_makes_the_transactional_graph_and_loads_stay_idempotent(kb, test_settings, bulk_settings):
    transactional = load_files(test_settings, kb, [DATA_DIR])
    with KnowledgeBase.connect(bulk_settings) as before:
        # A big first load into the empty local database is told about --bulk; a small one,
        # or one into a server named by NEO4J_URI, is not.
        assert "kb load --bulk" in bulk_suggestion(bulk_settings, before, 300_000)
        assert bulk_suggestion(bulk_settings, before, 100) is None
        assert bulk_suggestion(test_settings, kb, 300_000) is None
        result = bulk_load(bulk_settings, before, [DATA_DIR])
    assert result.counts == transactional.counts
    assert result.relationships > 2000 and result.nodes > 100
    assert set(result.seconds) >= {"validate", "files", "import", "start", "schema", "record"}
    with KnowledgeBase.connect(bulk_settings) as bulk:
        assert counts(bulk) == counts(kb)
        bulk_nodes, bulk_rels = graph(bulk)
        want_nodes, want_rels = graph(kb)
        assert bulk_nodes.keys() == want_nodes.keys()
        for key, props in want_nodes.items():
            assert bulk_nodes[key] == props, key
        assert bulk_rels.keys() == want_rels.keys()
        for key, props in want_rels.items():
            assert bulk_rels[key] == props, key
        # Types too: every tie property as the writer stores it (a weight is a float, a
        # flag a boolean, provenance text), not only equal after Python's conversions.
        tie = next(props for key, props in bulk_rels.items() if key[0] == "TIE" and "weight" in props)
        assert isinstance(tie["weight"], float) and isinstance(tie["synthetic"], bool)
        assert set(tie) <= {name for name, _ in entity_columns("ties")}
        (record,) = load_records(bulk)
        assert record["status"] == "complete" and record["method"] == "bulk" and record["changed"] is True
        assert record["id"] == result.load_id and record["files"] == transactional.files

        # A normal load of the same files on top finds every row unchanged.
        again = load_files(bulk_settings, bulk, [DATA_DIR])
        assert not again.changed, again.summary.counts
        assert all(c["created"] == 0 and c["updated"] == 0 for c in again.summary.counts.values())
        assert counts(bulk) == (lambda labels, types: ({**labels, "Load": 2}, types))(*counts(kb))

        # A database that holds data is refused, and nothing is stopped or written.
        with pytest.raises(BulkLoadRefused, match="only fills an empty database"):
            bulk_load(bulk_settings, bulk, [DATA_DIR])
        assert len(load_records(bulk)) == 2


@pytest.mark.reliability
def test_bulk_load_refuses_a_non_empty_database_in_the_cli(bulk_settings):
    with KnowledgeBase.connect(bulk_settings) as bulk:
        if not database_has_data(bulk):  # (run on its own)
            load_files(bulk_settings, bulk, [DATA_DIR / "casebase"])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KB_"))}
    env.update(KB_STATE_DIR=str(bulk_settings.kb_state_dir), KB_NEO4J_PORT=str(bulk_settings.kb_neo4j_port),
               KB_NEO4J_LIB=str(bulk_settings.neo4j_lib_dir))
    proc = run_kb(["load", "--bulk", str(DATA_DIR / "casebase")], env)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "only fills an empty database" in proc.stderr and "Traceback" not in proc.stderr


def test_bulk_load_refuses_a_remote_server(kb, test_settings):
    # test_settings name the session's server by NEO4J_URI: the importer cannot reach it.
    with pytest.raises(BulkLoadRefused, match="NEO4J_URI is set"):
        bulk_load(test_settings, kb, [DATA_DIR])


def test_bulk_load_refuses_a_server_kb_does_not_run(kb, tmp_path):
    settings = load_settings(env_file=None, environ={}, kb_state_dir=tmp_path, kb_neo4j_port=free_port())
    with pytest.raises(BulkLoadRefused, match="kb db start"):
        bulk_load(settings, kb, [DATA_DIR])
