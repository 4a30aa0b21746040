"""`python -m bench.run --quick`: quick.json's stable keys, assembled from the raw results of
the four benchmarks (a unit test of the assembly; the run itself takes minutes)."""

from __future__ import annotations

from bench.run import QUICK, QUICK_KEYS, assemble


def test_quick_json_has_every_goal_under_stable_keys():
    load = {"ratios": {"loader_over_load_csv": 1.2, "bulk_over_load_csv": 0.3}}
    analytics = {"sizes": [{"baseline": {"total_project": 2.0, "total_networkx": 400.0}}]}
    queries = {"sizes": [
        {"label": "bundled case base (`data/`)", "queries": {"results": [
            {"query": "brokers", "params": {"network": "innovation"}, "p95": 0.020},
            {"query": "brokers", "params": {"network": "all"}, "p95": 0.050}]}},
        {"label": "2,000 actors, 20,000 ties", "queries": {"results": [
            {"query": "brokers", "params": {"network": "all"}, "p95": 0.5},
            {"query": "fragility", "params": {"network": "all"}, "error": "timed out"}]}}]}
    pages = {"views": {"Brokers": {"cold_s": 1.5, "warm_s": 0.25}}}

    figures = assemble(load, analytics, queries, pages)

    assert tuple(figures) == QUICK_KEYS == ("load_vs_load_csv", "bulk_vs_load_csv", "analyse_vs_networkx",
                                            "query_p95_ms", "page_cold_ms", "page_warm_ms")
    assert figures["load_vs_load_csv"] == 1.2 and figures["bulk_vs_load_csv"] == 0.3
    assert figures["analyse_vs_networkx"] == 2.0 / 400.0
    # The slowest parameter set of each query; a query that failed has no p95.
    assert figures["query_p95_ms"] == {"casebase": {"brokers": 50.0}, "generated": {"brokers": 500.0}}
    assert figures["page_cold_ms"] == {"Brokers": 1500.0} and figures["page_warm_ms"] == {"Brokers": 250.0}


def test_a_failed_benchmark_leaves_its_keys_empty_not_missing():
    figures = assemble(None, None, None, None)
    assert tuple(figures) == QUICK_KEYS and all(v is None for v in figures.values())


def test_the_quick_run_covers_every_benchmark_of_a_goal_and_writes_no_docs():
    assert set(QUICK) == {"load", "analytics", "queries", "pages"}
    assert all("--no-docs" in args for name, args in QUICK.items() if name != "pages")
