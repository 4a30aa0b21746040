"""On a large knowledge base the named queries that can read `kb analyse`'s stored results
answer from the last run even when the data changed since, and say it is stale
(KB_STALE_RUN_ACTORS; issue 18 item 14). Below the threshold they count live, as before."""

from __future__ import annotations


from kb.store.analysis_runs import analyse_network
from kb.store.cypher import load_query
from kb.store.named_queries import run_named
from tests.test_analysis_db import load, random_work_network


def _run(kb, name, stale_actors, **params):
    q = load_query(name)
    return run_named(kb, q, q.bind({k: str(v) for k, v in params.items()}), timeout=600, row_limit=10**9,
                     stale_actors=stale_actors)


def test_a_stale_run_answers_on_a_large_knowledge_base_and_says_so(kb, tmp_path):
    load(kb, random_work_network(tmp_path / "net", seed=11))
    analyse_network(kb, "work")
    live = {name: _run(kb, name, 0, network="work", live="true").rows for name in ("layer-links", "fragility")}
    # Mark the stored table so that an answer from it can be told from a live count.
    kb.write("MATCH (r:AnalysisRun {network: 'work', current: true}) SET r.block_ties = [t IN r.block_ties | t + 1000]")
    current = _run(kb, "layer-links", 40, network="work")
    assert current.rows != live["layer-links"] and current.stale is None  # current run: stored, not stale

    # A load that changes data: the run no longer matches it.
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "people.csv").write_text("id,name,layer\nq01,Newcomer,community\n")
    load(kb, tmp_path / "more")
    for name in ("layer-links", "fragility"):
        # Small knowledge base (or the rule turned off): counted live, not stale.
        for threshold in (0, 41):
            result = _run(kb, name, threshold, network="work")
            assert result.rows == live[name] and result.stale is None, (name, threshold)
        # Large enough (the run covered 40 actors): the stored answer, said to be stale.
        stale = _run(kb, name, 40, network="work")
        assert stale.rows != live[name]
        assert "no longer matches the data" in stale.stale and "kb analyse" in stale.stale
        # live=true still counts live.
        forced = _run(kb, name, 40, network="work", live="true")
        assert forced.rows == live[name] and forced.stale is None
    assert _run(kb, "brokerage-roles", 40, network="work").stale
    # brokers reads the actors' columns the run copied onto its scores: stale too, and said so;
    # below the threshold it reads each actor live, not stale.
    assert "no longer matches the data" in _run(kb, "brokers", 40, network="work").stale
    assert _run(kb, "brokers", 41, network="work").stale is None
    # A network without a run is never stale.
    assert _run(kb, "layer-links", 40, network="social").stale is None


def test_kb_query_prints_the_stale_note(kb, tmp_path, cli_env):
    from tests.conftest import run_kb

    (tmp_path / "net").mkdir()
    (tmp_path / "net" / "people.csv").write_text("id,name,layer\na,A,community\nb,B,frontline\nc,C,national\n")
    (tmp_path / "net" / "ties.csv").write_text("from,to,network\na,b,work\nb,c,work\nc,a,work\n")
    load(kb, tmp_path / "net")
    analyse_network(kb, "work")
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "people.csv").write_text("id,name,layer\nd,D,community\n")
    load(kb, tmp_path / "more")
    proc = run_kb(["query", "layer-links", "--param", "network=work", "--format", "json"],
                  {**cli_env, "KB_STALE_RUN_ACTORS": "3"}, check=True)
    assert "(stale: answered from the analysis run of" in proc.stderr
    assert proc.stdout.lstrip().startswith("[")  # the JSON itself is unchanged
    proc = run_kb(["query", "layer-links", "--param", "network=work"], cli_env, check=True)
    assert "stale" not in proc.stderr  # below the default threshold: live


def test_without_any_run_the_queries_that_need_one_say_so_at_once(kb, tmp_path):
    """No analysis run of the network: the queries that answer only from a run have no rows and
    say why; those that would count live do so, except on a large knowledge base (at least
    KB_STALE_RUN_ACTORS actors), where they answer at once with no rows and say why."""
    load(kb, random_work_network(tmp_path / "net", seed=5))
    for name in ("brokers", "outside-core", "core-clique", "fragility"):
        result = _run(kb, name, 0, network="work")
        assert result.rows == [] and "has not been analysed yet" in result.note and "kb analyse" in result.note
    live = _run(kb, "brokerage-roles", 0, network="work", limit=5)
    assert live.rows and live.note is None
    for name in ("brokerage-roles", "layer-links", "weak-layer-links"):
        small = _run(kb, name, 41, network="work")  # 40 actors: counted live
        assert (small.rows or name == "weak-layer-links") and small.note is None, name
        large = _run(kb, name, 40, network="work")
        assert large.rows == [] and "counting it live over 40 actors takes long" in large.note, name
        assert "live=true" in large.note
        forced = _run(kb, name, 40, network="work", live="true")
        assert forced.rows == small.rows and forced.note is None
    assert _run(kb, "layer-links", 40, network="work", locality="nowhere").note is None  # a locality: live
    analyse_network(kb, "work")
    for name in ("brokers", "brokerage-roles", "layer-links"):
        assert _run(kb, name, 40, network="work").note is None
