"""Opening an Excel workbook (.xlsx) safely, with every failure located at the file or sheet.

An .xlsx file is a zip archive of XML parts. Before openpyxl sees it, the archive is
checked: at most MAX_FILE_BYTES on disk (loaders.files) and unpacked, and no part may
declare a DTD (<!DOCTYPE ...>, where entities are declared: they can expand without end
or reach outside the file). openpyxl reads a read-only workbook's sheets lazily, so a
sheet whose XML is broken (cut short, an undefined entity) only fails while its rows are
read: `sheet_rows` turns that into a message naming the sheet.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from pathlib import Path
from typing import Any, Iterator
from xml.parsers import expat

from loaders.files import MAX_FILE_BYTES, UnreadableFile, read_bytes

_XML_PARTS = (".xml", ".rels", ".vml")


class _Root(Exception):
    """The root element started: the prolog (where a DTD would be) is over."""


class _Doctype(Exception):
    pass


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _prolog_problem(stream: io.BufferedIOBase) -> str | None:
    """What is wrong with an XML part's prolog: a DTD, or XML that does not parse up to its
    root element. Only the prolog is parsed (it stops at the root element)."""
    parser = expat.ParserCreate()

    def doctype(*_args) -> None:
        raise _Doctype

    def root(*_args) -> None:
        raise _Root

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = root
    try:
        while chunk := stream.read(65536):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Root:
        return None
    except _Doctype:
        return "declares a DTD (<!DOCTYPE ...>): refused, because its entities could expand without end"
    except expat.ExpatError as exc:
        return f"is not well-formed XML: {expat.ErrorString(exc.code)} (line {exc.lineno}, column {exc.offset})"
    return None


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Archive part -> sheet title, read from xl/workbook.xml and its relationships (for
    messages only; {} when they cannot be read)."""
    from defusedxml import ElementTree as SafeET

    try:
        rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"), forbid_dtd=True)
        targets = {r.get("Id"): r.get("Target", "") for r in rels}
        book = SafeET.fromstring(archive.read("xl/workbook.xml"), forbid_dtd=True)
    except Exception:  # noqa: BLE001 - only used to name a sheet in a message
        return {}
    names = {}
    for element in book.iter():
        if element.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        rid = next((v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1] == "id"), None)
        target = targets.get(rid)
        if target:
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            names[part] = element.get("name", "")
    return names


def open_workbook(path: Path):
    """An openpyxl read-only workbook of `path`, after the archive's checks; UnreadableFile
    (located at the file, or at the sheet whose part is refused) otherwise."""
    from openpyxl import load_workbook

    data = read_bytes(path)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UnreadableFile(str(path), f"cannot be opened as an Excel workbook: not an .xlsx (zip) file "
                             f"({_first_line(exc)})") from None
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_FILE_BYTES:
        raise UnreadableFile(str(path), f"unpacks to {unpacked:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes")
    names: dict[str, str] | None = None
    for info in infos:
        if not info.filename.lower().endswith(_XML_PARTS):
            continue
        try:
            with archive.open(info) as stream:
                problem = _prolog_problem(stream)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
            problem = f"cannot be unpacked: {_first_line(exc)}"
        if problem:
            if names is None:
                names = _sheet_names(archive) if info.filename not in ("xl/workbook.xml",
                                                                       "xl/_rels/workbook.xml.rels") else {}
            sheet = names.get(info.filename)
            where = f"{path}[{sheet}]" if sheet else str(path)
            raise UnreadableFile(where, f"{'the sheet' if sheet else 'part ' + info.filename} {problem}")
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken workbook
        cause = exc.__cause__ or exc.__context__
        detail = _first_line(exc) + (f" ({_first_line(cause)})" if cause is not None else "")
        raise UnreadableFile(str(path), f"cannot be opened as an Excel workbook: {detail}") from None


def sheet_rows(ws, file: str) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows as value tuples; a sheet whose XML breaks off or does not parse
    raises UnreadableFile located at `file` (path[sheet]) and the row reached."""
    rows = ws.iter_rows(values_only=True)
    row = 0
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - openpyxl parses the sheet's XML lazily, here
            raise UnreadableFile(file, f"the sheet cannot be read after row {row}: {_first_line(exc)}"
                                 if row else f"the sheet cannot be read: {_first_line(exc)}",
                                 row=row + 1) from None
        row += 1
        yield cells
