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
