"""The named queries that answer from a `kb analyse` run read what the run stored with it
(kb/store/query_columns.py: the actors' columns on each Score, the brokers' and betweenness
ranks, the core's arc counts, the block table's synthetic cells) instead of every Score and
each actor's relationships (issue 16 part 3). They must give today's rows (the texts kept in
tests/previous_queries/), on a generated knowledge base too; a run written by the older code
(without the copies) falls back to the previous reading; an edit after the run makes it stale,
and the rows follow the data again."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.services.generate import generate
from kb.store.analysis_runs import analyse_network
from kb.store.cypher import load_query, parse_query
from kb.store.named_queries import computed_parameters, run_named
from tests.test_analysis_db import assert_same_rows, load

QUERIES = ("brokers", "outside-core", "core-clique", "fragility", "brokerage-roles", "layer-links", "weak-layer-links")
PREVIOUS = Path(__file__).parent / "previous_queries"


def _variants(locality: str) -> dict[str, list[dict]]:
    nets = [{"network": n} for n in ("innovation", "all")]
    return {
        "brokers": nets + [{"network": "all", "limit": 5}, {"network": "all", "limit": 100000},
                           {"network": "all", "role": "gatekeeper"}, {"network": "all", "locality": locality},
                           {"network": "innovation", "include_synthetic": "false"}],
        "outside-core": nets + [{"network": "all", "core_fraction": 0.8}, {"network": "all", "locality": locality},
                                {"network": "innovation", "include_synthetic": "false"}],
        "core-clique": nets + [{"network": "all", "include_synthetic": "false"}],
        "fragility": nets + [{"network": "all", "k": 12}, {"network": "innovation", "locality": locality},
                             {"network": "all", "include_synthetic": "false"}],
        "brokerage-roles": nets + [{"network": "all", "limit": 7}, {"network": "innovation", "limit": 100000}],
        "layer-links": nets,
        "weak-layer-links": nets + [{"network": "all", "k": 4}],
    }


@pytest.fixture(scope="module")
def generated(session_kb, tmp_path_factory):
    """A generated knowledge base (400 actors, 3,000 ties) with some actors and ties marked not
    synthetic (so that the synthetic flags differ by cell), analysed for innovation and all."""
    kb = session_kb
    kb.write_in_batches("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
    out = tmp_path_factory.mktemp("generated")
    generate(out, localities=4, actors=400, ties=3000, innovations=20, seed=16)
    load(kb, out)
    # Two layers made of real actors and ties among them; some real actors elsewhere.
    kb.write("MATCH (a:Actor) WHERE a.layer IN ['national', 'local_authority'] OR a.id ENDS WITH '1' SET a.synthetic = false")
    kb.write("MATCH (a:Actor)-[t:TIE]->(b:Actor) WHERE a.layer IN ['national', 'local_authority'] "
             "AND b.layer IN ['national', 'local_authority'] SET t.synthetic = false")
    for network in ("innovation", "all"):
        analyse_network(kb, network)
    yield kb
    kb.write_in_batches("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")


def _locality(kb) -> str:
    return kb.read("MATCH (l:Locality)<-[:LOCATED_IN]-() RETURN l.id AS id, count(*) AS n ORDER BY n DESC, id LIMIT 1")[0]["id"]


def assert_previous_rows(kb, names, variants: dict[str, list[dict]] | None = None) -> None:
    """Each named query's current text gives its previous text's rows (tests/previous_queries/),
    for each of its variants (by default those of `_variants`)."""
    variants = variants or _variants(_locality(kb))
    for name in names:
        new, old = load_query(name), parse_query(PREVIOUS / f"{name}.cypher")
        for given in variants[name]:
            assert_same_rows(kb, new, old, given)


@pytest.mark.parametrize("name", QUERIES)
def test_the_copies_give_todays_rows_on_a_generated_knowledge_base(generated, name):
    new, old = load_query(name), parse_query(PREVIOUS / f"{name}.cypher")
    for given in _variants(_locality(generated))[name]:
        bound = computed_parameters(generated, new, new.bind({k: str(v) for k, v in given.items()}))
        assert bound["stored"], given  # the run matches the data: the copies are read
        assert_same_rows(generated, new, old, given)


def test_the_run_stores_what_the_queries_look_up(generated):
    run = generated.read("MATCH (r:AnalysisRun {network: 'all', current: true}) RETURN r")[0]["r"]
    assert run["query_columns"] == 2 and len(run["block_synthetic"]) == len(run["block_from"])
    assert True in run["block_synthetic"] and False in run["block_synthetic"]
    row = generated.read("MATCH (a:Person)-[:HAS_SCORE]->(s:Score {run_id: $r}) WHERE size(s.roles) > 0 "
                         "RETURN a, s ORDER BY a.id LIMIT 1", {"r": run["id"]})[0]
    a, s = row["a"], row["s"]
    assert (s["name"], s["layer"], s["synthetic"]) == (a["name"], a["layer"], a.get("synthetic", False))
    assert s["broker_rank"] >= 1 and s["betweenness_rank"] >= 1 and s["localities"]


QUERY_TABLES = ("oc_core_fraction", "oc_split", "oc_rows", "cc_rows")


def _outside_core(kb, **given) -> list[dict]:
    q = load_query("outside-core")
    return kb.read(q.text, computed_parameters(kb, q, q.bind({k: str(v) for k, v in given.items()})))


def test_outside_core_answers_the_whole_network_from_the_table_stored_on_the_run(generated):
    """Issue 18 item 14: `kb analyse` stores outside-core's rows for the whole network at the
    default core fraction (with and without synthetic actors) on the run, and the query reads
    them instead of aggregating every Score: a mark put on the stored table shows in those
    answers only; a locality or another core fraction still aggregates the Scores."""
    kb = generated
    run = kb.read("MATCH (r:AnalysisRun {network: 'all', current: true}) RETURN r")[0]["r"]
    assert all(run.get(k) is not None for k in QUERY_TABLES)
    assert run["oc_core_fraction"] == 0.5 and 0 < run["oc_split"] < len(run["oc_rows"])
    cases = [{}, {"include_synthetic": "false"}, {"core_fraction": 0.8}, {"locality": _locality(kb)}]
    before = [_outside_core(kb, network="all", **given) for given in cases]
    kb.write("MATCH (r:AnalysisRun {network: 'all', current: true}) SET r.kept = r.oc_rows, "
             "r.oc_rows = [t IN r.oc_rows | reduce(x = '', i IN range(0, size(split(t, $sep)) - 1) | "
             "x + CASE WHEN i = 0 THEN '' ELSE $sep END + CASE WHEN i = 3 THEN toString(toInteger(split(t, $sep)[i]) + 1000) "
             "ELSE split(t, $sep)[i] END)]", {"sep": "\u001f"})
    try:
        for given, rows in zip(cases, before):
            after = _outside_core(kb, network="all", **given)
            tabled = "core_fraction" not in given and "locality" not in given
            assert rows and after == ([{**r, "actors": r["actors"] + 1000} for r in rows] if tabled else rows), given
    finally:
        kb.write("MATCH (r:AnalysisRun {network: 'all', current: true}) SET r.oc_rows = r.kept REMOVE r.kept")


def test_core_clique_reads_the_members_listed_on_the_run(generated):
    """core-clique reads the core's members as `kb analyse` listed them on the run, in its
    order (cc_rows): a name changed in that list shows in the answer."""
    kb = generated
    q = load_query("core-clique")
    bound = computed_parameters(kb, q, q.bind({"network": "all"}))
    rows = kb.read(q.text, bound)
    assert rows and len(rows) == rows[0]["core_size"]
    kb.write("MATCH (r:AnalysisRun {network: 'all', current: true}) SET r.kept = r.cc_rows, "
             "r.cc_rows = [t IN r.cc_rows | replace(t, $sep + '=', $sep + '=Marked ')]", {"sep": "\u001f"})
    try:
        marked = kb.read(q.text, bound)
    finally:
        kb.write("MATCH (r:AnalysisRun {network: 'all', current: true}) SET r.cc_rows = r.kept REMOVE r.kept")
    assert [r["name"] for r in marked] == ["Marked " + r["name"] for r in rows]


def test_a_run_without_the_stored_tables_reads_its_scores(generated):
    """A run written before the tables existed (its copies on the Scores, no oc_rows or
    cc_rows) gives the same rows, by reading the Scores."""
    kb = generated
    kb.write("MATCH (r:AnalysisRun) SET r.kept_oc = r.oc_rows, r.kept_cc = r.cc_rows REMOVE r.oc_rows, r.cc_rows")
    try:
        assert_previous_rows(kb, ("outside-core", "core-clique"))
    finally:
        kb.write("MATCH (r:AnalysisRun) WHERE r.kept_oc IS NOT NULL "
                 "SET r.oc_rows = r.kept_oc, r.cc_rows = r.kept_cc REMOVE r.kept_oc, r.kept_cc")


def test_the_columns_read_once_equal_the_previous_walk_per_score(generated):
    """`kb analyse` reads what the Scores copy about each actor once (actor-columns.cypher) instead
    of walking each actor's relationships in the write of every network's Scores: a run written by
    the previous write-back text (tests/previous_queries/write-scores.cypher) holds the same values."""
    from kb.store.query_columns import ACTOR_COLUMNS

    kb = generated
    run = kb.read("MATCH (r:AnalysisRun {network: 'all', current: true}) RETURN r.id AS id")[0]["id"]
    rows = kb.read("MATCH (s:Score {run_id: $r}) RETURN s.actor_id AS actor, properties(s) AS props", {"r": run})
    new = {r["actor"]: {k: r["props"].get(k) for k in ACTOR_COLUMNS} for r in rows}
    for r in rows:
        r["props"] = {k: v for k, v in r["props"].items() if k not in ACTOR_COLUMNS}
    kb.write("CREATE (:AnalysisRun {id: 'previous-walk', network: 'previous-walk', current: false})")
    try:
        kb.write((PREVIOUS / "write-scores.cypher").read_text(), {"run": "previous-walk", "rows": rows})
        old = kb.read("MATCH (s:Score)-[:IN_RUN]->(:AnalysisRun {id: 'previous-walk'}) "
                      "RETURN s.actor_id AS actor, properties(s) AS props")
        old = {r["actor"]: {k: r["props"].get(k) for k in ACTOR_COLUMNS} for r in old}
    finally:
        kb.write("MATCH (r:AnalysisRun {id: 'previous-walk'}) OPTIONAL MATCH (r)<-[:IN_RUN]-(s) DETACH DELETE r, s")
    assert len(new) == len(rows) > 300 and old == new
    assert any(c["member_org"] for c in new.values()) and any(c["localities"] for c in new.values())


def test_a_run_written_by_the_older_code_answers_as_before(generated):
    """Without the copies (a run of the previous write-back) the queries read the run as they
    did: the same rows."""
    kb = generated
    kb.write("MATCH (r:AnalysisRun) SET r.was = r.query_columns, r.old_cells = r.block_synthetic "
             "REMOVE r.query_columns, r.block_synthetic")
    kb.write("MATCH (s:Score) SET s.old_rank = s.broker_rank REMOVE s.broker_rank, s.betweenness_rank, s.name, s.layer, "
             "s.synthetic, s.localities, s.org_name, s.org_type, s.member_org")
    try:
        assert_previous_rows(kb, QUERIES)
    finally:
        kb.write("MATCH (r:AnalysisRun) WHERE r.was IS NOT NULL SET r.query_columns = r.was, r.block_synthetic = r.old_cells "
                 "REMOVE r.was, r.old_cells")


def test_an_edit_after_the_run_makes_the_copies_stale_and_the_rows_follow_the_data(kb, tmp_path, test_settings):
    """The copies stand for the data only while the run matches it: after a person's name is
    edited the run no longer matches (the freshness check), and brokers shows the new name."""
    from kb.services.access import User
    from kb.services.curation import Provenance, save
    from tests.test_analysis_db import random_work_network

    load(kb, random_work_network(tmp_path / "net", seed=21))
    analyse_network(kb, "work")
    q = load_query("brokers")
    top = run_named(kb, q, q.bind({"network": "work", "limit": "1"}), timeout=600, row_limit=10).rows[0]
    save(test_settings, kb, User("eddie", "editor"), "people", {"id": top["actor"], "name": "Renamed Broker"},
         reason="renamed", provenance=Provenance(editors_judgement=True, note="a test"), expected_version=0)
    bound = computed_parameters(kb, q, q.bind({"network": "work", "limit": "1"}))
    assert not bound["stored"]
    after = run_named(kb, q, q.bind({"network": "work", "limit": "1"}), timeout=600, row_limit=10).rows[0]
    assert (after["actor"], after["name"]) == (top["actor"], "Renamed Broker")


def test_forget_drops_the_stored_tables_and_the_queries_follow_the_data(kb, tmp_path):
    """The stored tables name actors: `kb forget` drops them from every run that scored the
    person (outside-core and core-clique then read the remaining Scores, as the previous texts
    do), and the person's name is left on no run."""
    from kb.store.forget import forget_person
    from tests.test_analysis_db import random_work_network

    load(kb, random_work_network(tmp_path / "net", seed=23))
    analyse_network(kb, "work")
    run = kb.read("MATCH (r:AnalysisRun {network: 'work', current: true}) RETURN r")[0]["r"]
    outside = [n for text in run["oc_rows"] for n in text.split("\u001f")[9:]]
    person = kb.read("MATCH (p:Person) RETURN p.id AS id, p.name AS name ORDER BY p.name IN $names DESC, id LIMIT 1",
                     {"names": outside})[0]
    forget_person(kb, person["id"])
    run = kb.read("MATCH (r:AnalysisRun {network: 'work', current: true}) RETURN r")[0]["r"]
    assert all(run.get(k) is None for k in QUERY_TABLES) and run["forgotten_people"] == 1
    assert not any(person["name"] in str(v) for v in run.values())
    work = [{"network": "work"}, {"network": "work", "include_synthetic": "false"}]
    assert_previous_rows(kb, ("outside-core", "core-clique"), {"outside-core": work, "core-clique": work})
    rows = _outside_core(kb, network="work")
    assert rows and person["name"] not in {n for r in rows for n in r["outside"]}
