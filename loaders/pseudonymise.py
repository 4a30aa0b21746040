"""Pseudonymisation at load: people are personal data.

With a key (kept outside the database: KB_PSEUDONYM_KEY or the file named by
KB_PSEUDONYM_KEY_FILE), every person's id becomes a stable keyed hash,
`p-` + HMAC-SHA256(key, id)[:16], their name becomes `Person ` + the first 6 hex digits,
and the free-text fields that may identify them (`role`, `notes`) are dropped. Every
reference to the person (ties, originators, adopters) is rewritten the same way, so
analyses run unchanged without names.

Free text elsewhere may name people too ("met Alice Wonderland at the summit"):

* the `notes` of a tie with a person at either end are dropped (a note on a tie between
  people is about them);
* any other free-text cell of the load (every text column that is not an id, a reference or
  a vocabulary: notes, descriptions, titles, findings, ...) that contains the name or the
  real id of a person of this load refuses the load, each cell located (file:row:column),
  so that nothing is stored until the text is edited. Names are matched as whole words,
  ignoring case and spacing; people loaded earlier are not checked (their names are not
  stored). The same key always gives the same pseudonym, so
later loads (and `kb forget` with the real id) find the same person; without the key the
names cannot be recovered from the database, its exports or the UI.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from pathlib import Path
from typing import Callable

from kb.model import ENTITIES, LoadBatch, Problem

DROPPED_PERSON_FIELDS = ("role", "notes")
DROPPED_TIE_FIELDS = ("notes",)
_PSEUDONYM = re.compile(r"p-[0-9a-f]{16}")
_WORD = re.compile(r"[^\W_]+(?:[_.\-][^\W_]+)*")


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

    mentions = _Mentions(batch.records["people"])
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
        touches_person = False
        for end in ("from", "to"):
            if r.values.get(end):
                touches_person |= mapped(r.values[end]) != r.values[end] or bool(_PSEUDONYM.fullmatch(r.values[end]))
                r.values[end] = mapped(r.values[end])
        if touches_person:
            for name in DROPPED_TIE_FIELDS:
                r.values.pop(name, None)
    for r in batch.records["innovations"]:
        if r.values.get("originators"):
            r.values["originators"] = [mapped(a) for a in r.values["originators"]]
    for r in batch.records["adoptions"]:
        if r.values.get("adopters"):
            r.values["adopters"] = [mapped(a) for a in r.values["adopters"]]
    problems = mentions.find(batch)
    if problems:
        from loaders.validation import LoadRefused

        raise LoadRefused(problems)
    return len(people)


class _Mentions:
    """The names and real ids of the people of a load, found as whole words in free text."""

    def __init__(self, people_records):
        self.phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for r in people_records:
            for text, what in ((r.values.get("name"), "name"), (r.values.get("id"), "id")):
                words = tuple(w.lower() for w in _WORD.findall(text)) if isinstance(text, str) else ()
                if words:
                    self.phrases.setdefault(words[0], []).append((words, f"the {what} {text!r}"))

    def first(self, text: str) -> str | None:
        words = [w.lower() for w in _WORD.findall(text)]
        for i, word in enumerate(words):
            for phrase, what in self.phrases.get(word, ()):
                if tuple(words[i:i + len(phrase)]) == phrase:
                    return what
        return None

    def find(self, batch: LoadBatch) -> list[Problem]:
        problems = []
        for entity, records in batch.records.items():
            columns = [c.name for c in ENTITIES[entity].columns
                       if c.type == "str" and not c.refers_to and not c.vocabulary
                       and c.name not in ENTITIES[entity].key]
            if entity == "people":
                columns = [c for c in columns if c != "name"]
            for r in records:
                for column in columns:
                    text = r.values.get(column)
                    what = self.first(text) if isinstance(text, str) and text else None
                    if what:
                        problems.append(Problem(r.origin.file, r.origin.row, column,
                                                f"names a person who is being pseudonymised ({what}); this text "
                                                "would be stored as it is: remove the name, or load without "
                                                "--pseudonymise"))
        return problems
