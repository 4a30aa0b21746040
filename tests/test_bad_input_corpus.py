"""The bad-input corpus (tests/bad_input/): every case is read and validated as `kb load`
does (read_paths + validate), and gives exactly the located problems its manifest
(tests/bad_input/expected.yaml) names, or loads with the counts it names. Pure Python:
no database (a lookup that knows nothing stands in for the knowledge base).

Issue 18: item 8 (tracebacks: a CSV cell over the parser's limit in the first and in a
later data row, a cut xlsx sheet, an xlsx sheet declaring an entity, a link to /dev/zero,
a FIFO), item 9 (a 5,000-digit number in JSON and YAML, an unclosed quote) and item 10
(self-ties, weight 1e308, NaN weights in JSON and YAML, repeated keys, GraphML ids that
fold into one) each have a case here that failed before the fix.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
import yaml

from kb.settings import DEFAULT_NETWORK_TYPES
from loaders import LoadRefused, read_paths, validate
from loaders.files import MAX_FILE_BYTES
from loaders.tables import CSV_FIELD_LIMIT

CORPUS = Path(__file__).parent / "bad_input"
EXPECTED = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))


def nothing_known(_label: str, _ids: set[str]) -> set[str]:
    return set()


def outcome(paths: list[Path], root: Path = CORPUS) -> dict:
    """What a load of `paths` gives: {"loads": counts} or {"problems": lines}, paths relative."""
    batch = read_paths(paths)  # never raises for bad data
    try:
        clean = validate(batch, DEFAULT_NETWORK_TYPES, nothing_known)
    except LoadRefused as exc:
        lines = [str(p).replace(f"{root}{os.sep}", "") for p in exc.problems]
        assert all(p.file and p.message for p in exc.problems)
        return {"problems": lines}
    return {"loads": clean.count()}


def check(got: dict, expected: dict) -> None:
    if "loads" in expected:
        assert got == {"loads": expected["loads"]}
        return
    assert "problems" in got, f"accepted, but expected refused: {got}"
    left = list(got["problems"])
    for line in expected["problems"]:
        match = next((p for p in left if line in p), None)
        assert match is not None, f"no problem {line!r} among {left}"
        left.remove(match)
    assert not left, f"unexpected problems: {left}"


def test_the_corpus_holds_every_format_and_at_least_60_files():
    files = [p for p in CORPUS.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")
             and p.name != "expected.yaml"]
    assert len(files) >= 60
    formats = {p.relative_to(CORPUS).parts[0] for p in files}
    assert {"csv", "xlsx", "json", "yaml", "graphml", "gexf", "kumu", "survey"} <= formats
    cases = {p.relative_to(CORPUS).parts[0] + "/" + p.relative_to(CORPUS).parts[1] for p in files}
    assert cases == set(EXPECTED), "every case in the manifest, and only those"


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_corpus_case(case):
    check(outcome([CORPUS / case]), EXPECTED[case])


# Cases that cannot live in git, made here.

def test_fifo_is_refused_without_waiting(tmp_path):
    """Item 8: a FIFO named people.csv hung the loader (reading waits for a writer)."""
    fifo = tmp_path / "people.csv"
    os.mkfifo(fifo)
    result: dict = {}
    reader = threading.Thread(target=lambda: result.update(outcome([fifo], tmp_path)), daemon=True)
    reader.start()
    reader.join(20)
    if reader.is_alive():  # unblock the reader so the test session can end
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a FIFO hung")
    check(result, {"problems": ["people.csv: is a FIFO (named pipe), not a regular file"]})
    # also when a folder holds it (it used to be skipped without a word)
    (tmp_path / "ties.csv").write_text("from,to,network\n")
    check(outcome([tmp_path], tmp_path), {"problems": ["people.csv: is a FIFO (named pipe), not a regular file"]})


@pytest.mark.parametrize("name", ["people.csv", "doc.json", "net.graphml", "book.xlsx"])
def test_a_link_to_dev_zero_is_refused(tmp_path, name):
    """Item 8: a symlink to /dev/zero ran out of memory."""
    link = tmp_path / name
    link.symlink_to("/dev/zero")
    check(outcome([link], tmp_path),
          {"problems": [f"{name}: is a character device (through a symbolic link), not a regular file"]})


@pytest.mark.parametrize("name", ["people.csv", "doc.yaml", "net.gexf", "book.xlsx"])
def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path, name):
    big = tmp_path / name
    with open(big, "wb") as handle:  # sparse: no disk used, nothing read
        handle.truncate(MAX_FILE_BYTES + 1)
    check(outcome([big], tmp_path), {"problems": [f"{name}: is {MAX_FILE_BYTES + 1:,} bytes; the limit is "]})


@pytest.mark.parametrize("row", [2, 4])
def test_a_cell_over_the_csv_parser_limit_names_its_row(tmp_path, row):
    """Item 8: in the first data row an UnboundLocalError; in row 4 the message named row 3."""
    lines = ["id,name,layer"] + [f"p{i},P {i},community" for i in range(2, row)]
    lines.append(f"p{row},{'x' * (CSV_FIELD_LIMIT + 1)},community")
    lines.append("last,Last,community")
    (tmp_path / "people.csv").write_text("\n".join(lines) + "\n")
    check(outcome([tmp_path / "people.csv"], tmp_path),
          {"problems": [f"people.csv:{row}: a cell of the row starting on line {row} is longer than "
                        f"{CSV_FIELD_LIMIT:,} characters"]})


def test_an_unclosed_quote_after_a_multiline_cell_names_its_own_row(tmp_path):
    """Rows are records (a quoted cell may span lines); the message gives both."""
    (tmp_path / "people.csv").write_text('id,name,layer,notes\nann,Ann,community,"two\nlines"\n'
                                         'bob,"Bob,frontline,\ncid,Cid,community,\n')
    check(outcome([tmp_path / "people.csv"], tmp_path),
          {"problems": ["people.csv:3: a quoted cell in the row starting on line 4 is never closed"]})
