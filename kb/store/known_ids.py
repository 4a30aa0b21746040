"""Which ids the knowledge base already holds: the lookup validation uses for references
and for the one id space of organisations and people."""

from __future__ import annotations

from kb.model import REFERENCE_LABELS
from kb.store.connection import KnowledgeBase
from kb.store.cypher import statement

# In known-ids.cypher, the label that known_ids replaces by one of REFERENCE_LABELS.
_LABEL_PLACEHOLDER = ":ReferenceLabel "


def known_ids(kb: KnowledgeBase):
    """A lookup for validation: which of these ids already exist in the knowledge base."""

    def lookup(target: str, ids: set[str]) -> set[str]:
        # A label from the fixed map, never from the data.
        query = statement("writer/known-ids").replace(_LABEL_PLACEHOLDER, f":{REFERENCE_LABELS[target]} ")
        found: set[str] = set()
        ids_list = sorted(ids)
        for start in range(0, len(ids_list), 50_000):
            rows = kb.read(query, {"ids": ids_list[start:start + 50_000]})
            found.update(r["id"] for r in rows)
        return found

    return lookup
