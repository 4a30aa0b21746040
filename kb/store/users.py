"""Users, their roles and password hashes, and the sign-in back-off, in Neo4j
(cypher/access/). Only hashes are stored; hashing is the service's (kb/services/access.py)."""

from __future__ import annotations

import time

from kb.store.connection import KnowledgeBase
from kb.store.cypher import statement


def add(kb: KnowledgeBase, name: str, role: str, password_hash: str, created: str) -> bool:
    """Create the user; False when the name is taken (nothing changed)."""
    return bool(kb.write(statement("access/user-add"),
                         {"name": name, "role": role, "hash": password_hash, "created": created}))


def get(kb: KnowledgeBase, name: str) -> dict | None:
    rows = kb.read(statement("access/user-get"), {"name": name})
    return rows[0] if rows else None


def all_users(kb: KnowledgeBase) -> list[dict]:
    return kb.read(statement("access/user-list"))


def set_role(kb: KnowledgeBase, name: str, role: str) -> bool:
    return bool(kb.write(statement("access/user-role"), {"name": name, "role": role}))


def set_password_hash(kb: KnowledgeBase, name: str, password_hash: str) -> bool:
    return bool(kb.write(statement("access/user-password"), {"name": name, "hash": password_hash}))


def remove(kb: KnowledgeBase, name: str) -> int | None:
    """The number of the user's saved queries removed with them; None when there is no such user."""
    rows = kb.write(statement("access/user-remove"), {"name": name})
    return int(rows[0]["saved_queries"]) if rows else None


def failures(kb: KnowledgeBase, keys: list[str]) -> dict[str, tuple[int, float]]:
    """Failed sign-ins per key: (count, seconds since the last), as the server stored them."""
    now = time.time()
    return {r["key"]: (int(r["failures"]), max(0.0, now - float(r["last_epoch"])))
            for r in kb.read(statement("access/backoff-read"), {"keys": keys})}


def fail(kb: KnowledgeBase, keys: list[str]) -> None:
    kb.write(statement("access/backoff-fail"), {"keys": keys, "epoch": time.time()})


def clear(kb: KnowledgeBase, keys: list[str]) -> None:
    kb.write(statement("access/backoff-clear"), {"keys": keys})
