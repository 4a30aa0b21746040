"""Forgetting a person: remove them, their ties, memberships, scores and their id in stored
analysis results, in one transaction.

Which id is sent to the server: when a pseudonym key is configured (KB_PSEUDONYM_KEY or
KB_PSEUDONYM_KEY_FILE), the id given is taken as the person's real id and only its pseudonym,
computed here on the client, is sent: the real id never reaches the server (nor its query
log or statistics). An id that already is a pseudonym (`p-` and 16 hex digits) is sent as it
is. A person loaded without pseudonyms while a key is configured is forgotten by their stored
id with `real_id=True` (`kb forget --real-id ID`). Without a key the id is sent as given.
"""

from __future__ import annotations

import re

from kb.services import InputError
from kb.services.loading import LoadInputError, pseudonym_key
from kb.settings import Settings
from kb.store.connection import KnowledgeBase
from kb.store.forget import ForgetError, ForgetResult, forget_person
from loaders.pseudonymise import pseudonym

PSEUDONYM_PATTERN = re.compile(r"p-[0-9a-f]{16}")


class ForgetRefused(InputError):
    """No such person (or the id is not a person's), or no usable key; nothing was changed."""


def key_configured(settings: Settings) -> bool:
    return bool(settings.kb_pseudonym_key or settings.kb_pseudonym_key_file)


def stored_id(settings: Settings, person_id: str, real_id: bool = False) -> str:
    """The id to look the person up by (see the module's docstring)."""
    if real_id or not key_configured(settings) or PSEUDONYM_PATTERN.fullmatch(person_id):
        return person_id
    try:
        return pseudonym(pseudonym_key(settings), person_id)
    except LoadInputError as exc:
        raise ForgetRefused(f"{exc}; nothing was changed (or give the stored id with --real-id)") from None


def forget(settings: Settings, kb: KnowledgeBase, person_id: str, *, real_id: bool = False) -> ForgetResult:
    target = stored_id(settings, person_id, real_id)
    try:
        return forget_person(kb, target)
    except ForgetError as exc:
        if target != person_id:
            raise ForgetRefused(
                f"no person with the pseudonym of {person_id!r} ({target}); nothing was changed. A pseudonym key "
                "is configured, so the id is taken as a real id and only its pseudonym is looked up; a person "
                "loaded without pseudonyms is forgotten by their stored id with `kb forget --real-id ID`") from None
        raise ForgetRefused(str(exc)) from None


__all__ = ["ForgetRefused", "ForgetResult", "PSEUDONYM_PATTERN", "forget", "key_configured", "stored_id"]
