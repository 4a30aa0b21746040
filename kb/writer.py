"""Writing a validated load into Neo4j: all of it, or nothing.

One load is one write transaction: every entity is written in UNWIND chunks (parameters
only) by the statements in cypher/writer/, and the transaction commits only at the end,
so a failure in the middle (the server stopping, say) leaves nothing half-written; the
same command run again completes it. MERGE on keys keeps loads idempotent; a content hash
per node/relationship tells created, updated and unchanged rows apart, and unchanged
rows are not rewritten.
"""

from __future__ import annotations

import datetime as _dt
import getpass
import hashlib
import json
import re
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path


from kb.database import KnowledgeBase
from kb.queries import CYPHER_DIR
from loaders.records import ENTITIES, LAYERS, WRITE_ORDER, LoadBatch, Record

WRITER_DIR = CYPHER_DIR / "writer"
CHUNK = 10_000
_LABELS_FOR_REFERENCE = {"actors": "Actor", "localities": "Locality", "problems": "Problem",
                         "case_studies": "CaseStudy", "organisations": "Organisation", "people": "Person",
                         "funding": "FundingInstrument", "innovations": "Innovation", "sources": "Source"}


@dataclass
class LoadSummary:
    load_id: str
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def table(self) -> str:
        lines = [f"{'table':<15}{'created':>9}{'updated':>9}{'unchanged':>11}"]
        for name, c in self.counts.items():
            lines.append(f"{name:<15}{c['created']:>9}{c['updated']:>9}{c['unchanged']:>11}")
        return "\n".join(lines)


def _statement(name: str) -> str:
    return (WRITER_DIR / f"{name}.cypher").read_text()


def _sector(value: str | None) -> dict | None:
    if not value:
        return None
    return {"id": re.sub(r"[^a-z0-9]+", "_", value.strip().lower()).strip("_"), "name": value.strip()}


def _key(record: Record) -> str:
    entity = ENTITIES[record.entity]
    return ":".join(str(record.values[k]) for k in entity.key)


def _row(record: Record, load_id: str, loaded_at: str) -> dict:
    values = {k: v for k, v in record.values.items() if v is not None}
    values.setdefault("synthetic", False)
    # The hash covers the facts, not where or when they were read: reloading the same
    # content from another path is "unchanged".
    digest = hashlib.sha1(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()
    props = dict(values)
    if record.entity == "layer_links":
        props["id"] = _key(record)
    props.update(content_hash=digest, source_file=record.origin.file, source_row=str(record.origin.row),
                 load_id=load_id, loaded_at=loaded_at)
    row = {"key": _key(record), "hash": digest, "props": props}
    if record.entity in ("innovations", "organisations"):
        row["sector"] = _sector(values.get("sector"))
    return row


def known_ids(kb: KnowledgeBase):
    """A lookup for validation: which of these ids already exist in the knowledge base."""

    def lookup(target: str, ids: set[str]) -> set[str]:
        label = _LABELS_FOR_REFERENCE[target]
        found: set[str] = set()
        ids_list = sorted(ids)
        for start in range(0, len(ids_list), 50_000):
            rows = kb.read(f"UNWIND $ids AS id MATCH (n:{label} {{id: id}}) RETURN n.id AS id",
                           {"ids": ids_list[start:start + 50_000]})
            found.update(r["id"] for r in rows)
        return found

    return lookup


def file_digest(path: str) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def write_batch(kb: KnowledgeBase, batch: LoadBatch, network_types, progress: bool | None = None,
                chunk: int = CHUNK) -> LoadSummary:
    """Write a validated batch in one transaction and record the load."""
    load_id = uuid.uuid4().hex
    loaded_at = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    plan = [(name, [_row(r, load_id, loaded_at) for r in batch.records[name]]) for name in WRITE_ORDER]
    total_chunks = sum((len(rows) + chunk - 1) // chunk for _, rows in plan)
    show = sys.stderr.isatty() if progress is None else progress

    def work(tx) -> LoadSummary:
        summary = LoadSummary(load_id)
        tx.run(_statement("vocabulary"),
               layers=[{"id": k, "name": v, "rank": i} for i, (k, v) in enumerate(LAYERS.items())],
               networks=list(network_types)).consume()
        from tqdm import tqdm

        bar = tqdm(total=total_chunks, unit="batch", disable=not show or total_chunks < 2, file=sys.stderr)
        for name, rows in plan:
            created = unchanged = 0
            statement = _statement(name)
            for start in range(0, len(rows), chunk):
                record = tx.run(statement, rows=rows[start:start + chunk]).single()
                created += record["created"]
                unchanged += record["unchanged"]
                bar.update(1)
            if rows:
                summary.counts[name] = {"created": created, "updated": len(rows) - created - unchanged,
                                        "unchanged": unchanged}
        bar.close()
        tx.run("CREATE (l:Load {id: $id, loaded_at: $at, files: $files, file_sha256: $hashes, "
               "counts: $counts, loaded_by: $user})",
               id=load_id, at=loaded_at, files=batch.files,
               hashes=[file_digest(f) or "" for f in batch.files],
               counts=json.dumps(summary.counts), user=_user()).consume()
        return summary

    return _in_one_transaction(kb, work)


def _in_one_transaction(kb: KnowledgeBase, work, attempts: int = 3):
    """Run `work(tx)` in one explicit write transaction and commit it.

    Not session.execute_write: its retries kept a load waiting some 50 s after the server
    had gone away, and re-ran for a minute a load too big for the server's transaction
    memory (MemoryPoolOutOfMemoryError is "transient" but certain to happen again). Here a
    lost connection fails at once (nothing was committed; run the load again), and only
    other transient errors, such as a deadlock with a concurrent load, are retried.
    """
    from neo4j.exceptions import TransientError

    for attempt in range(1, attempts + 1):
        with kb.driver.session(database=kb.database) as session:
            try:
                with session.begin_transaction() as tx:
                    result = work(tx)
                    tx.commit()
                    return result
            except TransientError as exc:
                if attempt == attempts or "MemoryPoolOutOfMemoryError" in (exc.code or ""):
                    raise
        time.sleep(attempt)
    raise AssertionError("unreachable")


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"
