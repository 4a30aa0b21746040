"""Two-step reach (Borgatti 2006), the pulsetakers' measure."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kb.analytics.graph import TieGraph


def two_step_reach(graph: TieGraph, directed: bool = False) -> pd.Series:
    """Share of the other actors reachable in at most two steps.

    ``R2(v) = |{u != v : d(v, u) <= 2}| / (n - 1)``; undirected by default, outgoing
    steps if ``directed``. (Borgatti's "2-step reach", as used for pulsetakers.)

    >>> from kb.analytics.graph import from_edges
    >>> two_step_reach(from_edges([("a", "b"), ("b", "c"), ("c", "d")], directed=False)).tolist()
    [0.6666666666666666, 1.0, 1.0, 0.6666666666666666]
    """
    n = graph.n
    if n <= 1:
        return graph.series(np.zeros(n), "two_step_reach")
    g = graph.to_igraph(directed=directed)
    size = np.asarray(g.neighborhood_size(order=2, mode="out" if directed else "all"), dtype=float)
    return graph.series((size - 1) / (n - 1), "two_step_reach")
