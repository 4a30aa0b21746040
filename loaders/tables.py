"""CSV files and Excel sheets, one table per entity type (docs/casebase-format.md).

Rows are numbered as a spreadsheet shows them: the header is row 1, data starts at row 2.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from kb.model import ENTITIES, LoadBatch, Origin
from loaders.files import UnreadableFile, read_bytes
from loaders.rows import MAX_CELL_CHARS, make_record

# The CSV parser's own bound on a cell; cells over MAX_CELL_CHARS are refused later with
# their column named (loaders.rows), cells over this one while parsing, with their row.
CSV_FIELD_LIMIT = 10_000_000
csv.field_size_limit(CSV_FIELD_LIMIT)
# Appended to a CSV text as a last line of its own: NUL never occurs in a text that is
# read (it is refused first), so a last record other than this line alone means a quoted
# cell that was never closed swallowed the end of the file.
_END = "\x00"


@dataclass
class Sheet:
    """A header and its data rows, from a CSV file or one Excel sheet."""

    file: str            # shown in messages: path, or path[sheet]
    name: str            # the CSV stem or the sheet name
    header: list[str]
    rows: list[tuple[int, dict[str, Any]]]


def delimiter_of(text: str) -> str:
    """The delimiter (',', ';' or tab) the header row uses; ',' when it shows none.

    Only the delimiter is guessed: quoting is always the standard one (double quotes,
    doubled to escape). csv.Sniffer guessed the whole dialect from the first 4 KB, so a
    file whose first doubled quote ("") came later was split in the wrong places, and
    text quoted with apostrophes could be taken for quoting."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_csv(path: Path, encoding: str = "utf-8-sig") -> Sheet:
    raw = read_bytes(path)
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UnreadableFile(str(path), f"is not valid {encoding.replace('-sig', '')} (byte {exc.start} on "
                             f"line {line}); save it as UTF-8 or load it with --encoding latin-1",
                             row=line) from None
    del raw
    if "\x00" in text:
        raise UnreadableFile(str(path), "contains NUL bytes: is it really a CSV file?")
    text = text.lstrip("\ufeff")
    delimiter = delimiter_of(text)
    ends_line = text.endswith(("\n", "\r"))
    reader = csv.reader(io.StringIO(text + ("" if ends_line or not text else "\n") + _END, newline=""), csv.excel,
                        delimiter=delimiter)
    row, line = 1, 1  # the record being read (spreadsheet row) and the line it starts on
    try:
        header = next(reader)
        if header == [_END]:
            raise UnreadableFile(str(path), "is empty: expected a header row")
        _check_closed(path, header, row, line)
        header = [h.strip() for h in header]
        rows = []
        row, line = 2, reader.line_num + 1
        for cells in reader:
            if cells == [_END]:
                break
            _check_closed(path, cells, row, line)
            if any(c.strip() for c in cells):
                if len(cells) > len(header):
                    extra = [c for c in cells[len(header):] if c.strip()]
                    if extra:
                        raise UnreadableFile(str(path), f"row has {len(cells)} cells but the header has "
                                             f"{len(header)} columns", row=row)
                rows.append((row, dict(zip(header, cells))))
            row, line = row + 1, reader.line_num + 1
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise UnreadableFile(str(path), f"a cell of the row starting on line {line} is longer than "
                                 f"{CSV_FIELD_LIMIT:,} characters (the limit for a cell is {MAX_CELL_CHARS:,})",
                                 row=row) from None
        raise UnreadableFile(str(path), f"cannot be parsed as CSV (row starting on line {line}): {exc}",
                             row=row) from None
    return Sheet(str(path), path.stem, header, rows)


def _check_closed(path: Path, cells: list[str], row: int, line: int) -> None:
    """A record holding the end marker: one of its quoted cells was never closed."""
    if cells and _END in cells[-1]:
        raise UnreadableFile(str(path), f"a quoted cell in the row starting on line {line} is never closed "
                             "(a \" is missing), so it would run to the end of the file", row=row)


def read_excel(path: Path) -> list[Sheet]:
    from loaders.workbook import open_workbook, sheet_rows

    workbook = open_workbook(path)
    sheets = []
    try:
        for ws in workbook.worksheets:
            file = f"{path}[{ws.title}]"
            values = sheet_rows(ws, file)
            try:
                header_cells = next(values)
            except StopIteration:
                continue
            header = ["" if h is None else str(h).strip() for h in header_cells]
            while header and header[-1] == "":
                header.pop()
            rows = []
            for index, cells in enumerate(values, start=2):
                if cells is None or all(c is None or str(c).strip() == "" for c in cells):
                    continue
                rows.append((index, {h: ("" if c is None else c) for h, c in zip(header, cells) if h}))
            sheets.append(Sheet(file, ws.title, header, rows))
    finally:
        workbook.close()
    return sheets


def check_header(sheet: Sheet, expected: tuple[str, ...], required: tuple[str, ...], batch: LoadBatch) -> bool:
    """Report duplicated, unknown and missing required columns. False when unusable."""
    ok = True
    seen: set[str] = set()
    for position, name in enumerate(sheet.header, start=1):
        if name == "":
            if any(str(r.get("", "")).strip() for _, r in sheet.rows):
                batch.problem(sheet.file, 1, f"column {position}", "column has values but no header")
                ok = False
            continue
        if name in seen:
            batch.problem(sheet.file, 1, name, "duplicated column header")
            ok = False
        seen.add(name)
        if name not in expected:
            batch.problem(sheet.file, 1, name, f"unknown column; expected columns: {', '.join(expected)}")
            ok = False
    for name in required:
        if name not in seen:
            batch.problem(sheet.file, 1, name, "required column is missing")
            ok = False
    return ok


def entity_for(sheet: Sheet) -> str | None:
    """The entity a table holds: by its name (file stem / sheet), else by its header."""
    stem = sheet.name.strip().lower().replace(" ", "_").replace("-", "_")
    if stem in ENTITIES:
        return stem
    header = {h for h in sheet.header if h}
    candidates = [name for name, e in ENTITIES.items()
                  if {c.name for c in e.columns if c.required} <= header and header <= set(e.column_names)]
    return candidates[0] if len(candidates) == 1 else None


def load_entity_sheet(sheet: Sheet, entity_name: str, batch: LoadBatch) -> None:
    entity = ENTITIES[entity_name]
    required = tuple(c.name for c in entity.columns if c.required)
    if not check_header(sheet, entity.column_names, required, batch):
        return
    for index, row in sheet.rows:
        make_record(entity_name, row, Origin(sheet.file, index), batch, clean_keys=True)  # header stripped


def iter_entity_sheets(sheets: list[Sheet], batch: LoadBatch) -> Iterator[tuple[Sheet, str]]:
    for sheet in sheets:
        name = entity_for(sheet)
        if name is None:
            batch.problem(sheet.file, None, None,
                          f"cannot tell which table this is: name it after one of {', '.join(ENTITIES)} "
                          "or use that table's columns")
            continue
        yield sheet, name
