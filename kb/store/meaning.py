"""Embeddings in Neo4j: read each node's text, store its vector, and search a kind by
vector and full-text index at once (cypher/meaning/). The vectors come from kb.meaning."""

from __future__ import annotations

import time
import weakref
from dataclasses import dataclass

from kb.meaning import KINDS, Kind, document, embed, text_hash
from kb.store.connection import KnowledgeBase
from kb.store.cypher import statement

WRITE_BATCH = 500


@dataclass
class Refreshed:
    """What a refresh embedded, per kind: nodes seen and nodes (re-)embedded."""

    seen: dict[str, int]
    embedded: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.embedded.values())


# The online indexes, per connection, for INDEX_CACHE_SECONDS: `kb find` asks the server
# once, not on every search (a search that meets a dropped index asks again, kb/services/find.py).
INDEX_CACHE_SECONDS = 30.0
_online: "weakref.WeakKeyDictionary[KnowledgeBase, tuple[float, frozenset[str]]]" = weakref.WeakKeyDictionary()


def online_indexes(kb: KnowledgeBase, *, fresh: bool = False) -> frozenset[str]:
    cached = _online.get(kb)
    if not fresh and cached and time.monotonic() - cached[0] < INDEX_CACHE_SECONDS:
        return cached[1]
    names = frozenset(r["name"] for r in kb.read(statement("meaning/indexes")))
    _online[kb] = (time.monotonic(), names)
    return names


def forget_indexes(kb: KnowledgeBase) -> None:
    _online.pop(kb, None)


def refresh(kb: KnowledgeBase, kinds: list[str] | None = None, *, everything: bool = False) -> Refreshed:
    """Embed the nodes whose text changed since their embedding was computed, or that have
    none (a load that changes a row replaces its properties, embedding included); with
    `everything`, every node. Kinds with no nodes are skipped."""
    seen, done = {}, {}
    for name in kinds or list(KINDS):
        kind = KINDS[name]
        rows = kb.read(statement("meaning/texts"), {"label": kind.label, "fields": list(kind.fields)})
        seen[name] = len(rows)
        todo = []
        for r in rows:
            text = document(r["values"])
            h = text_hash(text)
            if everything or not r["embedded"] or r["embedded_hash"] != h:
                todo.append((r["node"], text, h))
        vectors = embed([t for _, t, _ in todo]) if todo else []
        write(kb, [{"node": i, "vector": v, "hash": h if v is not None else None}
                         for (i, _, h), v in zip(todo, vectors)])
        done[name] = len(todo)
    return Refreshed(seen, done)


def write(kb: KnowledgeBase, rows: list[dict]) -> None:
    for start in range(0, len(rows), WRITE_BATCH):
        kb.write(statement("meaning/write-embeddings"), {"rows": rows[start:start + WRITE_BATCH]})


def search(kb: KnowledgeBase, kinds: list[Kind], online: frozenset[str], vector: list[float], words: str | None,
           k: int, timeout: float | None = None) -> list[dict]:
    """Candidates of every kind with their two scores, in one round trip (cypher/meaning/find.cypher)."""
    specs = [{"name": kind.name, "vector_index": kind.vector_index, "text_index": kind.text_index,
              "text": kind.text_index in online} for kind in kinds]
    return kb.read(statement("meaning/find"), {"kinds": specs, "vector": vector, "words": words, "k": k},
                   timeout=timeout)
