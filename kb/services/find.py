"""Search by meaning: `kb find`, the innovation search and the transfer finder take a need
typed in the user's own words and rank problems, innovations (and the other kinds of
kb/meaning.py KINDS) by a documented mix of what it means and the words it shares with them
(docs/search.md). The embeddings are kept fresh by every load (load_files calls `refresh`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from neo4j.exceptions import ClientError, ServiceUnavailable, SessionExpired

from kb.meaning import KINDS, content_words, embed_need
from kb.services import InputError, ServiceError
from kb.settings import Settings
from kb.store import meaning as store
from kb.store.connection import KnowledgeBase

MAX_CHARS = 500          # a need is a sentence or two; full-text indexes refuse huge queries
MAX_WORDS = 40
MAX_LIMIT = 1000
# The mix (docs/search.md): cosine similarity of the need and the node's text, rescaled from
# Neo4j's (1 + cos) / 2 back to cos, plus the full-text score relative to the best match.
MEANING_WEIGHT = 0.9
TEXT_WEIGHT = 0.1
CANDIDATES = 50          # nearest by each index, per kind, before the mix is ranked
LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/&|])')


class FindInputError(InputError):
    """The text, kind or limit cannot be searched; nothing ran."""


class FindFailed(ServiceError):
    """The server could not answer the search."""


@dataclass
class Found:
    id: str
    name: str
    kind: str
    score: float
    meaning: float    # cosine similarity of need and text, -1..1
    text: float       # full-text score relative to the best hit of its kind, 0..1
    synthetic: bool

    def row(self) -> dict:
        return {"id": self.id, "name": self.name, "kind": self.kind, "score": self.score,
                "meaning": self.meaning, "text": self.text, "synthetic": self.synthetic}


COLUMNS = ["id", "name", "kind", "score", "meaning", "text", "synthetic"]


def check_text(text: str | None, what: str = "The search text") -> str:
    """The need as it will be searched (trimmed); FindInputError when it is empty, too long,
    holds control characters or has no word to search for."""
    text = (text or "").strip()
    if not text:
        raise FindInputError(f"{what} is empty: type a need in your own words.")
    if len(text) > MAX_CHARS:
        raise FindInputError(f"{what} is {len(text)} characters long; at most {MAX_CHARS} are searched. "
                             "Describe the need in a sentence or two.")
    bad = next((c for c in text if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") and c not in "\t\n\r"), None)
    if bad is not None:
        raise FindInputError(f"{what} holds a control character (U+{ord(bad):04X}); type plain text.")
    if not content_words(text):
        raise FindInputError(f"{what} has no word to search for (letters or digits).")
    return text


def full_text_words(text: str) -> str:
    """The need's content words as a Lucene query matching any of them, special characters
    escaped (the text is a parameter, never part of the Cypher), at most MAX_WORDS."""
    terms = [LUCENE_SPECIAL.sub(r"\\\1", w) for w in dict.fromkeys(content_words(text))]
    return " ".join(terms[:MAX_WORDS])


def kinds_of(kind: str | None) -> list[str]:
    if kind is None:
        return list(KINDS)
    if kind not in KINDS:
        raise FindInputError(f"--kind must be one of {', '.join(KINDS)}, not {kind!r}.")
    return [kind]


def search(settings: Settings, kb: KnowledgeBase, text: str, kind: str | None = None, limit: int = 10) -> list[Found]:
    """The `limit` best problems, innovations, ... for a need in free text, best first."""
    text = check_text(text)
    kinds = kinds_of(kind)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise FindInputError(f"--limit must be a whole number from 1 to {MAX_LIMIT}, not {limit!r}.")
    vector = embed_need(text)
    words = full_text_words(text)
    k = max(CANDIDATES, limit)
    found: list[Found] = []
    try:
        for attempt in (0, 1):
            online = store.online_indexes(kb, fresh=bool(attempt))
            searched = [KINDS[n] for n in kinds if KINDS[n].vector_index in online]  # others: not in this KB (yet)
            try:
                rows = store.search(kb, searched, online, vector, words, k,
                                    timeout=settings.kb_query_timeout) if searched else []
                break
            except ClientError:
                if attempt:
                    raise
                store.forget_indexes(kb)  # an index dropped since it was last seen: ask the server again
        for r in rows:
            cosine = 2 * r["meaning"] - 1
            found.append(Found(r["id"], r["name"], r["kind"],
                               round(MEANING_WEIGHT * cosine + TEXT_WEIGHT * r["text"], 4),
                               round(cosine, 4), round(r["text"], 4), bool(r["synthetic"])))
    except (ServiceUnavailable, SessionExpired):
        raise FindFailed("Neo4j stopped answering during the search; try again once it is back.") from None
    except ClientError as exc:
        raise FindFailed(f"The search failed: {exc.message}") from None
    if kind is not None and not any(KINDS[n].vector_index in online for n in kinds):
        raise FindInputError(f"This knowledge base has no index for {kind}s yet: run `kb init`.")
    found.sort(key=lambda f: (-f.score, f.name or "", f.id))
    return found[:limit]


def refresh(settings: Settings, kb: KnowledgeBase, kind: str | None = None, *, everything: bool = False):
    """(Re-)embed what changed (or, with `everything`, all) of one kind or every kind."""
    try:
        return store.refresh(kb, kinds_of(kind), everything=everything)
    except (ServiceUnavailable, SessionExpired):
        raise FindFailed("Neo4j stopped answering while the embeddings were written; run `kb embed` again "
                         "once it is back (what was written is kept).") from None


__all__ = ["COLUMNS", "Found", "FindInputError", "FindFailed", "MAX_CHARS", "check_text", "full_text_words",
           "search", "refresh"]
