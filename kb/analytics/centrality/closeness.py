"""Closeness (Wasserman-Faust improved) and harmonic centrality, exact or estimated."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kb.analytics.graph import TieGraph
from kb.analytics.centrality.sampling import (DEFAULT_EXACT_MAX_NODES, DEFAULT_PIVOTS, DEFAULT_WORKERS, Estimate,
                                              estimate_method, map_batches, pivot_plan)


def _distance_sums(data, batch: np.ndarray) -> np.ndarray:
    """Per member v, over the batch's pivots s: reached count, sum and sum of squares of
    d(s, v), and sum and sum of squares of 1 / d(s, v) (rows of the result)."""
    g, members, pos = data
    # Distances from the pivot s to v: the incoming distance of v. `g` is the component's own
    # graph when it is not the whole graph (its vertices are `members`, in order: pos[v]).
    local = pos[batch]
    d = np.asarray(g.distances(source=(local if g.vcount() == len(members) else batch).tolist(), mode="out"),
                   dtype=float)
    if d.shape[1] != len(members):
        d = d[:, members]
    d[np.arange(len(batch)), local] = np.inf  # a pivot does not count for itself
    reach = np.isfinite(d)
    dz = np.where(reach, d, 0.0)
    inv = np.where(reach, 1.0 / np.where(reach, d, 1.0), 0.0)
    return np.stack([reach.sum(0), dz.sum(0), (dz * dz).sum(0), inv.sum(0), (inv * inv).sum(0)]).astype(float)


def distance_measures(graph: TieGraph, directed: bool, exact_max_nodes: int, pivots: int,
                      seed: int, workers: int = DEFAULT_WORKERS) -> tuple[Estimate, Estimate]:
    """Closeness (Wasserman-Faust improved) and harmonic centrality together.

    Distances are incoming (from others to v) when ``directed``, as in networkx.
    """
    n = graph.n
    clo = np.zeros(n)
    clo_se = np.zeros(n)
    har = np.zeros(n)
    har_se = np.zeros(n)
    exact_nodes, sampled = pivot_plan(graph, exact_max_nodes, pivots, seed)
    g = graph.to_igraph(directed=directed)
    mode = "in" if directed else "all"
    if len(exact_nodes) and n > 1:
        vs = exact_nodes.tolist()
        c = np.asarray(g.closeness(vertices=vs, mode=mode, normalized=True), dtype=float)
        r = np.asarray(g.neighborhood_size(vertices=vs, order=n, mode=mode), dtype=float)
        clo[exact_nodes] = np.nan_to_num(c) * (r - 1) / (n - 1)
        har[exact_nodes] = np.asarray(g.harmonic_centrality(vertices=vs, mode=mode, normalized=False),
                                      dtype=float)
    for members, piv in sampled:
        n_c, k = len(members), len(piv)
        pos = np.full(n, -1)
        pos[members] = np.arange(n_c)
        batches = [piv[lo:lo + 16] for lo in range(0, k, 16)]
        # The BFS from a pivot stays in its component: on the component's own graph the
        # distance lists igraph returns (Python lists) hold its members only, not every actor.
        sub = g if n_c == n else g.induced_subgraph(members.tolist(), implementation="create_from_scratch")
        parts = map_batches(_distance_sums, (sub, members, pos), batches, workers)
        cnt, sd, sd2, hi, hi2 = np.sum(parts, axis=0)
        k_v = k - np.isin(members, piv).astype(float)  # pivots other than v
        f = (n_c - 1) / k_v  # inflation to all n_c - 1 other actors
        fpc = np.maximum(1.0 - k_v / (n_c - 1), 0.0)
        r1 = f * cnt
        s_tot = f * sd
        with np.errstate(invalid="ignore", divide="ignore"):
            c = np.where(s_tot > 0, r1 / s_tot * r1 / (n - 1), 0.0)
            mean_d = np.where(cnt > 0, sd / np.maximum(cnt, 1), np.nan)
            var_d = np.maximum(sd2 / np.maximum(cnt, 1) - mean_d ** 2, 0.0) * cnt / np.maximum(cnt - 1, 1)
            rel = np.sqrt(var_d / np.maximum(cnt, 1) * fpc) / mean_d
            var_h = np.maximum(hi2 / k_v - (hi / k_v) ** 2, 0.0) * k_v / np.maximum(k_v - 1, 1)
        clo[members] = c
        clo_se[members] = np.nan_to_num(c * rel)
        har[members] = f * hi
        har_se[members] = (n_c - 1) * np.sqrt(var_h / k_v * fpc)
    method = estimate_method(exact_nodes, sampled, n)
    size = pivots if sampled else None
    sizes = [len(m) for m, _ in sampled]
    return (Estimate(graph.series(clo, "closeness"), graph.series(clo_se, "closeness_stderr"),
                     method, size, sizes),
            Estimate(graph.series(har, "harmonic"), graph.series(har_se, "harmonic_stderr"),
                     method, size, sizes))


def closeness_estimate(graph: TieGraph, directed: bool = False,
                       exact_max_nodes: int = DEFAULT_EXACT_MAX_NODES,
                       pivots: int = DEFAULT_PIVOTS, seed: int = 0) -> Estimate:
    """Closeness with the Wasserman-Faust correction (networkx ``wf_improved=True``).

    ``C(v) = (r - 1) / sum_u d(u, v) * (r - 1) / (n - 1)``, with ``r`` the number of
    actors that reach v (v included) and the sum over them (Freeman 1979; Wasserman &
    Faust 1994). Isolates get 0. Above ``exact_max_nodes`` the reach and distance sums
    are estimated from pivot distances (Eppstein & Wang 2004), the pivots being the
    same as those of :func:`betweenness_estimate` for the same seed; ``stderr`` is a
    delta-method approximation.

    >>> from kb.analytics.graph import from_edges
    >>> float(closeness_estimate(from_edges([("a", "b"), ("b", "c")], directed=False)).values["b"])
    1.0
    """
    return distance_measures(graph, directed, exact_max_nodes, pivots, seed)[0]


def closeness(graph: TieGraph, directed: bool = False, exact_max_nodes: int = DEFAULT_EXACT_MAX_NODES,
              pivots: int = DEFAULT_PIVOTS, seed: int = 0) -> pd.Series:
    """Closeness values only; see :func:`closeness_estimate`.

    >>> from kb.analytics.graph import from_edges
    >>> round(float(closeness(from_edges([("a", "b"), ("b", "c")], directed=False))["a"]), 4)
    0.6667
    """
    return closeness_estimate(graph, directed, exact_max_nodes, pivots, seed).values


def harmonic_estimate(graph: TieGraph, directed: bool = False,
                      exact_max_nodes: int = DEFAULT_EXACT_MAX_NODES,
                      pivots: int = DEFAULT_PIVOTS, seed: int = 0) -> Estimate:
    """Harmonic centrality ``H(v) = sum_{u != v} 1 / d(u, v)`` (1/inf = 0).

    Marchiori & Latora 2000 ("Harmony in the small-world", Physica A 285); networkx
    ``harmonic_centrality`` (not normalised; incoming distances if directed). Above
    ``exact_max_nodes`` estimated from pivots (unbiased, with standard error).

    >>> from kb.analytics.graph import from_edges
    >>> float(harmonic_estimate(from_edges([("a", "b"), ("b", "c")], directed=False)).values["a"])
    1.5
    """
    return distance_measures(graph, directed, exact_max_nodes, pivots, seed)[1]


def harmonic(graph: TieGraph, directed: bool = False, exact_max_nodes: int = DEFAULT_EXACT_MAX_NODES,
             pivots: int = DEFAULT_PIVOTS, seed: int = 0) -> pd.Series:
    """Harmonic centrality values only; see :func:`harmonic_estimate`.

    >>> from kb.analytics.graph import from_edges
    >>> float(harmonic(from_edges([("a", "b"), ("b", "c")], directed=False))["b"])
    2.0
    """
    return harmonic_estimate(graph, directed, exact_max_nodes, pivots, seed).values
