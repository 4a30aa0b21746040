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

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

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


# ------------------------------------------------------------------ degrees
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


# ------------------------------------------------------------ pivot planning
def _plan(graph: TieGraph, exact_max_nodes: int, pivots: int, seed: int):
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


def _method(exact_nodes: np.ndarray, sampled: list, n: int) -> str:
    if not sampled:
        return "exact"
    return "sampled" if len(exact_nodes) == 0 else "mixed"


def _betweenness_scale(n: int, directed: bool) -> float:
    """networkx normalisation: 1/((n-1)(n-2)) directed, 2/((n-1)(n-2)) undirected."""
    if n <= 2:
        return 1.0
    return (1.0 if directed else 2.0) / ((n - 1) * (n - 2))


# ---------------------------------------------------------------- betweenness
def betweenness_estimate(graph: TieGraph, directed: bool = False, normalized: bool = False,
                         exact_max_nodes: int = DEFAULT_EXACT_MAX_NODES,
                         pivots: int = DEFAULT_PIVOTS, seed: int = 0) -> Estimate:
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
    error is ``n_c * sqrt(s_v^2 / k * (1 - k / n_c))`` with ``s_v^2`` the sample variance
    of ``delta_s(v)`` over the pivots (finite-population correction: 0 when k = n_c).

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
    exact_nodes, sampled = _plan(graph, exact_max_nodes, pivots, seed)
    g = graph.to_igraph(directed=directed)
    if len(exact_nodes) == n and n:
        values = np.asarray(g.betweenness(directed=directed), dtype=float)
    elif len(exact_nodes):
        values += np.asarray(g.betweenness(directed=directed, sources=exact_nodes.tolist()), dtype=float)
    for members, piv in sampled:
        n_c, k = len(members), len(piv)
        s1 = np.zeros(n)
        s2 = np.zeros(n)
        for s in piv:
            # igraph's subset betweenness from one source is exactly delta_s(v) (halved
            # when undirected, so that summing over all sources gives b(v)).
            b = np.asarray(g.betweenness(directed=directed, sources=[int(s)]), dtype=float)
            s1 += b
            s2 += b * b
        mean = s1[members] / k
        var = np.maximum(s2[members] / k - mean ** 2, 0.0) * k / max(k - 1, 1)
        values[members] = n_c * mean
        stderr[members] = n_c * np.sqrt(var / k * max(1.0 - k / n_c, 0.0))
    if normalized:
        scale = _betweenness_scale(n, directed)
        values, stderr = values * scale, stderr * scale
    name = "betweenness_normalized" if normalized else "betweenness"
    return Estimate(graph.series(values, name), graph.series(stderr, name + "_stderr"),
                    _method(exact_nodes, sampled, n), pivots if sampled else None,
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


# ------------------------------------------------------- closeness, harmonic
def _distance_measures(graph: TieGraph, directed: bool, exact_max_nodes: int, pivots: int,
                       seed: int) -> tuple[Estimate, Estimate]:
    """Closeness (Wasserman-Faust improved) and harmonic centrality together.

    Distances are incoming (from others to v) when ``directed``, as in networkx.
    """
    n = graph.n
    clo = np.zeros(n)
    clo_se = np.zeros(n)
    har = np.zeros(n)
    har_se = np.zeros(n)
    exact_nodes, sampled = _plan(graph, exact_max_nodes, pivots, seed)
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
        cnt = np.zeros(n_c)
        sd = np.zeros(n_c)
        sd2 = np.zeros(n_c)
        hi = np.zeros(n_c)
        hi2 = np.zeros(n_c)
        for lo in range(0, k, 16):
            batch = piv[lo:lo + 16]
            # Distances from the pivot s to v: the incoming distance of v.
            d = np.asarray(g.distances(source=batch.tolist(), mode="out"), dtype=float)[:, members]
            d[np.arange(len(batch)), pos[batch]] = np.inf  # a pivot does not count for itself
            reach = np.isfinite(d)
            dz = np.where(reach, d, 0.0)
            inv = np.where(reach, 1.0 / np.where(reach, d, 1.0), 0.0)
            cnt += reach.sum(0)
            sd += dz.sum(0)
            sd2 += (dz * dz).sum(0)
            hi += inv.sum(0)
            hi2 += (inv * inv).sum(0)
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
    method = _method(exact_nodes, sampled, n)
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
    return _distance_measures(graph, directed, exact_max_nodes, pivots, seed)[0]


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
    return _distance_measures(graph, directed, exact_max_nodes, pivots, seed)[1]


def harmonic(graph: TieGraph, directed: bool = False, exact_max_nodes: int = DEFAULT_EXACT_MAX_NODES,
             pivots: int = DEFAULT_PIVOTS, seed: int = 0) -> pd.Series:
    """Harmonic centrality values only; see :func:`harmonic_estimate`.

    >>> from kb.analytics.graph import from_edges
    >>> float(harmonic(from_edges([("a", "b"), ("b", "c")], directed=False))["b"])
    2.0
    """
    return harmonic_estimate(graph, directed, exact_max_nodes, pivots, seed).values


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


# ------------------------------------------------------------ information
def _laplacian(sub: sp.csr_matrix) -> sp.csr_matrix:
    deg = np.asarray(sub.sum(axis=1)).ravel()
    return (sp.diags(deg) - sub).tocsr()


def _pinv_diag_exact(lap: sp.csr_matrix) -> np.ndarray:
    """Diagonal of the Laplacian pseudo-inverse, via Cholesky of L + J (J = ones)."""
    import scipy.linalg as la

    n_c = lap.shape[0]
    b = lap.toarray() + 1.0
    c_factor, lower = la.cho_factor(b, lower=False, check_finite=False)
    inv, info = la.lapack.dpotri(c_factor, lower=0)
    if info != 0:  # pragma: no cover - L + J is positive definite on a component
        inv = np.linalg.inv(b)
    # (L + J)^-1 = L^+ + J / n^2 for a connected graph.
    return np.diag(inv) - 1.0 / n_c ** 2


def _block_pcg(lap: sp.csr_matrix, rhs: np.ndarray, tol: float, maxiter: int) -> tuple[np.ndarray, int]:
    """Jacobi-preconditioned conjugate gradients for ``lap @ X = rhs``, all columns at once.

    ``rhs`` columns must sum to zero (the system is then consistent although ``lap``
    is singular); the solution is defined up to a constant per column.
    """
    m_inv = 1.0 / np.maximum(lap.diagonal(), 1e-300)[:, None]
    x = np.zeros_like(rhs)
    r = rhs.copy()
    z = m_inv * r
    p = z.copy()
    rz = np.einsum("ij,ij->j", r, z)
    norm_b = np.linalg.norm(rhs, axis=0)
    norm_b[norm_b == 0] = 1.0
    it = 0
    for it in range(1, maxiter + 1):
        ap = lap @ p
        pap = np.einsum("ij,ij->j", p, ap)
        alpha = np.divide(rz, pap, out=np.zeros_like(rz), where=pap > 0)
        x += alpha * p
        r -= alpha * ap
        if (np.linalg.norm(r, axis=0) / norm_b).max() < tol:
            break
        z = m_inv * r
        rz_new = np.einsum("ij,ij->j", r, z)
        beta = np.divide(rz_new, rz, out=np.zeros_like(rz), where=rz > 0)
        p = z + beta * p
        rz = rz_new
    return x, it


def _pinv_diag_sampled(lap: sp.csr_matrix, probes: int, rng: np.random.Generator,
                       tol: float = 1e-6, maxiter: int = 2000) -> tuple[np.ndarray, np.ndarray]:
    """Hutchinson-type estimate of diag(L^+) and its standard error.

    For Rademacher z, ``E[z_v (L^+ z)_v] = L^+_vv`` (Bekas, Kokiopoulou & Saad 2007).
    """
    n_c = lap.shape[0]
    total = np.zeros(n_c)
    total2 = np.zeros(n_c)
    done = 0
    while done < probes:
        k = min(32, probes - done)
        z = rng.choice([-1.0, 1.0], size=(n_c, k))
        x, _ = _block_pcg(lap, z - z.mean(axis=0), tol, maxiter)
        x -= x.mean(axis=0)  # L^+ z is orthogonal to the constant vector
        s = z * x
        total += s.sum(1)
        total2 += (s * s).sum(1)
        done += k
    mean = total / probes
    var = np.maximum(total2 / probes - mean ** 2, 0.0) * probes / max(probes - 1, 1)
    return mean, np.sqrt(var / probes)


def information_estimate(graph: TieGraph, weighted: bool = False, wf_improved: bool = False,
                         exact_max_nodes: int = DEFAULT_EXACT_MAX_NODES,
                         probes: int = DEFAULT_PROBES, seed: int = 0) -> Estimate:
    """Information centrality (Stephenson & Zelen 1989), per connected component.

    With ``R(v, w)`` the effective resistance between v and w in the undirected graph
    (ties as unit conductances, or their weights if ``weighted``) and C the component
    of v (n_c actors)::

        I(v) = 1 / sum_{w in C} R(v, w),   sum_w R(v, w) = n_c L+_vv + trace(L+)

    with L+ the pseudo-inverse of C's Laplacian. This is networkx
    ``information_centrality`` / ``current_flow_closeness_centrality`` on each
    component; Stephenson & Zelen's own ``I_i = 1 / (c_ii + (T - 2R)/n)`` (R ``sna``
    ``infocent``) equals ``n_c * I(v)``. Isolates get 0.

    ``wf_improved=True`` returns ``(n_c - 1) / sum_w R(v, w) * (n_c - 1) / (n - 1)``,
    the inverse mean resistance distance scaled by the share of actors reached (the
    Wasserman-Faust device used for closeness), comparable across components.

    Components above ``exact_max_nodes`` actors: ``diag(L+)`` is estimated with
    ``probes`` Rademacher vectors solved by preconditioned conjugate gradients
    (Bekas, Kokiopoulou & Saad 2007); ``stderr`` propagates the per-node error.

    >>> from kb.analytics.graph import from_edges
    >>> round(float(information_estimate(from_edges([("a", "b"), ("b", "c")], directed=False)).values["b"]), 4)
    0.5
    """
    n = graph.n
    values = np.zeros(n)
    stderr = np.zeros(n)
    membership, sizes = weak_components(graph)
    if n == 0:
        return Estimate(graph.series(values, "information"), graph.series(stderr, "information_stderr"),
                        "exact")
    order = np.argsort(membership, kind="stable")
    adj = graph.adjacency(directed=False, weighted=weighted)[order][:, order].tocsr()
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    rng = np.random.default_rng(seed)
    sampled_sizes = []
    for c, n_c in enumerate(sizes):
        if n_c < 2:
            continue
        lo, hi = bounds[c], bounds[c + 1]
        idx = order[lo:hi]
        lap = _laplacian(adj[lo:hi, lo:hi])
        if n_c <= exact_max_nodes:
            diag = _pinv_diag_exact(lap)
            se = np.zeros(n_c)
        else:
            diag, se = _pinv_diag_sampled(lap, probes, rng)
            sampled_sizes.append(int(n_c))
        total = n_c * diag + diag.sum()
        info = 1.0 / total
        info_se = info ** 2 * n_c * se
        if wf_improved:
            scale = (n_c - 1) * (n_c - 1) / (n - 1)
            info, info_se = info * scale, info_se * scale
        values[idx] = info
        stderr[idx] = info_se
    method = "exact" if not sampled_sizes else ("sampled" if len(sampled_sizes) == 1
                                                and sampled_sizes[0] == n else "mixed")
    name = "information_wf" if wf_improved else "information"
    return Estimate(graph.series(values, name), graph.series(stderr, name + "_stderr"), method,
                    probes if sampled_sizes else None, sampled_sizes)


def information_centrality(graph: TieGraph, weighted: bool = False, wf_improved: bool = False,
                           exact_max_nodes: int = DEFAULT_EXACT_MAX_NODES,
                           probes: int = DEFAULT_PROBES, seed: int = 0) -> pd.Series:
    """Information centrality values only; see :func:`information_estimate`.

    >>> from kb.analytics.graph import from_edges
    >>> information_centrality(from_edges([("a", "b")], directed=False)).round(6).tolist()
    [1.0, 1.0]
    """
    return information_estimate(graph, weighted, wf_improved, exact_max_nodes, probes, seed).values


def eigenvector(graph: TieGraph) -> pd.Series:
    """Eigenvector centrality (Bonacich 1972) of the undirected graph, unit Euclidean norm.

    ``x = A x / lambda_max``; the networkx ``eigenvector_centrality`` convention. On a
    disconnected graph the vector concentrates on the component with the largest
    spectral radius (as with networkx).

    >>> from kb.analytics.graph import from_edges
    >>> round(float(eigenvector(from_edges([("a", "b"), ("b", "c")], directed=False))["b"]), 4)
    0.7071
    """
    n = graph.n
    if n == 0 or len(graph.ties().src) == 0:
        return graph.series(np.zeros(n), "eigenvector")
    adj = graph.adjacency(directed=False)
    if n <= 50:
        _, vecs = np.linalg.eigh(adj.toarray())
        x = vecs[:, -1]
    else:
        from scipy.sparse.linalg import eigsh

        # a fixed start vector keeps the result reproducible
        _, vecs = eigsh(adj.astype(float), k=1, which="LA", v0=np.ones(n), tol=1e-12)
        x = vecs[:, 0]
    x = np.abs(x)
    return graph.series(x / np.linalg.norm(x), "eigenvector")
