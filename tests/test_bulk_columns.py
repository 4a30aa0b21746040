"""The columnar tie writer of `kb load --bulk` (kb.store.bulk_columns): its content hashes
equal the writer's (kb.store.writer.statement_row) on every record of the bundled data and
on awkward values, its ties file equals the row-by-row one, and its `superseded` marks are
the writer's. No server: these are the files the importer reads."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conftest import DATA_DIR
from kb.settings import Settings
from kb.model import LoadBatch, Origin, Record
from kb.store import bulk_columns
from kb.store.bulk_columns import NotColumnar, content_hashes, superseded_marks, write_ties
from kb.store.bulk_files import write_import_files
from kb.store.curation import load_change
from kb.store.writer import statement_row
from loaders import read_paths, validate


def awkward_ties() -> list[Record]:
    values = [
        {"from": "a", "to": "b", "network": "work", "weight": 1.0, "synthetic": None, "notes": 'say "hi", ok'},
        {"from": "a", "to": "b", "network": "work", "weight": 1, "round": "r1", "date": "2020-01-01"},
        {"from": "a", "to": "b", "network": "work", "weight": True, "round": "r2", "date": "2021-01-01",
         "synthetic": True},
        {"from": "a", "to": "b", "network": "advice", "round": "r0", "notes": "Zürich\u2014éè, line\nbreak"},
        {"from": "b", "to": "a", "network": "work", "weight": 2.5e-7, "source": None, "section": "§ 3"},
        {"from": "c", "to": "a", "network": "work", "extra": [1, "x"], "weight": 0.1},
    ]
    return [Record("ties", v, Origin("ties.csv", i + 2)) for i, v in enumerate(values)]


def test_content_hashes_equal_the_writers_on_the_bundled_data_and_awkward_values():
    batch = validate(read_paths([DATA_DIR]), Settings().kb_network_types, lambda target, ids: set())
    tables = {name: records for name, records in batch.records.items() if records}
    tables["awkward"] = awkward_ties()
    assert len(tables) > 5
    for name, records in tables.items():
        want = [statement_row(r, {r.origin.file: 0})["props"]["content_hash"] for r in records]
        assert content_hashes(records) == want, name


def test_superseded_marks_keep_only_the_latest_tie_of_a_pair_and_network():
    ties = awkward_ties()
    # a>b work: r2 (2021) is the latest, r1 and the round-less tie (no date) are older;
    # a>b advice has one tie; b>a and c>a have no round.
    assert superseded_marks(ties) == [True, True, None, None, None, None]
    assert superseded_marks(ties[:1] + ties[4:]) == [None, None, None]


def test_the_columnar_ties_file_equals_the_row_by_row_one(tmp_path, monkeypatch):
    batch = LoadBatch()
    batch.records["ties"] = awkward_ties()[:5]
    fast = write_import_files(batch, ["work", "advice"], tmp_path / "fast", "L1", "2026-01-01")

    def refuse(*args, **kwargs):
        raise NotColumnar("test")

    # Many ties are written by a forked process meanwhile: the same file.
    monkeypatch.setattr(bulk_columns, "FORK_TIES", 1)
    forked = write_import_files(batch, ["work", "advice"], tmp_path / "forked", "L1", "2026-01-01")
    monkeypatch.setattr(bulk_columns, "write_ties", refuse)
    slow = write_import_files(batch, ["work", "advice"], tmp_path / "slow", "L1", "2026-01-01")
    for other in (forked, slow):
        assert (fast.folder / "rels-TIE.csv").read_text() == (other.folder / "rels-TIE.csv").read_text()
    assert fast.relationship_count == slow.relationship_count == forked.relationship_count == 5
    assert fast.multiline and slow.multiline and forked.multiline
    assert "true" in (fast.folder / "rels-TIE.csv").read_text().splitlines()[1].split(",")[-1]


def test_a_value_the_columnar_path_does_not_know_falls_back():
    ties = [Record("ties", {"from": "a", "to": "b", "network": "work", "weight": object()}, Origin("t.csv", 2))]
    with pytest.raises(NotColumnar):
        write_ties(Path("/dev/null"), "h", ties, ["network", "weight"], "L", "T", [None])


def test_the_import_files_carry_the_loads_history(tmp_path):
    # As curation/load-change.cypher records a `kb load` on an empty database: one :Change,
    # linked by CHANGED {version: 1} to every node the load wrote and to itself, each node at
    # version 1 (tests/test_bulk_load.py compares the whole graph with a transactional load).
    batch = validate(read_paths([DATA_DIR / "casebase"]), Settings().kb_network_types, lambda target, ids: set())
    change = load_change("L1", "someone", ["a.csv"], {"problems": {"created": 1}})
    files = write_import_files(batch, Settings().kb_network_types, tmp_path, "L1", "2026-01-01", change)
    written = sum(len(records) for name, records in batch.records.items()
                  if name not in ("ties", "adoptions") and records)
    changed = [p for kind, p in files.relationships if kind == "CHANGED"]
    links = sum(len(p.read_text().splitlines()) - 1 for p in changed)
    assert links == written + 1
    (change_file,) = [p for labels, p in files.nodes if labels == "Change"]
    header, row = change_file.read_text().splitlines()
    assert "version:long" in header and row.startswith(f'"{change["id"]}"') and ",1," in row
    for labels, path in files.nodes:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        if labels not in ("Layer", "NetworkType", "Sector", "Change"):
            assert {row.get("version:long") for row in rows if row.get("load_id:string")} == {"1"}, labels
