"""`kb backup` / `kb restore`: a portable archive of the whole graph.

The archive is a .tar.gz (or, by the file name, a .zip) holding

* ``manifest.json``: format and version, the Neo4j version, created_at, counts per
  label and relationship type, and a sha256 and size per member file;
* ``nodes.jsonl``: one node a line, ``{"key", "labels", "props"}``;
* ``relationships.jsonl``: one relationship a line, ``{"type", "start", "end", "props"}``
  with ``start``/``end`` the keys of its nodes;
* ``signature.json`` when a key is given (KB_BACKUP_KEY): an HMAC-SHA256 of the manifest's
  bytes, so of every member's sha256 and size (kb/store/backup_archive.py).

Keys do not depend on elementIds: a node's key is its ``id`` property when it has one
(and no other node of the archive has it), else a generated ``_:n<number>``. Property
values JSON cannot hold faithfully (temporal, spatial, bytes) are written as
``{"$type": ..., "value": ...}`` with ISO strings; property values are never maps, so
a JSON object in ``props`` is always such a tagged value.

Restore refuses a non-empty database, checks the member names, the signature (with a key)
and every member's size and sha256 while streaming it, and every line's shape, before
writing anything (kb/store/backup_archive.py); applies the schema, and writes all nodes and relationships in UNWIND
batches inside ONE transaction, committed only when the counts match the manifest.
"""

from __future__ import annotations

__all__ = ["BackupError", "BackupResult", "RestoreResult", "backup", "read_archive", "restore", "MANIFEST", "NODES",
           "RELATIONSHIPS", "SIGNATURE"]

import datetime as _dt
import hashlib
import json
import tarfile
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kb.store.backup_archive import (FORMAT, FORMAT_VERSION, MANIFEST, MEMBERS, NODES, RELATIONSHIPS, SIGNATURE,
                                    read_archive, sign)
from kb.store.backup_values import BackupError, props_in, props_out
from kb.store.connection import KnowledgeBase
from kb.store.cypher import statement

CHUNK = 10_000


# -- backup ---------------------------------------------------------------------------------

@dataclass
class BackupResult:
    path: Path
    nodes: int
    relationships: int
    labels: dict[str, int] = field(default_factory=dict)
    relationship_types: dict[str, int] = field(default_factory=dict)
    signed: bool = False


def _archive_kind(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".zip"):
        return "zip"
    if name.endswith((".tar.gz", ".tgz")):
        return "tar"
    raise BackupError(f"{path}: the archive name must end in .tar.gz, .tgz or .zip")


def _dump(row: dict) -> bytes:
    return (json.dumps(row, ensure_ascii=False, separators=(",", ":"), allow_nan=True) + "\n").encode("utf-8")


def backup(kb: KnowledgeBase, path: Path | str, key: bytes | None = None) -> BackupResult:
    """Write the whole graph to `path` (a consistent snapshot: one read transaction), signed
    (signature.json: HMAC-SHA256 of the manifest) when a key is given."""
    path = Path(path)
    kind = _archive_kind(path)
    label_counts: Counter = Counter()
    type_counts: Counter = Counter()
    n_nodes = n_rels = 0
    with tempfile.TemporaryDirectory(prefix="kb-backup-") as tmp:
        tmp_dir = Path(tmp)
        digests: dict[str, dict] = {}

        def work(tx):
            nonlocal n_nodes, n_rels
            keys: dict[str, str] = {}
            used: set[str] = set()
            with open(tmp_dir / NODES, "wb") as out:
                for record in tx.run(statement("admin/backup-nodes")):
                    props = dict(record["props"])
                    ident = props.get("id")
                    key = str(ident) if isinstance(ident, (str, int)) and not isinstance(ident, bool) else None
                    if key is None or key in used or key.startswith("_:"):
                        key = f"_:n{n_nodes}"
                    used.add(key)
                    keys[record["eid"]] = key
                    labels = sorted(record["labels"])
                    label_counts.update(labels)
                    out.write(_dump({"key": key, "labels": labels, "props": props_out(props)}))
                    n_nodes += 1
            with open(tmp_dir / RELATIONSHIPS, "wb") as out:
                for record in tx.run(statement("admin/backup-relationships")):
                    type_counts[record["type"]] += 1
                    out.write(_dump({"type": record["type"], "start": keys[record["start"]],
                                     "end": keys[record["end"]], "props": props_out(dict(record["props"]))}))
                    n_rels += 1

        with kb.driver.session(database=kb.database, default_access_mode="READ") as session:
            session.execute_read(work)
        info = kb.server_info()
        for member in MEMBERS:
            digests[member] = {"sha256": _sha256_file(tmp_dir / member), "bytes": (tmp_dir / member).stat().st_size}
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION,
            "neo4j_version": info.get("version"), "neo4j_edition": info.get("edition"),
            "database": kb.database,
            "created_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "counts": {"nodes": n_nodes, "relationships": n_rels,
                       "labels": dict(sorted(label_counts.items())),
                       "relationship_types": dict(sorted(type_counts.items()))},
            "files": digests,
        }
        manifest_bytes = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
        (tmp_dir / MANIFEST).write_bytes(manifest_bytes)
        members = (MANIFEST, *MEMBERS)
        if key is not None:
            (tmp_dir / SIGNATURE).write_bytes(sign(key, manifest_bytes))
            members = (MANIFEST, SIGNATURE, *MEMBERS)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        if kind == "tar":
            with tarfile.open(partial, "w:gz") as tar:
                for member in members:
                    tar.add(tmp_dir / member, arcname=member, recursive=False)
        else:
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                for member in members:
                    zf.write(tmp_dir / member, arcname=member)
        partial.replace(path)  # never leave a half-written archive under the real name
    return BackupResult(path, n_nodes, n_rels, dict(label_counts), dict(type_counts), key is not None)


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# -- restore --------------------------------------------------------------------------------

def database_has_data(kb: KnowledgeBase) -> bool:
    return bool(kb.read(statement("admin/database-is-empty"))[0]["has_nodes"])


@dataclass
class RestoreResult:
    nodes: int
    relationships: int
    labels: dict[str, int]
    relationship_types: dict[str, int]
    signature: str = "unsigned"  # "verified", "not checked" (signed, no key given) or "unsigned"


def _decoded(where: str, props: dict) -> dict:
    try:
        return props_in(props)
    except BackupError as exc:
        raise BackupError(f"{where}: {exc}") from None


def restore(kb: KnowledgeBase, path: Path | str, chunk: int = CHUNK, key: bytes | None = None) -> RestoreResult:
    """Restore an archive into an EMPTY database: all of it, or (on any error) nothing. With
    a key, only an archive signed with it is restored."""
    from kb.store.schema import apply_schema

    archive = read_archive(path, key)
    try:
        if database_has_data(kb):
            raise BackupError("the database is not empty; restore only into an empty database "
                              "(nothing was changed)")
        counts = archive.manifest.get("counts") or {}
        node_rows = [{"key": row["key"], "labels": row["labels"], "props": _decoded(where, row.get("props", {}))}
                     for where, row in archive.rows(NODES)]
        rel_rows = [{"type": row["type"], "start": row["start"], "end": row["end"],
                     "props": _decoded(where, row.get("props", {}))}
                    for where, row in archive.rows(RELATIONSHIPS)]
    finally:
        archive.close()
    if not isinstance(counts, dict):
        raise BackupError(f"{MANIFEST}: counts is not a map")
    keys = [r["key"] for r in node_rows]
    if len(set(keys)) != len(keys):
        raise BackupError(f"{NODES}: node keys are not unique")
    known = set(keys)
    for r in rel_rows:
        for end in (r["start"], r["end"]):
            if end not in known:
                raise BackupError(f"{RELATIONSHIPS}: a {r['type']} relationship names node key {end!r}, "
                                  f"which {NODES} does not hold")

    apply_schema(kb)
    node_statement, rel_statement = statement("admin/restore-nodes"), statement("admin/restore-relationships")

    def work(tx) -> RestoreResult:
        if tx.run(statement("admin/database-is-empty")).single()["has_nodes"]:  # someone wrote meanwhile
            raise BackupError("the database is not empty; restore only into an empty database "
                              "(nothing was changed)")
        eids: dict[str, str] = {}
        for start in range(0, len(node_rows), chunk):
            for record in tx.run(node_statement, rows=node_rows[start:start + chunk]):
                eids[record["key"]] = record["eid"]
        created = 0
        for start in range(0, len(rel_rows), chunk):
            part = [{"type": r["type"], "start": eids[r["start"]], "end": eids[r["end"]], "props": r["props"]}
                    for r in rel_rows[start:start + chunk]]
            created += tx.run(rel_statement, rows=part).single()["created"]
        labels = {r["label"]: r["n"] for r in tx.run(statement("admin/count-labels"))}
        types = {r["type"]: r["n"] for r in tx.run(statement("admin/count-relationship-types"))}
        if len(eids) != len(node_rows) or created != len(rel_rows):
            raise BackupError(f"restore wrote {len(eids)} nodes and {created} relationships, expected "
                              f"{len(node_rows)} and {len(rel_rows)}; rolled back")
        want_labels = counts.get("labels")
        want_types = counts.get("relationship_types")
        if (want_labels is not None and labels != want_labels) or (want_types is not None and types != want_types) \
                or counts.get("nodes", len(node_rows)) != len(node_rows) \
                or counts.get("relationships", len(rel_rows)) != len(rel_rows):
            raise BackupError("the restored counts differ from the archive's manifest; rolled back")
        return RestoreResult(len(eids), created, labels, types, archive.signature)

    from kb.store.writer import in_one_transaction

    return in_one_transaction(kb, work)
