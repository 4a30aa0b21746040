"""Actors in blocks (locality x layer) and the ties drawn between them, vectorised with numpy."""

from __future__ import annotations

import numpy as np

from kb.synthetic.world import (MIN_ACTORS_PER_LOCALITY, NAT, NETWORKS, ORG_TIE_SHARE, ORG_TIES, PEOPLE_TIES)


def allocate(totals: np.ndarray, shares) -> np.ndarray:
    """Split each total into len(shares) integer parts (largest remainder; deterministic)."""
    shares = np.asarray(shares, dtype=float)
    exact = totals[:, None] * (shares / shares.sum())[None, :]
    parts = np.floor(exact).astype(np.int64)
    left = totals - parts.sum(axis=1)
    order = np.argsort(-(exact - parts), axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(shares.size)[None, :].repeat(len(totals), axis=0), axis=1)
    return parts + (ranks < left[:, None])


def pick(rng, start: np.ndarray, count: np.ndarray, skew: float) -> np.ndarray:
    """One index per row from [start, start + count), favouring the first ones when skew > 1."""
    u = rng.random(len(start))
    if skew != 1.0:
        u = u ** skew
    return start + np.minimum((u * count).astype(np.int64), np.maximum(count - 1, 0))


def synthetic_ids(prefix: str, n: int) -> list[str]:
    width = max(4, len(str(max(n - 1, 0))))
    return [f"syn_{prefix}{i:0{width}d}" for i in range(n)]


class Population:
    """Actors in blocks (locality, layer): organisations and people, contiguous per block.

    Locality index L (one past the real ones) is the national group (layer national only).
    """

    def __init__(self, rng, n_localities: int, n_actors: int):
        L = n_localities
        n_national = max(2, round(0.01 * n_actors))
        local = n_actors - n_national
        weights = rng.lognormal(0.0, 0.6, L)
        sizes = MIN_ACTORS_PER_LOCALITY + allocate(np.array([local - MIN_ACTORS_PER_LOCALITY * L]), weights)[0]
        orgs = np.maximum(4, np.round(0.08 * sizes).astype(np.int64))
        people = sizes - orgs
        self.org_counts = np.zeros((L + 1, 5), dtype=np.int64)
        self.ppl_counts = np.zeros((L + 1, 5), dtype=np.int64)
        self.org_counts[:L, 1:] = 1 + allocate(orgs - 4, (0.05, 0.35, 0.25, 0.35))
        self.ppl_counts[:L, 1:] = 1 + allocate(people - 4, (0.08, 0.12, 0.30, 0.50))
        n_nat_orgs = max(1, n_national // 4)
        self.org_counts[L, NAT] = n_nat_orgs
        self.ppl_counts[L, NAT] = n_national - n_nat_orgs
        self.L = L
        self.n_orgs = int(self.org_counts.sum())
        self.n_people = int(self.ppl_counts.sum())
        assert self.n_orgs + self.n_people == n_actors
        # Block starts in the unified actor index: organisations first, then people.
        self.org_start = (np.cumsum(self.org_counts.ravel()) - self.org_counts.ravel()).reshape(L + 1, 5)
        self.ppl_start = (self.n_orgs + np.cumsum(self.ppl_counts.ravel()) - self.ppl_counts.ravel()).reshape(L + 1, 5)
        blocks = np.arange((L + 1) * 5)
        self.org_block = np.repeat(blocks, self.org_counts.ravel())
        self.ppl_block = np.repeat(blocks, self.ppl_counts.ravel())
        self.loc_people = self.ppl_counts[:L].sum(axis=1)
        self.loc_orgs = self.org_counts[:L].sum(axis=1)
        self.ids = synthetic_ids("o", self.n_orgs) + synthetic_ids("p", self.n_people)


def sample_ties(rng, pop: Population, categories, n: int, kind: str):
    """n candidate ties (from, to, network, weight) drawn by category; invalid ones dropped."""
    L = pop.L
    shares = np.array([c[0] for c in categories])
    if L < 2:  # no other locality to tie to
        shares = np.where([c[3] == "cross" for c in categories], 0.0, shares)
    per = rng.multinomial(n, shares / shares.sum())
    counts, starts = (pop.org_counts, pop.org_start) if kind == "org" else (pop.ppl_counts, pop.ppl_start)
    loc_p = pop.loc_orgs if kind == "org" else pop.loc_people
    loc_p = loc_p / loc_p.sum()
    out = []
    for (share, a_layer, b_layer, scope, a_skew, b_skew, nets, wp), m in zip(categories, per):
        if m == 0:
            continue
        loc = rng.choice(L, size=m, p=loc_p)
        if scope == "local":
            a_loc, b_loc = loc, loc
        elif scope == "cross":
            a_loc, b_loc = loc, (loc + 1 + rng.integers(0, L - 1, size=m)) % L
        elif scope == "nat_out":
            a_loc, b_loc = np.full(m, L), loc
        elif scope == "nat_in":
            a_loc, b_loc = loc, np.full(m, L)
        else:
            a_loc = b_loc = np.full(m, L)
        a_count, b_count = counts[a_loc, a_layer], counts[b_loc, b_layer]
        a = pick(rng, starts[a_loc, a_layer], a_count, a_skew)
        b = pick(rng, starts[b_loc, b_layer], b_count, b_skew)
        p = np.asarray(nets, dtype=float)
        net = rng.choice(len(NETWORKS), size=m, p=p / p.sum()).astype(np.int8)
        weight = (1 + rng.binomial(4, wp, size=m)).astype(np.int8)
        ok = (a_count > 0) & (b_count > 0) & (a != b)
        out.append((a[ok], b[ok], net[ok], weight[ok]))
    if not out:
        return (np.empty(0, np.int64),) * 2 + (np.empty(0, np.int8),) * 2
    return tuple(np.concatenate(col) for col in zip(*out))


def draw_ties(rng, pop: Population, n_ties: int, seeded: tuple[np.ndarray, ...]):
    """Exactly n_ties distinct (from, to, network) ties, no self-ties; `seeded` ties first."""
    n_actors = pop.n_orgs + pop.n_people
    K = len(NETWORKS)
    cols: list[list[np.ndarray]] = [[c] for c in seeded]
    have = 0
    rounds = 0
    while True:
        # Deduplicate what we have, keeping first occurrences in draw order.
        a, b, net, w = (np.concatenate(c) for c in cols)
        _, first = np.unique((a * n_actors + b) * K + net, return_index=True)
        keep = np.sort(first)
        have = len(keep)
        cols = [[a[keep]], [b[keep]], [net[keep]], [w[keep]]]
        if have >= n_ties:
            break
        rounds += 1
        if rounds > 60:
            raise ValueError(f"could not draw {n_ties} distinct ties among {n_actors} actors (got {have}); "
                             "ask for fewer ties or more actors")
        need = n_ties - have
        batch = int(need * 1.12) + 64
        n_org = int(round(batch * ORG_TIE_SHARE))
        parts = (sample_ties(rng, pop, PEOPLE_TIES, batch - n_org, "people"),
                 sample_ties(rng, pop, ORG_TIES, n_org, "org"))
        drawn = [np.concatenate(values) for values in zip(*parts)]
        # Shuffle, so that cutting the last round to size favours no category.
        order = rng.permutation(len(drawn[0]))
        for col, values in zip(cols, drawn):
            col.append(values[order])
    a, b, net, w = (np.concatenate(c)[:n_ties] for c in cols)
    order = np.argsort((a * n_actors + b) * K + net, kind="stable")
    return a[order], b[order], net[order], w[order]
