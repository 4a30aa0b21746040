"""The offline survey form (docs/surveys.md): `kb survey export-form` writes a workbook
(instructions, the roster, the organisations, and one sheet per respondent listing
everyone they may name, with a column per question); `kb survey import` reads a filled-in
copy and records its answers exactly as the web form does (kb.services.survey_answers),
every problem located by sheet, row and column. No token or link is ever written to it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from kb.model import LAYERS, Problem
from kb.services.survey_answers import SurveyProblems, check_answers, now, parse_answers, scale_value
from kb.services.surveys import SurveyError, get_round, open_round
from kb.settings import Settings
from kb.store import surveys as store
from kb.store.connection import KnowledgeBase

FIXED_SHEETS = ("Instructions", "Roster", "Organisations")
HEADER_ROW = 5
FIXED_COLUMNS = ("person", "name", "organisation", "layer")
BLANK_ROWS = 10
WIDTHS = {"A": 24, "B": 28, "C": 26, "D": 18}


def _put(sheet, row: int, column: int, value) -> None:
    """A cell that is text stays text (a name starting with = is not a formula)."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        cell.data_type = "s"


_NOT_IN_TITLE = re.compile(r"[\][:*?/\\]+")


def _sheet_title(n: int, name: str) -> str:
    return f"R{n:02d} {_NOT_IN_TITLE.sub(' ', name)}"[:31].strip()


def export_form(settings: Settings, kb: KnowledgeBase, round_id: str, out: str | Path) -> int:
    """Write the form; returns the number of respondent sheets."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    found = open_round(kb, round_id)
    roster = store.roster(kb, round_id)
    organisations = store.organisations(kb)
    networks = [q["network"] for q in found["questions"]]
    book = Workbook()
    info = book.active
    info.title = "Instructions"
    lines = [(f"Network survey round {found['id']}", None), ("Locality", found["locality_name"]),
             ("Date", found["date"]), (None, None),
             ("How to fill in", "Each respondent has a sheet of their own. On it, for each person you go to, "
              "write a number from the scale under each question that applies; leave the cell blank for no."),
             (None, "Someone not on the list: use an empty row at the bottom; leave `person` empty, write their "
              "name, their organisation (an id from the Organisations sheet, or blank) and their layer."),
             (None, "Layers: " + ", ".join(LAYERS)), (None, None), ("Question (column)", "Text")]
    lines += [(q["network"], q["text"]) for q in found["questions"]]
    lines += [(None, None), ("Scale value", "Meaning")] + [(s["value"], s["label"]) for s in found["scale"]]
    for r, (a, b) in enumerate(lines, start=1):
        _put(info, r, 1, a)
        _put(info, r, 2, b)
    info["A1"].font = Font(bold=True, size=14)
    info.column_dimensions["A"].width, info.column_dimensions["B"].width = 22, 100
    people = book.create_sheet("Roster")
    people.append(["person", "name", "layer", "organisations"])
    for r in roster:
        people.append([r["person"], r["name"], r["layer"], "; ".join(o["name"] for o in r["organisations"])])
    orgs = book.create_sheet("Organisations")
    orgs.append(["id", "name", "layer"])
    for o in organisations:
        orgs.append([o["id"], o["name"], o["layer"]])
    for n, me in enumerate(roster, start=1):
        sheet = book.create_sheet(_sheet_title(n, me["name"]))
        saved = parse_answers(me["answers"])
        for r, (a, b) in enumerate((("respondent", me["respondent"]), ("name", me["name"]),
                                    ("round", found["id"])), start=1):
            _put(sheet, r, 1, a)
            _put(sheet, r, 2, b)
        for c, title in enumerate((*FIXED_COLUMNS, *networks), start=1):
            sheet.cell(row=HEADER_ROW, column=c, value=title).font = Font(bold=True)
        row = HEADER_ROW + 1
        for other in roster:
            if other["person"] == me["person"]:
                continue
            values = saved["named"].get(other["person"], {})
            cells = [other["person"], other["name"], "; ".join(o["name"] for o in other["organisations"]),
                     other["layer"], *[values.get(network) for network in networks]]
            for c, value in enumerate(cells, start=1):
                _put(sheet, row, c, value)
            row += 1
        for other in saved["others"] + [None] * BLANK_ROWS:
            if other:
                cells = ["", other["name"], other["organisation"], other["layer"],
                         *[other["answers"].get(network) for network in networks]]
                for c, value in enumerate(cells, start=1):
                    _put(sheet, row, c, value)
            row += 1
        for letter, width in WIDTHS.items():
            sheet.column_dimensions[letter].width = width
        sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=3)
    book.save(out)
    return len(roster)


def _text(value) -> str:
    return "" if value is None else " ".join(str(value).split())


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _read_sheet(sheet, where: str, found: dict, roster: dict, organisations: dict, problems: list[Problem]):
    """(person, answers) of one respondent's sheet, or None when it has no answers."""
    networks = [q["network"] for q in found["questions"]]
    scale = {float(s["value"]) for s in found["scale"]}
    respondent = _text(sheet["B1"].value)
    me = roster.get(respondent)
    if me is None:
        problems.append(Problem(where, 1, "B (respondent)", f"{respondent or '(blank)'!r} is not a respondent of "
                                f"round {found['id']}; use the form exported for this round"))
        return None
    header = [_text(sheet.cell(row=HEADER_ROW, column=c).value) for c in range(1, len(FIXED_COLUMNS) + len(networks) + 1)]
    if header != [*FIXED_COLUMNS, *networks]:
        problems.append(Problem(where, HEADER_ROW, None, f"expected the columns {', '.join([*FIXED_COLUMNS, *networks])}"
                                f"; got {', '.join(h or '(blank)' for h in header)}"))
        return None
    named, others, before = {}, [], len(problems)
    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        cells = [sheet.cell(row=row, column=c).value for c in range(1, len(header) + 1)]
        person, name, organisation, layer = (_text(v) for v in cells[:4])
        values = {}
        for offset, network in enumerate(networks):
            column = len(FIXED_COLUMNS) + offset + 1
            value = scale_value(cells[column - 1], scale, f"{_letter(column)} ({network})", where, problems, row)
            if value is not None:
                values[network] = value
        if person:
            if person == me["person"]:
                problems.append(Problem(where, row, "A (person)", "a respondent cannot name themself"))
            elif person not in {r["person"] for r in roster.values()}:
                problems.append(Problem(where, row, "A (person)", f"{person!r} is not on the roster (Roster sheet)"))
            elif values:
                named[person] = values
            continue
        if not (name or values):
            continue
        if not name:
            problems.append(Problem(where, row, "B (name)", "the name of someone not listed is missing"))
        if layer not in LAYERS:
            problems.append(Problem(where, row, "D (layer)", f"{layer or '(blank)'!r} is not a layer "
                                    f"(one of {', '.join(LAYERS)})"))
        org_id = organisations.get(organisation.lower(), "") if organisation else ""
        if organisation and not org_id:
            problems.append(Problem(where, row, "C (organisation)", f"no organisation {organisation!r} (an id or "
                                    "name from the Organisations sheet, or blank)"))
        if not values:
            problems.append(Problem(where, row, f"E-{_letter(len(header))}",
                                    "give a scale value for at least one question"))
        others.append({"name": name, "organisation": org_id, "layer": layer, "answers": values})
    if len(problems) > before or not (named or others):
        return None
    return me, {"named": named, "others": others}


def import_form(settings: Settings, kb: KnowledgeBase, round_id: str, file: str | Path) -> list[str]:
    """Record the answers of a filled-in form (as submitted answers, replacing what each
    respondent saved); all of them or nothing. Returns the people whose answers were recorded."""
    from openpyxl import load_workbook

    found = get_round(kb, round_id)
    if found["status"] != "open":
        raise SurveyError(f"Survey round {round_id} is {found['status']}: answers are no longer accepted, and "
                          "nothing was recorded.")
    try:
        book = load_workbook(file, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise SurveyProblems([Problem(str(file), None, None, f"cannot be read as an .xlsx workbook "
                                      f"({type(exc).__name__}: {exc})")], "Import refused: the file cannot be read; "
                             "nothing was recorded.") from None
    roster = {r["respondent"]: r for r in store.roster(kb, round_id)}
    organisations = {}
    for o in store.organisations(kb):
        organisations.setdefault(o["name"].lower(), o["id"])
        organisations[o["id"].lower()] = o["id"]
    problems: list[Problem] = []
    answered: dict[str, tuple[dict, dict, str]] = {}
    for sheet in book.worksheets:
        if sheet.title in FIXED_SHEETS:
            continue
        where = f"{file} sheet '{sheet.title}'"
        read = _read_sheet(sheet, where, found, roster, organisations, problems)
        if read is None:
            continue
        me, answers = read
        if me["respondent"] in answered:
            problems.append(Problem(where, 1, "B (respondent)", f"the same respondent as sheet "
                                    f"'{answered[me['respondent']][2]}'"))
            continue
        clean, more = check_answers(answers, found, {r["person"] for r in roster.values()}, me["person"],
                                    store.organisations(kb), where)
        problems += more
        answered[me["respondent"]] = (me, clean, sheet.title)
    if problems:
        raise SurveyProblems(problems, f"Import refused: {len(problems)} problem(s); nothing was recorded.")
    rows = [{"respondent": rid, "answers": json.dumps(clean, sort_keys=True)} for rid, (_, clean, _) in answered.items()]
    if rows and store.import_answers(kb, round_id, rows, now()) != len(rows):
        raise SurveyError(f"Survey round {round_id} closed during the import: nothing was recorded.")
    return [me["person"] for me, _, _ in answered.values()]
