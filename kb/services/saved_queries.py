"""Saved queries: each signed-in user keeps console queries under names of their own, and
sees only their own.

A saved query is either a named query of cypher/ with the parameter values given to it, or
the user's own Cypher with its parameters (a JSON object). Saving under a name the user has
used already replaces that saved query. Any signed-in user may save, viewers included:
a saved query changes nothing in the knowledge base (it is kept beside it, like a bookmark,
and runs read-only like any console query), so it needs no editing right and leaves no
:Change in the history. Signed-out viewers keep the console's bookmarkable URLs.

The CLI (`kb saved`) acts for the operator's login name unless `--user` names another user.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, field

from kb.services import InputError
from kb.services.access import User, require
from kb.services.queries import named_query
from kb.settings import Settings
from kb.store import saved_queries as store
from kb.store.connection import KnowledgeBase

MAX_NAME_CHARS = 80
MAX_TEXT_CHARS = 20_000  # as much as the console keeps from a shared URL
MAX_SAVED = 200          # per user


class SavedQueryError(InputError):
    """A name, query or parameters that cannot be saved, or a saved query that does not exist."""


@dataclass(frozen=True)
class SavedQuery:
    user: str
    name: str
    query: str | None = None    # a named query of cypher/ ...
    text: str | None = None     # ... or the user's own Cypher
    params: dict = field(default_factory=dict)
    saved_at: str = ""

    @property
    def kind(self) -> str:
        return "named" if self.query else "own"

    def as_dict(self) -> dict:
        return {"user": self.user, "name": self.name, "kind": self.kind, "query": self.query, "text": self.text,
                "params": self.params, "saved_at": self.saved_at}


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise SavedQueryError("Name: give the saved query a name.")
    if len(name) > MAX_NAME_CHARS:
        raise SavedQueryError(f"Name: at most {MAX_NAME_CHARS} characters (this one has {len(name)}).")
    if any(not c.isprintable() for c in name):
        raise SavedQueryError("Name: use printable characters only (no tabs or line breaks).")
    return name


def _params(params) -> dict:
    if params is None:
        return {}
    if isinstance(params, str):
        try:
            params = json.loads(params or "{}")
        except ValueError as exc:
            raise SavedQueryError(f"Parameters: not valid JSON ({exc}).") from None
    if not isinstance(params, dict):
        raise SavedQueryError("Parameters: they must be a JSON object, e.g. {\"locality\": \"knowsley\"}.")
    return params


def _row(r: dict) -> SavedQuery:
    try:
        params = json.loads(r.get("params") or "{}")
    except ValueError:
        params = {}
    return SavedQuery(r["user"], r["name"], r.get("query"), r.get("text"), params if isinstance(params, dict) else {},
                      r.get("saved_at") or "")


def save(settings: Settings, kb: KnowledgeBase, user: User | None, name: str, *, query: str | None = None,
         text: str | None = None, params=None) -> SavedQuery:
    """Save (or replace) the user's query under `name`: a named query (`query`) or their own
    Cypher (`text`), with its parameters (a dict or a JSON object's text)."""
    user = require(user, "viewer")
    name = check_name(name)
    if bool(query) == bool(text and text.strip()):
        raise SavedQueryError("Save either a named query or your own Cypher (one of the two).")
    if query:
        named_query(query)  # QueryInputError (an InputError) when there is no such query
    elif len(text) > MAX_TEXT_CHARS:
        raise SavedQueryError(f"Cypher: at most {MAX_TEXT_CHARS:,} characters can be saved (this has {len(text):,}).")
    values = _params(params)
    encoded = json.dumps(values, ensure_ascii=False, default=str, sort_keys=True)
    if len(encoded) > MAX_TEXT_CHARS:
        raise SavedQueryError(f"Parameters: at most {MAX_TEXT_CHARS:,} characters can be saved.")
    if store.get(kb, user.name, name) is None and len(store.for_user(kb, user.name)) >= MAX_SAVED:
        raise SavedQueryError(f"You have {MAX_SAVED} saved queries, the most one user can keep: delete one first.")
    at = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    return _row(store.save(kb, user.name, name, query or None, None if query else text, encoded, at))


def list_saved(settings: Settings, kb: KnowledgeBase, user: User | None) -> list[SavedQuery]:
    """The user's own saved queries, by name."""
    user = require(user, "viewer")
    return [_row(r) for r in store.for_user(kb, user.name)]


def get(settings: Settings, kb: KnowledgeBase, user: User | None, name: str) -> SavedQuery:
    user = require(user, "viewer")
    row = store.get(kb, user.name, (name or "").strip())
    if row is None:
        raise SavedQueryError(f"{user.name} has no saved query named {name!r}.")
    return _row(row)


def delete(settings: Settings, kb: KnowledgeBase, user: User | None, name: str) -> None:
    user = require(user, "viewer")
    if not store.delete(kb, user.name, (name or "").strip()):
        raise SavedQueryError(f"{user.name} has no saved query named {name!r}; nothing was deleted.")


__all__ = ["SavedQuery", "SavedQueryError", "save", "list_saved", "get", "delete", "check_name",
           "MAX_NAME_CHARS", "MAX_TEXT_CHARS", "MAX_SAVED"]
