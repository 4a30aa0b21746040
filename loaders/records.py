"""The knowledge base's entity tables: their columns, types and references.

One spec per table of docs/casebase-format.md. Every reader produces `Record`s of these
entities, so validation and the writer are shared by all formats.
"""

from __future__ import annotations

import contextlib
import gc
import re
from dataclasses import dataclass, field
from typing import Any, Iterator, NamedTuple

LAYERS = {
    "national": "National and regional bodies",
    "local_authority": "Local authority (strategic)",
    "sectoral": "Sectoral services and agencies",
    "frontline": "Frontline units",
    "community": "Individuals, service users, residents and community/voluntary groups",
}
LAYER_ORDER = tuple(LAYERS)
LIFECYCLE_STAGES = ("identify_problems", "generate_ideas", "develop_proposals", "implement", "evaluate", "diffuse")
ADOPTION_OUTCOMES = ("successful", "promising", "mixed", "failed", "ongoing", "unknown")
LAYER_LINK_QUALITIES = ("rich_dense", "thin_atrophied", "fragmented", "mixed")
PROVENANCE = ("source", "section", "synthetic", "notes")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.\-]*$")
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "str"          # str, int, float, bool, list, year, date
    required: bool = False
    refers_to: str | None = None  # entity whose id this column holds (for lists: each item)
    vocabulary: str | None = None  # layer, network, lifecycle_stage, outcome, quality


@dataclass(frozen=True)
class Entity:
    name: str                  # table name == CSV file stem == Excel sheet name
    label: str                 # Neo4j label
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ("id",)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


def _cols(*columns: Column) -> tuple[Column, ...]:
    return (*columns, Column("source", refers_to="sources"), Column("section"),
            Column("synthetic", "bool"), Column("notes"))


ENTITIES: dict[str, Entity] = {e.name: e for e in (
    Entity("sources", "Source", (Column("id", required=True), Column("title", required=True), Column("author"),
                                 Column("publisher"), Column("year", "year"), Column("url"), Column("notes"))),
    Entity("problems", "Problem", _cols(Column("id", required=True), Column("name", required=True),
                                        Column("description"))),
    Entity("localities", "Locality", _cols(
        Column("id", required=True), Column("name", required=True), Column("country", required=True),
        Column("region"), Column("kind"), Column("problems", "list", refers_to="problems"))),
    Entity("case_studies", "CaseStudy", _cols(
        Column("id", required=True), Column("title", required=True),
        Column("locality", required=True, refers_to="localities"), Column("year", "year"),
        Column("summary"), Column("findings"))),
    Entity("organisations", "Organisation", _cols(
        Column("id", required=True), Column("name", required=True), Column("org_type"),
        Column("layer", required=True, vocabulary="layer"), Column("locality", refers_to="localities"),
        Column("sector"), Column("case_study", refers_to="case_studies"))),
    Entity("people", "Person", _cols(
        Column("id", required=True), Column("name", required=True), Column("role"),
        Column("layer", required=True, vocabulary="layer"),
        Column("organisations", "list", refers_to="organisations"),
        Column("locality", refers_to="localities"), Column("case_study", refers_to="case_studies"))),
    Entity("funding", "FundingInstrument", _cols(
        Column("id", required=True), Column("name", required=True), Column("instrument_type"),
        Column("funder", refers_to="organisations"), Column("description"))),
    Entity("innovations", "Innovation", _cols(
        Column("id", required=True), Column("name", required=True), Column("description"), Column("sector"),
        Column("problems", "list", refers_to="problems"),
        Column("lifecycle_stage", vocabulary="lifecycle_stage"), Column("evidence_level", "int"),
        Column("outcomes"), Column("resources"), Column("cost"), Column("transferability"),
        Column("preconditions"), Column("origin_locality", refers_to="localities"),
        Column("origin_year", "year"), Column("originators", "list", refers_to="actors"),
        Column("derived_from", refers_to="innovations"), Column("funded_by", "list", refers_to="funding"),
        Column("case_study", refers_to="case_studies"))),
    Entity("adoptions", "Adoption", _cols(
        Column("innovation", required=True, refers_to="innovations"),
        Column("locality", required=True, refers_to="localities"), Column("year", "year"),
        Column("outcome", vocabulary="outcome"), Column("adaptation"),
        Column("adopters", "list", refers_to="actors")), key=("innovation", "locality")),
    Entity("ties", "TIE", _cols(
        Column("from", required=True, refers_to="actors"), Column("to", required=True, refers_to="actors"),
        Column("network", required=True, vocabulary="network"), Column("weight", "float"),
        Column("date", "date")), key=("from", "to", "network")),
    Entity("layer_links", "LayerLink", _cols(
        Column("locality", required=True, refers_to="localities"),
        Column("from_layer", required=True, vocabulary="layer"),
        Column("to_layer", required=True, vocabulary="layer"),
        Column("quality", required=True, vocabulary="quality"), Column("description")),
        key=("locality", "from_layer", "to_layer")),
)}

# Write order: referenced entities before the ones referring to them.
WRITE_ORDER = ("sources", "problems", "localities", "case_studies", "organisations", "people", "funding",
               "innovations", "adoptions", "ties", "layer_links")
ACTOR_ENTITIES = ("organisations", "people")


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
