"""The ties of a bulk first load written a column at a time (kb.store.bulk_files): 1M ties
are 1M rows, and building a dict, a JSON text and a CSV line per row in Python was most of
the time spent writing the import files.

Each column's distinct values are encoded once (as JSON for the content hash, as an
importer cell for the file) and the rows are joined from the encoded columns. The content
hash equals kb.store.writer.statement_row's exactly (the same JSON text: keys sorted, the
default separators, `json.dumps` of every value), so that a later `kb load` of the same rows
finds them unchanged; tests/test_bulk_columns.py checks this on the bundled data and on
awkward values. A value of a type this path does not know raises NotColumnar, and the caller
writes the rows one by one instead (which locates the problem).
"""

from __future__ import annotations

import hashlib
import json
import os
from operator import itemgetter
from pathlib import Path

from kb.model import Record


# From this many ties on, the ties file is written by a forked process while this one writes
# the rest (two cores: the nodes, the other relationships and the ties take similar time).
FORK_TIES = 200_000


class NotColumnar(ValueError):
    """A value this path cannot encode (the row-by-row path reports it)."""


def _cell(value) -> str:
    """An importer CSV cell of one scalar value (as kb.store.bulk_files writes them)."""
    kind = value.__class__
    if kind is str:
        return '"' + value.replace('"', '""') + '"'
    if kind is bool:
        return "true" if value else "false"
    if kind is int or kind is float:
        return repr(value)
    if value is None:
        return ""
    raise NotColumnar(f"a value of type {kind.__name__}")


def _encoded(values: list, encode) -> list[str]:
    """encode(v) for each value, computed once per distinct value (per distinct (type,
    value) when the column mixes types: True, 1 and 1.0 are equal keys)."""
    kinds = set(map(type, values))
    kinds.discard(type(None))
    try:
        if len(kinds) <= 1:
            table = {v: encode(v) for v in set(values)}
            return list(map(table.__getitem__, values))
        pairs = list(zip(map(type, values), values))
        table = {pair: encode(pair[1]) for pair in set(pairs)}
        return list(map(table.__getitem__, pairs))
    except TypeError:  # an unhashable value (a list): encode each
        return [encode(v) for v in values]


def _columns(records: list[Record], keys, shapes: set[tuple] | None = None) -> dict[str, list]:
    """Each key's values, None where a record has none; `synthetic` False where it has none
    (statement_row's setdefault). `shapes`: the records' distinct key tuples, if known."""
    dicts = [r.values for r in records]
    shapes = shapes if shapes is not None else {tuple(d) for d in dicts}
    whole = set.intersection(*map(set, shapes)) if shapes else set()
    columns = {}
    for key in keys:
        values = list(map(itemgetter(key), dicts)) if key in whole else [d.get(key) for d in dicts]
        if key == "synthetic":
            values = [False if v is None else v for v in values]
        columns[key] = values
    return columns


def hash_keys(shapes: set[tuple]) -> list[str]:
    """Every key of these shapes of records' values, and `synthetic`, in statement_row's JSON order."""
    return sorted(set().union(*shapes) | {"synthetic"})


def content_hashes(records: list[Record], columns: dict[str, list] | None = None,
                   shapes: set[tuple] | None = None) -> list[str]:
    """Each record's `content_hash`, as kb.store.writer.statement_row computes it (from
    `columns`, _columns of these records, when given)."""
    if not records:
        return []
    shapes = shapes if shapes is not None else {tuple(r.values) for r in records}
    keys = hash_keys(shapes)
    columns = columns if columns is not None and set(keys) <= set(columns) else _columns(records, keys, shapes)
    parts = []
    for key in keys:
        prefix = json.dumps(key) + ": "
        parts.append(_encoded(columns[key],
                              lambda v, p=prefix: "" if v is None else p + json.dumps(v, default=str) + ", "))
    blake = hashlib.blake2b
    return [blake(("{" + row[:-2] + "}").encode(), digest_size=8).hexdigest() for row in map("".join, zip(*parts))]


def superseded_marks(records: list[Record]) -> list[bool | None]:
    """`superseded` of each tie as the writer's ties-supersede statement leaves it on an
    empty database: of the ties one pair has in one network type, where one has a round,
    all but the latest (by date, then round id) are marked true; the others have none."""
    marks: list[bool | None] = [None] * len(records)
    rounds = [r.values.get("round") for r in records]
    if all(x is None for x in rounds):
        return marks
    pairs = [(r.values.get("from"), r.values.get("to"), r.values.get("network")) for r in records]
    with_round = {pair for pair, rnd in zip(pairs, rounds) if rnd is not None}
    groups: dict[tuple, list[int]] = {}
    for i, pair in enumerate(pairs):
        if pair in with_round:
            groups.setdefault(pair, []).append(i)
    for members in groups.values():
        if len(members) > 1:
            members.sort(key=lambda i: (records[i].values.get("date") or "", rounds[i] or ""), reverse=True)
            for i in members[1:]:
                marks[i] = True
    return marks


def write_ties(path: Path, header: str, records: list[Record], properties: list[str], load_id: str,
               loaded_at: str, marks: list[bool | None], chunk: int = 200_000) -> bool:
    """Write the ties file (START_ID, END_ID, then `properties` in order: the tie's columns,
    content_hash, source_row, source_file, load_id, loaded_at, superseded); whether any text
    holds a line break. NotColumnar when a value cannot be encoded here (nothing useful is
    left in the file then: the caller writes it again)."""
    fixed = {"content_hash", "source_row", "source_file", "load_id", "loaded_at", "superseded"}
    shapes = {tuple(r.values) for r in records}
    values = _columns(records, sorted({"from", "to", *hash_keys(shapes), *(p for p in properties if p not in fixed)}),
                      shapes)
    cells = {name: _encoded(values[name], _cell) for name in ["from", "to", *properties] if name not in fixed}
    n = len(records)
    cells["content_hash"] = ['"' + h + '"' for h in content_hashes(records, values, shapes)]
    cells["source_row"] = ['"' + str(r.origin.row) + '"' for r in records]
    cells["source_file"] = _encoded([r.origin.file for r in records], _cell)
    cells["load_id"], cells["loaded_at"] = [_cell(load_id)] * n, [_cell(loaded_at)] * n
    cells["superseded"] = ["true" if m else "" for m in marks]
    order = [cells[name] for name in ["from", "to", *properties]]
    multiline = False
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(header + "\n")
        for start in range(0, n, chunk):
            text = "\n".join(map(",".join, zip(*(c[start:start + chunk] for c in order)))) + "\n"
            multiline = multiline or text.count("\n") != min(chunk, n - start) or "\r" in text
            out.write(text)
    return multiline


def write_ties_aside(path: Path, header: str, records: list[Record], properties: list[str], load_id: str,
                     loaded_at: str, marks: list[bool | None]):
    """write_ties in a forked process (from FORK_TIES ties on, where fork exists), so that the
    caller writes its other files meanwhile; returns a function that waits for it (once; later
    calls repeat the answer) and returns what write_ties returns (NotColumnar as write_ties
    raises it; after any other failure of the child the file is written again here)."""
    arguments = (path, header, records, properties, load_id, loaded_at, marks)
    answer: list = []

    def settle(run) -> bool:
        if not answer:
            try:
                answer.append((run(), None))
            except NotColumnar as exc:
                answer.append((None, exc))
        done, failure = answer[0]
        if failure is not None:
            raise failure
        return done

    if len(records) < FORK_TIES or not hasattr(os, "fork"):
        settle(lambda: write_ties(*arguments))
        return lambda: settle(None)
    pid = os.fork()
    if pid == 0:  # the child: write the file, say how by the exit code, and leave at once
        code = 4
        try:
            code = 1 if write_ties(*arguments) else 0
        except NotColumnar:
            code = 3
        finally:
            os._exit(code)

    def wait() -> bool:
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if code in (0, 1):
            return bool(code)
        if code == 3:
            raise NotColumnar("a value the columnar path cannot encode")
        return write_ties(*arguments)
    return lambda: settle(wait)
