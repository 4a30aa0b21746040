"""Centrality: degree, betweenness, closeness, harmonic, two-step reach, information.

Every function takes a :class:`~kb.analytics.graph.TieGraph` and returns a
``pandas.Series`` indexed by actor id (networkx-style: one value per node). The
``*_estimate`` variants return an :class:`Estimate` that also carries a standard error
and says whether the value was computed exactly or estimated.

Exact or sampled
----------------
Path-based measures (betweenness, closeness, harmonic) cost O(n m) exactly. They are
computed per weakly connected component (no shortest path crosses components):

* a component of at most ``exact_max_nodes`` actors (default 5000) is computed exactly
  (Brandes 2001, via igraph);
* a larger component is estimated from ``pivots`` source actors drawn uniformly
  without replacement from it (Brandes & Pich 2007; Eppstein & Wang 2004 for
  closeness). The betweenness estimator ``n_c / k * sum_{s in S} delta_s(v)`` is
  unbiased; its standard error is the finite-population sample error of the mean over
  pivots (see :func:`betweenness_estimate`).

A graph of at most ``exact_max_nodes`` actors is therefore always computed exactly.
Information centrality is exact (dense Laplacian inverse) up to the same component
size and estimated by stochastic diagonal estimation above it.
"""

from __future__ import annotations

from kb.analytics.centrality.betweenness import betweenness, betweenness_estimate, betweenness_scale
from kb.analytics.centrality.closeness import (closeness, closeness_estimate, distance_measures, harmonic,
                                               harmonic_estimate)
from kb.analytics.centrality.degree import degree, in_degree, out_degree
from kb.analytics.centrality.eigenvector import eigenvector
from kb.analytics.centrality.information import information_centrality, information_estimate
from kb.analytics.centrality.reach import two_step_reach
from kb.analytics.centrality.sampling import (DEFAULT_EXACT_MAX_NODES, DEFAULT_PIVOTS, DEFAULT_PROBES, DEFAULT_WORKERS,
                                              Estimate,
                                              estimate_method, pivot_plan)

__all__ = [
    "DEFAULT_EXACT_MAX_NODES", "DEFAULT_PIVOTS", "DEFAULT_PROBES", "DEFAULT_WORKERS", "Estimate", "betweenness", "betweenness_estimate",
    "betweenness_scale", "closeness", "closeness_estimate", "degree", "distance_measures", "eigenvector",
    "estimate_method", "harmonic", "harmonic_estimate", "in_degree", "information_centrality",
    "information_estimate", "out_degree", "pivot_plan", "two_step_reach",
]
