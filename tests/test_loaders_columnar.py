"""The column-at-a-time CSV path (loaders.columnar) gives exactly the records of the
row-by-row path, and gives every table it cannot take for certain back to it, so that
problems are still reported by file, row and column.

Pure Python: no database is involved (what reaches Neo4j is tested through the loaders in
the other test files, which now go through this path for their clean CSV tables).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kb.services.generate import generate
from loaders import columnar, detect, read_paths
from kb.model import LoadBatch

ROOT = Path(__file__).resolve().parents[1]


def _row_by_row(paths, monkeypatch, **kwargs):
    with monkeypatch.context() as patch:
        patch.setattr(detect, "_read_by_columns", lambda *a: False)
        return read_paths(paths, **kwargs)


def _snapshot(batch):
    return ({name: [(r.entity, r.values, tuple(r.origin)) for r in records]
             for name, records in batch.records.items() if records},
            [str(p) for p in batch.problems])


def _by_columns(path: Path, encoding: str = "utf-8-sig") -> bool:
    """Does the column path take this file (as the table its name or header says)?"""
    return detect._read_by_columns(path, None, encoding, LoadBatch())


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
    assert _by_columns(path), "the column path should take this table"


def test_newlines_inside_cells_across_arrow_blocks(tmp_path, monkeypatch):
    # Arrow parses a big file in blocks of about 1 MB; a quoted cell with line breaks may
    # straddle two blocks, and must still be one cell.
    lines = [f'a{i},b{i},work,1,,,"part one\nline {i}\r\nend",true,"x, ""y"""' for i in range(30_000)]
    path = _write(tmp_path / "ties.csv", TIES_HEADER + "\n".join(lines) + "\n")
    assert path.stat().st_size > 1_500_000
    fast = read_paths([path])
    assert _snapshot(fast) == _snapshot(_row_by_row([path], monkeypatch))
    assert _by_columns(path)
    assert fast.records["ties"][-1].values["section"] == "part one\nline 29999\r\nend"
    assert fast.records["ties"][-1].origin.row == 30_001


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
    assert _by_columns(innovations) and _by_columns(adoptions)
    values = {r.values["id"]: r.values for r in read_paths(paths).records["innovations"]}
    assert values["i1"]["problems"] == ["p1", "p2"] and values["i2"]["evidence_level"] == 5
    assert values["i3"]["problems"] == []  # as make_record reads ";;"


def test_latin1_reads_the_same_by_columns(tmp_path, monkeypatch):
    path = _write(tmp_path / "ties.csv", TIES_HEADER + "a,b,work,1,,,Café,,\n", encoding="latin-1")
    fast = read_paths([path], encoding="latin-1")
    assert _snapshot(fast) == _snapshot(_row_by_row([path], monkeypatch, encoding="latin-1"))
    assert fast.records["ties"][0].values["section"] == "Café"
    assert _by_columns(path, encoding="latin-1")


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
    path = _write(tmp_path / ("organisations.csv" if case == "bad id" else "ties.csv"), text)
    assert not _by_columns(path)
    fast, slow = read_paths([path]), _row_by_row([path], monkeypatch)
    assert _snapshot(fast) == _snapshot(slow)
    assert any(expected in str(p) for p in fast.problems), [str(p) for p in fast.problems]


def test_blank_rows_keep_spreadsheet_row_numbers(tmp_path, monkeypatch):
    # A blank line is skipped by the row-by-row reader and still counted: the column path
    # gives the table back rather than number the rows after it differently.
    path = _write(tmp_path / "ties.csv", TIES_HEADER + "a,b,work,1,,,,,\n\nb,c,work,lots,,,,,\n")
    assert not _by_columns(path)
    batch = read_paths([path])
    assert [str(p) for p in batch.problems] == [f"{path}:4:weight: expected a number, got 'lots'"]


def test_other_kinds_of_table_are_not_taken(tmp_path):
    survey = tmp_path / "survey.csv"
    with survey.open("w", newline="") as f:
        csv.writer(f).writerows([["respondent", "question", "contact", "strength"], ["a", "Who?", "b", "2"]])
    assert detect._read_by_columns(survey, None, "utf-8-sig", None) is False


# Both paths on generated tables: clean ones (which the column path must take), and ones
# with every kind of trouble a cell or a line can bring, written properly quoted by
# csv.writer or joined raw (so also malformed).
_free_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)
_clean_cells = {
    "from": st.sampled_from(["a", "b", " c ", "d.1"]),
    "to": st.sampled_from(["b", "c", "d", " e"]),
    "network": st.sampled_from(["work", "social", " innovation "]),
    "weight": st.sampled_from(["1", " 2.5 ", "1e3", "3.0", "", "0"]),
    "date": st.sampled_from(["2007", "1999-12-31", " 2007-01-01 ", "", "2007-03", "2007.0"]),
    "synthetic": st.sampled_from(["", "Yes", "no", "TRUE", " y ", "0"]),
    "section": st.one_of(_free_text, st.sampled_from(['"', '""', ",", ";", "\t", "\r\n", "\r", "'=1", "="])),
    "notes": st.one_of(_free_text, st.sampled_from(['say "hi"', "a,b", "x\ny", " ", "\u2028"])),
}
_any_cells = {
    **_clean_cells,
    "from": st.sampled_from(["a", "b", "", "'a", "A b", "a\nb"]),
    "to": st.sampled_from(["b", "", " d"]),
    "network": st.sampled_from(["work", "Work", "", "gossip"]),
    "weight": st.sampled_from(["1", "-2", "inf", "nan", "1_000", "", "abc", "\u0661\u0662"]),
    "date": st.sampled_from(["2007", "2007-02-30", "2007-13-01", "", "\u0662\u0660\u0660\u0667", "07"]),
    "synthetic": st.sampled_from(["", "Yes", "maybe", "TRUE"]),
    "notes": st.one_of(st.text(max_size=12), st.sampled_from(["\x00", "x" * 100_001])),
}
_columns = st.permutations(list(_clean_cells)).map(lambda c: ["from", "to", "network"]
                                                     + [x for x in c if x not in ("from", "to", "network")][:4])


@settings(max_examples=400, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(clean=st.booleans(), data=st.data(), columns=_columns, delimiter=st.sampled_from([",", ";", "\t"]),
       newline=st.sampled_from(["\n", "\r\n"]), raw=st.booleans(), bom=st.booleans(),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1"]))
def test_both_paths_agree_on_generated_tables(tmp_path_factory, monkeypatch, clean, data, columns, delimiter,
                                             newline, raw, bom, encoding):
    rows = data.draw(st.lists(st.fixed_dictionaries(_clean_cells if clean else _any_cells), min_size=1,
                              max_size=12))
    table = [columns] + [[row[c] for c in columns] for row in rows]
    out = io.StringIO(newline="")
    if raw:
        out.write(newline.join(delimiter.join(cells) for cells in table) + newline)
    else:
        csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(table)
    text = ("\ufeff" if bom else "") + out.getvalue()
    if encoding == "latin-1":
        text = text.encode("latin-1", errors="replace").decode("latin-1")
    path = tmp_path_factory.mktemp("gen") / "ties.csv"
    path.write_bytes(text.encode(encoding))
    read_as = "latin-1" if encoding == "latin-1" else "utf-8-sig"
    fast, slow = read_paths([path], encoding=read_as), _row_by_row([path], monkeypatch, encoding=read_as)
    assert _snapshot(fast) == _snapshot(slow)
    # csv.writer quotes a cell holding a character of its line terminator, so with "\n" a
    # lone "\r" stays bare and ends the line for both readers: not a clean table.
    bare_cr = newline == "\n" and any("\r" in cell for cells in table for cell in cells)
    if clean and not raw and not bare_cr and not (encoding == "latin-1" and bom):
        assert _by_columns(path, encoding=read_as), "a clean table should be read by columns"
