"""Data quality: completeness of innovations and case studies, the attention list, and the
search the forms' pickers use (docs/curation.md gives the completeness formula).

Completeness is the share of the fields that matter for transfer that are filled, each
counted once and weighted equally: score = filled / (filled + missing), from 0 to 1. For an
innovation these are TRANSFER_FIELDS["innovations"] plus "elements" (at least one element
recorded), "adoptions" (at least one adoption) and "structured preconditions" (at least one
precondition); for a case study TRANSFER_FIELDS["case_studies"] plus "innovations" (at least
one innovation documented in it). Other kinds count every optional column of their table.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.model import ENTITIES
from kb.services import InputError
from kb.services.records import RecordNotFound, check_kind, describe
from kb.settings import Settings
from kb.store import curation as store
from kb.store.connection import KnowledgeBase

# The fields of a record that a transfer decision leans on (docs/transfer.md): the problem it
# answers, what it achieved and on what evidence, what it costs and needs, where it comes from
# and who started it, and where its facts are written.
TRANSFER_FIELDS = {
    "innovations": ("description", "problems", "lifecycle_stage", "evidence_level", "outcomes", "resources", "cost",
                    "transferability", "preconditions", "origin_locality", "origin_year", "originators", "source",
                    "section"),
    "case_studies": ("locality", "year", "summary", "findings", "source", "section"),
}
# Related records counted as fields: name -> (count column of related-counts.cypher, kinds).
RELATED = {"elements": ("elements", "innovations"), "adoptions": ("adoptions", "innovations"),
           "structured preconditions": ("preconditions", "innovations"),
           "innovations documented": ("innovations", "case_studies")}
ATTENTION_LIMIT = 500


@dataclass
class Completeness:
    score: float          # filled / (filled + missing), 0 to 1
    filled: list[str]
    missing: list[str]

    @property
    def percent(self) -> int:
        return round(100 * self.score)


@dataclass
class AttentionItem:
    kind: str
    record_id: str
    name: str | None
    problem: str


def fields_counted(kind: str) -> tuple[str, ...]:
    if kind in TRANSFER_FIELDS:
        return TRANSFER_FIELDS[kind]
    entity = ENTITIES[kind]
    return tuple(c.name for c in entity.columns if not c.required and c.name not in ("synthetic", "notes"))


def completeness(settings: Settings, kb: KnowledgeBase, kind: str, record_id: str) -> Completeness:
    check_kind(kind)
    stored = store.read_record(kb, kind, record_id)
    if stored.props is None:
        raise RecordNotFound(f"There is no {describe(kind, record_id)}.")
    props = stored.props
    filled, missing = [], []
    for name in fields_counted(kind):
        value = props.get(name)
        (filled if value not in (None, "", []) else missing).append(name)
    related = [(name, column) for name, (column, kinds) in RELATED.items() if kinds == kind]
    if related:
        counts = store.related_counts(kb, kind, record_id)
        for name, column in related:
            (filled if counts.get(column) else missing).append(name)
    total = len(filled) + len(missing)
    return Completeness(round(len(filled) / total, 3) if total else 1.0, filled, missing)


def attention(settings: Settings, kb: KnowledgeBase, limit: int = ATTENTION_LIMIT) -> list[AttentionItem]:
    """What most needs attention, worst first: missing evidence, missing sources, orphan
    organisations, people with no ties (synthetic records are left out; at most `limit`)."""
    return [AttentionItem(r["kind"], r["id"], r["name"], r["problem"]) for r in store.attention(kb, limit)]


def search_records(settings: Settings, kb: KnowledgeBase, kind: str, text: str, limit: int = 20) -> list[tuple[str, str]]:
    """(id, name) of records of a kind ("actors" for organisations and people alike) whose id
    or name contains the text, for the forms' pickers."""
    if kind != "actors" and kind not in ENTITIES:
        raise InputError(f"unknown kind {kind!r}")
    if kind in ("ties", "adoptions", "layer_links"):
        raise InputError(f"{kind} are not picked by search")
    text = (text or "").strip().lower()[:200]
    return [(r["id"], r["name"]) for r in store.search(kb, kind, text, max(1, min(int(limit), 200)))]


__all__ = ["AttentionItem", "Completeness", "TRANSFER_FIELDS", "attention", "completeness", "search_records"]
