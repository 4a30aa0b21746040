"""Writes the Excel workbooks of the bad-input corpus (tests/bad_input/xlsx/); run it from
the repository root to make them again: `python tests/bad_input/make_xlsx.py`."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent / "xlsx"
SHEET = "xl/worksheets/sheet1.xml"


def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def rewrite(source: Path, target: Path, member: str, change) -> None:
    """A copy of the workbook `source` with one archive member changed."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info, change(data) if info.filename == member else data)


PEOPLE = [["id", "name", "layer"], *([f"p{i}", f"Person {i}", "community"] for i in range(40))]


def main() -> None:
    good = workbook(HERE / "ok.xlsx", {"people": PEOPLE[:3], "ties": [["from", "to", "network", "weight"],
                                                                      ["p0", "p1", "work", 2]]})
    base = workbook(HERE.parent / "base.tmp.xlsx", {"people": PEOPLE})
    rewrite(base, HERE / "cut_sheet.xlsx", SHEET, lambda d: d[: len(d) // 2])
    rewrite(base, HERE / "entity_declared.xlsx", SHEET,
            lambda d: d.replace(b"<worksheet", b'<!DOCTYPE worksheet [<!ENTITY who "Person">]><worksheet', 1)
            .replace(b">Person 1<", b">&who; 1<", 1))
    rewrite(base, HERE / "undefined_entity.xlsx", SHEET, lambda d: d.replace(b">Person 5<", b">&who; 5<", 1))
    rewrite(base, HERE / "workbook_part_dtd.xlsx", "xl/workbook.xml",
            lambda d: b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "a">]>' + d.split(b"?>", 1)[-1])
    base.unlink()
    (HERE / "not_a_zip.xlsx").write_text("id,name,layer\nann,Ann,community\n")
    workbook(HERE / "missing_layer.xlsx", {"people": [["id", "name", "layer"], ["ann", "Ann", None], ["bob", "Bob", "frontline"]]})
    workbook(HERE / "unknown_sheet.xlsx", {"stuff": [["foo", "bar"], [1, 2]]})
    workbook(HERE / "bad_number.xlsx", {"people": PEOPLE[:3], "ties": [["from", "to", "network", "weight"],
                                                                       ["p0", "p1", "work", "strong"]]})
    workbook(HERE / "self_tie.xlsx", {"people": PEOPLE[:3], "ties": [["from", "to", "network", "weight"],
                                                                     ["p0", "p0", "work", 1]]})
    workbook(HERE / "weight_huge.xlsx", {"people": PEOPLE[:3], "ties": [["from", "to", "network", "weight"],
                                                                        ["p0", "p1", "work", 1e308]]})
    workbook(HERE / "kumu.xlsx", {"Elements": [["Label", "Type", "Layer"], ["Ann", "Person", "community"],
                                               ["ANN", "Person", "community"]],
                                  "Connections": [["From", "To", "Type"], ["Ann", "ANN", "work"]]})
    workbook(HERE / "empty.xlsx", {"people": []})
    assert good.exists()


if __name__ == "__main__":
    main()
