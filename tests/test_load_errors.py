"""Bad input is refused as a whole: every problem located as file:row:column with a reason,
exit code 2, and the database exactly as it was. `--dry-run` writes nothing.

Each class of problem runs through the `kb load` command in-process (typer's CliRunner,
fast); one run with all of them at once goes through a real `kb` subprocess.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kb.cli import app
from kb.store.known_ids import known_ids
from kb.store.writer import write_batch
from loaders import read_paths, validate
from tests.conftest import run_kb
from tests.test_loaders_formats import write_csv

LAYERS = "national, local_authority, sectoral, frontline, community"
NETWORKS = "work, social, innovation, expertise, career, learning, strategic"

BASE = {
    "localities": (["id", "name", "country"], [["northtown", "North Town", "UK"]]),
    "problems": (["id", "name"], [["truancy", "Truancy"]]),
    "organisations": (["id", "name", "layer", "locality"], [["north_council", "North Council", "local_authority",
                                                             "northtown"]]),
    "people": (["id", "name", "layer", "organisations"], [["ann", "Ann", "local_authority", "north_council"],
                                                          ["bob", "Bob", "frontline", ""]]),
    "ties": (["from", "to", "network", "weight"], [["ann", "bob", "work", "2"]]),
}


def state(kb):
    """Everything countable, and every node and relationship with all its properties."""
    counts = kb.counts()
    labels = kb.label_counts()
    types = {r["t"]: r["n"] for r in kb.read("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n")}
    nodes = sorted(repr((sorted(r["l"]), sorted(r["p"].items()))) for r in kb.read(
        "MATCH (n) RETURN labels(n) AS l, properties(n) AS p"))
    rels = sorted(repr((r["t"], r["a"], r["b"], sorted(r["p"].items()))) for r in kb.read(
        "MATCH (a)-[r]->(b) RETURN type(r) AS t, a.id AS a, b.id AS b, properties(r) AS p"))
    return counts, labels, types, nodes, rels


@pytest.fixture
def base(kb, test_settings, tmp_path):
    """The database holds a small valid case base; returns its state before the bad load."""
    folder = tmp_path / "base"
    for name, (header, rows) in BASE.items():
        write_csv(folder / f"{name}.csv", header, rows)
    clean = validate(read_paths([folder]), test_settings.kb_network_types, known_ids(kb))
    write_batch(kb, clean, test_settings.kb_network_types, progress=False)
    before = state(kb)
    assert before[0]["nodes"] > 0
    return before


def cli_load(cli_env, *args):
    result = CliRunner().invoke(app, ["load", *map(str, args)], env=cli_env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


# Each case: files to write (relative path -> header, rows), and the expected problem lines
# (relative path:row:column: message).
CASES = {
    "unknown actor": (
        {"ties.csv": (["from", "to", "network"], [["ann", "bob", "social"], ["ann", "zed", "work"],
                                                  ["yan", "bob", "work"]])},
        ["ties.csv:3:to: refers to unknown actor (organisation or person) 'zed'",
         "ties.csv:4:from: refers to unknown actor (organisation or person) 'yan'"]),
    "unknown locality": (
        {"organisations.csv": (["id", "name", "layer", "locality"],
                               [["south_school", "South School", "frontline", "southtown"]]),
         "innovations.csv": (["id", "name", "origin_locality"], [["club", "Club", "atlantis"]])},
        ["innovations.csv:2:origin_locality: refers to unknown locality 'atlantis'",
         "organisations.csv:2:locality: refers to unknown locality 'southtown'"]),
    "a person with an organisation's id (in the database)": (
        {"people.csv": (["id", "name", "layer"], [["north_council", "Council officer", "local_authority"]])},
        ["people.csv:2:id: id 'north_council' is already an organisation in the knowledge base; organisations "
         "and people need different ids"]),
    "unknown layer": (
        {"people.csv": (["id", "name", "layer"], [["cat", "Cat", "middle_management"]])},
        [f"people.csv:2:layer: unknown layer 'middle_management'; expected one of {LAYERS}"]),
    "unknown network type": (
        {"ties.csv": (["from", "to", "network"], [["ann", "bob", "gossip"]])},
        [f"ties.csv:2:network: unknown network 'gossip'; expected one of {NETWORKS}"]),
    "same id, conflicting values": (
        {"a/problems.csv": (["id", "name"], [["isolation", "Isolation"]]),
         "b/problems.csv": (["id", "name"], [["isolation", "Loneliness"]])},
        ["b/problems.csv:2:name: Problem 'isolation' is also defined at {dir}/a/problems.csv:2 with a different "
         "name"]),
    "wrong type": (
        {"innovations.csv": (["id", "name", "evidence_level", "origin_year"],
                             [["club", "Club", "high", "soon"]])},
        ["innovations.csv:2:evidence_level: expected a whole number, got 'high'",
         "innovations.csv:2:origin_year: expected a year like 2007, got 'soon'"]),
    "missing required field": (
        {"people.csv": (["id", "name", "layer"], [["cat", "", "community"], ["dan", "Dan", ""]])},
        ["people.csv:2:name: required value is missing", "people.csv:3:layer: required value is missing"]),
    "missing required column": (
        {"localities.csv": (["id", "name"], [["southtown", "South Town"]])},
        ["localities.csv:1:country: required column is missing"]),
    "duplicated header": (
        {"problems.csv": (["id", "name", "name"], [["isolation", "Isolation", "Loneliness"]])},
        ["problems.csv:1:name: duplicated column header"]),
    "unknown column": (
        {"people.csv": (["id", "name", "layer", "shoe_size"], [["cat", "Cat", "community", "5"]])},
        ["people.csv:1:shoe_size: unknown column; expected columns: id, name, role, layer, organisations, "
         "locality, case_study, source, section, synthetic, notes"]),
}


def _write_case(folder: Path, files: dict) -> None:
    for rel, (header, rows) in files.items():
        write_csv(folder / rel, header, rows)


def _problem_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if not line.startswith("Load refused")]


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_refused_and_located(kb, base, cli_env, tmp_path, case):
    files, expected = CASES[case]
    folder = tmp_path / "bad"
    _write_case(folder, files)
    result = cli_load(cli_env, folder)
    assert result.exit_code == 2, result.output
    expected_lines = [f"{folder}/{line}".format(dir=folder) for line in expected]
    assert sorted(_problem_lines(result.stderr)) == sorted(expected_lines)
    assert f"Load refused: {len(expected)} problem(s); nothing was written." in result.stderr
    assert "Traceback" not in result.output
    assert state(kb) == base


def test_every_problem_is_reported_at_once(kb, base, cli_env, tmp_path):
    """One run with every class of problem above (plus one in an Excel sheet): all of them are
    reported, by a real `kb` process, which exits 2 and writes nothing."""
    from openpyxl import Workbook

    folder = tmp_path / "all"
    expected = []
    for n, (files, lines) in enumerate(CASES.values()):
        _write_case(folder / f"case{n}", files)
        expected += [f"{folder}/case{n}/{line}".format(dir=folder / f"case{n}") for line in lines]
    # Valid rows alongside, some referring to what is already in the database: not reported.
    write_csv(folder / "valid" / "ties.csv", ["from", "to", "network"], [["bob", "north_council", "learning"]])
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "case_studies"
    sheet.append(["id", "title", "locality", "year"])
    sheet.append(["north_cs", "North case study", "northtown", 2007])
    sheet.append(["south_cs", "South case study", "northtown", "next year"])
    workbook.save(folder / "book.xlsx")
    expected.append(f"{folder}/book.xlsx[case_studies]:3:year: expected a year like 2007, got 'next year'")

    proc = run_kb(["load", str(folder)], cli_env)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert sorted(_problem_lines(proc.stderr)) == sorted(expected)
    assert f"Load refused: {len(expected)} problem(s); nothing was written." in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert state(kb) == base


def test_dry_run_validates_and_writes_nothing(kb, base, cli_env, tmp_path):
    folder = tmp_path / "new"
    write_csv(folder / "people.csv", ["id", "name", "layer", "organisations"],
              [["cat", "Cat", "community", ""], ["dan", "Dan", "frontline", "north_council"]])
    write_csv(folder / "ties.csv", ["from", "to", "network", "weight"],
              [["cat", "ann", "social", "1"], ["dan", "bob", "work", ""], ["dan", "cat", "work", ""]])
    result = cli_load(cli_env, "--dry-run", folder)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Dry run: valid. Would load 2 people, 3 ties."
    assert state(kb) == base

    # A bad file in a dry run: refused, located, exit 2, still nothing written.
    write_csv(folder / "problems.csv", ["id", "name", "description"], [["Bad Id", "Bad", ""]])
    result = cli_load(cli_env, "--dry-run", folder)
    assert result.exit_code == 2
    assert f"{folder}/problems.csv:2:id: id 'Bad Id' must be lower-case letters, digits, '_', '-' or '.'" \
        in result.stderr
    assert state(kb) == base
