"""Burt's structural holes: constraint and effective size.

Both are built from the *mutual* tie weight ``m_ij = a_ij + a_ji`` (a tie in either
direction counts; a reciprocated arc counts twice) and the proportional tie strength
``p_ij = m_ij / sum_k m_ik`` (Burt 1992, *Structural Holes*, ch. 2). This is the
networkx ``constraint`` / ``effective_size`` convention: for an unweighted undirected
graph ``m_ij`` is the same for every tie and ``p_ij = 1 / degree(i)``.

Computed with sparse matrix products restricted to existing ties, so they scale to
10^6 ties. Isolates get ``NaN`` (undefined), as in networkx.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from kb.analytics.graph import TieGraph, masked_product


def _mutual(graph: TieGraph, weighted: bool) -> sp.csr_matrix:
    a = graph.adjacency(directed=True, weighted=weighted)
    m = (a + a.T).tocsr()
    m.eliminate_zeros()
    m.sort_indices()
    return m


def _row_scale(mat: sp.csr_matrix, scale: np.ndarray) -> sp.csr_matrix:
    return (sp.diags(scale) @ mat).tocsr()


def constraint(graph: TieGraph, weighted: bool = False) -> pd.Series:
    """Burt's aggregate constraint.

    ``c_i = sum_{j in N(i)} (p_ij + sum_{q != i, j} p_iq p_qj)^2``

    High when i's contacts are few and tied to each other (no structural holes).
    Burt 1992 *Structural Holes*; networkx ``constraint``.

    Parameters: ``weighted`` uses the tie weights (default: every tie 1).
    Returns: Series, NaN for isolates.

    Example: a star centre is unconstrained-ish (1/k per leaf), a leaf fully constrained.

    >>> from kb.analytics.graph import from_edges
    >>> constraint(from_edges([("c", "a"), ("c", "b")], directed=False)).tolist()
    [0.5, 1.0, 1.0]
    """
    m = _mutual(graph, weighted)
    s = np.asarray(m.sum(axis=1)).ravel()
    inv = np.divide(1.0, s, out=np.zeros_like(s), where=s > 0)
    p = _row_scale(m, inv)
    total = (p + masked_product(p, p, p)).tocsr()
    c = np.asarray(total.multiply(total).sum(axis=1)).ravel()
    c[s == 0] = np.nan
    return graph.series(c, "constraint")


def effective_size(graph: TieGraph, weighted: bool = False) -> pd.Series:
    """Burt's effective size: the non-redundant part of i's contacts.

    ``E_i = sum_{j in N(i)} (1 - sum_{q != i, j} p_iq m_jq)``, with
    ``m_jq = m_jq / max_k m_jk`` (j's tie to q relative to j's strongest tie).
    For an unweighted undirected graph this is Borgatti's ``n - 2t/n`` (n contacts,
    t ties among them). Burt 1992; Borgatti 1997 ("Structural holes: unpacking Burt's
    redundancy measures", Connections 20); networkx ``effective_size``.

    Returns: Series, NaN for isolates.

    Example: a triangle a-b-c plus pendant d on a: a has 3 contacts, 1 tie among them.

    >>> from kb.analytics.graph import from_edges
    >>> g = from_edges([("a", "b"), ("b", "c"), ("c", "a"), ("a", "d")], directed=False)
    >>> round(float(effective_size(g)["a"]), 4)
    2.3333
    """
    m = _mutual(graph, weighted)
    s = np.asarray(m.sum(axis=1)).ravel()
    inv = np.divide(1.0, s, out=np.zeros_like(s), where=s > 0)
    p = _row_scale(m, inv)
    mx = m.max(axis=1).toarray().ravel() if m.nnz else np.zeros(graph.n)
    inv_mx = np.divide(1.0, mx, out=np.zeros_like(mx), where=mx > 0)
    m_hat_t = (m @ sp.diags(inv_mx)).tocsr()  # (M-hat)^T, as m is symmetric
    redundancy = np.asarray(masked_product(p, m_hat_t, m).sum(axis=1)).ravel()
    contacts = np.diff(m.indptr).astype(float)
    e = contacts - redundancy
    e[s == 0] = np.nan
    return graph.series(e, "effective_size")
