"""Exact or sampled: how the path measures plan their work, and the estimate they return.

Path-based measures (betweenness, closeness, harmonic) cost O(n m) exactly. They are
computed per weakly connected component (no shortest path crosses components):

* a component of at most ``exact_max_nodes`` actors (default 5000) is computed exactly
  (Brandes 2001, via igraph);
* a larger component is estimated from ``pivots`` source actors drawn uniformly
  without replacement from it (Brandes & Pich 2007; Eppstein & Wang 2004 for
  closeness).

A graph of at most ``exact_max_nodes`` actors is therefore always computed exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kb.analytics.graph import TieGraph, weak_components

DEFAULT_EXACT_MAX_NODES = 5000
"""Components up to this many actors get exact path-based measures."""
DEFAULT_PIVOTS = 500
"""Pivots (sampled source actors) per component above ``exact_max_nodes``."""
DEFAULT_PROBES = 64
"""Random probe vectors for information centrality above ``exact_max_nodes``."""
BATCH_GROUPS = 50
"""Pivots are processed in about this many equal batches (one igraph call each, which
builds its adjacency lists once per batch instead of once per pivot); the standard error
comes from the spread of the batch means (the random-groups variance estimator)."""
DEFAULT_WORKERS = 1
"""Processes sharing the pivot batches (``workers``; forked, so the graph is not copied)."""


@dataclass
class Estimate:
    """A per-node measure with its standard error.

    ``stderr`` is 0 for exactly computed nodes. ``method`` is ``"exact"``,
    ``"sampled"`` (every node estimated) or ``"mixed"``. ``sample_size`` is the number
    of pivots (or probe vectors) used per estimated component, ``None`` if exact.
    """

    values: pd.Series
    stderr: pd.Series
    method: str
    sample_size: int | None = None
    sampled_component_sizes: list[int] = field(default_factory=list)


def pivot_plan(graph: TieGraph, exact_max_nodes: int, pivots: int, seed: int):
    """Nodes computed exactly, and (members, pivots) per sampled component."""
    exact_max_nodes = max(int(exact_max_nodes), 2)  # sampling needs >= 2 actors
    membership, sizes = weak_components(graph)
    rng = np.random.default_rng(seed)
    exact_nodes = np.flatnonzero(sizes[membership] <= exact_max_nodes) if graph.n else np.zeros(0, int)
    sampled = []
    for c in np.flatnonzero(sizes > exact_max_nodes):
        members = np.flatnonzero(membership == c)
        k = int(min(max(pivots, 2), len(members)))
        sampled.append((members, np.sort(rng.choice(members, size=k, replace=False))))
    return exact_nodes, sampled


def estimate_method(exact_nodes: np.ndarray, sampled: list, n: int) -> str:
    if not sampled:
        return "exact"
    return "sampled" if len(exact_nodes) == 0 else "mixed"


def pivot_batches(pivots: np.ndarray, groups: int = BATCH_GROUPS) -> list[np.ndarray]:
    """The pivots in about ``groups`` batches of equal size (one pivot each when there are
    fewer than 2 * groups pivots, so that small samples keep the per-pivot variance)."""
    k = len(pivots)
    size = max(1, k // groups) if k >= 2 * groups else 1
    return [pivots[i:i + size] for i in range(0, k, size)]


def batch_variance(sums: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Per-pivot variance of a sampled quantity from per-batch sums (rows: batches).

    The random-groups estimator ``sum_j b_j (m_j - m)^2 / (J - 1)`` with batch means
    ``m_j = sums_j / b_j`` and ``m`` the overall mean; with one pivot per batch it is the
    ordinary sample variance. Unbiased for pivots assigned to batches at random (they
    are: the pivots are a random sample).
    """
    sizes = np.asarray(sizes, dtype=float)[:, None]
    if len(sizes) < 2:
        return np.zeros(sums.shape[1])
    mean = sums.sum(0) / sizes.sum()
    return (sizes * (sums / sizes - mean) ** 2).sum(0) / (len(sizes) - 1)


_SHARED: dict = {}


def _call(args):
    key, item = args
    fn, data = _SHARED[key]
    return fn(data, item)


def map_batches(fn, data, items: list, workers: int = DEFAULT_WORKERS) -> list:
    """``[fn(data, item) for item in items]``, shared among ``workers`` forked processes
    when there are several (``data``, e.g. an igraph graph, is inherited, not pickled).
    Results come back in order, so sums over them do not depend on ``workers``."""
    if workers <= 1 or len(items) < 2:
        return [fn(data, item) for item in items]
    import multiprocessing as mp

    key = id(data)
    _SHARED[key] = (fn, data)
    try:
        with mp.get_context("fork").Pool(min(workers, len(items))) as pool:
            return pool.map(_call, [(key, item) for item in items], chunksize=1)
    finally:
        _SHARED.pop(key, None)
