"""Pseudonymisation at load: people are personal data.

With a key (kept outside the database: KB_PSEUDONYM_KEY or the file named by
KB_PSEUDONYM_KEY_FILE), every person's id becomes a stable keyed hash,
`p-` + HMAC-SHA256(key, id)[:16], their name becomes `Person ` + the first 6 hex digits,
and the free-text fields that may identify them (`role`, `notes`) are dropped. Every
reference to the person (ties, originators, adopters) is rewritten the same way, so
analyses run unchanged without names. The same key always gives the same pseudonym, so
later loads (and `kb forget` with the real id) find the same person; without the key the
names cannot be recovered from the database, its exports or the UI.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path
from typing import Callable

from kb.model import LoadBatch

DROPPED_PERSON_FIELDS = ("role", "notes")


class PseudonymKeyError(ValueError):
    """No usable key: pseudonymisation was asked for but cannot be done."""


def read_key(key: str | None, key_file: str | Path | None) -> bytes:
    if key_file:
        try:
            text = Path(key_file).read_text().strip()
        except OSError as exc:
            raise PseudonymKeyError(f"cannot read the pseudonym key file {key_file}: {exc.strerror}") from None
        if text:
            key = text
    if not key or len(key) < 16:
        raise PseudonymKeyError("pseudonymisation needs a key of at least 16 characters in KB_PSEUDONYM_KEY "
                                "or in the file named by KB_PSEUDONYM_KEY_FILE (keep it outside the database)")
    return key.encode()


def pseudonym(key: bytes, person_id: str) -> str:
    return "p-" + hmac.new(key, person_id.encode(), hashlib.sha256).hexdigest()[:16]


def pseudonymise(batch: LoadBatch, key: bytes, existing_actor: Callable[[set[str]], set[str]] | None = None) -> int:
    """Rewrite people and every reference to them in place; returns how many people.

    A reference to an id not in this load is a person loaded earlier (already
    pseudonymised) unless an actor with that very id exists: `existing_actor` tells.
    """
    people = {r.values["id"] for r in batch.records["people"] if "id" in r.values}
    organisations = {r.values["id"] for r in batch.records["organisations"] if "id" in r.values}

    references: set[str] = set()
    for r in batch.records["ties"]:
        references.update(v for v in (r.values.get("from"), r.values.get("to")) if v)
    for r in batch.records["innovations"]:
        references.update(r.values.get("originators") or [])
    for r in batch.records["adoptions"]:
        references.update(r.values.get("adopters") or [])
    outside = references - people - organisations
    stored = existing_actor(outside) if (existing_actor and outside) else set()

    def mapped(actor_id: str) -> str:
        if actor_id in people or (actor_id in outside and actor_id not in stored):
            return pseudonym(key, actor_id)
        return actor_id

    for r in batch.records["people"]:
        real = r.values.get("id")
        if real is None:
            continue
        alias = pseudonym(key, real)
        r.values["id"] = alias
        r.values["name"] = "Person " + alias[2:8].upper()
        for name in DROPPED_PERSON_FIELDS:
            r.values.pop(name, None)
    for r in batch.records["ties"]:
        for end in ("from", "to"):
            if r.values.get(end):
                r.values[end] = mapped(r.values[end])
    for r in batch.records["innovations"]:
        if r.values.get("originators"):
            r.values["originators"] = [mapped(a) for a in r.values["originators"]]
    for r in batch.records["adoptions"]:
        if r.values.get("adopters"):
            r.values["adopters"] = [mapped(a) for a in r.values["adopters"]]
    return len(people)
