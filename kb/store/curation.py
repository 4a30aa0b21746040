"""Curation in Neo4j: one record saved through a form in one write transaction, with its
version and the :Change that records it; histories; a load recorded as a change.

A save runs, in ONE transaction: the vocabulary's write locks (as every load takes them, so
saves and loads are serialised), a lock on the record itself (cypher/curation/lock-*.cypher)
and the version check, the loader's own statement for the table (cypher/writer/<table>),
then cypher/curation/stamp-*.cypher: the new version, the marks a write replaces (verified
by, editors' judgement) and the :Change, linked by CHANGED to the record. `check(stored)`
is called with what is stored before anything is written and may raise to refuse.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import uuid
from dataclasses import dataclass
from typing import Callable

from kb.model import ACTOR_LABEL, ACTOR_ENTITIES, ENTITIES, LAYERS, Record
from kb.store.actor_kinds import check_clashes
from kb.store.connection import KnowledgeBase
from kb.store.cypher import statement
from kb.store.writer import TABLE_STATEMENTS, in_one_transaction, statement_row

# In cypher/curation/*-record.cypher, the label replaced by the record's (from the fixed map
# below, never from input).
LABEL_PLACEHOLDER = ":RecordLabel"
# Properties a write replaces that a save keeps (they are not columns of the record).
KEPT_PROPERTIES = ("verified_by", "verified_at", "verified_version", "editors_judgement", "editors_note")
# The one file name a form's rows carry as their source file.
FORM_FILE = "form"


def record_label(kind: str) -> str:
    """The label a record of this kind is found by (people and organisations share :Actor)."""
    return ACTOR_LABEL if kind in ACTOR_ENTITIES else ENTITIES[kind].label


def _with_label(name: str, kind: str) -> str:
    return re.sub(LABEL_PLACEHOLDER + r"\b", f":{record_label(kind)}", statement(name))


def adoption_key(record_id: str) -> dict[str, str]:
    innovation, _, locality = record_id.partition(":")
    return {"innovation": innovation, "locality": locality}


# What a save does to a record (a node found by its label and id) or to an adoption (an
# ADOPTED_IN relationship found by its innovation and locality).
RECORD_STATEMENTS = {"lock": "curation/lock-record", "read": "curation/read-record",
                     "stamp": "curation/stamp-record", "delete": "curation/delete-record"}
ADOPTION_STATEMENTS = {"lock": "curation/lock-adoption", "read": "curation/read-adoption",
                       "stamp": "curation/stamp-adoption", "delete": "curation/delete-adoption"}


def _target(kind: str, record_id: str, what: str) -> tuple[str, dict]:
    """The statement that does `what` to this record, and its parameters."""
    if kind == "adoptions":
        return statement(ADOPTION_STATEMENTS[what]), adoption_key(record_id)
    return _with_label(RECORD_STATEMENTS[what], kind), {"id": record_id}


def now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def new_change_id() -> str:
    return "chg-" + uuid.uuid4().hex[:16]


@dataclass
class Stored:
    """A record as stored: its properties (None when there is none) and version."""

    props: dict | None
    labels: list[str]

    @property
    def version(self) -> int:
        return int((self.props or {}).get("version") or 0)


def read_record(kb: KnowledgeBase, kind: str, record_id: str) -> Stored:
    query, params = _target(kind, record_id, "read")
    rows = kb.read(query, params)
    return Stored(rows[0]["props"], rows[0]["labels"]) if rows else Stored(None, [])


def _vocabulary(network_types) -> dict:
    return {"layers": [{"id": k, "name": v, "rank": i} for i, (k, v) in enumerate(LAYERS.items())],
            "networks": list(network_types)}


def save_record(kb: KnowledgeBase, record: Record, record_id: str, network_types, change: dict,
                check: Callable[[Stored], dict], keep: dict | None = None) -> dict:
    """Write one validated record and its :Change in one transaction (see the module's doc).
    `check(stored)` refuses by raising, or returns the change's fields that depend on what is
    stored (before, version ...), merged into `change`. Returns the change as stored."""
    kind = record.entity

    def work(tx) -> dict:
        tx.run(statement("writer/vocabulary"), **_vocabulary(network_types)).consume()
        lock, params = _target(kind, record_id, "lock")
        row = tx.run(lock, params).single()
        stored = Stored(row["props"], row["labels"]) if row else Stored(None, [])
        full = {**change, **check(stored)}
        # (a mark that is a column of the table, such as an element's editors_judgement, is the write's)
        carried = {k: v for k, v in (stored.props or {}).items()
                   if k in KEPT_PROPERTIES and k not in ENTITIES[kind].column_names}
        carried.update(keep or {})
        result = tx.run(statement(TABLE_STATEMENTS[kind]), rows=[statement_row(record, {FORM_FILE: 0})],
                        files=[FORM_FILE], load_id=full["id"], loaded_at=full["at"]).single()
        check_clashes(kind, result, [FORM_FILE])
        stamp, params = _target(kind, record_id, "stamp")
        tx.run(stamp, params, keep=carried, change=full).consume()
        return full

    return in_one_transaction(kb, work)


def stamp_only(kb: KnowledgeBase, kind: str, record_id: str, change: dict, check: Callable[[Stored], dict],
               keep: dict) -> dict:
    """A change of marks only (verify): lock, check, set `keep` and record the :Change."""

    def work(tx) -> dict:
        lock, params = _target(kind, record_id, "lock")
        row = tx.run(lock, params).single()
        stored = Stored(row["props"], row["labels"]) if row else Stored(None, [])
        full = {**change, **check(stored)}
        stamp, params = _target(kind, record_id, "stamp")
        tx.run(stamp, params, keep=keep, change=full).consume()
        return full

    return in_one_transaction(kb, work)


def delete_record(kb: KnowledgeBase, kind: str, record_id: str, change: dict,
                  check: Callable[[Stored], dict]) -> tuple[dict, int]:
    """Undo a creation: delete the record unless others refer to it; returns (change, refs).
    With refs > 0 nothing was deleted or recorded."""

    def work(tx):
        lock, params = _target(kind, record_id, "lock")
        row = tx.run(lock, params).single()
        stored = Stored(row["props"], row["labels"]) if row else Stored(None, [])
        full = {**change, **check(stored)}
        query, params = _target(kind, record_id, "delete")
        refs = tx.run(query, params, change=full).single()["refs"]
        return full, refs

    return in_one_transaction(kb, work)


def history(kb: KnowledgeBase, record_id: str) -> list[dict]:
    """A record's changes (and the loads that changed it), newest first; each with `version`."""
    return [{**r["change"], "version": r["version"]}
            for r in kb.read(statement("curation/record-history"), {"id": record_id})]


def change(kb: KnowledgeBase, change_id: str) -> dict | None:
    rows = kb.read(statement("curation/change"), {"id": change_id})
    return rows[0]["change"] if rows else None


def later_changes(kb: KnowledgeBase, record_id: str, version: int) -> list[dict]:
    return kb.read(statement("curation/later-changes"), {"id": record_id, "version": version})


def load_change(load_id: str, user: str, files: list[str], counts: dict) -> dict:
    """The :Change (op "load") that records a load in the history (a bulk load writes it with
    the import files, kb.store.bulk_files)."""
    return {"id": new_change_id(), "at": now(), "user": user, "kind": "load", "record_id": load_id, "op": "load",
            "before": "{}", "after": json.dumps({"files": files, "counts": counts}), "reason": "kb load",
            "version": 0, "load_id": load_id}


def record_load(kb: KnowledgeBase, load_id: str, user: str, files: list[str], counts: dict) -> int:
    """Record a load as a :Change (op "load") linked to the nodes it created or updated;
    returns how many."""
    change = load_change(load_id, user, files, counts)
    rows = kb.write(statement("curation/load-change"), {"change": change, "load_id": load_id})
    return rows[0]["records"] if rows else 0


def related_counts(kb: KnowledgeBase, kind: str, record_id: str) -> dict[str, int]:
    rows = kb.read(_with_label("curation/related-counts", kind), {"id": record_id})
    return rows[0] if rows else {}


def attention(kb: KnowledgeBase, limit: int) -> list[dict]:
    return kb.read(statement("curation/attention"), {"limit": limit})


def search(kb: KnowledgeBase, kind: str, text: str, limit: int) -> list[dict]:
    """Records of a kind (or "actors") whose id or name contains `text` (lower case)."""
    label = ACTOR_LABEL if kind == "actors" else ENTITIES[kind].label
    query = re.sub(LABEL_PLACEHOLDER + r"\b", f":{label}", statement("curation/search-records"))
    return kb.read(query, {"text": text, "limit": limit})
