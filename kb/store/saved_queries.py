"""Saved console queries, one user's at a time, in Neo4j (cypher/saved/): a
:SavedQuery {user, name, query | text, params (JSON text), saved_at} node per saved query,
keyed by (user, name). Checking and the user's rights are the service's
(kb/services/saved_queries.py)."""

from __future__ import annotations

from kb.store.connection import KnowledgeBase
from kb.store.cypher import statement


def save(kb: KnowledgeBase, user: str, name: str, query: str | None, text: str | None, params: str,
         at: str) -> dict:
    """Create or replace; the row says whether it was created."""
    return kb.write(statement("saved/save"), {"user": user, "name": name, "query": query, "text": text,
                                              "params": params, "at": at})[0]


def for_user(kb: KnowledgeBase, user: str) -> list[dict]:
    return kb.read(statement("saved/list"), {"user": user})


def get(kb: KnowledgeBase, user: str, name: str) -> dict | None:
    rows = kb.read(statement("saved/get"), {"user": user, "name": name})
    return rows[0] if rows else None


def delete(kb: KnowledgeBase, user: str, name: str) -> bool:
    return bool(kb.write(statement("saved/delete"), {"user": user, "name": name}))
