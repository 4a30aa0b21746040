"""A record's history, undo and the "verified by" mark (docs/curation.md).

Every change is a :Change {id, at, user, kind, record_id, op, before, after, reason, version,
undoes}: `version` is the record's version after it. A load (`kb load`, the import page) is
one :Change with op "load" linked to every record it created or updated, each with the
version the load gave it. Undo restores the values before one change, as a new change (op
"undo"); it is refused while the record has a later version than the change left (a later
change depends on it), naming those changes.
"""

from __future__ import annotations

import json

from kb.services import InputError
from kb.services.access import User, require
from kb.services.records import (Change, RecordNotFound, StaleVersion, Write, change_of, check_kind, describe, read_record,
                                 values_of, write, refresh_meaning)
from kb.settings import Settings
from kb.store import curation as store
from kb.store.connection import KnowledgeBase


class UndoRefused(InputError):
    """The change cannot be undone (later changes depend on it, or it is a load)."""


def history(settings: Settings, kb: KnowledgeBase, record_id: str) -> list[Change]:
    """Every change to the record (and every load that changed it), newest first."""
    return [change_of(row) for row in store.history(kb, record_id)]


def _later(kb: KnowledgeBase, change: Change) -> list[dict]:
    return store.later_changes(kb, change.record_id, change.version)


def _refuse_later(change: Change, later: list[dict]) -> None:
    named = "; ".join(f"{c['id']} ({c['op']} by {c['user']} at {c['at']}, version {c['version']})" for c in later)
    raise UndoRefused(f"Change {change.id} cannot be undone: later changes to "
                      f"{describe(change.kind, change.record_id)} depend on it: {named}. Undo those first, "
                      "newest first.")


def undo(settings: Settings, kb: KnowledgeBase, user: User | None, change_id: str, reason: str) -> Change:
    """Undo one change (admin): the record gets its values from before it, as a new change."""
    require(user, "admin")
    row = store.change(kb, change_id)
    if row is None:
        raise RecordNotFound(f"There is no change {change_id!r}.")
    if not (reason or "").strip():
        raise InputError("An undo needs a reason.")
    change = change_of(row)
    if change.op == "load":
        raise UndoRefused(f"Change {change.id} is a load; a load is undone by loading the earlier files again "
                          "(or by restoring a backup), not here.")
    check_kind(change.kind)
    later = _later(kb, change)
    if later:
        _refuse_later(change, later)
    if change.op == "create":
        return _undo_create(kb, user, change, reason.strip())
    if change.op == "verify":
        return _undo_verify(kb, user, change, reason.strip())
    record = read_record(settings, kb, change.kind, change.before, pseudonymise_people=False)
    try:
        done = write(settings, kb, Write(user, record, "undo", reason.strip(), change.version, undoes=change.id))
    except StaleVersion:  # a change came in meanwhile
        _refuse_later(change, _later(kb, change))
    refresh_meaning(settings, kb, change.kind)
    return done


def _undo_create(kb: KnowledgeBase, user: User, change: Change, reason: str) -> Change:
    fields = _fields(user, change, "undo", reason)

    def check(stored):
        if stored.props is None:
            raise RecordNotFound(f"{describe(change.kind, change.record_id)} is no longer stored.")
        if stored.version != change.version:
            _refuse_later(change, _later(kb, change))
        return {"before": json.dumps(values_of(change.kind, stored.props)), "after": "{}",
                "version": stored.version + 1}

    stored, refs = store.delete_record(kb, change.kind, change.record_id, fields, check)
    if refs:
        raise UndoRefused(f"Change {change.id} created {describe(change.kind, change.record_id)}, and {refs} "
                          "link(s) from other records point at it now; remove those first.")
    return change_of(stored)


def _undo_verify(kb: KnowledgeBase, user: User, change: Change, reason: str) -> Change:
    fields = _fields(user, change, "undo", reason)
    restored = {k: change.before.get(k) for k in ("verified_by", "verified_at", "verified_version")}

    def check(stored):
        if stored.props is None:
            raise RecordNotFound(f"{describe(change.kind, change.record_id)} is no longer stored.")
        if stored.version != change.version:
            _refuse_later(change, _later(kb, change))
        return {"before": json.dumps(_verified(stored.props)), "after": json.dumps(restored),
                "version": stored.version + 1}

    return change_of(store.stamp_only(kb, change.kind, change.record_id, fields, check, restored))


def _fields(user: User, change: Change | None, op: str, reason: str, kind: str | None = None,
            record_id: str | None = None) -> dict:
    return {"id": store.new_change_id(), "at": store.now(), "user": user.name,
            "kind": kind or change.kind, "record_id": record_id or change.record_id, "op": op, "reason": reason,
            "undoes": change.id if change else None}


def _verified(props: dict) -> dict:
    return {k: props.get(k) for k in ("verified_by", "verified_at", "verified_version")}


def verify(settings: Settings, kb: KnowledgeBase, user: User | None, kind: str, record_id: str,
           reason: str) -> Change:
    """Mark the record "verified by" this admin (at its current version), as a change."""
    require(user, "admin")
    check_kind(kind)
    if not (reason or "").strip():
        raise InputError("A verification needs a reason (what was checked, against what).")
    fields = _fields(user, None, "verify", reason.strip(), kind, record_id)
    mark = {"verified_by": user.name, "verified_at": fields["at"]}

    def check(stored):
        if stored.props is None:
            raise RecordNotFound(f"There is no {describe(kind, record_id)}.")
        mark["verified_version"] = stored.version + 1
        return {"before": json.dumps(_verified(stored.props)), "after": json.dumps(mark),
                "version": stored.version + 1}

    return change_of(store.stamp_only(kb, kind, record_id, fields, check, mark))


def record_load(kb: KnowledgeBase, summary, files: list[str], user: str | None = None) -> str | None:
    """Record a load that changed something as a change (op "load") under `user` (default:
    the login name), linked to every record it created or updated. Done right after the load
    commits; if it fails, the load is kept and the note says so."""
    from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

    from kb.services.access import cli_user

    try:
        store.record_load(kb, summary.load_id, user or cli_user().name, list(files), summary.counts)
    except (Neo4jError, ServiceUnavailable, SessionExpired, OSError) as exc:
        return f"The load is kept, but it was not recorded in the history ({exc})."
    return None


__all__ = ["UndoRefused", "history", "record_load", "undo", "verify"]
