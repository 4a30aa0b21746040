"""`kb forget PERSON_ID` against the real Neo4j."""

from __future__ import annotations

import json

import pytest

from kb.store.analysis_runs import analyse_network
from kb.store.forget import ForgetError, forget_person
from kb.settings import DEFAULT_NETWORK_TYPES
from kb.store.known_ids import known_ids
from kb.store.writer import write_batch
from loaders import read_paths, validate
from tests.conftest import DATA_DIR, run_kb

PERSON = "ila_la_officer_01"


def _load(kb, tmp_path):
    batch = validate(read_paths([DATA_DIR]), DEFAULT_NETWORK_TYPES, known_ids(kb))
    write_batch(kb, batch, DEFAULT_NETWORK_TYPES, progress=False)
    analyse_network(kb, "all")
    # Name the person as an originator and an adopter too (those lists hold actor ids).
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "problems.csv").write_text("id,name\nx_problem,X\n")
    (extra / "innovations.csv").write_text(
        "id,name,problems,origin_locality,originators\nx_innov,X,x_problem,illustrative_la,"
        f"{PERSON};ila_la_officer_02\n")
    (extra / "adoptions.csv").write_text(f"innovation,locality,adopters\nx_innov,illustrative_la,{PERSON}\n")
    batch = validate(read_paths([extra]), DEFAULT_NETWORK_TYPES, known_ids(kb))
    write_batch(kb, batch, DEFAULT_NETWORK_TYPES, progress=False)


def _mentions(kb, person):
    return kb.read("MATCH (n) WHERE n.id = $id OR n.actor_id = $id OR $id IN coalesce(n.originators, []) "
                   "RETURN count(n) AS n", {"id": person})[0]["n"] + \
        kb.read("MATCH ()-[r]->() WHERE r.from = $id OR r.to = $id OR $id IN coalesce(r.adopters, []) "
                "RETURN count(r) AS n", {"id": person})[0]["n"]


def test_forget_removes_person_ties_memberships_and_scores(kb, tmp_path):
    _load(kb, tmp_path)
    expected = {r["type"]: r["n"] for r in kb.read(
        "MATCH (:Person {id: $id})-[r]-() RETURN type(r) AS type, count(DISTINCT r) AS n", {"id": PERSON})}
    assert expected["TIE"] > 0 and expected["MEMBER_OF"] > 0 and expected["HAS_SCORE"] > 0
    before = kb.counts()
    loads_before = kb.read("MATCH (l:Load) RETURN l.id AS id, l.counts AS counts ORDER BY id")
    assert _mentions(kb, PERSON) > 0

    result = forget_person(kb, PERSON)
    assert result.name == "LA officer 01" or result.name  # the person's name is reported
    assert result.relationships == expected
    assert result.scores == expected["HAS_SCORE"]
    assert result.originator_lists == 1 and result.adopter_lists == 1

    assert _mentions(kb, PERSON) == 0
    after = kb.counts()
    assert after["nodes"] == before["nodes"] - 1 - result.scores
    # Each score also had an IN_RUN relationship; ADOPTED etc. are in `expected`.
    assert after["relationships"] == before["relationships"] - sum(expected.values()) - result.scores
    assert kb.read("MATCH (i:Innovation {id: 'x_innov'}) RETURN i.originators AS o")[0]["o"] == ["ila_la_officer_02"]
    # Load records keep their counts (numbers only, no ids).
    assert kb.read("MATCH (l:Load) RETURN l.id AS id, l.counts AS counts ORDER BY id") == loads_before
    for load in loads_before:
        assert PERSON not in load["counts"]
        json.loads(load["counts"])
    # The rest of the network is intact and can be analysed again.
    analyse_network(kb, "all")


def test_forget_unknown_or_not_a_person(kb):
    kb.write("CREATE (:Actor:Organisation {id: 'org1', name: 'Org'})")
    with pytest.raises(ForgetError, match="no person"):
        forget_person(kb, "nobody")
    with pytest.raises(ForgetError, match="not a person"):
        forget_person(kb, "org1")
    assert kb.counts()["nodes"] == 1


def test_forget_command(kb, cli_env):
    kb.write("CREATE (p:Actor:Person {id: 'p1', name: 'Ada Example'})-[:MEMBER_OF]->(o:Actor:Organisation {id: 'o1'}), "
             "(p)-[:TIE {network: 'work'}]->(o), (o)-[:TIE {network: 'social'}]->(p), "
             "(p)-[:HAS_SCORE]->(:Score {actor_id: 'p1'})-[:IN_RUN]->(:AnalysisRun {id: 'r1'})")
    proc = run_kb(["forget", "p1"], cli_env)
    assert proc.returncode == 0, proc.stderr
    assert "Ada Example" in proc.stdout
    assert "TIE" in proc.stdout and "MEMBER_OF" in proc.stdout
    tie_line = next(line for line in proc.stdout.splitlines() if line.strip().startswith("TIE"))
    assert tie_line.split()[-1] == "2"
    assert kb.read("MATCH (n) RETURN collect(n.id) AS ids")[0]["ids"] in (["o1", "r1"], ["r1", "o1"])
    assert kb.counts()["relationships"] == 0
    proc = run_kb(["forget", "p1"], cli_env)
    assert proc.returncode == 2
    assert "no person with id 'p1'" in proc.stderr
