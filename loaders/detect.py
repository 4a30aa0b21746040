"""Read files of any supported format into one LoadBatch.

The format is detected from the extension and, for tables, the header; or stated with
`fmt` (table, survey, kumu, document, graphml, gexf). A folder is read file by file
(sorted; README and other non-data files skipped). Only regular files are read, of at most
loaders.files.MAX_FILE_BYTES: a FIFO, a device (or a link to one) or a bigger file is
refused with its name, also when a folder holds it.
"""

from __future__ import annotations

from pathlib import Path

from loaders import columnar, kumu, survey
from loaders.documents import read_document
from loaders.gephi import read_gexf, read_graphml
from kb.model import LoadBatch, gc_paused
from loaders.files import UnreadableFile, check_regular
from loaders.tables import (Sheet, entity_for, iter_entity_sheets, load_entity_sheet,
                            read_csv, read_excel)

FORMATS = ("table", "survey", "kumu", "document", "graphml", "gexf")
TABLE_SUFFIXES = {".csv", ".tsv", ".txt"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
DOCUMENT_SUFFIXES = {".json", ".yaml", ".yml"}
DATA_SUFFIXES = TABLE_SUFFIXES | EXCEL_SUFFIXES | DOCUMENT_SUFFIXES | {".graphml", ".gexf"}


def expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            # Not only regular files: a FIFO or device named like a data file is refused by name.
            files.extend(p for p in sorted(path.rglob("*"))
                         if not p.is_dir() and p.suffix.lower() in DATA_SUFFIXES and "templates" not in p.parts
                         and not p.name.startswith("."))
        else:
            files.append(path)
    return files


def _sheets(path: Path, encoding: str) -> list[Sheet]:
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return read_excel(path)
    return [read_csv(path, encoding)]


def _kind_of_sheet(sheet: Sheet, fmt: str | None) -> str:
    if fmt in ("survey",):
        return "survey"
    if fmt == "kumu" or fmt is None:
        if kumu.is_elements(sheet.header) and sheet.name.lower() != "people":
            return "kumu-elements"
        if kumu.is_connections(sheet.header):
            return "kumu-connections"
        if fmt == "kumu":
            return "kumu-unknown"
    if fmt is None and survey.is_survey(sheet.header):
        return "survey"
    return "table"


def _read_by_columns(path: Path, fmt: str | None, encoding: str, batch: LoadBatch) -> bool:
    """A clean entity table, read whole columns at a time (loaders.columnar); False when
    the file needs the row-by-row reader (another kind of table, or any problem in it)."""
    if fmt not in (None, "table"):
        return False
    table = columnar.read(path, encoding)
    if table is None or _kind_of_sheet(table.sheet, fmt) != "table":
        return False
    entity = entity_for(table.sheet)
    return entity is not None and columnar.load(table, entity, batch)


@gc_paused()
def read_paths(paths: list[str | Path], fmt: str | None = None, encoding: str = "utf-8-sig",
               default_network: str = "work") -> LoadBatch:
    """Read every file; problems are collected in the batch (nothing raises for bad data)."""
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    batch = LoadBatch()
    pending_connections: list[Sheet] = []
    labels: dict[str, str] = {}
    for path in expand([Path(p) for p in paths]):
        file = str(path)
        batch.files.append(file)
        if not path.exists():
            batch.problem(file, None, None, "no such file or folder")
            continue
        suffix = path.suffix.lower()
        try:
            check_regular(path)
            if fmt == "graphml" or (fmt is None and suffix == ".graphml"):
                read_graphml(path, batch, default_network)
            elif fmt == "gexf" or (fmt is None and suffix == ".gexf"):
                read_gexf(path, batch, default_network)
            elif fmt == "document" or (fmt is None and suffix in DOCUMENT_SUFFIXES):
                read_document(path, batch, encoding)
            elif suffix in TABLE_SUFFIXES | EXCEL_SUFFIXES:
                if suffix in TABLE_SUFFIXES and _read_by_columns(path, fmt, encoding, batch):
                    continue
                sheets = _sheets(path, encoding)
                for sheet in sheets:
                    kind = _kind_of_sheet(sheet, fmt)
                    if kind == "survey":
                        survey.load_survey_sheet(sheet, batch)
                    elif kind == "kumu-elements":
                        kumu.load_elements(sheet, batch, labels)
                    elif kind == "kumu-connections":
                        pending_connections.append(sheet)  # after all elements: From/To name them
                    elif kind == "kumu-unknown":
                        batch.problem(sheet.file, 1, None, "not a Kumu elements (Label, Type) or connections "
                                      "(From, To, Type) table")
                    else:
                        for table, entity in iter_entity_sheets([sheet], batch):
                            load_entity_sheet(table, entity, batch)
            else:
                batch.problem(file, None, None, f"unsupported file type {suffix or '(none)'}; supported: "
                              f"{', '.join(sorted(DATA_SUFFIXES))}")
        except UnreadableFile as exc:
            batch.problem(exc.file, exc.row, None, exc.message)
        except OSError as exc:
            batch.problem(file, None, None, f"cannot be read: {exc.strerror or exc}")
    for sheet in pending_connections:
        kumu.load_connections(sheet, batch, labels)
    return batch
