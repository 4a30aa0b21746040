"""Betweenness centrality (Freeman 1977; Brandes 2001), exact or estimated from pivots."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kb.analytics.graph import TieGraph
from kb.analytics.centrality.sampling import (DEFAULT_EXACT_MAX_NODES, DEFAULT_PIVOTS, DEFAULT_WORKERS, Estimate,
                                              batch_variance, estimate_method, map_batches, pivot_batches,
                                              pivot_plan)


def _dependencies(data, batch: np.ndarray) -> np.ndarray:
    """Sum over the batch's sources s of delta_s(v), for the members of one component."""
    g, directed, members = data
    return np.asarray(g.betweenness(directed=directed, sources=batch.tolist()), dtype=float)[members]


def betweenness_scale(n: int, directed: bool) -> float:
    """networkx normalisation: 1/((n-1)(n-2)) directed, 2/((n-1)(n-2)) undirected."""
    if n <= 2:
        return 1.0
    return (1.0 if directed else 2.0) / ((n - 1) * (n - 2))


# ---------------------------------------------------------------- betweenness
def betweenness_estimate(graph: TieGraph, directed: bool = False, normalized: bool = False,
                         exact_max_nodes: int = DEFAULT_EXACT_MAX_NODES,
                         pivots: int = DEFAULT_PIVOTS, seed: int = 0,
                         workers: int = DEFAULT_WORKERS) -> Estimate:
    """Shortest-path betweenness (Freeman 1977) with a standard error.

    ``b(v) = sum_{s != v != t} sigma_st(v) / sigma_st``: the share of shortest s-t
    paths through v, summed over pairs (unordered pairs if undirected, ordered if
    ``directed=True``). ``normalized=True`` multiplies by ``2/((n-1)(n-2))``
    (undirected) or ``1/((n-1)(n-2))`` (directed), the networkx convention.

    Exact per component of at most ``exact_max_nodes`` actors (Brandes 2001). In a
    larger component C (n_c actors) ``k = pivots`` sources S are drawn uniformly
    without replacement and ``b(v) ~ n_c / k * sum_{s in S} delta_s(v)``, where
    ``delta_s(v)`` is the dependency of source s on v (Brandes & Pich 2007, "Centrality
    estimation in large networks", IJBC 17). The estimator is unbiased; its standard
    error is ``n_c * sqrt(s_v^2 / k * (1 - k / n_c))`` with ``s_v^2`` the variance of
    ``delta_s(v)`` over the pivots (finite-population correction: 0 when k = n_c),
    estimated from about 50 random batches of pivots (:func:`batch_variance`; per pivot
    below 100 pivots). ``workers`` processes share the batches.

    Parameters
    ----------
    graph : TieGraph
    directed : count directed paths (default: undirected ties)
    normalized : networkx normalisation (see above)
    exact_max_nodes : largest component computed exactly
    pivots : pivots per larger component
    seed : random seed for the pivots

    Returns
    -------
    Estimate with ``values`` and ``stderr`` Series (same scale as ``values``).

    Example: the path a - b - c; b lies on the only a-c path.

    >>> from kb.analytics.graph import from_edges
    >>> betweenness_estimate(from_edges([("a", "b"), ("b", "c")], directed=False)).values.tolist()
    [0.0, 1.0, 0.0]
    """
    n = graph.n
    values = np.zeros(n)
    stderr = np.zeros(n)
    exact_nodes, sampled = pivot_plan(graph, exact_max_nodes, pivots, seed)
    g = graph.to_igraph(directed=directed)
    if len(exact_nodes) == n and n:
        values = np.asarray(g.betweenness(directed=directed), dtype=float)
    elif len(exact_nodes):
        values += np.asarray(g.betweenness(directed=directed, sources=exact_nodes.tolist()), dtype=float)
    for members, piv in sampled:
        n_c, k = len(members), len(piv)
        batches = pivot_batches(piv)
        # igraph's subset betweenness from a set of sources is the sum of delta_s(v) over
        # them (halved when undirected, so that summing over all sources gives b(v)).
        sums = np.asarray(map_batches(_dependencies, (g, directed, members), batches, workers))
        var = batch_variance(sums, [len(b) for b in batches])
        values[members] = n_c * sums.sum(0) / k
        stderr[members] = n_c * np.sqrt(var / k * max(1.0 - k / n_c, 0.0))
    if normalized:
        scale = betweenness_scale(n, directed)
        values, stderr = values * scale, stderr * scale
    name = "betweenness_normalized" if normalized else "betweenness"
    return Estimate(graph.series(values, name), graph.series(stderr, name + "_stderr"),
                    estimate_method(exact_nodes, sampled, n), pivots if sampled else None,
                    [len(m) for m, _ in sampled])


def betweenness(graph: TieGraph, directed: bool = False, normalized: bool = False,
                exact_max_nodes: int = DEFAULT_EXACT_MAX_NODES, pivots: int = DEFAULT_PIVOTS,
                seed: int = 0) -> pd.Series:
    """Betweenness values only; see :func:`betweenness_estimate`.

    >>> from kb.analytics.graph import from_edges
    >>> g = from_edges([("a", "b"), ("b", "c"), ("b", "d")], directed=False)
    >>> float(betweenness(g, normalized=True)["b"])
    1.0
    """
    return betweenness_estimate(graph, directed, normalized, exact_max_nodes, pivots, seed).values
