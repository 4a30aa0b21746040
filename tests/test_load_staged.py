"""Loads too big for one transaction are staged: committed chunk by chunk under a :Load
record that says `in_progress` until the last chunk. The same graph as a one-transaction
load; an interrupted one is reported, blocks `kb analyse`, and running it again completes it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

from kb.settings import PROJECT_ROOT
from kb.store.known_ids import known_ids
from kb.store.writer import LoadInProgress, interrupted_loads, write_batch
from loaders import read_paths, validate
from tests.conftest import DATA_DIR, run_kb
from tests.test_load_atomicity import EXPECTED_TYPES, PEOPLE, _write_load
from tests.test_loaders_formats import snapshot


def _load(kb, settings, *paths, **options):
    clean = validate(read_paths(list(paths)), settings.kb_network_types, known_ids(kb))
    return write_batch(kb, clean, settings.kb_network_types, progress=False, **options)


def _wipe(kb):
    kb.write_in_batches("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")


def _loads(kb):
    return kb.read("MATCH (l:Load) RETURN l.id AS id, l.status AS status, l.chunks_written AS written, "
                   "l.chunks_total AS total, l.completed_by AS completed_by ORDER BY l.started_at, l.id")


def test_a_staged_load_writes_the_same_graph_as_one_transaction(kb, test_settings):
    whole = _load(kb, test_settings, DATA_DIR)
    assert not whole.staged
    expected = snapshot(kb)
    _wipe(kb)

    staged = _load(kb, test_settings, DATA_DIR, transaction_rows=100, chunk=97)
    assert staged.staged
    assert staged.counts == whole.counts
    assert snapshot(kb) == expected
    [record] = _loads(kb)
    assert record["status"] == "complete" and record["written"] == record["total"] > 20
    assert interrupted_loads(kb) == []

    again = _load(kb, test_settings, DATA_DIR, transaction_rows=100, chunk=97)
    for name, counts in again.counts.items():
        assert counts == {"created": 0, "updated": 0, "unchanged": whole.counts[name]["created"]}, name
    assert snapshot(kb) == expected


def test_a_running_staged_load_blocks_another_and_an_interrupted_one_is_completed(kb, test_settings, tmp_path):
    folder = tmp_path / "big"
    _write_load(folder)
    files = sorted(str(p) for p in folder.iterdir())
    from kb.store.writer import file_digest

    record = {"files": files, "hashes": [file_digest(f) for f in files], "host": socket.gethostname()}
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        kb.write("CREATE (:Load {id: 'other', status: 'in_progress', started_at: '2026-01-01T00:00:00+00:00', "
                 "files: $r.files, file_sha256: $r.hashes, host: $r.host, pid: $pid, chunks_total: 9, "
                 "chunks_written: 2})", {"r": record, "pid": sleeper.pid})
        try:
            _load(kb, test_settings, folder)
        except LoadInProgress as exc:
            assert "load other of" in str(exc) and f"process {sleeper.pid}" in str(exc)
        else:
            raise AssertionError("a second load ran beside a running staged load")
        assert kb.read("MATCH (p:Person) RETURN count(p) AS n") == [{"n": 0}]
    finally:
        sleeper.kill()
        sleeper.wait()
    # Its process is gone: it was interrupted, and loading the same files completes it.
    [other] = interrupted_loads(kb)
    assert other.id == "other" and not other.running_here()
    summary = _load(kb, test_settings, folder, transaction_rows=1000, chunk=500)
    assert summary.staged and summary.completed == ["other"]
    assert [(r["id"], r["status"], r["completed_by"]) for r in _loads(kb)] == [
        ("other", "completed_by", summary.load_id), (summary.load_id, "complete", None)]


def test_a_staged_load_from_another_machine_blocks_loads_until_it_goes_quiet(kb, test_settings, tmp_path):
    folder = tmp_path / "big"
    _write_load(folder)
    files = sorted(str(p) for p in folder.iterdir())
    from kb.store.writer import STALE_LOAD_SECONDS, file_digest

    # Its process cannot be asked on another machine: what tells is its last chunk's time,
    # by the server's clock.
    kb.write("CREATE (:Load {id: 'remote', status: 'in_progress', started_at: '2026-01-01T00:00:00+00:00', "
             "files: $files, file_sha256: $hashes, host: 'another-machine', pid: 1, chunks_total: 9, "
             "chunks_written: 2, progress_at: datetime() - duration({seconds: 20})})",
             {"files": files, "hashes": [file_digest(f) for f in files]})
    [remote] = interrupted_loads(kb)
    assert 19 <= remote.idle_seconds <= 60 and remote.maybe_running_elsewhere() and not remote.running_here()
    for staged in (False, True):
        try:
            _load(kb, test_settings, folder, transaction_rows=1000 if staged else 0, chunk=500)
        except LoadInProgress as exc:
            assert "load remote of" in str(exc) and "on another-machine" in str(exc), exc
        else:
            raise AssertionError("a load ran beside a staged load still writing from another machine")
    assert kb.read("MATCH (p:Person) RETURN count(p) AS n") == [{"n": 0}]

    # Quiet for longer than STALE_LOAD_SECONDS: taken as interrupted, and completed.
    kb.write("MATCH (l:Load {id: 'remote'}) SET l.progress_at = datetime() - duration({seconds: $s})",
             {"s": STALE_LOAD_SECONDS + 1})
    summary = _load(kb, test_settings, folder, transaction_rows=1000, chunk=500)
    assert summary.completed == ["remote"]
    assert interrupted_loads(kb) == []


def test_a_staged_load_records_when_it_last_wrote(kb, test_settings, tmp_path):
    folder = tmp_path / "big"
    _write_load(folder)
    _load(kb, test_settings, folder, transaction_rows=1000, chunk=500)
    [row] = kb.read("MATCH (l:Load) RETURN l.status AS status, "
                    "duration.inSeconds(l.progress_at, datetime()).seconds AS idle, l.host AS host")
    assert row["status"] == "complete" and 0 <= row["idle"] < 60 and row["host"] == socket.gethostname()


def test_a_killed_staged_load_is_reported_blocks_analyse_and_a_rerun_completes_it(kb, cli_env, tmp_path):
    folder = tmp_path / "big"
    _write_load(folder)
    env = dict(cli_env, KB_LOAD_TRANSACTION_ROWS="1000", KB_LOAD_CHUNK_ROWS="200")
    proc = subprocess.Popen([sys.executable, "-m", "kb.cli", "load", str(folder), "--no-progress"], env=env,
                            cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            assert proc.poll() is None, f"the load ended before it was interrupted:\n{proc.communicate()}"
            rows = kb.read("MATCH (l:Load {status: 'in_progress'}) RETURN l.chunks_written AS n")
            if rows and rows[0]["n"] >= 3:
                break
            time.sleep(0.02)
        os.kill(proc.pid, 9)
        proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    [interrupted] = interrupted_loads(kb)
    assert 3 <= interrupted.chunks_written < interrupted.chunks_total == 1 + PEOPLE // 200 + 4000 // 200
    written = kb.read("MATCH (p:Person) RETURN count(p) AS n")[0]["n"]
    assert 0 < written

    refused = run_kb(["analyse", "--network", "work"], env)
    assert refused.returncode == 1
    assert "part-way through a load" in refused.stderr and interrupted.id in refused.stderr

    again = run_kb(["load", str(folder), "--no-progress"], env)
    assert again.returncode == 0, again.stderr
    assert "did not finish" in again.stderr
    assert f"This completes the interrupted load {interrupted.id}." in again.stdout
    assert "staged" in again.stdout
    assert kb.read("MATCH (p:Person) RETURN count(p) AS n") == [{"n": PEOPLE}]
    types = {r["t"]: r["n"] for r in kb.read("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n")}
    assert types.pop("CHANGED") > 0  # the completing load is in the history (docs/curation.md)
    assert types == EXPECTED_TYPES
    assert interrupted_loads(kb) == []
    assert [r["status"] for r in _loads(kb)] == ["completed_by", "complete"]


def test_the_tie_writer_does_not_scan_ties_by_network_type(kb):
    """With the TIE(network) index (kb init), MERGE on the tie pattern was planned as an index
    seek on the network type: every new tie read all ties of its type (quadratic loads)."""
    statement = (PROJECT_ROOT / "cypher" / "writer" / "ties.cypher").read_text()
    assert kb.read("SHOW INDEXES YIELD name WHERE name = 'tie_network' RETURN count(*) AS n") == [{"n": 1}]
    with kb.driver.session(database=kb.database) as session:
        plan = session.run("EXPLAIN " + statement, rows=[]).consume().plan

    def operators(node):
        yield node["operatorType"]
        for child in node.get("children", []):
            yield from operators(child)

    found = list(operators(plan))
    assert any(op.startswith("NodeUniqueIndexSeek") for op in found), found  # the two actors, by id
    assert not any("RelationshipIndex" in op for op in found), found  # (the MERGE had DirectedRelationshipIndexSeek)
