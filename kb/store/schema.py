"""Constraints and indexes, kept as Cypher in cypher/schema/*.cypher and applied idempotently."""

from __future__ import annotations

from pathlib import Path

from kb.store.connection import KnowledgeBase
from kb.store.cypher import CYPHER_DIR, split_statements

SCHEMA_DIR = CYPHER_DIR / "schema"


def schema_statements(schema_dir: Path = SCHEMA_DIR) -> list[str]:
    statements: list[str] = []
    for path in sorted(schema_dir.glob("*.cypher")):
        statements.extend(split_statements(path.read_text()))
    return statements


def apply_schema(kb: KnowledgeBase, schema_dir: Path = SCHEMA_DIR) -> int:
    """Apply every schema statement (each is IF NOT EXISTS) and wait for indexes to come online."""
    n = kb.run_statements(schema_statements(schema_dir))
    kb.write("CALL db.awaitIndexes(300)")
    return n
