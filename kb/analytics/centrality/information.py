"""Information centrality (Stephenson & Zelen 1989), exact or by stochastic diagonal
estimation of the Laplacian's pseudo-inverse above ``exact_max_nodes``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from kb.analytics.graph import TieGraph, weak_components
from kb.analytics.centrality.sampling import DEFAULT_EXACT_MAX_NODES, DEFAULT_PROBES, Estimate


def _laplacian(sub: sp.csr_matrix) -> sp.csr_matrix:
    deg = np.asarray(sub.sum(axis=1)).ravel()
    return (sp.diags(deg) - sub).tocsr()


def _pinv_diag_exact(lap: sp.csr_matrix) -> np.ndarray:
    """Diagonal of the Laplacian pseudo-inverse, via Cholesky of L + J (J = ones)."""
    import scipy.linalg as la

    n_c = lap.shape[0]
    b = lap.toarray() + 1.0
    c_factor, lower = la.cho_factor(b, lower=False, check_finite=False)
    # L + J = R'R, so (L + J)^-1 = R^-1 R^-T and its diagonal is the squared row norms of
    # R^-1 (one triangular inverse: a third less work than the whole inverse).
    r_inv, info = la.lapack.dtrtri(np.triu(c_factor), lower=0)
    if info != 0:  # pragma: no cover - L + J is positive definite on a component
        diag = np.diag(np.linalg.inv(b))
    else:
        diag = np.einsum("ij,ij->i", r_inv, r_inv)
    # (L + J)^-1 = L^+ + J / n^2 for a connected graph.
    return diag - 1.0 / n_c ** 2


def _pinv_diag_sparse(lap: sp.csr_matrix, block: int = 256) -> np.ndarray | None:
    """Diagonal of the Laplacian pseudo-inverse from a sparse LU factor of the grounded
    Laplacian (the last actor's row and column removed: positive definite), or None when the
    factor fills in too much to pay (then :func:`_pinv_diag_exact`).

    With G the inverse of the grounded Laplacian, padded with a zero row and column for the
    grounded actor, ``L+ = P G P`` for the centring ``P = I - 11'/n``, so
    ``L+_vv = G_vv - 2 (G1)_v / n + 1'G1 / n^2``. G's diagonal comes from solves against
    blocks of unit vectors: on the sparse, tree-like components of survey networks the factor
    stays sparse and this is several times cheaper than the dense Cholesky. Same values (to
    rounding, about 1e-13 relative) as :func:`_pinv_diag_exact`.
    """
    import scipy.sparse.linalg as spl

    n_c = lap.shape[0]
    r = n_c - 1
    lu = spl.splu(lap[:r, :r].tocsc(), permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.0,
                  options={"SymmetricMode": True})
    if lu.L.nnz + lu.U.nnz > r * r // 8:
        return None
    diag = np.empty(r)
    for lo in range(0, r, block):
        hi = min(r, lo + block)
        unit = np.zeros((r, hi - lo))
        unit[np.arange(lo, hi), np.arange(hi - lo)] = 1.0
        diag[lo:hi] = lu.solve(unit)[np.arange(lo, hi), np.arange(hi - lo)]
    g1 = lu.solve(np.ones(r))
    return np.append(diag, 0.0) - 2.0 * np.append(g1, 0.0) / n_c + g1.sum() / n_c ** 2


SMALL_COMPONENT = 64
"""Components up to this many actors are solved together, by size (one stacked dense
inverse per size instead of a Python loop over thousands of pairs and triads)."""


def _pinv_diag_small(adj: sp.csr_matrix, bounds: np.ndarray, comps: np.ndarray, n_c: int) -> np.ndarray:
    """Diagonals of the Laplacian pseudo-inverses of the components ``comps`` (all of
    ``n_c`` actors; rows ``bounds[c]:bounds[c] + n_c`` of ``adj``), as :func:`_pinv_diag_exact`
    computes them one by one: ``diag((L + J)^-1) - 1 / n_c^2``. Returns (len(comps), n_c)."""
    k = len(comps)
    rows = (bounds[comps][:, None] + np.arange(n_c)).ravel()
    block = adj[rows]  # the components' rows; their columns lie inside their own block
    starts = np.repeat(bounds[comps], n_c)
    row_of = np.repeat(np.arange(k * n_c), np.diff(block.indptr))
    b = np.ones((k, n_c, n_c))
    local_col = block.indices - np.repeat(starts, np.diff(block.indptr))
    which, local_row = np.divmod(row_of, n_c)
    np.subtract.at(b, (which, local_row, local_col), block.data)
    deg = np.asarray(block.sum(axis=1)).reshape(k, n_c)
    b[:, np.arange(n_c), np.arange(n_c)] += deg
    inv = np.linalg.inv(b)
    return np.diagonal(inv, axis1=1, axis2=2) - 1.0 / n_c ** 2


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
    small = (sizes >= 2) & (sizes <= min(SMALL_COMPONENT, exact_max_nodes))
    for n_c in np.unique(sizes[small]):
        comps = np.flatnonzero(sizes == n_c)
        diag = _pinv_diag_small(adj, bounds, comps, int(n_c))
        total = n_c * diag + diag.sum(axis=1, keepdims=True)
        info = 1.0 / total
        if wf_improved:
            info = info * ((n_c - 1) * (n_c - 1) / (n - 1))
        values[order[(bounds[comps][:, None] + np.arange(n_c)).ravel()]] = info.ravel()
    for c, n_c in enumerate(sizes):
        if n_c < 2 or small[c]:
            continue
        lo, hi = bounds[c], bounds[c + 1]
        idx = order[lo:hi]
        lap = _laplacian(adj[lo:hi, lo:hi])
        if n_c <= exact_max_nodes:
            diag = _pinv_diag_sparse(lap)
            diag = _pinv_diag_exact(lap) if diag is None else diag
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
