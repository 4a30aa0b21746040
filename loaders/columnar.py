"""A clean CSV entity table, read a whole column at a time.

`kb load` of 1M ties spent most of its Python time turning cells into records one row
at a time (loaders.tables.read_csv and loaders.rows.make_record). Here the file is parsed
by Arrow's CSV reader (C++), and each column is stripped, typed and checked as a list.

This path only ever accepts a table that the row-by-row path would accept, with the same
records: a header that check_header passes, and every cell one that make_record takes as
it is. At the first thing it does not take for certain (a missing required value, a
number that does not read, a ragged or blank row, a cell too long, an id of the wrong
shape...) it gives the table back, and the row-by-row path reads it and reports every
problem with its file, row and column. tests/test_loaders_columnar.py checks that both
paths give the same records.

Quoting is the standard one on both paths (double quotes, doubled to escape, newlines
allowed inside); rows are numbered as a spreadsheet shows them (header row 1).
"""

from __future__ import annotations

import codecs
import datetime as _dt
import io
import math
import re
from pathlib import Path
from typing import Any

from kb.model import ENTITIES, ID_PATTERN, LoadBatch, Origin, Record
from loaders.files import read_bytes
from loaders.rows import FALSE_WORDS, TRUE_WORDS, MAX_CELL_CHARS, convert, unescape_formula
from loaders.tables import Sheet, delimiter_of

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_BOOLEANS = {**{t: True for t in TRUE_WORDS}, **{f: False for f in FALSE_WORDS if f}}


class _NotClean(Exception):
    """The table needs the row-by-row path (which says what is wrong, if anything)."""


class ColumnTable:
    """A CSV file parsed into its header and one list of cell texts per column."""

    def __init__(self, path: Path, header: list[str], columns: list[list[str]]):
        self.path, self.header, self.columns = path, header, columns
        self.sheet = Sheet(str(path), path.stem, header, rows=[])  # header only: for detection


def read(path: Path, encoding: str = "utf-8-sig") -> ColumnTable | None:
    """Parse a CSV file into columns, or None when only the row-by-row reader can say
    what it holds (not decodable, NUL bytes, ragged or blank rows, no data rows...)."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    raw = read_bytes(path)  # a FIFO, a device or a file over the limit: UnreadableFile
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        return None
    if "\x00" in text:
        return None
    text = text.lstrip("\ufeff")
    if encoding.replace("-", "").replace("_", "").lower() in ("utf8", "utf8sig"):
        data = raw
        while data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8):]
    else:
        data = text.encode("utf-8")
    if not data.endswith((b"\n", b"\r")):
        data += b"\n"  # so that a quoted cell left open at the end shows (below)
    if text.count('"') % 2:
        return None  # a quote without its pair: the row-by-row reader says whether a cell is left open
    delimiter = delimiter_of(text)
    width = len(_header_cells(text, delimiter))
    del text, raw  # a 1M-tie file is some 60 MB each way
    if width == 0:
        return None
    try:
        table = pa_csv.read_csv(
            io.BytesIO(data),
            read_options=pa_csv.ReadOptions(autogenerate_column_names=True),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, quote_char='"', double_quote=True,
                                              escape_char=False, newlines_in_values=True,
                                              ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(column_types={f"f{i}": pa.string() for i in range(width)},
                                                  strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError):
        return None  # ragged, blank or badly quoted rows: the row-by-row reader says where
    if table.num_columns != width or table.num_rows < 2:
        return None
    last = table.column(width - 1)[-1].as_py()
    if last.endswith(("\n", "\r")):
        return None  # a quoted cell open to the end of the file, or a last cell ending in a line break
    del data
    header = [table.column(i)[0].as_py().strip() for i in range(width)]
    columns = [table.column(i).slice(1).to_pylist() for i in range(width)]
    return ColumnTable(path, header, columns)


def _header_cells(text: str, delimiter: str) -> list[str]:
    """The first record's cells, as loaders.tables.read_csv reads them."""
    import csv

    return next(csv.reader(io.StringIO(text[:1_000_000], newline=""), csv.excel, delimiter=delimiter), [])


def load(table: ColumnTable, entity_name: str, batch: LoadBatch) -> bool:
    """Add the table's records to `batch` and return True; or add nothing and return
    False when the table needs the row-by-row path."""
    try:
        records = _records(table, entity_name)
    except _NotClean:
        return False
    batch.records[entity_name].extend(records)
    return True


def _records(table: ColumnTable, entity_name: str) -> list[Record]:
    entity = ENTITIES[entity_name]
    header = table.header
    if "" in header or len(set(header)) != len(header) or not set(header) <= set(entity.column_names):
        raise _NotClean
    position = {name: i for i, name in enumerate(header)}
    present: list[tuple[str, list[Any]]] = []
    for column in entity.columns:
        if column.name not in position:
            if column.required:
                raise _NotClean
            continue
        cells = table.columns[position[column.name]]
        values = _convert(cells, column.type)
        if column.required and None in values:
            raise _NotClean
        if column.name == "id" and "id" in entity.key and not all(map(ID_PATTERN.match, values)):
            raise _NotClean
        if any(v is not None for v in values):
            present.append((column.name, values))

    file = str(table.path)
    always = [(n, v) for n, v in present if None not in v]
    names = [n for n, _ in always]
    # Never empty: every table has a required column, present with no blank cell (above).
    records = [Record(entity_name, dict(zip(names, row)), Origin(file, index))
               for index, row in enumerate(zip(*(v for _, v in always)), start=2)]
    for name, values in present:
        if name not in names:
            # Blank cells are left out of a record's values, as make_record leaves them out.
            for record, value in zip(records, values):
                if value is not None:
                    record.values[name] = value
    return records


def _convert(cells: list[str], typ: str) -> list[Any]:
    """One column's cells as make_record converts them; None for a blank cell."""
    if max(map(len, cells), default=0) > MAX_CELL_CHARS:
        raise _NotClean
    text = [c.strip() for c in cells]
    if typ == "str":
        return [(unescape_formula(t) if t[0] == "'" else t) if t else None for t in text]
    if typ == "float":
        try:
            numbers = [float(t) if t else None for t in text]
        except ValueError:
            raise _NotClean from None
        if not all(math.isfinite(n) for n in numbers if n is not None):
            raise _NotClean
        return numbers
    if typ == "bool":
        values = [_BOOLEANS.get(t.lower(), ValueError) if t else None for t in text]
        if ValueError in values:
            raise _NotClean
        return values
    if typ == "date":
        # The common shapes checked here (YYYY, a real YYYY-MM-DD); any other goes to convert.
        try:
            return [t if t and (len(t) == 4 and t.isascii() and t.isdigit()
                                or len(t) == 10 and _DAY.fullmatch(t) and _dt.date.fromisoformat(t))
                    else (convert(c, typ) if t else None) for c, t in zip(cells, text)]
        except ValueError:
            raise _NotClean from None
    try:
        return [convert(c, typ) if t else None for c, t in zip(cells, text)]
    except ValueError:
        raise _NotClean from None
