"""Curation: records added and edited one at a time (the UI's forms, `kb edit`), each
change kept with who, when, why, the values before and after, and its provenance
(docs/curation.md).

`save` validates through the loader's own rules (kb/services/records.py), pseudonymises a
person when KB_PSEUDONYMISE is set, and writes the record, its new `version` and the :Change
in one transaction; a save over a newer version than the form opened is refused
(StaleVersion, with the differences). History, undo and verify are in
kb/services/history.py; completeness, the attention list and the pickers' search in
kb/services/quality.py; all are re-exported here.
"""

from __future__ import annotations

from kb.services.access import User, require
from kb.services.history import history, undo, verify
from kb.services.quality import AttentionItem, Completeness, attention, completeness, search_records
from kb.services.records import (FORM_KINDS, Change, NothingChanged, Provenance, RecordExists, RecordNotFound,
                                 RecordProblems, SaveResult, StaleVersion, Write, check_kind, describe,
                                 read_record, record_key, refresh_meaning, values_of, write)
from kb.model import ENTITIES, Problem
from kb.settings import Settings
from kb.store import curation as store
from kb.store.connection import KnowledgeBase


def save(settings: Settings, kb: KnowledgeBase, user: User | None, kind: str, values: dict[str, str], *,
         reason: str, provenance: Provenance, expected_version: int | None = None) -> SaveResult:
    """Create (expected_version None) or update one record; see the module's doc.

    `values`: column -> text as in a case-base CSV row (lists joined with ";"); for an update,
    columns left out keep their stored values. Raises AccessDenied, RecordProblems (located
    by form field), RecordExists, RecordNotFound, StaleVersion or NothingChanged; nothing is
    written then."""
    require(user, "editor")
    check_kind(kind)
    problems = list(provenance.problems())
    if not (reason or "").strip():
        problems.insert(0, Problem("form", 1, "reason", "a change needs a reason (what was changed, and why)"))
    if problems:
        raise RecordProblems(problems)
    entity = ENTITIES[kind]
    values = {k: ("" if v is None else str(v)) for k, v in values.items()}
    if expected_version is not None:
        stored = store.read_record(kb, kind, record_key(kind, values))
        if stored.props is not None:
            values = {**values_of(kind, stored.props), **values}
    if provenance.source and "source" in entity.column_names:
        values["source"], values["section"] = provenance.source.strip(), (provenance.section or "").strip()
    keep = {}
    if provenance.editors_judgement:
        if "editors_judgement" in entity.column_names:
            values["editors_judgement"] = "true"
        else:
            keep["editors_judgement"] = True
        keep["editors_note"] = provenance.note.strip()
    elif "editors_judgement" not in entity.column_names:
        keep.update(editors_judgement=None, editors_note=None)
    record = read_record(settings, kb, kind, values, pseudonymise_people=settings.kb_pseudonymise)
    change = write(settings, kb, Write(user, record, "create" if expected_version is None else "update",
                                       reason.strip(), expected_version, provenance, keep=keep))
    return SaveResult(change.record_id, change.version, change, refresh_meaning(settings, kb, kind))


def fetch(settings: Settings, kb: KnowledgeBase, kind: str, record_id: str) -> tuple[dict[str, str], int]:
    """A record's values (column -> text) and version, as a form opens it."""
    check_kind(kind)
    stored = store.read_record(kb, kind, record_id)
    if stored.props is None:
        raise RecordNotFound(f"There is no {describe(kind, record_id)}.")
    return values_of(kind, stored.props), stored.version


def marks(settings: Settings, kb: KnowledgeBase, kind: str, record_id: str) -> dict:
    """The record's quality marks: verified by (who, when, at which version), editors' judgement."""
    check_kind(kind)
    props = store.read_record(kb, kind, record_id).props or {}
    return {k: props.get(k) for k in store.KEPT_PROPERTIES} | {"version": int(props.get("version") or 0)}


__all__ = ["FORM_KINDS", "AttentionItem", "Change", "Completeness", "NothingChanged", "Provenance", "RecordExists",
           "RecordNotFound", "RecordProblems", "SaveResult", "StaleVersion", "attention", "completeness", "fetch",
           "history", "marks", "save", "search_records", "undo", "verify"]
