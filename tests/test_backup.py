"""`kb backup` / `kb restore` against the real Neo4j: a full round trip is exact."""

from __future__ import annotations

import io
import json
import math
import tarfile

import pytest

from kb.store.analysis_runs import analyse_network
from kb.store.backup import MANIFEST, NODES, BackupError, backup, read_archive, restore
from kb.settings import DEFAULT_NETWORK_TYPES
from kb.store.known_ids import known_ids
from kb.store.writer import write_batch
from loaders import read_paths, validate
from tests.conftest import DATA_DIR, run_kb


def _load_data(kb):
    batch = validate(read_paths([DATA_DIR]), DEFAULT_NETWORK_TYPES, known_ids(kb))
    write_batch(kb, batch, DEFAULT_NETWORK_TYPES, progress=False)
    analyse_network(kb, "all")
    # Values JSON cannot hold as they are: temporal, spatial, byte arrays, lists of them.
    kb.write("CREATE (:Oddity {id: 'odd', d: date('2008-03-01'), dt: datetime('2008-03-01T10:11:12.123456789+01:00'),"
             " dtz: datetime({year: 2020, month: 6, day: 1, hour: 9, timezone: 'Europe/London'}),"
             " ldt: localdatetime('2008-03-01T10:11:12'), t: time('10:11:12+02:00'), lt: localtime('23:59:59.5'),"
             " dur: duration('P1Y2M3DT4H5M6.7S'), p: point({latitude: 51.5, longitude: -0.12}),"
             " p3: point({x: 1.5, y: 2, z: -3}), dates: [date('2001-01-01'), date('2002-02-02')],"
             " nan: 0.0/0.0, big: 9007199254740993, text: '\\'}) MATCH (n) DETACH DELETE n //', empty: []})")
    kb.write("CREATE (:Unkeyed {name: 'no id'})-[:LINKS {since: date('2010-01-01')}]->(:Unkeyed {name: 'no id'})")
    kb.write("MATCH (o:Oddity), (a:Actor) WITH o, a LIMIT 1 CREATE (o)-[:MENTIONS {at: localtime('12:00')}]->(a)")


def _snapshot(kb):
    """Every node and relationship, independent of elementIds (keys: id, else full content)."""
    def norm(props):
        return json.dumps({k: repr(v) if not (isinstance(v, float) and math.isnan(v)) else "nan"
                           for k, v in sorted(props.items())}, sort_keys=True)

    nodes = kb.read("MATCH (n) RETURN elementId(n) AS eid, labels(n) AS labels, properties(n) AS props")
    ident = {}
    node_set = []
    for n in nodes:
        ident[n["eid"]] = (tuple(sorted(n["labels"])), norm(n["props"]))
        node_set.append(ident[n["eid"]])
    rels = kb.read("MATCH (a)-[r]->(b) RETURN elementId(a) AS a, elementId(b) AS b, type(r) AS type, "
                   "properties(r) AS props")
    rel_set = [(ident[r["a"]], ident[r["b"]], r["type"], norm(r["props"])) for r in rels]
    return sorted(node_set), sorted(rel_set)


@pytest.mark.parametrize("suffix", [".tar.gz", ".zip"])
def test_round_trip_is_exact(kb, tmp_path, suffix):
    _load_data(kb)
    before = _snapshot(kb)
    assert len(before[0]) > 100 and len(before[1]) > 100
    assert kb.read("MATCH (s:Score) RETURN count(s) AS n")[0]["n"] > 0
    archive = tmp_path / f"kb{suffix}"
    result = backup(kb, archive)
    assert result.nodes == len(before[0]) and result.relationships == len(before[1])

    manifest = read_archive(archive).manifest
    assert manifest["format_version"] == 1 and manifest["neo4j_version"].startswith("5.")
    assert manifest["created_at"]
    assert manifest["counts"]["labels"] == kb.label_counts()
    assert manifest["counts"]["relationship_types"]["HAS_SCORE"] > 0
    assert set(manifest["files"]) == {"nodes.jsonl", "relationships.jsonl"}

    kb.write_in_batches("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
    assert kb.counts() == {"nodes": 0, "relationships": 0}
    restored = restore(kb, archive)
    assert restored.nodes == len(before[0])
    after = _snapshot(kb)
    assert after[0] == before[0]
    assert after[1] == before[1]
    odd = kb.read("MATCH (o:Oddity) RETURN o.dtz AS dtz, o.text AS text, o.big AS big")[0]
    assert str(odd["dtz"].tzinfo) in ("Europe/London",) or getattr(odd["dtz"].tzinfo, "key", "") == "Europe/London"
    assert odd["text"] == "'}) MATCH (n) DETACH DELETE n //" and odd["big"] == 9007199254740993
    # The restored graph answers the same: the current analysis run is still current.
    assert kb.read("MATCH (:AnalysisRun {network: 'all', current: true})<-[:IN_RUN]-(s:Score) "
                   "RETURN count(s) AS n")[0]["n"] > 0


def _tamper(src, dst, member, change):
    with tarfile.open(src, "r:gz") as tin, tarfile.open(dst, "w:gz") as tout:
        for info in tin:
            data = tin.extractfile(info).read()
            if info.name == member:
                data = change(data)
                info.size = len(data)
            tout.addfile(info, io.BytesIO(data))


def test_tampered_archive_is_refused(kb, tmp_path, cli_env):
    kb.write("CREATE (:Innovation {id: 'i1', name: 'one'})-[:ADDRESSES]->(:Problem {id: 'p1'})")
    good = tmp_path / "good.tar.gz"
    backup(kb, good)
    bad = tmp_path / "bad.tar.gz"
    _tamper(good, bad, NODES, lambda b: b.replace(b'"one"', b'"two"'))
    kb.write_in_batches("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
    with pytest.raises(BackupError, match="checksum mismatch for member nodes.jsonl"):
        restore(kb, bad)
    assert kb.counts()["nodes"] == 0
    proc = run_kb(["restore", str(bad)], cli_env)
    assert proc.returncode == 2, proc.stderr
    assert "nodes.jsonl" in proc.stderr and "checksum" in proc.stderr
    assert kb.counts()["nodes"] == 0
    # A manifest that is not JSON, and a file that is not an archive.
    worse = tmp_path / "worse.tar.gz"
    _tamper(good, worse, MANIFEST, lambda b: b"{not json")
    with pytest.raises(BackupError, match="manifest.json"):
        restore(kb, worse)
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"\x1f\x8b garbage")
    with pytest.raises(BackupError):
        restore(kb, junk)
    restore(kb, good)
    assert kb.read("MATCH (i:Innovation {id: 'i1'})-[:ADDRESSES]->(:Problem {id: 'p1'}) RETURN i.name AS n")[0]["n"] == "one"


def test_non_empty_database_is_refused(kb, tmp_path, cli_env):
    kb.write("CREATE (:Locality {id: 'here', name: 'Here'})")
    archive = tmp_path / "kb.tar.gz"
    proc = run_kb(["backup", str(archive)], cli_env)
    assert proc.returncode == 0, proc.stderr
    assert "1 nodes" in proc.stdout
    proc = run_kb(["restore", str(archive)], cli_env)
    assert proc.returncode == 2
    assert "not empty" in proc.stderr
    assert kb.counts() == {"nodes": 1, "relationships": 0}
    kb.write("MATCH (n) DETACH DELETE n")
    proc = run_kb(["restore", str(archive)], cli_env)
    assert proc.returncode == 0, proc.stderr
    assert kb.read("MATCH (l:Locality) RETURN l.id AS id, l.name AS name") == [{"id": "here", "name": "Here"}]


def test_failed_restore_writes_nothing(kb, tmp_path):
    """A constraint violation in the middle rolls the whole restore back."""
    kb.write("CREATE (:Innovation {id: 'a'}), (:Innovation {id: 'b'})")
    archive = tmp_path / "kb.tar.gz"
    backup(kb, archive)
    kb.write("MATCH (n) DETACH DELETE n")
    kb.write("DROP CONSTRAINT innovation_id")
    try:
        # Two different nodes with the same id cannot be restored once the constraint is back.
        kb.write("CREATE (:Innovation {id: 'dup'}), (:Innovation {id: 'dup'})")
        dup = tmp_path / "dup.tar.gz"
        backup(kb, dup)
        kb.write("MATCH (n) DETACH DELETE n")
    finally:
        from kb.store.schema import apply_schema

        apply_schema(kb)
    with pytest.raises(Exception):
        restore(kb, dup)
    assert kb.counts()["nodes"] == 0
