"""Introduction paths for a transfer: the cheapest distinct chains of ties from the actors of
a place to the actors behind an innovation, preferring strong and recent ties and known
brokers (docs/transfer.md "Introduction paths").

A chain's cost is the sum of its links' costs plus its actors' costs:

- a tie costs 1 + (1 - strength) + (1 - recency), from 1 (strong, recent) to 3 (weak, old):
  strength = min(weight, 5) / 5 (weight 1 when the tie has none: survey strengths are 1-5),
  recency = 1 - (this year - the tie's year) / 10, between 0 and 1 (0.5 without a date);
- a membership (a person in an organisation) costs 1.5 (strength 1, recency unknown);
- an actor costs 0 when the current analysis finds it a broker (hub, gatekeeper or
  pulsetaker), else 0.5.

Up to `k` paths, cheapest first, by Yen's algorithm (igraph's get_k_shortest_paths) over the
union of the candidate chains the store found (the fewest-hop ones), from a virtual source
joined to every local actor to a virtual target joined to every actor behind. Yen's paths
are loopless and pairwise different, so no two introductions are the same chain.
"""

from __future__ import annotations

from dataclasses import dataclass

MEMBERSHIP_COST = 1.5
BROKER_COST = 0.0
OTHER_ACTOR_COST = 0.5
MAX_STRENGTH_WEIGHT = 5.0
RECENCY_YEARS = 10.0


def tie_cost(weight: float | None, year: int | None, this_year: int) -> float:
    """The cost of one tie.

    >>> tie_cost(5, 2024, 2024)
    1.0
    >>> tie_cost(None, None, 2024)
    2.3
    """
    strength = min(float(weight if weight is not None else 1.0), MAX_STRENGTH_WEIGHT) / MAX_STRENGTH_WEIGHT
    recency = 0.5 if year is None else min(1.0, max(0.0, 1 - (this_year - year) / RECENCY_YEARS))
    return round(1 + (1 - strength) + (1 - recency), 6)


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    cost: float


def cheapest_paths(links: list[Link], starts: set[str], ends: set[str], brokers: set[str],
                   k: int = 3) -> list[tuple[list[str], float]]:
    """Up to `k` cheapest loopless paths from any of `starts` to any of `ends` over the
    (undirected) links, each as (actor ids, cost); parallel links keep their cheapest.

    >>> links = [Link("a", "b", 1), Link("b", "z", 1), Link("a", "c", 1), Link("c", "z", 2)]
    >>> cheapest_paths(links, {"a"}, {"z"}, brokers={"c"}, k=3)
    [(['a', 'b', 'z'], 3.5), (['a', 'c', 'z'], 4.0)]
    """
    import igraph as ig

    names = sorted({x for link in links for x in (link.source, link.target)} | set(starts) | set(ends))
    index = {name: i for i, name in enumerate(names)}
    source, target = len(names), len(names) + 1

    def actor(name: str) -> float:
        return BROKER_COST if name in brokers else OTHER_ACTOR_COST

    best: dict[tuple[int, int], float] = {}
    for link in links:
        if link.source == link.target:
            continue
        pair = tuple(sorted((index[link.source], index[link.target])))
        cost = link.cost + (actor(link.source) + actor(link.target)) / 2
        best[pair] = min(best.get(pair, cost), cost)
    for name in starts:
        best[(index[name], source)] = actor(name) / 2
    for name in ends:
        best[(index[name], target)] = actor(name) / 2
    if not starts or not ends:
        return []
    edges = list(best)
    graph = ig.Graph(n=len(names) + 2, edges=edges)
    weights = [best[e] for e in edges]
    out = []
    for vpath in graph.get_k_shortest_paths(source, target, k=k, weights=weights, mode="all", output="vpath"):
        if len(vpath) < 3:
            continue
        inner = vpath[1:-1]
        cost = sum(best[tuple(sorted((vpath[j], vpath[j + 1])))] for j in range(len(vpath) - 1))
        out.append(([names[v] for v in inner], round(cost, 6)))
    return out
