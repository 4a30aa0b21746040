"""What a user types into a search box: bounded (a clear message instead of a server
error for long or odd input) and widened to British and American spellings."""

from __future__ import annotations

import re

MAX_CHARS = 200
MAX_WORDS = 20
MAX_WORD = 40  # Lucene refuses a prefix query over a very long word ("automaton is too large")

# Whole words the suffix rules below do not reach.
PAIRS = {"neighbourhood": "neighborhood", "neighbourhoods": "neighborhoods", "neighbour": "neighbor",
         "neighbours": "neighbors", "behaviour": "behavior", "behaviours": "behaviors", "colour": "color",
         "labour": "labor", "programme": "program", "programmes": "programs", "centre": "center",
         "centres": "centers", "favour": "favor", "honour": "honor", "harbour": "harbor", "fibre": "fiber",
         "theatre": "theater", "practise": "practice", "licence": "license", "defence": "defense",
         "ageing": "aging", "enrolment": "enrollment", "fulfil": "fulfill", "travelling": "traveling"}
US_TO_UK = {us: uk for uk, us in PAIRS.items()}
SUFFIXES = (("isation", "ization"), ("isations", "izations"), ("ise", "ize"), ("ised", "ized"), ("ises", "izes"),
            ("ising", "izing"), ("yse", "yze"), ("ysed", "yzed"))


def problem(text: str, max_chars: int = MAX_CHARS, max_words: int = MAX_WORDS) -> str | None:
    """Why this search text cannot be searched (None when it can)."""
    text = text or ""
    if len(text) > max_chars:
        return (f"The search text is too long ({len(text):,} characters; at most {max_chars}). "
                "Use a few words that the innovations you want would contain.")
    words = text.split()
    if len(words) > max_words:
        return f"Too many words ({len(words)}; at most {max_words}). Use a few distinctive words."
    long = [w for w in words if len(w) > MAX_WORD]
    if long:
        return (f"A word is too long to search ({len(long[0])} characters; at most {MAX_WORD}): "
                f"{long[0][:30]}…")
    if any(ord(c) < 32 and c not in "\t\n\r" for c in text):
        return "The search text holds control characters: type or paste plain words."
    return None


def variants(word: str) -> list[str]:
    """The word and its other spelling (British or American), lower case."""
    w = word.lower()
    out = [w]
    other = PAIRS.get(w) or US_TO_UK.get(w)
    if other:
        out.append(other)
    for uk, us in SUFFIXES:
        if w.endswith(uk) and len(w) > len(uk) + 2:
            out.append(w[: -len(uk)] + us)
        elif w.endswith(us) and len(w) > len(us) + 2:
            out.append(w[: -len(us)] + uk)
    return list(dict.fromkeys(out))


def is_plain_word(word: str) -> bool:
    return re.fullmatch(r"[A-Za-z]+", word) is not None
