"""The actor id rule inside the write transaction: organisations and people share one id
space (both are MERGEd on (:Actor {id})), so no node may become both.

Validation (loaders/validation.py with known_ids) refuses such ids first, but it reads the
stored ids before the write transaction starts, and two loads started together cannot see
each other there. The guarantee is here: every load takes the vocabulary's write locks at
the start of each transaction (cypher/writer/vocabulary.cypher), so loads are serialised,
and the person and organisation statements return the ids the node already holds as the
other kind (`clashes`) without writing them; the writer raises ActorKindConflict before the
commit, which rolls the transaction back.
"""

from __future__ import annotations

from kb.model import Problem


class ActorKindConflict(RuntimeError):
    """Rows whose id the knowledge base already holds as the other kind of actor (a person
    with an organisation's id, or the reverse), found inside the write transaction: another
    load wrote it after this one was validated. The transaction (for a staged load, this
    chunk) was rolled back. `problems` are located like validation's."""

    def __init__(self, problems: list[Problem], staged: tuple[str, int, int] | None = None):
        # staged: (load id, chunks written, chunks in all) when a staged load stopped here
        self.problems, self.staged = problems, staged
        super().__init__("; ".join(map(str, problems)))


_OTHER_KIND = {"people": "an organisation", "organisations": "a person"}


def check_clashes(name: str, record, files: list[str]) -> None:
    """Fail the transaction (by raising before the commit) when the statement found ids of
    the other kind of actor (people.cypher and organisations.cypher return them)."""
    clashes = record.get("clashes") if name in _OTHER_KIND else None
    if clashes:
        raise ActorKindConflict([
            Problem(files[c["f"]], int(c["row"]) if str(c["row"]).isdigit() else c["row"], "id",
                    f"id {c['id']!r} is already {_OTHER_KIND[name]} in the knowledge base (written by another "
                    "load at the same time); organisations and people need different ids")
            for c in sorted(clashes, key=lambda c: (c["f"], int(c["row"]) if str(c["row"]).isdigit() else 0))])


__all__ = ["ActorKindConflict", "check_clashes"]
