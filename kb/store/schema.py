"""Constraints and indexes, kept as Cypher in cypher/schema/*.cypher and applied idempotently."""

from __future__ import annotations

from kb.store.connection import KnowledgeBase
from kb.store.cypher import statement, statement_names, statements
from kb.store.meaning import forget_indexes

INDEX_WAIT_SECONDS = 300


def schema_statements() -> list[str]:
    """Every statement of cypher/schema/, file by file in name order."""
    return [text for name in statement_names("schema") for text in statements(name)]


def await_indexes(kb: KnowledgeBase, seconds: int = INDEX_WAIT_SECONDS) -> None:
    """Wait until every index is online (at most `seconds`)."""
    kb.write(statement("admin/await-indexes"), {"seconds": seconds})


def apply_schema(kb: KnowledgeBase) -> int:
    """Apply every schema statement (each is IF NOT EXISTS), wait for indexes to come online, and
    mark the ties the plain view leaves out (stores written before the mark, bulk loads).
    Saved queries that share a user and a name (from before their uniqueness constraint) are
    merged first, keeping the latest, so that the constraint can be created."""
    kb.write(statement("admin/saved-queries-dedupe"))
    n = kb.run_statements(schema_statements())
    await_indexes(kb)
    kb.write_in_batches(statement("admin/ties-supersede-all"))
    forget_indexes(kb)  # `kb find`'s cache of the online indexes
    return n


def apply_schema_without_waiting(kb: KnowledgeBase) -> int:
    """The schema for a database the offline importer just wrote (kb.services.bulk_load): the
    constraints first (each is created, populated and checked before the next statement),
    then the indexes, which Neo4j populates in the background while the database is already
    in use; no wait for them, and no tie marking (the import files carry the marks)."""
    texts = schema_statements()
    first = [t for t in texts if t.split(None, 2)[1:2] == ["CONSTRAINT"]]  # ("CREATE", "CONSTRAINT", ...)
    n = kb.run_statements(first + [t for t in texts if t not in first])
    forget_indexes(kb)
    return n
