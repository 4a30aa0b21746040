"""The Overview's counts and the innovation search, rewritten so a cold view of a big knowledge
base does not read every node (issue 16 part 3: the Overview took 12.5 s at 1M ties, 7.4 s of it
in ui/label-counts reading 800,000 Score nodes). They give the previous texts' rows (kept in
tests/previous_queries/ui/) on the bundled case base, analysed, and the counts read no node
they do not count."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.services import queries
from kb.settings import DEFAULT_NETWORK_TYPES
from kb.store.analysis_runs import analyse_network
from kb.store.cypher import parse_query
from kb.store.known_ids import known_ids
from kb.store.writer import write_batch
from loaders import read_paths, validate
from tests.conftest import DATA_DIR

PREVIOUS = Path(__file__).parent / "previous_queries" / "ui"


@pytest.fixture(scope="module")
def analysed(session_kb):
    session_kb.write_in_batches("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
    write_batch(session_kb, validate(read_paths([DATA_DIR]), DEFAULT_NETWORK_TYPES, known_ids(session_kb)),
                DEFAULT_NETWORK_TYPES, progress=False)
    analyse_network(session_kb, "all")  # Score, AnalysisRun: the records counted apart
    yield session_kb


def _rows(kb, name: str, params: dict) -> list[dict]:
    return queries.read(kb, name, params, timeout=120)


def _previous(kb, name: str, params: dict) -> list[dict]:
    old = parse_query(PREVIOUS / f"{name}.cypher")
    return kb.read(old.text, {p.name: params.get(p.name, p.default) for p in old.parameters}, timeout=120)


@pytest.mark.parametrize("include_synthetic", [True, False])
def test_the_overview_counts_are_the_previous_ones(analysed, include_synthetic):
    given = {"include_synthetic": include_synthetic}
    facts = _rows(analysed, "ui/label-counts", given)
    records = {r["type"]: r["nodes"] for r in _rows(analysed, "ui/record-counts", {})}
    before = _previous(analysed, "label-counts", given)
    assert facts == [r for r in before if r["type"] not in records]
    assert {"Score", "AnalysisRun", "Load"} <= set(records)
    # The records are counted whole (they are kept for sourced and synthetic data alike).
    everything = {r["type"]: r["nodes"] for r in _previous(analysed, "label-counts", {"include_synthetic": True})}
    assert records == {t: n for t, n in everything.items() if t in records}
    assert {r["type"] for r in facts} | set(records) >= {r["type"] for r in before}


def _operators(plan: dict) -> list[tuple[str, str]]:
    found = [(plan["operatorType"].split("@")[0], plan.get("args", {}).get("Details", ""))]
    for child in plan.get("children", []):
        found += _operators(child)
    return found


def _plan(kb, name: str) -> list[tuple[str, str]]:
    q = queries.query(name)
    with kb.driver.session(database=kb.database) as session:
        summary = session.run("EXPLAIN " + q.text, q.bind({})).consume()
    return _operators(summary.plan)


def test_the_overview_counts_read_no_node_they_do_not_count(analysed):
    """Totals from the count store; only the labels whose synthetic flags are counted are scanned,
    never every node (AllNodesScan) and never the analysis scores."""
    facts = _plan(analysed, "ui/label-counts")
    assert not [op for op, _ in facts if op == "AllNodesScan"], facts
    assert not [d for op, d in facts if "Score" in d], facts
    records = _plan(analysed, "ui/record-counts")
    assert not [op for op, _ in records if "Scan" in op or "Expand" in op], records
    assert sum(op == "NodeCountFromCountStore" for op, _ in records) >= 9


SEARCHES = [{"q": "+(shutters OR shutters*)"}, {"q": "+(innovation OR innovation*)"}, {},
            {"q": "+(pupils OR pupils*)", "stages": ["implement", "diffuse"]}, {"evidence": [1, 2, 3]},
            {"q": "+(neighbourhood OR neighbourhood* OR neighborhood OR neighborhood*)", "localities": ["knowsley"]},
            {"layers": ["local_authority"]}, {"q": "nothing_matches_this"}]


@pytest.mark.parametrize("given", SEARCHES)
def test_the_innovation_search_gives_the_previous_rows(analysed, given):
    params = {"q": None, "sectors": None, "problems": None, "stages": None, "evidence": None, "localities": None,
              "layers": None, "limit": 500, **given}
    assert _rows(analysed, "ui/innovation-search", params) == _previous(analysed, "innovation-search", params)


NETWORK_ACTORS = [{}, {"limit": 10}, {"network": "work"}, {"score": "betweenness"},
                  {"score": "betweenness", "network": "all", "limit": 25}, {"locality": "knowsley"},
                  {"ids": ["ila_la_officer_01", "ila_la_officer_03", "nobody"]}, {"include_synthetic": False},
                  {"score": "coreness", "include_synthetic": False, "network": "all"}]


@pytest.mark.parametrize("given", NETWORK_ACTORS)
def test_the_network_pictures_actors_are_the_previous_ones(analysed, given):
    params = {"network": "all", "locality": None, "ids": None, "score": "degree", "limit": 300,
              "include_synthetic": True, **given}
    rows = _rows(analysed, "ui/network-actors", params)
    assert rows == _previous(analysed, "network-actors", params) and rows
