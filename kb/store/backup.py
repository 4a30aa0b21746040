"""`kb backup` / `kb restore`: a portable archive of the whole graph.

The archive is a .tar.gz (or, by the file name, a .zip) holding

* ``manifest.json``: format and version, the Neo4j version, created_at, counts per
  label and relationship type, and a sha256 and size per member file;
* ``nodes.jsonl``: one node a line, ``{"key", "labels", "props"}``;
* ``relationships.jsonl``: one relationship a line, ``{"type", "start", "end", "props"}``
  with ``start``/``end`` the keys of its nodes.

Keys do not depend on elementIds: a node's key is its ``id`` property when it has one
(and no other node of the archive has it), else a generated ``_:n<number>``. Property
values JSON cannot hold faithfully (temporal, spatial, bytes) are written as
``{"$type": ..., "value": ...}`` with ISO strings; property values are never maps, so
a JSON object in ``props`` is always such a tagged value.

Restore refuses a non-empty database, checks every member against the manifest before
writing anything, applies the schema, and writes all nodes and relationships in UNWIND
batches inside ONE transaction, committed only when the counts match the manifest.
"""

from __future__ import annotations

__all__ = ["BackupError", "BackupResult", "RestoreResult", "backup", "read_archive", "restore"]

import datetime as _dt
import hashlib
import json
import tarfile
import tempfile
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator


from kb.store.backup_values import BackupError, props_in, props_out
from kb.store.connection import KnowledgeBase
from kb.store.cypher import statement

FORMAT = "localinnovation-kb-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
NODES = "nodes.jsonl"
RELATIONSHIPS = "relationships.jsonl"
MEMBERS = (NODES, RELATIONSHIPS)
CHUNK = 10_000
MAX_MEMBER_BYTES = 8 * 1024 ** 3  # refuse absurd members (decompression bombs)


# -- backup ---------------------------------------------------------------------------------

@dataclass
class BackupResult:
    path: Path
    nodes: int
    relationships: int
    labels: dict[str, int] = field(default_factory=dict)
    relationship_types: dict[str, int] = field(default_factory=dict)


def _archive_kind(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".zip"):
        return "zip"
    if name.endswith((".tar.gz", ".tgz")):
        return "tar"
    raise BackupError(f"{path}: the archive name must end in .tar.gz, .tgz or .zip")


def _dump(row: dict) -> bytes:
    return (json.dumps(row, ensure_ascii=False, separators=(",", ":"), allow_nan=True) + "\n").encode("utf-8")


def backup(kb: KnowledgeBase, path: Path | str) -> BackupResult:
    """Write the whole graph to `path` (a consistent snapshot: one read transaction)."""
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
        (tmp_dir / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        if kind == "tar":
            with tarfile.open(partial, "w:gz") as tar:
                for member in (MANIFEST, *MEMBERS):
                    tar.add(tmp_dir / member, arcname=member, recursive=False)
        else:
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                for member in (MANIFEST, *MEMBERS):
                    zf.write(tmp_dir / member, arcname=member)
        partial.replace(path)  # never leave a half-written archive under the real name
    return BackupResult(path, n_nodes, n_rels, dict(label_counts), dict(type_counts))


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# -- restore --------------------------------------------------------------------------------

@dataclass
class Archive:
    manifest: dict
    members: dict[str, bytes]

    def rows(self, member: str) -> Iterator[dict]:
        for number, line in enumerate(self.members[member].decode("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise BackupError(f"{member} line {number}: not JSON ({exc.msg})") from None
            if not isinstance(row, dict):
                raise BackupError(f"{member} line {number}: not a JSON object")
            yield row


def _read_members(path: Path) -> dict[str, bytes]:
    """Only regular members of the known names, read into memory (never extracted)."""
    wanted = {MANIFEST, *MEMBERS}
    found: dict[str, bytes] = {}
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf:
                for info in zf.infolist():
                    if info.filename in wanted and not info.is_dir():
                        if info.file_size > MAX_MEMBER_BYTES:
                            raise BackupError(f"{path}: member {info.filename} is too large")
                        found[info.filename] = zf.read(info)
        else:
            with tarfile.open(path, "r:*") as tar:
                for info in tar:
                    if info.name in wanted and info.isfile():
                        if info.size > MAX_MEMBER_BYTES:
                            raise BackupError(f"{path}: member {info.name} is too large")
                        found[info.name] = tar.extractfile(info).read()
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
        raise BackupError(f"{path}: not a readable backup archive ({exc})") from None
    return found


def read_archive(path: Path | str) -> Archive:
    """Open an archive and check it against its manifest (format, members, sha256)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such archive")
    members = _read_members(path)
    if MANIFEST not in members:
        raise BackupError(f"{path}: no {MANIFEST} in the archive; not a kb backup")
    try:
        manifest = json.loads(members[MANIFEST])
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BackupError(f"{path}: {MANIFEST} is not valid JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: {MANIFEST} does not describe a kb backup")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{path}: backup format version {manifest.get('format_version')!r} "
                          f"is not supported (this kb reads version {FORMAT_VERSION})")
    files = manifest.get("files") or {}
    for member in MEMBERS:
        expected = (files.get(member) or {}).get("sha256")
        if not expected:
            raise BackupError(f"{path}: {MANIFEST} lists no sha256 for {member}")
        if member not in members:
            raise BackupError(f"{path}: member {member} is missing from the archive")
        actual = hashlib.sha256(members[member]).hexdigest()
        if actual != expected:
            raise BackupError(f"{path}: checksum mismatch for member {member} "
                              f"(manifest {expected[:12]}…, archive {actual[:12]}…); the archive was "
                              "altered or damaged; nothing was restored")
    return Archive(manifest, {m: members[m] for m in MEMBERS})


def database_has_data(kb: KnowledgeBase) -> bool:
    return bool(kb.read(statement("admin/database-is-empty"))[0]["has_nodes"])


@dataclass
class RestoreResult:
    nodes: int
    relationships: int
    labels: dict[str, int]
    relationship_types: dict[str, int]


def restore(kb: KnowledgeBase, path: Path | str, chunk: int = CHUNK) -> RestoreResult:
    """Restore an archive into an EMPTY database: all of it, or (on any error) nothing."""
    from kb.store.schema import apply_schema

    archive = read_archive(path)
    if database_has_data(kb):
        raise BackupError("the database is not empty; restore only into an empty database "
                          "(nothing was changed)")
    counts = archive.manifest.get("counts") or {}
    node_rows = []
    for row in archive.rows(NODES):
        try:
            node_rows.append({"key": str(row["key"]), "labels": list(row["labels"]),
                              "props": props_in(row.get("props") or {})})
        except (KeyError, TypeError) as exc:
            raise BackupError(f"{NODES}: a node row lacks {exc}") from None
    rel_rows = []
    for row in archive.rows(RELATIONSHIPS):
        try:
            rel_rows.append({"type": str(row["type"]), "start": str(row["start"]), "end": str(row["end"]),
                             "props": props_in(row.get("props") or {})})
        except (KeyError, TypeError) as exc:
            raise BackupError(f"{RELATIONSHIPS}: a relationship row lacks {exc}") from None
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
        return RestoreResult(len(eids), created, labels, types)

    from kb.store.writer import in_one_transaction

    return in_one_transaction(kb, work)
