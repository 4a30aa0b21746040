"""Preparing a database: the constraints and indexes of cypher/schema/ (idempotent)."""

from __future__ import annotations

from kb.settings import Settings
from kb.store import schema
from kb.store.connection import KnowledgeBase


def apply_schema(settings: Settings, kb: KnowledgeBase) -> int:
    """Apply every schema statement; how many there are."""
    return schema.apply_schema(kb)
