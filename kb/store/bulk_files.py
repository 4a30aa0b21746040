"""The files of a bulk first load: a validated load as the CSV files of Neo4j's offline
importer (`neo4j-admin database import full`), making the same graph as the writer.

Each node and relationship gets exactly what the statements of cypher/writer/ give it:
the facts, `content_hash` and `source_row` (kb.store.writer.statement_row, so a later
`kb load` of the same rows finds them unchanged), `source_file`, `load_id` and
`loaded_at`; the links each statement MERGEs (CITES with its section, IN_LAYER, FACES,
ORIGINATED_IN with its year, ADOPTED with its locality, ...); the vocabulary (layers with
their rank, network types, sectors named as first written); and, as MERGE would, a bare
node with only its id for a reference to a record the load does not hold.

Node ids live in one id space per label, except actors: organisations (Actor:Organisation),
people (Actor:Person) and bare actors (Actor) share the `Actor` space, as ties and
memberships point at either. Text is always quoted (an empty text stays empty) and a
missing value is an empty field (no property); lists are joined by ARRAY_DELIMITER.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kb.model import ACTOR_LABEL, ENTITIES, LAYERS, WRITE_ORDER, LoadBatch, Problem, Record
from kb.store.bulk_columns import NotColumnar, superseded_marks, write_ties_aside
from kb.store.writer import statement_row

# The unit separator: never in a cell the loaders accept as a list item in practice, and
# refused if it is (an importer list cannot hold it).
ARRAY_DELIMITER = "\x1f"
ARRAY_DELIMITER_OPTION = "U+001F"
# The model's column types as the importer's header types.
HEADER_TYPES = {"str": "string", "date": "string", "int": "long", "year": "long", "float": "double",
                "bool": "boolean", "list": "string[]"}
# What the writer adds to every written row: statement_row's, then the statements' SET.
WRITER_COLUMNS = (("content_hash", "string"), ("source_row", "string"), ("source_file", "string"),
                  ("load_id", "string"), ("loaded_at", "string"))
# The tables written as a relationship, not a node: (type, from column and space, to column and space).
RELATIONSHIP_TABLES = {"ties": ("TIE", "from", ACTOR_LABEL, "to", ACTOR_LABEL),
                       "adoptions": ("ADOPTED_IN", "innovation", "Innovation", "locality", "Locality")}
# Each table's links: (type, column holding the other end(s), its id space, outgoing from the row's node?).
LINKS = {
    "localities": [("FACES", "problems", "Problem", True)],
    "case_studies": [("ABOUT", "locality", "Locality", True)],
    "organisations": [("IN_LAYER", "layer", "Layer", True), ("LOCATED_IN", "locality", "Locality", True),
                      ("DOCUMENTED_IN", "case_study", "CaseStudy", True)],
    "people": [("IN_LAYER", "layer", "Layer", True), ("MEMBER_OF", "organisations", ACTOR_LABEL, True),
               ("LOCATED_IN", "locality", "Locality", True), ("DOCUMENTED_IN", "case_study", "CaseStudy", True)],
    "funding": [("PROVIDED_BY", "funder", ACTOR_LABEL, True)],
    "innovations": [("ADDRESSES", "problems", "Problem", True), ("ORIGINATED", "originators", ACTOR_LABEL, False),
                    ("DERIVED_FROM", "derived_from", "Innovation", True),
                    ("FUNDED_BY", "funded_by", "FundingInstrument", True),
                    ("DOCUMENTED_IN", "case_study", "CaseStudy", True)],
    "elements": [("ELEMENT_OF", "innovation", "Innovation", True)],
    "preconditions": [("CONDITION_OF", "innovation", "Innovation", True), ("FOR_ELEMENT", "element", "Element", True),
                      ("ABOUT_PROBLEM", "problem", "Problem", True)],
    "layer_links": [("IN_LOCALITY", "locality", "Locality", True), ("FROM_LAYER", "from_layer", "Layer", True),
                    ("TO_LAYER", "to_layer", "Layer", True)],
}
# The history's version of every node a load created (curation/load-change.cypher on an
# empty database): the load's :Change links each by CHANGED {version: 1}, and itself too.
LOADED_VERSION = 1
CHANGE_COLUMNS = [("id", "string"), ("at", "string"), ("user", "string"), ("kind", "string"),
                  ("record_id", "string"), ("op", "string"), ("before", "string"), ("after", "string"),
                  ("reason", "string"), ("version", "long"), ("load_id", "string")]
# Relationship properties beside the entity tables': name -> importer type.
LINK_PROPERTIES = {"CITES": (("section", "string"),), "ORIGINATED_IN": (("year", "long"),),
                   "ADOPTED": (("locality", "string"),), "CHANGED": (("version", "long"),)}


class BulkFilesError(ValueError):
    """The load holds a value the importer's files cannot carry (located problems)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(map(str, problems[:5])))


@dataclass
class ImportFiles:
    """The written files: `--nodes` and `--relationships` arguments, and what they hold."""

    folder: Path
    nodes: list[tuple[str, Path]] = field(default_factory=list)          # ("Actor:Person", file)
    relationships: list[tuple[str, Path]] = field(default_factory=list)  # ("TIE", file)
    multiline: bool = False            # some text holds a line break (--multiline-fields)
    node_count: int = 0
    relationship_count: int = 0

    def arguments(self) -> list[str]:
        return ([f"--nodes={labels}={path}" for labels, path in self.nodes]
                + [f"--relationships={kind}={path}" for kind, path in self.relationships])


def entity_columns(table: str) -> list[tuple[str, str]]:
    """(property, importer type) of a table's rows as the writer stores them."""
    skip = {"from", "to"} if table == "ties" else set()
    columns = [(c.name, HEADER_TYPES[c.type]) for c in ENTITIES[table].columns if c.name not in skip]
    if "synthetic" not in {name for name, _ in columns}:
        columns.append(("synthetic", "boolean"))  # statement_row gives every row one
    if table == "layer_links":
        columns.insert(0, ("id", "string"))
    # A tie the plain view leaves out (writer/ties-supersede.cypher): kb.store.bulk_columns.
    return columns + list(WRITER_COLUMNS) + ([("superseded", "boolean")] if table == "ties" else [])


class _Uncarried(ValueError):
    """A value the importer's files cannot carry (located by the caller)."""


def _text(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if '"' in value else '"' + value + '"'


def _list(value: list) -> str:
    if not value or any(ARRAY_DELIMITER in str(item) for item in value):
        raise _Uncarried("an empty list or a list item with a control character cannot be bulk-loaded; load "
                         "these files with `kb load` (without --bulk)")
    return _text(ARRAY_DELIMITER.join(map(str, value)))


# Each Python type of a stored value as an importer cell (dispatch on the exact type: fast).
_CELL = {str: _text, bool: lambda v: "true" if v else "false", int: repr, float: repr, type(None): lambda v: "",
         list: _list}


def _line(values, record: Record | None, columns, problems: list[Problem]) -> str:
    """One CSV line (no line end) of these values; a value that cannot be carried is a
    located problem."""
    try:
        return ",".join([_CELL[v.__class__](v) for v in values])
    except (_Uncarried, KeyError):
        for value, column in zip(values, columns):
            try:
                _CELL[value.__class__](value)
            except (_Uncarried, KeyError) as exc:
                where = record.origin if record else None
                message = str(exc) if isinstance(exc, _Uncarried) else f"a value of type {type(value).__name__}"
                problems.append(Problem(where.file if where else "?", where.row if where else None, column, message))
        return ""


class _Graph:
    """The nodes and relationships of a load, as the writer's statements would make them."""

    def __init__(self, network_types):
        self.nodes: dict[str, dict[str, tuple[str, dict, Record | None]]] = {}  # space -> id -> (labels, props, record)
        self.links: dict[tuple[str, str, str], list[tuple[str, str, dict]]] = {}  # (type, from, to) -> rows
        for rank, (key, name) in enumerate(LAYERS.items()):
            self.define("Layer", key, "Layer", {"id": key, "name": name, "rank": rank})
        for network in network_types:
            self.define("NetworkType", network, "NetworkType", {"id": network})

    def define(self, space: str, key: str, labels: str, props: dict, record: Record | None = None) -> None:
        self.nodes.setdefault(space, {})[key] = (labels, props, record)

    def refer(self, space: str, key: str, props: dict | None = None) -> None:
        """MERGE (n:Space {id: key}): a bare node unless one is (or will be) defined."""
        known = self.nodes.setdefault(space, {})
        if key not in known:
            known[key] = (space, props or {"id": key}, None)

    def link(self, kind: str, start: tuple[str, str], end: tuple[str, str], props: dict | None = None) -> None:
        self.links.setdefault((kind, start[0], end[0]), []).append((start[1], end[1], props or {}))

    def add(self, table: str, record: Record, row: dict) -> None:
        entity = ENTITIES[table]
        space = ACTOR_LABEL if table in ("organisations", "people") else entity.label
        labels = f"{ACTOR_LABEL}:{entity.label}" if space == ACTOR_LABEL else space
        props = row["props"]
        props["version"] = LOADED_VERSION
        key = props["id"]
        self.define(space, key, labels, props, record)
        me = (space, key)
        for kind, column, other, outgoing in LINKS.get(table, ()):
            value = props.get(column)
            for target in (value if isinstance(value, list) else [] if value is None else [value]):
                self.refer(other, target)
                if outgoing:
                    self.link(kind, me, (other, target))
                else:
                    self.link(kind, (other, target), me)
        if table == "innovations" and props.get("origin_locality") is not None:
            self.refer("Locality", props["origin_locality"])
            self.link("ORIGINATED_IN", me, ("Locality", props["origin_locality"]), {"year": props.get("origin_year")})
        sector = row.get("sector")
        if sector is not None:
            self.refer("Sector", sector["id"], dict(sector))
            self.link("IN_SECTOR", me, ("Sector", sector["id"]))
        if props.get("source") is not None:
            self.refer("Source", props["source"])
            self.link("CITES", me, ("Source", props["source"]), {"section": props.get("section") or ""})

    def add_adoption(self, row: dict) -> None:
        props = row["props"]
        innovation, locality = props["innovation"], props["locality"]
        self.refer("Innovation", innovation)
        self.refer("Locality", locality)
        self.link("ADOPTED_IN", ("Innovation", innovation), ("Locality", locality), props)
        for actor in props.get("adopters") or []:
            self.refer(ACTOR_LABEL, actor)
            self.link("ADOPTED", (ACTOR_LABEL, actor), ("Innovation", innovation), {"locality": locality})


def _with_writer_props(row: dict, record: Record, load: dict) -> dict:
    row["props"].update(source_file=record.origin.file, **load)
    return row


def write_import_files(batch: LoadBatch, network_types, folder: Path, load_id: str, loaded_at: str,
                       change: dict | None = None) -> ImportFiles:
    """Write a validated batch as the importer's CSV files in `folder` (BulkFilesError
    when a value cannot be carried); with `change` (kb.store.curation.load_change), the
    history's record of the load too, as curation/load-change.cypher would write it."""
    folder.mkdir(parents=True, exist_ok=True)
    load = {"load_id": load_id, "loaded_at": loaded_at}
    # The ties first (a column at a time; by another process if there are many), the rest meanwhile.
    ties = batch.records.get("ties") or []
    ties_path, tie_columns, marks = folder / "rels-TIE.csv", entity_columns("ties"), superseded_marks(ties)
    if ties:
        header = ",".join([f":START_ID({ACTOR_LABEL})", f":END_ID({ACTOR_LABEL})"]
                          + [f"{name}:{kind}" for name, kind in tie_columns])
        ties_written = write_ties_aside(ties_path, header, ties, [name for name, _ in tie_columns], load_id,
                                        loaded_at, marks)
        try:
            return _write_the_rest(batch, network_types, folder, load, change, ties, ties_written, ties_path,
                                   tie_columns, marks)
        finally:
            try:
                ties_written()  # (answered already, unless the rest failed: then the child is waited for)
            except NotColumnar:
                pass
    return _write_the_rest(batch, network_types, folder, load, change, ties, None, ties_path, tie_columns, marks)


def _write_the_rest(batch: LoadBatch, network_types, folder: Path, load: dict, change: dict | None, ties,
                    ties_written, ties_path: Path, tie_columns, marks) -> ImportFiles:
    graph = _Graph(network_types)
    files = ImportFiles(folder)
    problems: list[Problem] = []
    for table in WRITE_ORDER:
        records = batch.records.get(table) or []
        if table == "ties" or not records:
            continue
        for record in records:
            row = _with_writer_props(statement_row(record, {record.origin.file: 0}), record, load)
            graph.add_adoption(row) if table == "adoptions" else graph.add(table, record, row)
    if change is not None:
        _add_change(graph, change)
    node_columns = {ENTITIES[t].label: entity_columns(t) + [("version", "long")]
                    for t in WRITE_ORDER if t not in RELATIONSHIP_TABLES}
    node_columns.update(Layer=[("id", "string"), ("name", "string"), ("rank", "long")],
                        NetworkType=[("id", "string")], Sector=[("id", "string"), ("name", "string")],
                        Change=CHANGE_COLUMNS)
    for space, nodes in graph.nodes.items():
        by_labels: dict[str, list[tuple[dict, Record | None]]] = {}
        for labels, props, record in nodes.values():
            by_labels.setdefault(labels, []).append((props, record))
        for labels, rows in by_labels.items():
            columns = node_columns[labels.split(":")[-1]]
            header = [f"id:ID({space})"] + [f"{name}:{kind}" for name, kind in columns if name != "id"]
            path = folder / f"nodes-{labels.replace(':', '-')}.csv"
            values = (([props.get(name) for name, _ in columns if name != "id"], props["id"], record)
                      for props, record in rows)
            if _write(path, header, values):
                files.multiline = True
            files.nodes.append((labels, path))
            files.node_count += len(rows)
    for (kind, start, end), rows in graph.links.items():
        columns = entity_columns("adoptions") if kind == "ADOPTED_IN" else list(LINK_PROPERTIES.get(kind, ()))
        path = folder / f"rels-{kind}-{start}-{end}.csv"
        _write_links(path, start, end, columns, rows, problems, files)
        files.relationships.append((kind, path))
    if ties:
        try:
            files.multiline |= ties_written()
            files.relationship_count += len(ties)
        except NotColumnar:  # row by row, which says where
            rows = (_tie_row(record, load, mark) for record, mark in zip(ties, marks))
            _write_links(ties_path, ACTOR_LABEL, ACTOR_LABEL, tie_columns, rows, problems, files, ties)
        files.relationships.append(("TIE", ties_path))
    if problems:
        raise BulkFilesError(problems)
    return files


def _tie_row(record: Record, load: dict, superseded: bool | None) -> tuple[str, str, dict]:
    row = statement_row(record, {record.origin.file: 0})
    props = row["props"]
    props.update(source_file=record.origin.file, superseded=superseded, **load)
    return row["from"], row["to"], props


def _add_change(graph: _Graph, change: dict) -> None:
    """The load's :Change, linked by CHANGED {version: 1} to every node the load wrote (they
    carry its load_id: the ones defined by a record) and, as the statement's MATCH finds it
    too, to itself; each of them at version 1."""
    me = ("Change", change["id"])
    written = [(space, key) for space, nodes in graph.nodes.items()
               for key, (_, _, record) in nodes.items() if record is not None]
    graph.define("Change", change["id"], "Change", {**change, "version": LOADED_VERSION})
    for end in [*written, me]:
        graph.link("CHANGED", me, end, {"version": LOADED_VERSION})


def _write(path: Path, header: list[str], rows) -> bool:
    """Write node rows; whether any text holds a line break."""
    problems: list[Problem] = []
    multiline = False
    columns = ["id"] + [name.split(":")[0] for name in header[1:]]
    lines = [",".join(header)]
    for values, key, record in rows:
        lines.append(_line([key, *values], record, columns, problems))
    text = "\n".join(lines) + "\n"
    multiline = text.count("\n") != len(lines) or "\r" in text
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(text)
    if problems:
        raise BulkFilesError(problems)
    return multiline


def _write_links(path: Path, start: str, end: str, columns, rows, problems, files: ImportFiles,
                 records: list[Record] | None = None) -> None:
    header = [f":START_ID({start})", f":END_ID({end})"] + [f"{name}:{kind}" for name, kind in columns]
    names = [name for name, _ in columns]
    where = ["from", "to", *names]
    lines: list[str] = []
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(",".join(header) + "\n")
        for i, (a, b, props) in enumerate(rows):
            get = props.get
            lines.append(_line([a, b, *[get(name) for name in names]], records[i] if records is not None else None,
                               where, problems))
            if len(lines) == 10_000:
                _flush(out, lines, files)
        _flush(out, lines, files)


def _flush(out, lines: list[str], files: ImportFiles) -> None:
    text = "\n".join(lines)
    if "\r" in text or any("\n" in line for line in lines):
        files.multiline = True
    out.write(text + "\n" if lines else "")
    files.relationship_count += len(lines)
    lines.clear()
