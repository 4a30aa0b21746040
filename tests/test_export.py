"""`kb export DIR`: the knowledge base back out as the CSV tables of docs/casebase-format.md
(which load back to the same graph) and network.graphml for Gephi; text cells that a
spreadsheet would run as formulas are neutralised, and still round-trip exactly."""

from __future__ import annotations

import copy
import csv
import os

import networkx as nx
import pytest

from kb.store.exporter import GRAPHML_FILE, cell, export_kb, neutralise
from kb.model import ENTITIES, WRITE_ORDER
from loaders.rows import convert
from tests.conftest import DATA_DIR, run_kb
from tests.test_loaders_formats import INTERNAL, TABLES, load, snapshot, wipe, write_tables


def _read(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


@pytest.fixture(scope="module")
def exported(session_kb, test_settings, tmp_path_factory):
    """The bundled case base loaded into the database and exported with `kb export`."""
    kb = session_kb
    wipe(kb)
    load(kb, test_settings, DATA_DIR)
    before = snapshot(kb)
    actors = kb.read("MATCH (a:Actor) RETURN count(a) AS n, sum(CASE WHEN a:Person THEN 1 ELSE 0 END) AS people")[0]
    ties = kb.read("MATCH (:Actor)-[t:TIE]->(:Actor) RETURN count(t) AS n")[0]["n"]
    out = tmp_path_factory.mktemp("export") / "casebase"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KB_"))}
    env.update(NEO4J_URI=test_settings.uri, NEO4J_PASSWORD=test_settings.neo4j_password,
               KB_STATE_DIR=str(tmp_path_factory.mktemp("state")))
    proc = run_kb(["export", str(out)], env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return {"dir": out, "snapshot": before, "actors": actors["n"], "people": actors["people"], "ties": ties,
            "stdout": proc.stdout}


def test_export_writes_every_table_with_the_canonical_columns(exported):
    out = exported["dir"]
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{t}.csv" for t in WRITE_ORDER] + [GRAPHML_FILE])
    for table in WRITE_ORDER:
        rows = _read(out / f"{table}.csv")
        assert tuple(rows[0]) == ENTITIES[table].column_names, table
        assert all(len(r) == len(rows[0]) for r in rows), table
        assert not set(rows[0]) & set(INTERNAL)
    assert f"ties.csv: {exported['ties']}" in exported["stdout"]
    assert f"{GRAPHML_FILE}: {exported['actors']} actors, {exported['ties']} ties" in exported["stdout"]
    # Lists joined by ';', booleans true/false, numbers as numbers.
    localities = {r[0]: r for r in _read(out / "localities.csv")[1:]}
    header = _read(out / "localities.csv")[0]
    highland = dict(zip(header, localities["highland"]))
    assert highland["problems"].split(";") == ["ideas_lost_in_middle_management",
                                               "ideas_not_flowing_between_levels", "public_as_bystanders"]
    assert highland["synthetic"] == "false"
    innovations = _read(out / "innovations.csv")
    shutters = dict(zip(innovations[0], next(r for r in innovations if r[0] == "see_through_shutters")))
    assert shutters["evidence_level"] == "2" and shutters["derived_from"] == "south_tyneside_pa_projects"
    ties = _read(out / "ties.csv")
    assert {r[ties[0].index("synthetic")] for r in ties[1:]} == {"true", "false"}
    assert {r[ties[0].index("weight")] for r in ties[1:]} <= {"", "1", "2", "3", "4", "5"}
    # Nothing internal leaked into any cell either (e.g. a load id).
    text = "".join((out / f"{t}.csv").read_text() for t in WRITE_ORDER)
    assert "content_hash" not in text and str(DATA_DIR / "casebase") not in text


def test_round_trip_of_the_bundled_case_base(exported, kb, test_settings):
    """Export, wipe, load the export: every node and relationship is as it was."""
    assert kb.counts()["nodes"] == 0
    load(kb, test_settings, *sorted(exported["dir"].glob("*.csv")))
    assert snapshot(kb) == exported["snapshot"]


def test_graphml_for_gephi(exported):
    graph = nx.read_graphml(exported["dir"] / GRAPHML_FILE)
    assert graph.is_directed() and graph.is_multigraph()
    assert graph.number_of_nodes() == exported["actors"]
    assert graph.number_of_edges() == exported["ties"]
    people = [n for n, d in graph.nodes(data=True) if d["type"] == "person"]
    assert len(people) == exported["people"]
    assert {d["type"] for _, d in graph.nodes(data=True)} == {"person", "organisation"}
    council = graph.nodes["highland_council"]
    assert council["label"] == "The Highland Council" and council["layer"] == "local_authority"
    assert council["org_type"] == "local authority" and council["locality"] == "highland"
    officer = graph.nodes["ila_la_officer_01"]
    assert officer["type"] == "person" and officer["role"] and officer["layer"] == "local_authority"
    networks = {d["network"] for _, _, d in graph.edges(data=True)}
    assert networks == {"work", "social", "innovation", "expertise", "career", "learning", "strategic"}
    assert all(isinstance(d["weight"], float) for _, _, d in graph.edges(data=True))
    edge = graph.get_edge_data("highland_council", "highland_frontline_staff")
    assert [d["network"] for d in edge.values()] == ["innovation"]


def test_exported_graphml_loads_back(exported, kb, test_settings, tmp_path):
    """The GraphML is also a valid `kb load` input (with the localities its actors name): the
    same actors and ties."""
    out = exported["dir"]
    load(kb, test_settings, out / "sources.csv", out / "problems.csv", out / "localities.csv", out / GRAPHML_FILE)
    assert kb.read("MATCH (a:Actor) RETURN count(a) AS n") == [{"n": exported["actors"]}]
    assert kb.read("MATCH ()-[t:TIE]->() RETURN count(t) AS n") == [{"n": exported["ties"]}]


# -- spreadsheet formula injection -------------------------------------------------------------------
PAYLOAD = "=cmd|' /C calc'!A0"


@pytest.mark.parametrize("value, typ, expected", [
    (PAYLOAD, "str", "'" + PAYLOAD),
    ("+1", "str", "'+1"), ("-", "str", "'-"), ("@SUM(A1)", "str", "'@SUM(A1)"), ("\tx", "str", "'\tx"),
    ("'=x", "str", "''=x"), ("'plain", "str", "'plain"), ("plain - text", "str", "plain - text"),
    (-2.5, "float", "-2.5"), (3.0, "float", "3"), (-3, "int", "-3"), (2008, "year", "2008"),
    ("2007-05-01", "date", "2007-05-01"), (True, "bool", "true"), (False, "bool", "false"),
    (["a", "b"], "list", "a;b"), (None, "str", ""),
])
def test_cells(value, typ, expected):
    assert cell(value, typ) == expected
    if typ in ("str", "list") and value is not None:
        # What the loader makes of the exported cell is the value again.
        assert convert(expected, typ) == value


def test_neutralise_is_undone_by_the_loader():
    for text in ["=1+1", "+44 20", "-", "-5", "@x", "'=x", "''-y", "'a", "a", "", "=", "'"]:
        assert convert(neutralise(text), "str") == text or text == ""


def test_formula_injection_is_neutralised_and_round_trips(kb, test_settings, tmp_path):
    tables = copy.deepcopy(TABLES)
    people = tables["people"][1]
    people[0][1] = PAYLOAD                     # ann's name
    people[0][2] = "-"                         # ann's role
    people[1][2] = "+44 20 7946 0000"          # bob's role
    people[1][10] = "@SUM(1+1)*cmd|' /C calc'!A0"  # bob's notes
    tables["problems"][1][0][2] = "''=already quoted"  # the loader strips one quote: "'=already quoted"
    tables["ties"][1][0][3] = 2.5
    load(kb, test_settings, write_tables(tmp_path / "in", tables))
    assert kb.read("MATCH (p:Person {id: 'ann'}) RETURN p.name AS name") == [{"name": PAYLOAD}]
    assert kb.read("MATCH (p:Problem {id: 'truancy'}) RETURN p.description AS d") == [{"d": "'=already quoted"}]
    before = snapshot(kb)

    out = tmp_path / "out"
    export_kb(kb, out)
    people_out = {r[0]: r for r in _read(out / "people.csv")}
    assert people_out["ann"][1] == "'" + PAYLOAD and people_out["ann"][2] == "'-"
    assert people_out["bob"][2] == "'+44 20 7946 0000" and people_out["bob"][10].startswith("'@SUM")
    assert {r[0]: r for r in _read(out / "problems.csv")}["truancy"][2] == "''=already quoted"
    # Numbers are never quoted.
    ties = {(r[0], r[1]): r for r in _read(out / "ties.csv")}
    assert ties[("ann", "bob")][3] == "2.5" and ties[("north_council", "north_school")][3] == "1.5"
    assert {r[0]: r for r in _read(out / "sources.csv")}["rep2008"][4] == "2008"
    # No exported text cell starts with a formula character.
    for table in WRITE_ORDER:
        for row in _read(out / f"{table}.csv")[1:]:
            assert not any(c[:1] in ("=", "+", "-", "@", "\t", "\r") for c in row), (table, row)

    wipe(kb)
    load(kb, test_settings, *sorted(out.glob("*.csv")))
    assert kb.read("MATCH (p:Person {id: 'ann'}) RETURN p.name AS name, p.role AS role") == \
        [{"name": PAYLOAD, "role": "-"}]
    assert snapshot(kb) == before


def test_export_of_an_empty_knowledge_base_and_bad_targets(kb, cli_env, tmp_path):
    result = export_kb(kb, tmp_path / "empty")
    assert all(n == 0 for n in result.counts.values())
    for table in WRITE_ORDER:
        assert _read(tmp_path / "empty" / f"{table}.csv") == [list(ENTITIES[table].column_names)]
    graph = nx.read_graphml(tmp_path / "empty" / GRAPHML_FILE)
    assert graph.number_of_nodes() == 0

    target = tmp_path / "a-file"
    target.write_text("not a folder")
    proc = run_kb(["export", str(target)], cli_env)
    assert proc.returncode == 2 and "is not a folder" in proc.stderr and "Traceback" not in proc.stderr
