"""Degree: nominations received and made, and distinct neighbours."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kb.analytics.graph import TieGraph


def in_degree(graph: TieGraph, weighted: bool = False) -> pd.Series:
    """Nominations received: number of distinct actors with an arc to v.

    ``weighted=True`` sums the arc weights instead. For an undirected graph this is
    the degree.

    >>> from kb.analytics.graph import from_edges
    >>> in_degree(from_edges([("a", "b"), ("c", "b")])).tolist()
    [0.0, 2.0, 0.0]
    """
    a = graph.arcs()
    w = a.weight if weighted else None
    return graph.series(np.bincount(a.dst, weights=w, minlength=graph.n).astype(float), "in_degree")


def out_degree(graph: TieGraph, weighted: bool = False) -> pd.Series:
    """Nominations made: number of distinct actors v has an arc to.

    >>> from kb.analytics.graph import from_edges
    >>> out_degree(from_edges([("a", "b"), ("a", "c")])).tolist()
    [2.0, 0.0, 0.0]
    """
    a = graph.arcs()
    w = a.weight if weighted else None
    return graph.series(np.bincount(a.src, weights=w, minlength=graph.n).astype(float), "out_degree")


def degree(graph: TieGraph) -> pd.Series:
    """Number of distinct neighbours, ignoring direction (a mutual pair counts once).

    >>> from kb.analytics.graph import from_edges
    >>> degree(from_edges([("a", "b"), ("b", "a"), ("b", "c")])).tolist()
    [1.0, 2.0, 1.0]
    """
    t = graph.ties()
    d = np.bincount(t.src, minlength=graph.n) + np.bincount(t.dst, minlength=graph.n)
    return graph.series(d.astype(float), "degree")
