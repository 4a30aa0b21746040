"""The column-at-a-time CSV path (loaders.columnar) gives exactly the records of the
row-by-row path, and gives every table it cannot take for certain back to it, so that
problems are still reported by file, row and column.

Pure Python: no database is involved (what reaches Neo4j is tested through the loaders in
the other test files, which now go through this path for their clean CSV tables).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kb.generate import generate
from loaders import columnar, detect, read_paths
from loaders.records import LoadBatch
from loaders.tables import entity_for

ROOT = Path(__file__).resolve().parents[1]


def _row_by_row(paths, monkeypatch, **kwargs):
    with monkeypatch.context() as patch:
        patch.setattr(detect, "_read_by_columns", lambda *a: False)
        return read_paths(paths, **kwargs)


def _snapshot(batch):
    return ({name: [(r.entity, r.values, tuple(r.origin)) for r in records]
             for name, records in batch.records.items() if records},
            [str(p) for p in batch.problems])


def _by_columns(path: Path, entity: str | None = None, encoding: str = "utf-8-sig") -> bool:
    """Does the column path take this file (as `entity`, else as the table it names)?"""
    table = columnar.read(path, encoding)
    entity = entity or (table and entity_for(table.sheet))
    return table is not None and entity is not None and columnar.load(table, entity, LoadBatch())


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("folder", ["data/casebase", "data/network-study"])
def test_bundled_tables_read_the_same_by_columns(folder, monkeypatch):
    paths = sorted((ROOT / folder).glob("*.csv"))
    fast, slow = read_paths(paths), _row_by_row(paths, monkeypatch)
    assert _snapshot(fast) == _snapshot(slow)
    assert not fast.problems and sum(len(r) for r in fast.records.values()) > 50
    taken = [p.name for p in paths if _by_columns(p)]
    assert "ties.csv" in taken and "organisations.csv" in taken


def test_generated_knowledge_base_reads_the_same_by_columns(tmp_path, monkeypatch):
    generate(tmp_path, localities=5, actors=400, ties=3_000, innovations=40, seed=7)
    fast, slow = read_paths([tmp_path]), _row_by_row([tmp_path], monkeypatch)
    assert _snapshot(fast) == _snapshot(slow)
    assert len(fast.records["ties"]) == 3_000
    for path in tmp_path.glob("*.csv"):
        assert _by_columns(path), path.name


TIES_HEADER = "from,to,network,weight,date,source,section,synthetic,notes\n"


@pytest.mark.parametrize("name,text", [
    ("quoting", TIES_HEADER + 'a,b,work,1,2007,src,"5.4, p.29",true,"said ""yes"", then\nleft"\n'
                              'b,a,social,,2007-03,,,,\n'),
    ("spaces and case", TIES_HEADER + ' a , b ,work, 2.50 , 2007-03-01 ,src, x ,Yes, n \n'
                                      'a,c,innovation,3.0,2007,src,,N,\n'),
    ("formula cells", TIES_HEADER + "a,b,work,1,,src,'=1+1,no,''@x\n"),
    ("crlf", TIES_HEADER.replace("\n", "\r\n") + "a,b,work,1,,src,,false,\r\nb,c,work,,,,,,\r\n"),
    ("semicolons", TIES_HEADER.replace(",", ";") + "a;b;work;1.5;;;5,4;;\n"),
    ("tabs", TIES_HEADER.replace(",", "\t") + "a\tb\twork\t1\t\t\t\t\tx, y\n"),
    ("unicode", TIES_HEADER + "a,b,work,1,,src,Été – §5,true,naïve “quotes”\n"),
    ("year as float", TIES_HEADER + "a,b,work,1e0,2007.0,,,,\n"),
    ("byte-order mark", "\ufeff" + TIES_HEADER + "a,b,work,1,,,,,\n"),
    ("fewer columns", "from,to,network\na,b,work\nb,a,work\n"),
])
def test_clean_tables_read_the_same_by_columns(tmp_path, monkeypatch, name, text):
    path = _write(tmp_path / "ties.csv", text)
    fast, slow = read_paths([path]), _row_by_row([path], monkeypatch)
    assert _snapshot(fast) == _snapshot(slow)
    assert not slow.problems
    assert _by_columns(path, "ties"), "the column path should take this table"


def test_lists_dates_and_years_read_the_same_by_columns(tmp_path, monkeypatch):
    innovations = _write(tmp_path / "innovations.csv",
                         "id,name,problems,evidence_level,origin_year,originators,synthetic\n"
                         "i1,One,p1; p2 ;p1,3,2007,a;b,\n"
                         "i2,Two,,5.0,2010.0,,true\n"
                         "i3,Three,;;,,,,\n")
    adoptions = _write(tmp_path / "adoptions.csv", "innovation,locality,year,outcome,adopters\n"
                                                   "i1,l1,2009,successful,a;a;b\n")
    paths = [innovations, adoptions]
    assert _snapshot(read_paths(paths)) == _snapshot(_row_by_row(paths, monkeypatch))
    assert _by_columns(innovations, "innovations") and _by_columns(adoptions, "adoptions")
    values = {r.values["id"]: r.values for r in read_paths(paths).records["innovations"]}
    assert values["i1"]["problems"] == ["p1", "p2"] and values["i2"]["evidence_level"] == 5
    assert values["i3"]["problems"] == []  # as make_record reads ";;"


def test_latin1_reads_the_same_by_columns(tmp_path, monkeypatch):
    path = _write(tmp_path / "ties.csv", TIES_HEADER + "a,b,work,1,,,Café,,\n", encoding="latin-1")
    fast = read_paths([path], encoding="latin-1")
    assert _snapshot(fast) == _snapshot(_row_by_row([path], monkeypatch, encoding="latin-1"))
    assert fast.records["ties"][0].values["section"] == "Café"
    assert _by_columns(path, "ties", encoding="latin-1")


BAD = {
    "missing required": (TIES_HEADER + "a,,work,1,,,,,\n", "ties.csv:2:to: required value is missing"),
    "bad number": (TIES_HEADER + "a,b,work,lots,,,,,\n", "ties.csv:2:weight: expected a number, got 'lots'"),
    "infinite number": (TIES_HEADER + "a,b,work,inf,,,,,\n", "ties.csv:2:weight: expected a finite number"),
    "bad boolean": (TIES_HEADER + "a,b,work,1,,,,maybe,\n", "ties.csv:2:synthetic: expected true or false"),
    "bad date": (TIES_HEADER + "a,b,work,1,2007-02-30,,,,\n", "ties.csv:2:date: not a real date: '2007-02-30'"),
    "date shape": (TIES_HEADER + "a,b,work,1,March,,,,\n", "ties.csv:2:date: expected a date YYYY"),
    "ragged row": (TIES_HEADER + "a,b,work,1,,,,,,extra\n", "ties.csv:2: row has 10 cells but the header"),
    "unknown column": ("from,to,network,colour\na,b,work,red\n", "ties.csv:1:colour: unknown column"),
    "missing column": ("from,network\na,work\n", "ties.csv:1:to: required column is missing"),
    "duplicated column": ("from,to,to,network\na,b,b,work\n", "ties.csv:1:to: duplicated column header"),
    "too long": (TIES_HEADER + "a,b,work,1,,," + "x" * 100_001 + ",,\n", "cell is 100001 characters"),
    "bad id": ("id,name,layer\nBad Id,X,frontline\n", "organisations.csv:2:id: id 'Bad Id' must be lower-case"),
    "NUL": (TIES_HEADER + "a,b,work,1,,,\x00,,\n", "contains NUL bytes"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_problem_tables_go_row_by_row(tmp_path, monkeypatch, case):
    text, expected = BAD[case]
    entity = "organisations" if case == "bad id" else "ties"
    path = _write(tmp_path / f"{entity}.csv", text)
    assert not _by_columns(path, entity)
    fast, slow = read_paths([path]), _row_by_row([path], monkeypatch)
    assert _snapshot(fast) == _snapshot(slow)
    assert any(expected in str(p) for p in fast.problems), [str(p) for p in fast.problems]


def test_blank_rows_keep_spreadsheet_row_numbers(tmp_path, monkeypatch):
    # A blank line is skipped by the row-by-row reader and still counted: the column path
    # gives the table back rather than number the rows after it differently.
    path = _write(tmp_path / "ties.csv", TIES_HEADER + "a,b,work,1,,,,,\n\nb,c,work,lots,,,,,\n")
    assert not _by_columns(path, "ties")
    batch = read_paths([path])
    assert [str(p) for p in batch.problems] == [f"{path}:4:weight: expected a number, got 'lots'"]


def test_other_kinds_of_table_are_not_taken(tmp_path):
    survey = tmp_path / "survey.csv"
    with survey.open("w", newline="") as f:
        csv.writer(f).writerows([["respondent", "question", "contact", "strength"], ["a", "Who?", "b", "2"]])
    assert detect._read_by_columns(survey, None, "utf-8-sig", None) is False
