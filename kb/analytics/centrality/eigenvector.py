"""Eigenvector centrality (Bonacich 1972)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kb.analytics.graph import TieGraph


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
