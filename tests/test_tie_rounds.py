"""Ties carry an optional survey `round`: the tie key is (from, to, network, round), so the same
pair has a tie in each round; reloading is unchanged, a conflicting repeat within one round is
refused with its place, and the round survives `kb export` (CSV and GraphML) and loads back."""

from __future__ import annotations

import copy

import pytest

from kb.store.exporter import GRAPHML_FILE, export_kb
from loaders import LoadRefused, read_paths, validate
from tests.test_loaders_formats import TABLES, load, snapshot, wipe, write_tables

HEADER = ["from", "to", "network", "weight", "date", "round", "source", "section", "synthetic", "notes"]


def _tables_with_rounds():
    tables = copy.deepcopy(TABLES)
    rows = [[*row[:5], "", *row[5:]] for row in tables["ties"][1]]
    rows += [["ann", "bob", "innovation", 2, "2008-03-01", "r1", "rep2008", "5.4", "true", "round one"],
             ["ann", "bob", "innovation", 4, "2009-03-01", "r2", "rep2008", "5.4", "true", "round two"]]
    tables["ties"] = (HEADER, rows)
    return tables


def _ties(kb):
    return sorted((r["a"], r["b"], r["network"], r["round"] or "", r["weight"]) for r in kb.read(
        "MATCH (a:Actor)-[t:TIE]->(b:Actor) RETURN a.id AS a, b.id AS b, t.network AS network, "
        "t.round AS round, t.weight AS weight"))


def test_the_same_pair_has_a_tie_in_each_round(kb, test_settings, tmp_path):
    folder = write_tables(tmp_path / "t", _tables_with_rounds())
    first = load(kb, test_settings, folder)
    assert first.counts["ties"] == {"created": 5, "updated": 0, "unchanged": 0}
    assert [t for t in _ties(kb) if t[:3] == ("ann", "bob", "innovation")] == [
        ("ann", "bob", "innovation", "", 3.0), ("ann", "bob", "innovation", "r1", 2.0),
        ("ann", "bob", "innovation", "r2", 4.0)]
    again = load(kb, test_settings, folder)
    assert again.counts["ties"] == {"created": 0, "updated": 0, "unchanged": 5}

    # A new weight in round two updates that round's tie only.
    tables = _tables_with_rounds()
    tables["ties"][1][-1][3] = 5
    changed = load(kb, test_settings, write_tables(tmp_path / "t2", tables))
    assert changed.counts["ties"] == {"created": 0, "updated": 1, "unchanged": 4}
    assert ("ann", "bob", "innovation", "r2", 5.0) in _ties(kb)
    assert ("ann", "bob", "innovation", "r1", 2.0) in _ties(kb)


def test_a_conflicting_repeat_within_one_round_is_refused(test_settings, tmp_path):
    tables = _tables_with_rounds()
    tables["ties"][1].append(["ann", "bob", "innovation", 9, "2009-03-01", "r2", "rep2008", "5.4", "true", ""])
    folder = write_tables(tmp_path / "t", tables)
    with pytest.raises(LoadRefused) as refused:
        validate(read_paths([folder]), test_settings.kb_network_types, set())
    messages = [str(p) for p in refused.value.problems]
    assert any("ties.csv:7:weight" in m and "'ann/bob/innovation/r2'" in m for m in messages), messages


@pytest.mark.parametrize("graphml", [False, True])
def test_rounds_survive_export_and_load_back(kb, test_settings, tmp_path, graphml):
    load(kb, test_settings, write_tables(tmp_path / "t", _tables_with_rounds()))
    before, ties = snapshot(kb), _ties(kb)
    out = tmp_path / "export"
    export_kb(kb, out)
    header = (out / "ties.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "from,to,network,weight,date,round,source,section,synthetic,notes"
    wipe(kb)
    if graphml:
        load(kb, test_settings, out / "sources.csv", out / "problems.csv", out / "localities.csv",
             out / GRAPHML_FILE)
        assert [t[:4] for t in _ties(kb)] == [t[:4] for t in ties]
    else:
        load(kb, test_settings, *sorted(out.glob("*.csv")))
        assert snapshot(kb) == before
