"""Forgetting a person: remove them, their ties, memberships and scores in one transaction.
With pseudonymised people the stored id is the pseudonym of the real one, so a real id
that names no one is tried again as its pseudonym (when a key is configured)."""

from __future__ import annotations

from kb.services import InputError
from kb.services.loading import pseudonym_of
from kb.settings import Settings
from kb.store.connection import KnowledgeBase
from kb.store.forget import ForgetError, ForgetResult, forget_person


class ForgetRefused(InputError):
    """No such person (or the id is not a person's); nothing was changed."""


def forget(settings: Settings, kb: KnowledgeBase, person_id: str) -> ForgetResult:
    try:
        return forget_person(kb, person_id)
    except ForgetError as exc:
        alias = pseudonym_of(settings, person_id)
        if alias is None or "no person" not in str(exc):
            raise ForgetRefused(str(exc)) from None
        try:
            return forget_person(kb, alias)
        except ForgetError:
            raise ForgetRefused(str(exc)) from None


__all__ = ["ForgetRefused", "ForgetResult", "forget"]
