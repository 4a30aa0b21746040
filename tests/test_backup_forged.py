"""Issue 18, items 11-13: forged backup archives. A keyed signature (KB_BACKUP_KEY) catches
content changed with the manifest recomputed; forged lines get located messages, never a
traceback; members are checked by name and streamed against their manifest sizes."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import tracemalloc
import warnings
import zipfile

import pytest

from kb.store.backup import MANIFEST, NODES, RELATIONSHIPS, SIGNATURE, BackupError, read_archive, restore
from tests.conftest import run_kb

KEY = "a-backup-key-kept-somewhere-else"
GOOD_NODES = b'{"key":"i1","labels":["Innovation"],"props":{"id":"i1","name":"one"}}\n'


def _manifest(members: dict[str, bytes], **override) -> bytes:
    manifest = {"format": "localinnovation-kb-backup", "format_version": 1,
                "counts": {"nodes": 1, "relationships": 0},
                "files": {name: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
                          for name, data in members.items() if name in (NODES, RELATIONSHIPS)}}
    manifest.update(override)
    return (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()


def _write(path, entries: list[tuple[str, bytes]]):
    """An archive (tar.gz or zip by the name) holding exactly `entries`, in order."""
    if path.name.endswith(".zip"):
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a duplicate name, on purpose
            for name, data in entries:
                zf.writestr(name, data)
    else:
        with tarfile.open(path, "w:gz") as tar:
            for name, data in entries:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return path


def _archive(path, nodes: bytes = GOOD_NODES, rels: bytes = b"", extra=(), manifest: bytes | None = None):
    members = {NODES: nodes, RELATIONSHIPS: rels}
    return _write(path, [(MANIFEST, manifest or _manifest(members)), *members.items(), *extra])


def _read_members(path) -> dict[str, bytes]:
    with tarfile.open(path) as tar:
        return {info.name: tar.extractfile(info).read() for info in tar}


# -- item 11: a keyed signature --------------------------------------------------------------

def test_a_forged_archive_is_refused_when_a_key_is_set(kb, cli_env, tmp_path):
    env = {**cli_env, "KB_BACKUP_KEY": KEY}
    kb.write("CREATE (:Innovation {id: 'i1', name: 'one'})-[:ADDRESSES]->(:Problem {id: 'p1'})")
    signed = tmp_path / "signed.tar.gz"
    proc = run_kb(["backup", str(signed)], env)
    assert proc.returncode == 0, proc.stderr
    assert "signed" in proc.stdout
    members = _read_members(signed)
    assert SIGNATURE in members
    kb.write("MATCH (n) DETACH DELETE n")

    # Content changed and the manifest's sha256 and size recomputed: the checksums pass.
    forged_nodes = members[NODES].replace(b'"one"', b'"forged"')
    old = json.loads(members[MANIFEST])
    old["files"][NODES] = {"sha256": hashlib.sha256(forged_nodes).hexdigest(), "bytes": len(forged_nodes)}
    forged_manifest = (json.dumps(old, indent=2, sort_keys=True) + "\n").encode()
    forged = _write(tmp_path / "forged.tar.gz", [(MANIFEST, forged_manifest), (SIGNATURE, members[SIGNATURE]),
                                                 (NODES, forged_nodes), (RELATIONSHIPS, members[RELATIONSHIPS])])
    proc = run_kb(["restore", str(forged)], env)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "signature does not match" in proc.stderr
    # The signature dropped: unsigned archives are refused while a key is set.
    unsigned = _write(tmp_path / "unsigned.tar.gz", [(MANIFEST, forged_manifest), (NODES, forged_nodes),
                                                     (RELATIONSHIPS, members[RELATIONSHIPS])])
    proc = run_kb(["restore", str(unsigned)], env)
    assert proc.returncode == 2 and "not signed" in proc.stderr
    # Signed with another key.
    proc = run_kb(["restore", str(signed)], {**env, "KB_BACKUP_KEY": "another-key-of-16-chars-or-more"})
    assert proc.returncode == 2 and "signature does not match" in proc.stderr
    assert kb.counts()["nodes"] == 0

    proc = run_kb(["restore", str(signed)], env)
    assert proc.returncode == 0, proc.stderr
    assert "signature was verified" in proc.stdout
    assert kb.read("MATCH (i:Innovation) RETURN i.name AS n") == [{"n": "one"}]
    # Without a key, a signed archive restores with a note that its signature was not checked.
    kb.write("MATCH (n) DETACH DELETE n")
    proc = run_kb(["restore", str(signed)], cli_env)
    assert proc.returncode == 0, proc.stderr
    assert "not checked" in proc.stdout


def test_a_short_backup_key_is_refused(kb, cli_env, tmp_path):
    proc = run_kb(["backup", str(tmp_path / "kb.tar.gz")], {**cli_env, "KB_BACKUP_KEY": "short"})
    assert proc.returncode == 2 and "16 characters" in proc.stderr
    assert not (tmp_path / "kb.tar.gz").exists()


# -- item 12: forged lines get located messages ----------------------------------------------

FORGED_LINES = {
    "props-a-list": (b'{"key":"i1","labels":["Innovation"],"props":["id","i1"]}\n',
                     "nodes.jsonl line 1: props is a list"),
    "list-of-lists": (b'{"key":"i1","labels":["Innovation"],"props":{"id":"i1","x":[[1,2],[3]]}}\n',
                      "nodes.jsonl line 1: property 'x': a list holds a list"),
    "mixed-list": (b'{"key":"i1","labels":["Innovation"],"props":{"id":"i1","x":[1,"a"]}}\n',
                   "nodes.jsonl line 1: property 'x': a list mixes int, str"),
    "invalid-utf8": (GOOD_NODES + b'{"key":"i2","labels":["Innovation"],"props":{"name":"\xff\xfe"}}\n',
                     "nodes.jsonl line 2: not valid UTF-8"),
    "lone-surrogate": (b'{"key":"i1","labels":["Innovation"],"props":{"name":"\\ud800"}}\n',
                       "nodes.jsonl line 1: property 'name': a string holds an unpaired surrogate"),
    "labels-not-a-list": (b'{"key":"i1","labels":"Innovation","props":{}}\n',
                          "nodes.jsonl line 1: labels must be a non-empty list"),
    "a-map-value": (b'{"key":"i1","labels":["Innovation"],"props":{"x":{"a":1}}}\n',
                    "nodes.jsonl line 1: property 'x': a map is not a property value"),
    "bad-tagged-date": (b'{"key":"i1","labels":["Innovation"],"props":{"d":{"$type":"date","value":"soon"}}}\n',
                        "nodes.jsonl line 1: a tagged 'date' value"),
}


@pytest.mark.parametrize("case", sorted(FORGED_LINES))
def test_forged_lines_get_a_located_message(kb, cli_env, tmp_path, case):
    nodes, message = FORGED_LINES[case]
    archive = _archive(tmp_path / "forged.tar.gz", nodes=nodes)
    with pytest.raises(BackupError) as caught:
        restore(kb, archive)
    assert message in str(caught.value)
    assert kb.counts()["nodes"] == 0


def test_forged_relationship_line_through_the_cli(kb, cli_env, tmp_path):
    rels = b'{"type":"ADDRESSES","start":"i1","end":"i1","props":{"w":[["x"]]}}\n'
    archive = _archive(tmp_path / "forged.zip", rels=rels)
    proc = run_kb(["restore", str(archive)], cli_env)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "relationships.jsonl line 1" in proc.stderr
    assert kb.counts()["nodes"] == 0


# -- item 13: names and sizes checked while streaming -----------------------------------------

@pytest.mark.parametrize("suffix", [".tar.gz", ".zip"])
def test_a_member_bigger_than_its_manifest_size_is_refused_without_reading_it_whole(tmp_path, suffix):
    zeros = b"\0" * (10 << 20)
    manifest = _manifest({NODES: b"0123456789", RELATIONSHIPS: b""})  # says 10 bytes
    archive = _archive(tmp_path / f"bomb{suffix}", nodes=zeros, manifest=manifest)
    assert archive.stat().st_size < 200_000
    del zeros
    tracemalloc.start()
    try:
        with pytest.raises(BackupError, match="nodes.jsonl"):
            read_archive(archive)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 << 20, f"peak {peak} bytes while refusing a member of 10 MiB"


BAD_NAMES = {
    "unknown": ("notes.txt", "unknown member 'notes.txt'"),
    "absolute": ("/etc/nodes.jsonl", "absolute or '..' path"),
    "dot-dot": ("../nodes.jsonl", "absolute or '..' path"),
    "duplicate": (NODES, "member 'nodes.jsonl' appears twice"),
}


@pytest.mark.parametrize("case", sorted(BAD_NAMES))
@pytest.mark.parametrize("suffix", [".tar.gz", ".zip"])
def test_unknown_absolute_dotdot_and_duplicate_members_are_refused(tmp_path, case, suffix):
    name, message = BAD_NAMES[case]
    archive = _archive(tmp_path / f"names{suffix}", extra=[(name, GOOD_NODES)])
    with pytest.raises(BackupError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_archive(archive)


def test_a_good_hand_made_archive_is_read(tmp_path):
    archive = read_archive(_archive(tmp_path / "good.tar.gz"))
    try:
        assert [row for _, row in archive.rows(NODES)][0]["key"] == "i1"
        assert archive.signature == "unsigned"
    finally:
        archive.close()
