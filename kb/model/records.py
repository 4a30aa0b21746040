"""What the loaders make of a file: records of the entities, located where they came from,
and the problems found on the way."""

from __future__ import annotations

import contextlib
import gc
from dataclasses import dataclass, field
from typing import Any, Iterator, NamedTuple

from kb.model.entities import ENTITIES

__all__ = ["Origin", "Problem", "Record", "LoadBatch", "gc_paused", "gc_frozen"]


class Origin(NamedTuple):
    """Where a record came from: file and row (1-based data row, or a JSON path). A named
    tuple: a load of 1M ties makes 1M of them (a frozen dataclass is three times slower)."""

    file: str
    row: int | str

    def at(self, column: str | None = None) -> str:
        return f"{self.file}:{self.row}" + (f":{column}" if column else "")


@dataclass(frozen=True)
class Problem:
    """One reason a load is refused, located as file:row:column."""

    file: str
    row: int | str | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f":{self.row}"
        if self.column:
            where += f":{self.column}"
        return f"{where}: {self.message}"


@dataclass(slots=True)
class Record:
    entity: str
    values: dict[str, Any]
    origin: Origin

    @property
    def key(self) -> tuple:
        return tuple(map(self.values.get, ENTITIES[self.entity].key))


@dataclass
class LoadBatch:
    """Everything read from the files of one load, before validation."""

    records: dict[str, list[Record]] = field(default_factory=lambda: {name: [] for name in ENTITIES})
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def add(self, record: Record) -> None:
        self.records[record.entity].append(record)

    def problem(self, file: str, row, column, message: str) -> None:
        self.problems.append(Problem(file, row, column, message))

    def extend(self, other: "LoadBatch") -> None:
        for name, records in other.records.items():
            self.records[name].extend(records)
        self.problems.extend(other.problems)
        self.files.extend(other.files)

    def count(self) -> dict[str, int]:
        return {name: len(rs) for name, rs in self.records.items() if rs}


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a load makes millions of records.

    Records and their values hold no reference cycles, so reference counting frees them
    all the same; but each full collection that their allocation sets off walks every
    object still alive, and reading 1M ties spent about as long in those collections as
    in reading (docs/benchmarks.md). Restored on the way out."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def gc_frozen() -> Iterator[None]:
    """Keep the cyclic garbage collector off everything alive now (a load's records) while
    it goes on collecting what is made meanwhile: the driver leaves reference cycles per
    transaction that hold the rows sent, and pausing the collector for a whole staged
    load of 1M ties kept some 700 MiB of them alive (bench/load.py: peak RSS 1.9 GiB
    against 1.4 GiB with the collector frozen instead)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
