"""The input of every analytics function: a plain tie graph, no database.

The caller projects the graph out of Neo4j (actors, their layer or organisation type,
and the ties of one network type) and passes plain Python data. Everything in
``kb.analytics`` is a pure function of a :class:`TieGraph`.

Conventions (used by every module in this package):

* ``nodes`` fixes the order of every result; results are ``pandas.Series`` /
  ``DataFrame`` objects indexed by the node ids, in that order.
* ``edges`` are ``(from, to, weight)`` triples (``(from, to)`` pairs are accepted by
  :func:`from_edges`, weight 1). Self-loops are dropped. Duplicate ties are merged and
  their weights summed.
* ``directed=True`` (the default): an edge ``a -> b`` is an arc, e.g. "a nominated b".
  ``directed=False``: an edge is a symmetric tie; it is treated as the two arcs
  ``a -> b`` and ``b -> a`` wherever a directed view is needed (in-degree, brokerage,
  block density), which is how R ``sna`` treats a symmetric sociomatrix.
  The undirected reference data sets in the tests (Florentine families, karate club)
  are passed with ``directed=False``.
* Path-based measures ignore weights (a weight is a tie strength, not a distance).
* ``groups`` maps actor id -> group (layer, organisation type). Actors missing from it
  belong to the group :data:`UNGROUPED`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from collections.abc import Sequence as SequenceABC
from typing import Hashable, Iterable, NamedTuple, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

UNGROUPED = "(ungrouped)"
"""Group label given to actors that ``TieGraph.groups`` does not mention."""


class Arcs(NamedTuple):
    """Integer arc arrays: positions in ``TieGraph.nodes`` and the merged weight."""

    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray


class IndexedEdges(SequenceABC):
    """The ties of a graph built from integer arrays, as ``(from, to, weight)`` tuples made
    on demand (a list of a million tuples would cost more than the arrays)."""

    def __init__(self, nodes: list, src: np.ndarray, dst: np.ndarray, weight: np.ndarray):
        self._nodes, self._src, self._dst, self._w = nodes, src, dst, weight

    def __len__(self) -> int:
        return len(self._src)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return self._nodes[self._src[i]], self._nodes[self._dst[i]], float(self._w[i])

    def __iter__(self):
        nodes = self._nodes
        for a, b, w in zip(self._src.tolist(), self._dst.tolist(), self._w.tolist()):
            yield nodes[a], nodes[b], w


@dataclass(eq=False)
class TieGraph:
    """A small, immutable-by-convention tie graph.

    Parameters
    ----------
    nodes : list of actor ids (usually ``str``; any hashable works), unique.
    groups : actor id -> group label (e.g. layer). Optional.
    edges : ``(from, to, weight)`` triples between ids in ``nodes``.
    directed : whether an edge is an arc (default) or a symmetric tie.

    Do not mutate the lists after the first measure was computed: derived arrays are
    cached on the object.

    Example
    -------
    >>> g = TieGraph(nodes=["a", "b", "c"], groups={"a": "x", "b": "x", "c": "y"},
    ...              edges=[("a", "b", 1.0), ("b", "c", 1.0)])
    >>> g.n, g.m
    (3, 2)
    """

    nodes: list[Hashable]
    groups: dict[Hashable, str] = field(default_factory=dict)
    edges: list[tuple[Hashable, Hashable, float]] = field(default_factory=list)
    directed: bool = True

    def __post_init__(self) -> None:
        self.nodes = list(self.nodes)
        if len(set(self.nodes)) != len(self.nodes):
            raise ValueError("TieGraph.nodes contains duplicate ids")

    # ----------------------------------------------------------------- basics
    @property
    def n(self) -> int:
        """Number of actors."""
        return len(self.nodes)

    @property
    def m(self) -> int:
        """Number of distinct ties: arcs if directed, undirected edges otherwise."""
        return len(self.arcs().src) if self.directed else len(self.ties().src)

    @cached_property
    def index(self) -> pd.Index:
        """``pandas.Index`` of the node ids (position lookup and result index)."""
        return pd.Index(self.nodes)

    @cached_property
    def group_codes(self) -> tuple[np.ndarray, list[str]]:
        """``(codes, labels)``: integer group code per node and the group labels."""
        labels = [self.groups.get(v, UNGROUPED) for v in self.nodes]
        codes, uniques = pd.factorize(pd.Series(labels, dtype=object), sort=True)
        return codes.astype(np.int64), [str(u) for u in uniques]

    @cached_property
    def group_labels(self) -> np.ndarray:
        """Group label per node (object array, node order)."""
        codes, labels = self.group_codes
        return np.asarray(labels, dtype=object)[codes] if len(codes) else np.array([], dtype=object)

    # ------------------------------------------------------------ arc arrays
    @cached_property
    def _raw(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if not self.edges:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0)
        frame = pd.DataFrame.from_records(self.edges)
        if frame.shape[1] == 2:
            frame[2] = 1.0
        src = self.index.get_indexer(frame[0])
        dst = self.index.get_indexer(frame[1])
        if (src < 0).any() or (dst < 0).any():
            bad = frame[0][src < 0].tolist() + frame[1][dst < 0].tolist()
            raise ValueError(f"edges refer to actors not in nodes: {bad[:5]}")
        w = frame[2].to_numpy(dtype=float)
        keep = src != dst
        return src[keep].astype(np.int64), dst[keep].astype(np.int64), w[keep]

    @staticmethod
    def _merge(src: np.ndarray, dst: np.ndarray, w: np.ndarray, n: int) -> Arcs:
        key = src * n + dst
        uniq, inverse = np.unique(key, return_inverse=True)
        weight = np.bincount(inverse, weights=w, minlength=len(uniq))
        return Arcs(uniq // n, uniq % n, weight)

    @cached_property
    def _ties(self) -> Arcs:
        src, dst, w = self._raw
        lo, hi = np.minimum(src, dst), np.maximum(src, dst)
        return self._merge(lo, hi, w, self.n)

    @cached_property
    def _arcs(self) -> Arcs:
        if self.directed:
            src, dst, w = self._raw
            return self._merge(src, dst, w, self.n)
        t = self._ties
        return self._merge(np.concatenate([t.src, t.dst]), np.concatenate([t.dst, t.src]),
                           np.concatenate([t.weight, t.weight]), self.n)

    def arcs(self) -> Arcs:
        """Distinct arcs (both directions of each tie if ``directed=False``)."""
        return self._arcs

    def ties(self) -> Arcs:
        """Distinct undirected ties ``u < v``; weight = sum over both directions."""
        return self._ties

    # ------------------------------------------------------------ conversions
    def adjacency(self, directed: bool = True, weighted: bool = False) -> sp.csr_matrix:
        """``n x n`` scipy CSR adjacency matrix; symmetric when ``directed=False``."""
        a = self.arcs() if directed else self.ties()
        w = a.weight if weighted else np.ones(len(a.src))
        if directed:
            mat = sp.csr_matrix((w, (a.src, a.dst)), shape=(self.n, self.n))
        else:
            mat = sp.csr_matrix((np.concatenate([w, w]),
                                 (np.concatenate([a.src, a.dst]), np.concatenate([a.dst, a.src]))),
                                shape=(self.n, self.n))
        mat.sort_indices()
        return mat

    def to_igraph(self, directed: bool = True):
        """An ``igraph.Graph`` (vertex attributes ``name`` and ``group``, edge ``weight``).

        ``directed=False`` gives the simple undirected graph of :meth:`ties`.
        The result is cached; do not modify it.
        """
        cache = self.__dict__.setdefault("_igraph_cache", {})
        if directed not in cache:
            import igraph as ig

            a = self.arcs() if directed else self.ties()
            g = ig.Graph(n=self.n, edges=np.column_stack([a.src, a.dst]), directed=directed)
            g.vs["name"] = list(self.nodes)
            g.vs["group"] = list(self.group_labels)
            g.es["weight"] = a.weight.tolist()
            cache[directed] = g
        return cache[directed]

    @classmethod
    def from_indices(cls, nodes: Sequence[Hashable], src, dst, weight=None, groups: dict | None = None,
                     directed: bool = True) -> "TieGraph":
        """A TieGraph from integer arrays: tie i runs from ``nodes[src[i]]`` to
        ``nodes[dst[i]]`` (weight 1 if ``weight`` is None). The fast way in for large
        projections: no Python tuple per tie. ``edges`` then gives the ties as tuples on
        demand.

        >>> g = TieGraph.from_indices(["a", "b", "c"], [0, 1, 1], [1, 2, 1])
        >>> g.m, list(g.edges)
        (2, [('a', 'b', 1.0), ('b', 'c', 1.0)])
        """
        n = len(nodes)
        src = np.asarray(src, dtype=np.int64)
        dst = np.asarray(dst, dtype=np.int64)
        w = np.ones(len(src)) if weight is None else np.asarray(weight, dtype=float)
        if not len(src) == len(dst) == len(w):
            raise ValueError("src, dst and weight must have the same length")
        if len(src) and (min(src.min(), dst.min()) < 0 or max(src.max(), dst.max()) >= n):
            raise ValueError("edges refer to actors not in nodes (index out of range)")
        keep = src != dst
        raw = (src[keep], dst[keep], w[keep])
        g = cls(nodes=list(nodes), groups=dict(groups or {}), edges=IndexedEdges(list(nodes), *raw),
                directed=directed)
        g.__dict__["_raw"] = raw
        return g

    def without(self, removed: Iterable[Hashable]) -> "TieGraph":
        """A new TieGraph with the given actors and their ties removed."""
        gone = set(removed)
        kept = np.fromiter((v not in gone for v in self.nodes), dtype=bool, count=self.n)
        position = np.cumsum(kept) - 1
        src, dst, w = self._raw
        tie = kept[src] & kept[dst]
        nodes = [v for v, k in zip(self.nodes, kept) if k]
        groups = {k: g for k, g in self.groups.items() if k not in gone}
        return TieGraph.from_indices(nodes, position[src[tie]], position[dst[tie]], w[tie], groups, self.directed)

    def series(self, values, name: str | None = None) -> pd.Series:
        """A Series aligned with ``nodes`` (helper for result construction)."""
        return pd.Series(np.asarray(values), index=self.index, name=name)


def from_edges(edges: Iterable[Sequence], groups: dict | None = None,
               nodes: Iterable[Hashable] | None = None, directed: bool = True) -> TieGraph:
    """Build a :class:`TieGraph` from ``(from, to)`` or ``(from, to, weight)`` tuples.

    ``nodes`` defaults to the given nodes (if any), then the ids of ``groups``, then
    the edge endpoints, each in order of first appearance (isolates come from
    ``nodes``/``groups``).

    >>> g = from_edges([("a", "b"), ("b", "c", 2.0)], groups={"a": "x"})
    >>> g.nodes, g.edges[0]
    (['a', 'b', 'c'], ('a', 'b', 1.0))
    """
    norm: list[tuple[Hashable, Hashable, float]] = []
    for e in edges:
        if len(e) == 2:
            norm.append((e[0], e[1], 1.0))
        else:
            norm.append((e[0], e[1], float(e[2])))
    order: dict[Hashable, None] = {}
    for v in nodes or ():
        order.setdefault(v, None)
    for v in groups or {}:
        order.setdefault(v, None)
    for a, b, _ in norm:
        order.setdefault(a, None)
        order.setdefault(b, None)
    return TieGraph(nodes=list(order), groups=dict(groups or {}), edges=norm, directed=directed)


def from_networkx(G, group_attr: str | None = None, weight: str | None = None) -> TieGraph:
    """Convert a networkx graph (directedness kept; node ids unchanged).

    >>> import networkx as nx
    >>> from_networkx(nx.path_graph(3)).m
    2
    """
    groups = {}
    if group_attr is not None:
        groups = {v: str(d[group_attr]) for v, d in G.nodes(data=True) if group_attr in d}
    edges = [(u, v, float(d.get(weight, 1.0)) if weight else 1.0) for u, v, d in G.edges(data=True)]
    return TieGraph(nodes=list(G.nodes()), groups=groups, edges=edges, directed=G.is_directed())


def weak_components(graph: TieGraph) -> tuple[np.ndarray, np.ndarray]:
    """``(membership, sizes)`` of the weakly connected components.

    Component 0 is the largest (ties broken by the earliest node), then by size.
    """
    from scipy.sparse.csgraph import connected_components

    if graph.n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    _, labels = connected_components(graph.adjacency(directed=False), directed=False)
    sizes = np.bincount(labels)
    first = np.full(len(sizes), graph.n)
    np.minimum.at(first, labels, np.arange(graph.n))
    order = np.lexsort((first, -sizes))  # largest first, then earliest node
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[labels].astype(np.int64), sizes[order].astype(np.int64)


def masked_product(a: sp.csr_matrix, b: sp.csr_matrix, mask: sp.csr_matrix,
                   budget: int = 4_000_000) -> sp.csr_matrix:
    """``(a @ b)`` kept only where ``mask`` is non-zero, computed in row chunks.

    The chunks are sized so that each partial product has at most about ``budget``
    multiply-adds, which keeps memory bounded on graphs with 10^6 arcs (the full
    product of two adjacency matrices can have 10^7-10^8 entries).
    """
    a, b, mask = sp.csr_matrix(a), sp.csr_matrix(b), sp.csr_matrix(mask)
    n = a.shape[0]
    if n == 0:
        return sp.csr_matrix(mask.shape)
    pattern = mask.copy()
    pattern.data = np.ones_like(pattern.data, dtype=float)
    work = np.asarray(abs(a).astype(bool).astype(float) @ np.diff(b.indptr).astype(float)).ravel()
    cuts = [0]
    acc = 0.0
    for i, w in enumerate(work):
        acc += w
        if acc >= budget:
            cuts.append(i + 1)
            acc = 0.0
    if cuts[-1] != n:
        cuts.append(n)
    parts = []
    for lo, hi in zip(cuts[:-1], cuts[1:]):
        parts.append((a[lo:hi] @ b).multiply(pattern[lo:hi]).tocsr())
    return sp.vstack(parts, format="csr")
