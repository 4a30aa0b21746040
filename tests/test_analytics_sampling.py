"""Estimated (sampled) measures above the exact threshold, against the exact values.

All estimates are seeded, so these tests are deterministic; the tolerances were set
with margin over the observed errors and still fail on a wrong scale factor, a
biased estimator or a wrong standard-error formula.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from scipy.stats import spearmanr

from kb.analytics import centrality as c
from kb.analytics.graph import TieGraph, from_networkx


@pytest.fixture(scope="module")
def mid() -> TieGraph:
    """A 1500-actor scale-free graph: one component, well above a threshold of 500."""
    return from_networkx(nx.barabasi_albert_graph(1500, 3, seed=7))


@pytest.fixture(scope="module")
def exact_betweenness(mid):
    est = c.betweenness_estimate(mid)
    assert est.method == "exact" and (est.stderr == 0).all()
    return est.values


@pytest.fixture(scope="module")
def sampled_runs(mid):
    return [c.betweenness_estimate(mid, exact_max_nodes=500, pivots=150, seed=s) for s in range(20)]


def test_sampling_kicks_in_above_threshold(mid, sampled_runs):
    run = sampled_runs[0]
    assert run.method == "sampled" and run.sample_size == 150
    assert run.sampled_component_sizes == [1500]
    assert (run.stderr > 0).mean() > 0.9


def test_sampled_betweenness_single_run_close_to_exact(exact_betweenness, sampled_runs):
    exact = exact_betweenness.to_numpy()
    top = np.argsort(-exact)[:10]
    for run in sampled_runs[:5]:
        est = run.values.to_numpy()
        assert spearmanr(est, exact)[0] > 0.85
        assert len(set(np.argsort(-est)[:10]) & set(top)) >= 7
        assert np.abs(est[top[:5]] / exact[top[:5]] - 1).max() < 0.35
        assert abs(est.sum() / exact.sum() - 1) < 0.06


def test_sampled_betweenness_is_unbiased(exact_betweenness, sampled_runs):
    exact = exact_betweenness.to_numpy()
    mean = np.mean([r.values.to_numpy() for r in sampled_runs], axis=0)
    top = np.argsort(-exact)[:20]
    assert np.abs(mean[top] / exact[top] - 1).max() < 0.15
    assert abs(mean.sum() / exact.sum() - 1) < 0.02


def test_sampled_betweenness_stderr_is_calibrated(exact_betweenness, sampled_runs):
    """Mean reported variance ~ the spread of the estimates across seeds."""
    values = np.array([r.values.to_numpy() for r in sampled_runs])
    reported = np.array([r.stderr.to_numpy() for r in sampled_runs]) ** 2
    top = np.argsort(-exact_betweenness.to_numpy())[:50]
    ratio = reported[:, top].mean() / values[:, top].var(axis=0, ddof=1).mean()
    assert 0.6 < ratio < 1.5


def test_more_pivots_smaller_error(mid, exact_betweenness):
    top = exact_betweenness.nlargest(100).index
    few = c.betweenness_estimate(mid, exact_max_nodes=500, pivots=50, seed=1)
    many = c.betweenness_estimate(mid, exact_max_nodes=500, pivots=400, seed=1)
    # sqrt(50/400 * (1 - 400/1500) / (1 - 50/1500)) = 0.31 in expectation
    assert many.stderr[top].mean() < 0.6 * few.stderr[top].mean()
    err_few = (few.values[top] - exact_betweenness[top]).abs().mean()
    err_many = (many.values[top] - exact_betweenness[top]).abs().mean()
    assert err_many < 0.6 * err_few


def test_all_pivots_is_exact(mid, exact_betweenness):
    est = c.betweenness_estimate(mid, exact_max_nodes=500, pivots=1500)
    np.testing.assert_allclose(est.values, exact_betweenness, rtol=1e-9)
    assert (est.stderr == 0).all()


def test_sampled_directed_betweenness():
    graph = nx.gnm_random_graph(800, 4000, seed=5, directed=True)
    g = from_networkx(graph)
    exact = c.betweenness(g, directed=True).to_numpy()
    runs = [c.betweenness(g, directed=True, exact_max_nodes=100, pivots=200, seed=s).to_numpy()
            for s in range(10)]
    assert abs(np.mean(runs, axis=0).sum() / exact.sum() - 1) < 0.02
    assert spearmanr(runs[0], exact)[0] > 0.8


def test_mixed_components_small_ones_exact():
    """A small component next to a large one is computed exactly."""
    big = nx.barabasi_albert_graph(600, 2, seed=2)
    small = nx.relabel_nodes(nx.path_graph(5), {i: f"p{i}" for i in range(5)})
    graph = nx.union(big, small)
    est = c.betweenness_estimate(from_networkx(graph), exact_max_nodes=100, pivots=50)
    assert est.method == "mixed"
    assert est.values["p2"] == pytest.approx(4.0) and est.stderr["p2"] == 0  # middle of a 5-path
    assert est.values["p1"] == pytest.approx(3.0)


def test_sampled_closeness_and_harmonic(mid):
    exact_c = c.closeness_estimate(mid)
    exact_h = c.harmonic_estimate(mid)
    est_c = c.closeness_estimate(mid, exact_max_nodes=500, pivots=200, seed=3)
    est_h = c.harmonic_estimate(mid, exact_max_nodes=500, pivots=200, seed=3)
    assert est_c.method == est_h.method == "sampled"
    rel_c = (est_c.values / exact_c.values - 1).abs()
    rel_h = (est_h.values / exact_h.values - 1).abs()
    assert rel_c.max() < 0.1 and rel_h.max() < 0.15
    assert ((est_c.values - exact_c.values).abs() < 3 * est_c.stderr).mean() > 0.9
    assert ((est_h.values - exact_h.values).abs() < 3 * est_h.stderr).mean() > 0.9


def test_sampled_closeness_disconnected_directed():
    """Directed, several weak components: reach counts are estimated too."""
    graph = nx.gnm_random_graph(700, 1400, seed=11, directed=True)
    g = from_networkx(graph)
    exact = c.closeness(g, directed=True)
    est = c.closeness(g, directed=True, exact_max_nodes=50, pivots=300, seed=0)
    assert spearmanr(est, exact)[0] > 0.9
    assert abs(est.mean() / exact.mean() - 1) < 0.05


def test_sampled_information_centrality(mid):
    exact = c.information_estimate(mid)
    est = c.information_estimate(mid, exact_max_nodes=500, probes=64, seed=0)
    assert exact.method == "exact" and est.method == "sampled" and est.sample_size == 64
    rel = (est.values / exact.values - 1).abs()
    assert rel.max() < 0.2 and rel.median() < 0.03
    assert ((est.values - exact.values).abs() < 3 * est.stderr).mean() > 0.9


def test_sampled_estimators_exact_on_complete_graph():
    """Every pivot sees every other actor at distance 1, so the estimates have no
    sampling error: a wrong inflation factor shows up exactly."""
    g = from_networkx(nx.complete_graph(30))
    for est in (c.closeness_estimate(g, exact_max_nodes=10, pivots=7),
                c.harmonic_estimate(g, exact_max_nodes=10, pivots=7)):
        assert est.method == "sampled"
    np.testing.assert_allclose(c.closeness(g, exact_max_nodes=10, pivots=7), 1.0)
    np.testing.assert_allclose(c.harmonic(g, exact_max_nodes=10, pivots=7), 29.0)
    np.testing.assert_allclose(c.betweenness(g, exact_max_nodes=10, pivots=7), 0.0)
    np.testing.assert_allclose(c.harmonic_estimate(g, exact_max_nodes=10, pivots=7).stderr, 0.0)
    # star: the centre lies on all C(29, 2) = 406 leaf pairs. A leaf pivot contributes
    # 28 / 2 (undirected), the centre pivot 0; with 12 pivots the estimate is
    # 30/12 * 14 * 12 = 420 (centre not drawn, p = 18/30) or 30/12 * 14 * 11 = 385
    # (p = 12/30): mean 406 exactly.
    star = from_networkx(nx.star_graph(29))
    values = [c.betweenness(star, exact_max_nodes=10, pivots=12, seed=s)[0] for s in range(300)]
    assert set(np.round(values, 9)) == {385.0, 420.0}
    assert np.mean(values) == pytest.approx(406.0, rel=0.01)


def test_pivot_batches_and_workers_do_not_change_the_estimates(mid):
    # The pivots run in ~50 batches (one igraph call each); the standard error comes from the
    # spread of the batch means. Forked workers share the batches: same numbers, same order.
    from kb.analytics.centrality.sampling import batch_variance, pivot_batches

    piv = np.arange(500)
    batches = pivot_batches(piv)
    assert len(batches) == 50 and all(len(b) == 10 for b in batches)
    assert [len(b) for b in pivot_batches(np.arange(60))] == [1] * 60  # small samples: per pivot
    x = np.random.default_rng(1).random((60, 3))
    np.testing.assert_allclose(batch_variance(x, np.ones(60)), x.var(0, ddof=1))
    one = c.betweenness_estimate(mid, exact_max_nodes=500, pivots=120, seed=3)
    two = c.betweenness_estimate(mid, exact_max_nodes=500, pivots=120, seed=3, workers=2)
    np.testing.assert_array_equal(one.values, two.values)
    np.testing.assert_array_equal(one.stderr, two.stderr)
    clo1, har1 = c.distance_measures(mid, False, 500, 120, 3)
    clo2, har2 = c.distance_measures(mid, False, 500, 120, 3, workers=2)
    np.testing.assert_array_equal(clo1.values, clo2.values)
    np.testing.assert_array_equal(har1.stderr, har2.stderr)
