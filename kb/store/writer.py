"""Writing a validated load into Neo4j: all of it, or nothing; or, when it is too big for
one transaction, in committed parts that a re-run completes.

A load of up to `transaction_rows` rows (KB_LOAD_TRANSACTION_ROWS) is one write
transaction: every entity is written in UNWIND chunks (parameters only) by the statements
in cypher/writer/, and the transaction commits only at the end, so a failure in the middle
(the server stopping, say) leaves nothing half-written. Readers get Neo4j Community's
read-committed isolation: nothing before the commit, all of it in a statement started after
the commit, but a statement already running while it commits can see part of it
(docs/reliability.md, "Isolation"; tests/test_read_isolation.py).

A bigger load cannot be one transaction: Neo4j keeps a transaction's changes in its heap
until the commit (1M ties need more than 5.6 GiB; docs/benchmarks.md) and refuses one
beyond `dbms.memory.transaction.total.max`. Such a load is *staged*: a `:Load` record is
created first with status `in_progress`, then each chunk commits on its own (and counts
itself on that record in the same transaction), and the record becomes `complete` in the
last one. If it stops in the middle, the record stays `in_progress`, naming the files and
how many chunks were written; `kb load` then says so, `kb analyse` refuses to analyse a
half-loaded graph, and running the same load again completes it (MERGE on keys) and marks
the interrupted record `completed_by` the new one. Staged loads are serialised with every
other load by the write locks each chunk takes on the vocabulary nodes, and no load starts
while another staged load is running: one whose process is alive on this machine, or one
from another machine that committed a chunk in the last STALE_LOAD_SECONDS (by the
server's clock).

MERGE on keys keeps loads idempotent; a content hash per node/relationship tells created,
updated and unchanged rows apart, and unchanged rows are not rewritten. While the server
writes one chunk, the next chunk's rows are built in a second thread.
"""

from __future__ import annotations

import datetime as _dt
import getpass
import hashlib
import json
import os
import re
import socket
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from kb.store.connection import KnowledgeBase
from kb.store.cypher import CYPHER_DIR, statement
from kb.model import ENTITIES, LAYERS, WRITE_ORDER, LoadBatch, Record, gc_frozen
from kb.store.actor_kinds import ActorKindConflict, check_clashes
from kb.settings import default

# Where the writer's statements live (read through kb.store.cypher.statement).
WRITER_DIR = CYPHER_DIR / "writer"
# The statement that writes each table (cypher/writer/<table>.cypher).
TABLE_STATEMENTS = {
    "sources": "writer/sources", "problems": "writer/problems", "localities": "writer/localities",
    "case_studies": "writer/case_studies", "organisations": "writer/organisations", "people": "writer/people",
    "funding": "writer/funding", "innovations": "writer/innovations", "adoptions": "writer/adoptions",
    "ties": "writer/ties", "layer_links": "writer/layer_links",
    "elements": "writer/elements", "preconditions": "writer/preconditions",
}
# Rows per UNWIND statement (and per committed chunk of a staged load): KB_LOAD_CHUNK_ROWS.
CHUNK = default("KB_LOAD_CHUNK_ROWS")
# Loads of up to this many rows are one transaction: KB_LOAD_TRANSACTION_ROWS. About 3 KB of
# server heap per tie row (docs/benchmarks.md): 100,000 rows fit the 700 MiB transaction memory
# of a 1g heap.
ONE_TRANSACTION_ROWS = default("KB_LOAD_TRANSACTION_ROWS")
# A staged load from another machine idle this long has stopped (a chunk takes about 0.5 s).
STALE_LOAD_SECONDS = 300


@dataclass
class LoadSummary:
    load_id: str
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    staged: bool = False
    completed: list[str] = field(default_factory=list)  # interrupted loads this one completed
    seconds: dict[str, float] = field(default_factory=dict)  # time in the server per table

    def table(self) -> str:
        lines = [f"{'table':<15}{'created':>9}{'updated':>9}{'unchanged':>11}"]
        for name, c in self.counts.items():
            lines.append(f"{name:<15}{c['created']:>9}{c['updated']:>9}{c['unchanged']:>11}")
        return "\n".join(lines)

    @property
    def changed(self) -> bool:
        """Did the load create or update anything?"""
        return any(c["created"] or c["updated"] for c in self.counts.values())

    def add(self, name: str, record, rows: int, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds
        c = self.counts.setdefault(name, {"created": 0, "updated": 0, "unchanged": 0})
        c["created"] += record["created"]
        c["unchanged"] += record["unchanged"]
        c["updated"] += rows - record["created"] - record["unchanged"]


@dataclass
class InterruptedLoad:
    """A staged load whose record is still `in_progress`."""
    id: str
    files: list[str]
    file_sha256: list[str]
    started_at: str | None
    chunks_written: int
    chunks_total: int
    host: str | None
    pid: int | None
    idle_seconds: int | None = None  # since its last committed chunk (server clock)

    def describe(self) -> str:
        return (f"load {self.id} of {', '.join(self.files)} (started {self.started_at}, "
                f"{self.chunks_written} of {self.chunks_total} chunks written)")

    def running_here(self) -> bool:
        """Is the process that runs it still alive on this machine?"""
        if self.host != socket.gethostname() or not self.pid or self.pid == os.getpid():
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def maybe_running_elsewhere(self) -> bool:
        """Was it started on another machine, and has it committed a chunk lately? Its
        process cannot be asked there; a chunk takes seconds, so a load idle for
        STALE_LOAD_SECONDS is taken to have stopped."""
        return (self.host != socket.gethostname() and self.idle_seconds is not None
                and self.idle_seconds < STALE_LOAD_SECONDS)


class LoadInterrupted(RuntimeError):
    """A staged load stopped part-way: its committed chunks stay, marked as in progress."""

    def __init__(self, load_id: str, written: int, total: int, reason: str):
        self.load_id, self.written, self.total = load_id, written, total
        super().__init__(f"the load stopped after {written} of {total} chunks ({reason}); the chunks "
                         f"written are kept and load {load_id} is recorded as in progress. Run the same "
                         "command again to complete it.")


class LoadInProgress(RuntimeError):
    """Another staged load is running right now."""


def _sector(value: str | None) -> dict | None:
    if not value:
        return None
    return {"id": re.sub(r"[^a-z0-9]+", "_", value.strip().lower()).strip("_"), "name": value.strip()}


def _key(record: Record) -> str:
    entity = ENTITIES[record.entity]
    return ":".join(str(record.values[k]) for k in entity.key)


def statement_row(record: Record, files: dict[str, int]) -> dict:
    """One record as the statements' `row`: `key` (for a tie: `from` and `to`), `props` (the
    facts, `content_hash` and `source_row`) and `f`, the index of its file in the statement's
    `$files`. What is the same for every row of a load (the load's id and time, the file
    names) goes in once as statement parameters: 1M ties are 1M rows to send."""
    values = {k: v for k, v in record.values.items() if v is not None}
    values.setdefault("synthetic", False)
    # The hash covers the facts, not where or when they were read: reloading the same
    # content from another path is "unchanged".
    # 64 bits (16 hex digits) are plenty to tell one row's versions apart, and short
    # enough for Neo4j to store inline with the relationship or node.
    digest = hashlib.blake2b(json.dumps(values, sort_keys=True, default=str).encode(), digest_size=8).hexdigest()
    props = values
    if record.entity == "layer_links":
        props["id"] = _key(record)
    props["content_hash"] = digest
    props["source_row"] = str(record.origin.row)
    if record.entity == "ties":
        # The two ends are the relationship's own nodes: not stored again as properties;
        # and ties.cypher finds a tie by them (no `key`: 1M ties are 1M rows to send).
        return {"from": props.pop("from"), "to": props.pop("to"), "props": props, "f": files[record.origin.file]}
    row = {"key": _key(record), "props": props, "f": files[record.origin.file]}
    if record.entity in ("innovations", "organisations"):
        row["sector"] = _sector(values.get("sector"))
    return row


def file_index(records) -> dict[str, int]:
    """Each source file of these records, numbered (the statements' `$files`)."""
    return {name: i for i, name in enumerate(sorted({r.origin.file for r in records}))}


def file_digest(path: str) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def interrupted_loads(kb: KnowledgeBase) -> list[InterruptedLoad]:
    """Staged loads still recorded as in progress (running now, or interrupted)."""
    return [InterruptedLoad(**r) for r in kb.read(statement("writer/interrupted-loads"))]


@gc_frozen()
def write_batch(kb: KnowledgeBase, batch: LoadBatch, network_types, progress: bool | None = None,
                chunk: int = CHUNK, transaction_rows: int = ONE_TRANSACTION_ROWS) -> LoadSummary:
    """Write a validated batch and record the load: in one transaction when it has at most
    `transaction_rows` rows (or 0 for no limit), otherwise staged (see the module's doc)."""
    from neo4j.exceptions import TransientError

    tables = [(name, batch.records[name]) for name in WRITE_ORDER if batch.records[name]]
    total_rows = sum(len(records) for _, records in tables)
    load = _LoadRun(kb, batch, network_types, tables, chunk,
                    sys.stderr.isatty() if progress is None else progress)
    if not transaction_rows or total_rows <= transaction_rows:
        try:
            return in_one_transaction(kb, load.in_one_transaction)
        except TransientError as exc:
            # Too big for the server's transaction memory after all: nothing was written,
            # so the same load can be staged instead.
            if "MemoryPoolOutOfMemoryError" not in (exc.code or ""):
                raise
    return load.staged()


class _LoadRun:
    """One load: its id, its rows (built chunk by chunk) and the two ways of writing them."""

    def __init__(self, kb, batch, network_types, tables, chunk, show):
        self.kb, self.tables, self.chunk, self.show = kb, tables, chunk, show
        self.id = uuid.uuid4().hex
        self.loaded_at = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
        self.vocabulary = {"layers": [{"id": k, "name": v, "rank": i} for i, (k, v) in enumerate(LAYERS.items())],
                           "networks": list(network_types)}
        self.statements = {name: statement(TABLE_STATEMENTS[name]) for name, _ in tables}
        self.total_chunks = sum((len(records) + chunk - 1) // chunk for _, records in tables)
        self.files = list(batch.files)
        self.hashes = [file_digest(f) or "" for f in batch.files]
        self.file_index = file_index(r for _, records in tables for r in records)
        self.provenance = {"load_id": self.id, "loaded_at": self.loaded_at, "files": list(self.file_index)}
        self.rounds = any(r.values.get("round") for name, records in tables if name == "ties" for r in records)

    def _chunks(self) -> Iterator[tuple[str, list[dict]]]:
        """Each chunk's rows; the next chunk is built in a thread while the caller writes this one."""
        jobs = [(name, records[start:start + self.chunk])
                for name, records in self.tables for start in range(0, len(records), self.chunk)]

        def build(job):
            return job[0], [statement_row(r, self.file_index) for r in job[1]]

        with ThreadPoolExecutor(1) as pool:
            pending = pool.submit(build, jobs[0]) if jobs else None
            for index in range(len(jobs)):
                ready = pending.result()
                pending = pool.submit(build, jobs[index + 1]) if index + 1 < len(jobs) else None
                yield ready

    def _bar(self):
        from tqdm import tqdm

        return tqdm(total=self.total_chunks, unit="batch", file=sys.stderr,
                    disable=not self.show or self.total_chunks < 2)

    def _completing(self, tx) -> list[str]:
        """Interrupted loads of the same files, which this load completes; refuse to run
        beside a staged load that is running right now."""
        same = []
        for row in tx.run(statement("writer/interrupted-loads")).data():
            other = InterruptedLoad(**row)
            if other.running_here():
                raise LoadInProgress(f"another {other.describe()} is running (process {other.pid}); "
                                     "wait for it to finish, then load again.")
            if other.maybe_running_elsewhere():
                raise LoadInProgress(f"another {other.describe()} is running on {other.host} (its last chunk "
                                     f"was written {other.idle_seconds} s ago); wait for it to finish, then load "
                                     f"again. If it was stopped, it counts as interrupted once it has been idle "
                                     f"for {STALE_LOAD_SECONDS} s.")
            if sorted(other.file_sha256) == sorted(self.hashes) and other.files:
                same.append(other.id)
        return same

    def _record(self) -> dict:
        return {"id": self.id, "at": self.loaded_at, "files": self.files, "hashes": self.hashes,
                "user": _user(), "host": socket.gethostname(), "pid": os.getpid(),
                "chunks_total": self.total_chunks}

    def _first_ties(self, tx) -> None:
        """Into a knowledge base without ties, ties are created without looking for them
        (ties-new.cypher). Called holding the vocabulary's locks, after _completing: no other
        load writes ties until this one has finished."""
        if "ties" in self.statements and tx.run(statement("writer/tie-count")).single()["n"] == 0:
            self.statements["ties"] = statement("writer/ties-new")
        # Ties supersede one another only when some carry a round (docs/analytics.md, "Change over time").
        self.supersede = "ties" in self.statements and (
            self.rounds or tx.run(statement("writer/tie-rounds-exist")).single()["rounds"])

    def _write(self, tx, name: str, rows: list[dict]):
        record = tx.run(self.statements[name], rows=rows, **self.provenance).single()
        if name == "ties" and self.supersede:  # the plain view's marks, in the same transaction
            tx.run(statement("writer/ties-supersede"), rows=rows).consume()
        return record

    def in_one_transaction(self, tx) -> LoadSummary:
        summary = LoadSummary(self.id)
        if "ties" in self.statements:
            self.statements["ties"] = statement("writer/ties")  # (a retried transaction starts afresh)
        tx.run(statement("writer/vocabulary"), **self.vocabulary).consume()
        summary.completed = self._completing(tx)
        self._first_ties(tx)
        bar = self._bar()
        for name, rows in self._chunks():
            started = time.perf_counter()
            record = self._write(tx, name, rows)
            check_clashes(name, record, self.provenance["files"])
            summary.add(name, record, len(rows), time.perf_counter() - started)
            bar.update(1)
        bar.close()
        tx.run(statement("writer/load-complete"), record=self._record(), counts=json.dumps(summary.counts),
               changed=summary.changed, completed=summary.completed, create=True).consume()
        return summary

    def staged(self) -> LoadSummary:
        from neo4j.exceptions import ServiceUnavailable, SessionExpired, TransientError

        summary = LoadSummary(self.id, staged=True)

        def start(tx):
            tx.run(statement("writer/vocabulary"), **self.vocabulary).consume()
            completed = self._completing(tx)
            self._first_ties(tx)
            tx.run(statement("writer/load-start"), record=self._record()).consume()
            return completed

        written = 0
        try:
            summary.completed = in_one_transaction(self.kb, start)
            bar = self._bar()
            for name, rows in self._chunks():
                def work(tx, name=name, rows=rows):
                    # The vocabulary's write locks serialise this chunk with any other load.
                    tx.run(statement("writer/vocabulary"), **self.vocabulary).consume()
                    record = self._write(tx, name, rows)
                    check_clashes(name, record, self.provenance["files"])
                    tx.run(statement("writer/load-progress"), id=self.id, n=written + 1).consume()
                    return record

                started = time.perf_counter()
                record = in_one_transaction(self.kb, work)
                summary.add(name, record, len(rows), time.perf_counter() - started)
                written += 1
                bar.update(1)
            bar.close()
            in_one_transaction(self.kb, lambda tx: tx.run(
                statement("writer/load-complete"), record=self._record(), counts=json.dumps(summary.counts),
                changed=summary.changed, completed=summary.completed, create=False).consume())
        except ActorKindConflict as exc:
            raise ActorKindConflict(exc.problems, staged=(self.id, written, self.total_chunks)) from None
        except (ServiceUnavailable, SessionExpired, TransientError) as exc:
            raise LoadInterrupted(self.id, written, self.total_chunks,
                                  getattr(exc, "message", None) or type(exc).__name__) from exc
        return summary


def in_one_transaction(kb: KnowledgeBase, work, attempts: int = 3):
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
