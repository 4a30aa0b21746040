"""What curation's services share: records as form values (column -> text, as in a case-base
CSV row), the change record, the errors, and the one write path of a save and an undo.

A record's values are validated by the loader itself: a one-row LoadBatch read by
loaders.rows.make_record (types, required values, ids) and checked by loaders.validate
(vocabularies, ranges, references against what is stored), so a form gets exactly the
loader's messages, each located by its form field (`Problem.column`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from kb.model import ENTITIES, LIST_SEPARATOR, WRITE_ORDER, LoadBatch, Origin, Problem, Record
from kb.services import InputError, ServiceError
from kb.services.access import User
from kb.settings import Settings
from kb.store import curation as store
from kb.store.actor_kinds import ActorKindConflict
from kb.store.connection import KnowledgeBase
from kb.store.known_ids import known_ids
from loaders import LoadRefused, validate
from loaders.pseudonymise import PseudonymKeyError, pseudonymise, read_key
from loaders.rows import make_record

# Every table but ties has a form (a tie is a survey's or a file's; docs/curation.md).
FORM_KINDS = tuple(name for name in WRITE_ORDER if name != "ties")
# The file a form's problems are located in (`form:1:<field>`).
FORM = "form"
PSEUDONYM = re.compile(r"p-[0-9a-f]{16}")
# The kinds searched by meaning (kb find): a save re-embeds the record.
MEANING_KINDS = {"problems": "problem", "innovations": "innovation", "elements": "element"}


@dataclass
class Provenance:
    """Where a change's facts come from: a source and the section they are in, or the
    editors' own judgement with a note saying why."""

    source: str | None = None
    section: str | None = None
    editors_judgement: bool = False
    note: str | None = None

    def problems(self) -> list[Problem]:
        if self.editors_judgement:
            if not (self.note or "").strip():
                return [Problem(FORM, 1, "note", "an editors' judgement needs a note saying what it rests on")]
            return []
        if (self.source or "").strip() and (self.section or "").strip():
            return []
        return [Problem(FORM, 1, "source" if not (self.source or "").strip() else "section",
                        "a change needs its provenance: a source and the section it is in, or \"editors' "
                        "judgement\" with a note")]


@dataclass
class Change:
    id: str
    at: str
    user: str
    kind: str
    record_id: str
    op: str                     # create | update | undo | load | verify
    before: dict
    after: dict
    reason: str | None
    version: int                # the record's version after this change
    undoes: str | None = None
    source: str | None = None
    section: str | None = None
    editors_judgement: bool = False
    note: str | None = None

    def fields_changed(self) -> list[str]:
        return sorted(k for k in set(self.before) | set(self.after) if self.before.get(k) != self.after.get(k))

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def change_of(row: dict) -> Change:
    """A stored :Change (before and after are JSON text) as a Change."""

    def loads(text):
        try:
            return json.loads(text) if text else {}
        except ValueError:
            return {}

    return Change(id=row["id"], at=row.get("at") or "", user=row.get("user") or "", kind=row.get("kind") or "",
                  record_id=row.get("record_id") or "", op=row.get("op") or "", before=loads(row.get("before")),
                  after=loads(row.get("after")), reason=row.get("reason"), version=int(row.get("version") or 0),
                  undoes=row.get("undoes"), source=row.get("source"), section=row.get("section"),
                  editors_judgement=bool(row.get("editors_judgement")), note=row.get("note"))


@dataclass
class SaveResult:
    record_id: str
    version: int
    change: Change
    embedding_note: str | None = None


class RecordProblems(InputError):
    """The values break the loader's rules; `problems` are located by form field (`column`)."""

    def __init__(self, problems: list[Problem], message: str | None = None):
        self.problems = list(problems)
        super().__init__(message or f"Not saved: {len(self.problems)} problem(s); nothing was written.")


class StaleVersion(ServiceError):
    """Someone saved the record since the form opened it: nothing was written.
    `differences`: field -> (yours, stored) for each field where they differ."""

    usage = True

    def __init__(self, record: str, yours: int, current_version: int, differences: dict):
        self.current_version, self.differences = current_version, differences
        fields = ", ".join(differences) or "no field (only its version)"
        super().__init__(f"Not saved: {record} was changed by someone else since you opened it (you opened "
                         f"version {yours}; it is now version {current_version}). Fields that differ: {fields}. "
                         "Merge your changes into the current version and save again.")


class RecordNotFound(InputError):
    """No such record (or change)."""


class RecordExists(InputError):
    """A create for an id that is taken."""


class NothingChanged(InputError):
    """The values are the ones stored."""


def check_kind(kind: str) -> str:
    if kind not in FORM_KINDS:
        raise InputError(f"unknown kind {kind!r}; expected one of {', '.join(FORM_KINDS)}")
    return kind


def text_of(value) -> str:
    """A stored value as a CSV cell holds it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(value)
    return str(value)


def values_of(kind: str, props: dict | None) -> dict[str, str]:
    """A stored record (or a record's typed values) as form values: every column, as text."""
    props = props or {}
    return {c.name: text_of(props.get(c.name)) for c in ENTITIES[kind].columns}


def record_key(kind: str, values: dict) -> str:
    return ":".join(str(values.get(k)) for k in ENTITIES[kind].key)


def describe(kind: str, record_id: str) -> str:
    return f"{ENTITIES[kind].label} {record_id!r}"


def read_record(settings: Settings, kb: KnowledgeBase, kind: str, values: dict[str, str], *,
                pseudonymise_people: bool) -> Record:
    """One record from form values, read and validated by the loader's own rules."""
    unknown = sorted(set(values) - set(ENTITIES[kind].column_names))
    if unknown:
        raise RecordProblems([Problem(FORM, 1, name, f"{describe_kind(kind)} has no field {name!r}")
                              for name in unknown])
    batch = LoadBatch(files=[FORM])
    make_record(kind, {k: ("" if v is None else str(v)) for k, v in values.items()}, Origin(FORM, 1), batch)
    lookup = known_ids(kb)
    try:
        if pseudonymise_people and batch.records[kind]:
            record = batch.records[kind][0]
            if kind == "people" and PSEUDONYM.fullmatch(str(record.values.get("id", ""))):
                # Already stored under its pseudonym (an edit): no new hash, no name or role.
                record.values["name"] = "Person " + record.values["id"][2:8].upper()
                for name in ("role", "notes"):
                    record.values.pop(name, None)
            else:
                pseudonymise(batch, pseudonym_key(settings), lambda ids: lookup("actors", ids))
        clean = validate(batch, settings.kb_network_types, lookup)
    except LoadRefused as exc:
        raise RecordProblems(exc.problems) from None
    return clean.records[kind][0]


def describe_kind(kind: str) -> str:
    return {"case_studies": "a case study", "funding": "a funding instrument", "people": "a person",
            "layer_links": "a layer link", "adoptions": "an adoption", "innovations": "an innovation",
            "elements": "an element", "organisations": "an organisation", "localities": "a locality"
            }.get(kind, "a " + kind.rstrip("s"))


def pseudonym_key(settings: Settings) -> bytes:
    try:
        return read_key(settings.kb_pseudonym_key, settings.kb_pseudonym_key_file)
    except PseudonymKeyError as exc:
        raise InputError(str(exc)) from None


@dataclass
class Write:
    """One save or undo, ready to write: the record, the change's fields, what it expects."""

    user: User
    record: Record
    op: str
    reason: str
    expected_version: int | None
    provenance: Provenance | None = None
    undoes: str | None = None
    keep: dict = field(default_factory=dict)


def write(settings: Settings, kb: KnowledgeBase, w: Write) -> Change:
    """Write one validated record with its :Change in one transaction (kb.store.curation)."""
    kind = w.record.entity
    record_id = record_key(kind, w.record.values)
    after = values_of(kind, w.record.values)
    what = describe(kind, record_id)
    p = w.provenance or Provenance()
    change = {"id": store.new_change_id(), "at": store.now(), "user": w.user.name, "kind": kind,
              "record_id": record_id, "op": w.op, "after": json.dumps(after), "reason": w.reason,
              "undoes": w.undoes, "source": p.source, "section": p.section,
              "editors_judgement": p.editors_judgement, "note": p.note}

    def check(stored: store.Stored) -> dict:
        if w.expected_version is None and stored.props is not None:
            raise RecordExists(f"Not saved: {what} already exists; open it to edit it.")
        if w.expected_version is not None and stored.props is None:
            raise RecordNotFound(f"Not saved: there is no {what} (it was removed, or its id changed).")
        before = values_of(kind, stored.props) if stored.props is not None else {}
        if w.expected_version is not None and stored.version != w.expected_version:
            differences = {k: (after.get(k) or None, before.get(k) or None) for k in after
                           if (after.get(k) or "") != (before.get(k) or "")}
            raise StaleVersion(what, w.expected_version, stored.version, differences)
        if before == after:
            raise NothingChanged(f"Nothing to save: the values of {what} are the ones stored.")
        return {"before": json.dumps(before), "version": stored.version + 1}

    try:
        stored = store.save_record(kb, w.record, record_id, settings.kb_network_types, change, check, w.keep)
    except ActorKindConflict as exc:
        raise RecordProblems([Problem(FORM, 1, p.column, p.message) for p in exc.problems]) from None
    return change_of(stored)


def refresh_meaning(settings: Settings, kb: KnowledgeBase, kind: str) -> str | None:
    """Re-embed a saved problem, innovation or element for search by meaning; a note when it failed."""
    if kind not in MEANING_KINDS:
        return None
    from kb.services.find import refresh

    try:
        refresh(settings, kb, MEANING_KINDS[kind])
    except (ServiceError, OSError, ImportError) as exc:
        return f"Saved, but the search embeddings were not updated ({exc}); run `kb embed` to update them."
    return None
