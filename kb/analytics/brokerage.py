"""Gould & Fernandez (1989) brokerage roles.

Gould, R. V. & Fernandez, R. M. (1989). "Structures of mediation: a formal approach
to brokerage in transaction networks". *Sociological Methodology* 19: 89-126.
Implemented as in R ``sna::brokerage()`` (Butts), whose raw counts and moments this
module reproduces.

Actor v brokers the ordered pair (a, b) when ``a -> v -> b``, ``a != b`` and there is
no arc ``a -> b`` (``b -> a`` is allowed). Each ordered pair counts once per broker;
several brokers of one pair each get full credit. Undirected ties count in both
directions. With groups (layers), each brokered pair is one of five roles
(``a -> v -> b``, v the broker):

======  ==============================  ==================================
code    role                            groups
======  ==============================  ==================================
w_I     coordinator                     a, v, b in one group
w_O     itinerant (consultant)          a and b in one group, v in another
b_IO    representative                  a and v in one group, b in another
b_OI    gatekeeper                      v and b in one group, a in another
b_O     liaison                         a, v, b in three different groups
======  ==============================  ==================================
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.special import comb

from kb.analytics.graph import TieGraph, masked_product

ROLES = ("w_I", "w_O", "b_IO", "b_OI", "b_O")
"""Role codes in R ``sna`` column order."""
ROLE_NAMES = {"w_I": "coordinator", "w_O": "itinerant", "b_IO": "representative",
              "b_OI": "gatekeeper", "b_O": "liaison", "t": "total"}


def brokerage_counts(graph: TieGraph) -> pd.DataFrame:
    """Raw brokerage counts per actor: columns ``w_I, w_O, b_IO, b_OI, b_O, t``.

    Counted without enumerating two-paths one by one: for broker v, all
    in-neighbour x out-neighbour pairs are classified from per-group neighbour counts,
    then the pairs with ``a == b`` (reciprocated ties) and the pairs closed by an arc
    ``a -> b`` (found with sparse products restricted to v's out-arcs) are subtracted.
    Cost is O(sum_v indeg(v) outdeg(v)) multiply-adds in scipy, in bounded-memory
    chunks.

    Example (sna.md toy network; groups {1, 2} and {3, 4}):

    >>> from kb.analytics.graph import from_edges
    >>> g = from_edges([(1, 2), (1, 3), (2, 3), (2, 4), (3, 4), (4, 1)],
    ...                groups={1: "A", 2: "A", 3: "B", 4: "B"})
    >>> brokerage_counts(g).loc[4].tolist()
    [0.0, 1.0, 1.0, 0.0, 0.0, 2.0]
    """
    n = graph.n
    codes, labels = graph.group_codes
    a = graph.adjacency(directed=True)  # binary
    if n == 0:
        return pd.DataFrame(columns=[*ROLES, "t"], dtype=float)
    arcs = graph.arcs()
    same = codes[arcs.src] == codes[arcs.dst]
    a_same = sp.csr_matrix((np.ones(same.sum()), (arcs.src[same], arcs.dst[same])), shape=(n, n))
    a_diff = sp.csr_matrix((np.ones((~same).sum()), (arcs.src[~same], arcs.dst[~same])), shape=(n, n))
    at = a.T.tocsr()

    indeg = np.asarray(a.sum(axis=0)).ravel()
    outdeg = np.asarray(a.sum(axis=1)).ravel()
    in_same = np.asarray(a_same.sum(axis=0)).ravel()
    out_same = np.asarray(a_same.sum(axis=1)).ravel()
    member = sp.csr_matrix((np.ones(n), (np.arange(n), codes)), shape=(n, len(labels)))
    c_in = (at @ member).tocsr()
    c_out = (a @ member).tocsr()
    match_all = np.asarray(c_in.multiply(c_out).sum(axis=1)).ravel()

    # All in x out pairs (a, b) of broker v, by role.
    tot = {
        "w_I": in_same * out_same,
        "b_IO": in_same * (outdeg - out_same),
        "b_OI": (indeg - in_same) * out_same,
        "w_O": match_all - in_same * out_same,
    }
    tot["b_O"] = (indeg - in_same) * (outdeg - out_same) - tot["w_O"]

    # Pairs with a == b: a -> v -> a (same group as v: w_I, otherwise w_O).
    recip = a.multiply(at)
    recip_all = np.asarray(recip.sum(axis=1)).ravel()
    recip_same = np.asarray(recip.multiply(a_same).sum(axis=1)).ravel()

    # Pairs closed by an arc a -> b. For each arc v -> b:
    #   T = #a with a->v, a->b;  X = those with g(a) == g(v);  Y = those with g(a) == g(b).
    def rowsum(mat):
        return np.asarray(mat.sum(axis=1)).ravel()

    a_same_t = a_same.T.tocsr()
    t_same = rowsum(masked_product(at, a, a_same))
    t_diff = rowsum(masked_product(at, a, a_diff))
    x_same = rowsum(masked_product(a_same_t, a, a_same))
    x_diff = rowsum(masked_product(a_same_t, a, a_diff))
    y_diff = rowsum(masked_product(at, a_same, a_diff))
    closed = {"w_I": x_same, "b_OI": t_same - x_same, "b_IO": x_diff, "w_O": y_diff,
              "b_O": t_diff - x_diff - y_diff}

    raw = {
        "w_I": tot["w_I"] - recip_same - closed["w_I"],
        "w_O": tot["w_O"] - (recip_all - recip_same) - closed["w_O"],
        "b_IO": tot["b_IO"] - closed["b_IO"],
        "b_OI": tot["b_OI"] - closed["b_OI"],
        "b_O": tot["b_O"] - closed["b_O"],
    }
    out = pd.DataFrame({r: np.rint(raw[r]) for r in ROLES}, index=graph.index)
    out["t"] = out[list(ROLES)].sum(axis=1)
    return out


def brokerage_moments(graph: TieGraph) -> pd.DataFrame:
    """Expected counts and standard deviations per group, R ``sna::brokerage`` formulas.

    Under a random digraph of density ``d = m / (N (N - 1))`` (m arcs), each potential
    two-path a -> v -> b with no a -> b arc is present with probability
    ``p = d^2 (1 - d)``. For a broker in group i of size n_i (N actors)::

        E[w_I]  = p (n_i - 1)(n_i - 2)
        E[w_O]  = p sum_{g != i} n_g (n_g - 1)
        E[b_IO] = E[b_OI] = p (N - n_i)(n_i - 1)
        E[b_O]  = p sum_{g != h; g, h != i} n_g n_h
        E[t]    = p (N - 1)(N - 2)

    The variances are ``E (1 - p)`` plus the covariance of paths that share an arc,
    ``2 K d^3 (1 - d)^3`` with K the number of such path pairs, exactly as in
    ``sna::brokerage``: K = (n_i-1)(n_i-2)(n_i-3) for w_I;
    ``sum_{g != i} n_g (n_g-1)(n_g-2)`` for w_O;
    ``(n_i-1) C(N-n_i, 2) + (N-n_i) C(n_i-1, 2)`` for b_IO and b_OI;
    ``2 sum_{g != i} n_g C(N - n_g - n_i, 2)`` for b_O; (N-1)(N-2)(N-3) for t.

    Returns a DataFrame indexed by group with columns ``exp_<role>`` and ``sd_<role>``.
    """
    codes, labels = graph.group_codes
    big_n = float(graph.n)
    sizes = np.bincount(codes, minlength=len(labels)).astype(float)
    m = float(len(graph.arcs().src))
    d = m / (big_n * (big_n - 1)) if big_n > 1 else 0.0
    p = d * d * (1 - d)
    cov = d ** 3 * (1 - d) ** 3
    rows = {}
    for i, label in enumerate(labels):
        ni = sizes[i]
        other = np.delete(sizes, i)
        e = {
            "w_I": p * (ni - 1) * (ni - 2),
            "w_O": p * np.sum(other * (other - 1)),
            "b_IO": p * (big_n - ni) * (ni - 1),
            "b_O": p * (np.sum(np.outer(other, other)) - np.sum(other ** 2)),
            "t": p * (big_n - 1) * (big_n - 2),
        }
        e["b_OI"] = e["b_IO"]
        v = {
            "w_I": e["w_I"] * (1 - p) + 2 * (ni - 1) * (ni - 2) * (ni - 3) * cov,
            "w_O": e["w_O"] * (1 - p) + 2 * np.sum(other * (other - 1) * (other - 2)) * cov,
            "b_IO": e["b_IO"] * (1 - p) + 2 * ((ni - 1) * comb(big_n - ni, 2)
                                                + (big_n - ni) * comb(ni - 1, 2)) * cov,
            "b_O": e["b_O"] * (1 - p) + 4 * np.sum(other * comb(big_n - other - ni, 2)) * cov,
            "t": e["t"] * (1 - p) + 2 * (big_n - 1) * (big_n - 2) * (big_n - 3) * cov,
        }
        v["b_OI"] = v["b_IO"]
        row = {}
        for r in (*ROLES, "t"):
            row[f"exp_{r}"] = e[r]
            row[f"sd_{r}"] = float(np.sqrt(max(v[r], 0.0)))
        rows[label] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def brokerage(graph: TieGraph) -> pd.DataFrame:
    """Raw counts, expected values, standard deviations and z-scores per actor.

    Columns: ``w_I, w_O, b_IO, b_OI, b_O, t`` (raw), ``exp_*``, ``sd_*`` and ``z_*`` for
    each, where ``z = (raw - E) / sd`` (``NaN`` when sd is 0, e.g. w_I in a group of
    two), plus ``z_boundary``: the z-score of gatekeeper + representative counts
    together, ``(b_IO + b_OI - 2 E[b_IO]) / sqrt(2 Var[b_IO])`` (the two counts use
    disjoint arcs, hence are independent under the random-graph model).

    Example: the sna.md toy network.

    >>> from kb.analytics.graph import from_edges
    >>> g = from_edges([(1, 2), (1, 3), (2, 3), (2, 4), (3, 4), (4, 1)],
    ...                groups={1: "A", 2: "A", 3: "B", 4: "B"})
    >>> brokerage(g).loc[1, ["w_O", "b_OI"]].tolist()
    [1.0, 1.0]
    """
    raw = brokerage_counts(graph)
    moments = brokerage_moments(graph)
    per_node = moments.reindex(graph.group_labels).set_axis(graph.index)
    out = raw.copy()
    for r in (*ROLES, "t"):
        out[f"exp_{r}"] = per_node[f"exp_{r}"].to_numpy()
        out[f"sd_{r}"] = per_node[f"sd_{r}"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        for r in (*ROLES, "t"):
            sd = out[f"sd_{r}"].to_numpy()
            z = (out[r].to_numpy() - out[f"exp_{r}"].to_numpy()) / sd
            out[f"z_{r}"] = np.where(sd > 0, z, np.nan)
        sd_b = np.sqrt(2.0) * out["sd_b_IO"].to_numpy()
        zb = (out["b_IO"] + out["b_OI"] - 2 * out["exp_b_IO"]).to_numpy() / sd_b
        out["z_boundary"] = np.where(sd_b > 0, zb, np.nan)
    return out
