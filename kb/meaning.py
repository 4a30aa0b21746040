"""Meaning: text as vectors, with the small WordLlama model that ships inside its wheel.

`kb find` ranks problems, innovations (and any kind added to KINDS) by what a need typed in
the user's own words means, not only by the words it shares with them (docs/search.md).
The model (WordLlama `l2_supercat`, 256 dimensions: token embeddings averaged) is read from
the files inside the installed `wordllama` package; nothing is downloaded, ever (the
package's own default would fetch its tokenizer, so both files are named here).

Pure: no driver, no files but the model's; kb.store.meaning stores and queries the vectors.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DIMENSIONS = 256
MODEL = "wordllama-l2_supercat-256"


@dataclass(frozen=True)
class Kind:
    """A kind of node that is searched by meaning: its label and the properties whose text
    is embedded. Its indexes are `<kind>_meaning` (vector) and `<kind>_text` (full-text),
    declared in cypher/schema/."""

    name: str
    label: str
    fields: tuple[str, ...]

    @property
    def vector_index(self) -> str:
        return f"{self.name}_meaning"

    @property
    def text_index(self) -> str:
        return f"{self.name}_text"


# One line per kind. A kind whose label has no nodes, or whose indexes are not there yet,
# is skipped by the search and by the refresh.
KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("problem", "Problem", ("name", "description")),
    Kind("innovation", "Innovation", ("name", "description", "outcomes")),
    Kind("element", "Element", ("name", "description")),
)}

# Words that carry no meaning of their own: averaged in, they only pull every text towards
# the same place, so they are left out of what is embedded (documents and needs alike).
STOP_WORDS = frozenset("""
a about after again all also am an and any are as at be been before being both but by can could did do does
doing down during each either even every few for from further get gets getting got had has have having he her
here hers him his how i if in into is it its itself just keep keeps kept let me more most much my no nor not
now of off on once only or other our ours out over own same she should so some such than that the their theirs
them then there these they this those through to too under until up us very was we were what when where which
while who whom why will with would you your yours
""".split())
WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")


def words(text: str) -> list[str]:
    """The words of a text, lower-cased (letters and digits; inner ' and - kept)."""
    return WORD.findall((text or "").lower())


def content_words(text: str) -> list[str]:
    """Its words less the stop words (all its words when nothing else is left)."""
    every = words(text)
    return [w for w in every if w not in STOP_WORDS] or every


def document(values) -> str:
    """The text embedded for a node: its fields' content words, in field order."""
    return " ".join(w for v in values if v for w in content_words(str(v)))


def text_hash(text: str) -> str:
    """What a stored embedding was computed from (model and text): re-embed when it differs."""
    return hashlib.sha256(f"{MODEL}\n{text}".encode()).hexdigest()[:24]


def model_files() -> tuple[Path, Path]:
    """The weights and the tokenizer inside the installed wordllama package."""
    import wordllama

    root = Path(wordllama.__file__).parent
    return root / "weights" / "l2_supercat_256.safetensors", root / "tokenizers" / "l2_supercat_tokenizer_config.json"


@functools.cache
def model():
    """The model, loaded once per process from the package's own files (no download)."""
    from safetensors import safe_open
    from tokenizers import Tokenizer
    from wordllama.inference import WordLlamaInference

    weights, tokenizer = model_files()
    for path in (weights, tokenizer):
        if not path.is_file():
            raise FileNotFoundError(f"The wordllama package has no {path.name} (expected {path}); "
                                    "reinstall it: pip install 'wordllama>=0.4,<0.5'.")
    with safe_open(str(weights), framework="np", device="cpu") as f:
        embedding = f.get_tensor("embedding.weight")
    return WordLlamaInference(embedding, Tokenizer.from_file(str(tokenizer)))


def embed(texts: list[str]) -> list[list[float] | None]:
    """Unit vectors (lists of DIMENSIONS floats) for texts; None for a text with no words
    (a zero vector has no cosine)."""
    out: list[list[float] | None] = [None] * len(texts)
    todo = [i for i, t in enumerate(texts) if t and t.strip()]
    if not todo:
        return out
    vectors = model().embed([texts[i] for i in todo], norm=False)
    norms = np.linalg.norm(vectors, axis=1)
    for i, v, n in zip(todo, vectors, norms):
        if n > 0 and np.isfinite(n):
            out[i] = [float(x) for x in v / n]
    return out


def embed_need(text: str) -> list[float] | None:
    """The vector of a need typed by a user (its content words), or None when it has none."""
    return embed([" ".join(content_words(text))])[0]
