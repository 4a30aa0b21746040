"""How a place's network changed between two survey rounds (docs/analytics.md, "Change over
time"): pure functions over the two rounds' TieGraphs (one network type, or every type with
pairs counted once; groups = layers; each round's population = the actors with a tie in it).

* ties gained and lost per layer block (distinct arcs a -> b), and the change in each
  block's density (kb.analytics.groups.block_density: d_gh = ties(g -> h) / (n_g n_h),
  d_gg = ties(g -> g) / (n_g (n_g - 1)), each round over its own population);
* each layer's E-I index (Krackhardt & Stern 1988) in both rounds;
* actors who left (a tie in the first round, none in the second) and arrived, and the
  hub / gatekeeper / pulsetaker roles (kb.analytics.roles) each actor gained or lost;
  brokers who left: actors with a role in the first round and no tie in the second;
* per pair of different layers, the actors carrying the ties between them on each side,
  and whether a side lost or gained its only carriers;
* over the respondents of both rounds (actors who named someone in each): the Jaccard
  similarity of the two tie sets and the QAP correlation of the two adjacency matrices
  with its permutation p-value (:func:`qap`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kb.analytics.graph import TieGraph
from kb.analytics.groups import block_density, ei_by_group
from kb.analytics.roles import RoleThresholds, assign_roles

__all__ = ["QAP_PERMUTATIONS", "ChangeReport", "QapResult", "compare", "jaccard", "qap"]

QAP_PERMUTATIONS = 1000
ROLE_NAMES = ("hub", "gatekeeper", "pulsetaker")


@dataclass
class QapResult:
    """`r`: Pearson correlation of the off-diagonal cells; `p`: the share of permutations
    (with the observed labelling counted once, (k + 1) / (permutations + 1)) whose
    correlation is at least `r`; `actors`, `permutations`, `seed` as used."""

    r: float
    p: float
    actors: int
    permutations: int
    seed: int


def _offdiagonal(matrix: np.ndarray) -> np.ndarray:
    return matrix[~np.eye(matrix.shape[0], dtype=bool)]


def _corr(x: np.ndarray, y: np.ndarray) -> float:
    xd, yd = x - x.mean(), y - y.mean()
    denominator = np.sqrt((xd * xd).sum() * (yd * yd).sum())
    return float((xd * yd).sum() / denominator) if denominator > 0 else float("nan")


def qap(first: np.ndarray, second: np.ndarray, permutations: int = QAP_PERMUTATIONS, seed: int = 0) -> QapResult:
    """QAP (quadratic assignment procedure) correlation of two square matrices over the same
    actors (Krackhardt 1987, "QAP partialling as a test of spuriousness"; Hubert 1987).

    ``r`` is the Pearson correlation of the off-diagonal cells (the diagonal, self-ties, is
    left out). The p-value permutes the rows and columns of ``second`` together
    (``second[π][:, π]``, the same relabelling of actors), ``permutations`` times with
    ``numpy.random.default_rng(seed)``: ``p = (1 + #{r_π >= r}) / (1 + permutations)``, one-
    sided (the rounds are more alike than chance). NaN when a matrix has no variation.

    >>> a = np.array([[0, 1, 1, 0], [1, 0, 0, 0], [0, 1, 0, 1], [0, 0, 1, 0]])
    >>> result = qap(a, a, permutations=200, seed=1)
    >>> round(result.r, 6), result.p < 0.2
    (1.0, True)
    """
    first, second = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    if first.shape != second.shape or first.shape[0] != first.shape[1]:
        raise ValueError("qap() needs two square matrices of the same size")
    n = first.shape[0]
    x = _offdiagonal(first)
    observed = _corr(x, _offdiagonal(second))
    if not np.isfinite(observed):
        return QapResult(float("nan"), float("nan"), n, permutations, seed)
    rng = np.random.default_rng(seed)
    at_least = 0
    for _ in range(permutations):
        order = rng.permutation(n)
        if _corr(x, _offdiagonal(second[np.ix_(order, order)])) >= observed - 1e-12:
            at_least += 1
    return QapResult(observed, (at_least + 1) / (permutations + 1), n, permutations, seed)


def jaccard(first: set, second: set) -> float:
    """|A ∩ B| / |A ∪ B| of two tie sets (1.0 when both are empty).

    >>> jaccard({("a", "b"), ("b", "c")}, {("a", "b"), ("c", "a")})
    0.3333333333333333
    """
    union = first | second
    return len(first & second) / len(union) if union else 1.0


def _arc_set(graph: TieGraph) -> set[tuple]:
    arcs, nodes = graph.arcs(), list(graph.nodes)
    return {(nodes[s], nodes[d]) for s, d in zip(arcs.src.tolist(), arcs.dst.tolist())}


def _roles(graph: TieGraph, thresholds: RoleThresholds, seed: int) -> dict:
    if graph.n == 0:
        return {}
    table = assign_roles(graph, thresholds=thresholds, seed=seed).table
    return {actor: {r for r in ROLE_NAMES if bool(table.loc[actor, r])} for actor in table.index}


@dataclass
class ChangeReport:
    """What :func:`compare` found; every table is a DataFrame with the columns documented
    in docs/analytics.md ("Change over time")."""

    blocks: pd.DataFrame
    layers: pd.DataFrame
    roles: pd.DataFrame
    carriers: pd.DataFrame
    departed: list[str]
    arrived: list[str]
    brokers_left: list[str]
    gained_ties: list[tuple]
    lost_ties: list[tuple]
    similarity: dict = field(default_factory=dict)


def _zero(value: float) -> float:
    return 0.0 if np.isnan(value) else value


def _blocks(before: TieGraph, after: TieGraph, gained: set, lost: set) -> pd.DataFrame:
    b = block_density(before).set_index(["from_group", "to_group"])
    a = block_density(after).set_index(["from_group", "to_group"])
    layer_of = {**before.groups, **after.groups}
    count = lambda arcs: pd.Series([(layer_of[x], layer_of[y]) for x, y in arcs], dtype=object).value_counts()  # noqa: E731
    gain, loss = count(gained), count(lost)
    rows = []
    for cell in sorted(set(b.index) | set(a.index)):
        tb = int(b["ties"].get(cell, 0)) if cell in b.index else 0
        ta = int(a["ties"].get(cell, 0)) if cell in a.index else 0
        db = float(b.loc[cell, "density"]) if cell in b.index else float("nan")
        da = float(a.loc[cell, "density"]) if cell in a.index else float("nan")
        rows.append({"from_layer": cell[0], "to_layer": cell[1], "ties_before": tb, "ties_after": ta,
                     "gained": int(gain.get(cell, 0)), "lost": int(loss.get(cell, 0)),
                     "density_before": db, "density_after": da,
                     "density_change": _zero(da) - _zero(db)})
    return pd.DataFrame(rows, columns=["from_layer", "to_layer", "ties_before", "ties_after", "gained", "lost",
                                       "density_before", "density_after", "density_change"])


def _layers(before: TieGraph, after: TieGraph) -> pd.DataFrame:
    b, a = ei_by_group(before), ei_by_group(after)
    out = pd.DataFrame({"n_before": b["n"], "ei_before": b["ei"]}).join(
        pd.DataFrame({"n_after": a["n"], "ei_after": a["ei"]}), how="outer")
    out["n_before"] = out["n_before"].fillna(0).astype(int)
    out["n_after"] = out["n_after"].fillna(0).astype(int)
    out["ei_change"] = out["ei_after"] - out["ei_before"]
    return out.rename_axis("layer").reset_index()


def _sides(graph: TieGraph) -> dict[tuple[str, str], dict[str, set]]:
    """Per unordered pair of different layers: the actors of each layer carrying its ties."""
    out: dict[tuple[str, str], dict[str, set]] = {}
    for x, y in _arc_set(graph):
        gx, gy = graph.groups[x], graph.groups[y]
        if gx == gy:
            continue
        pair = tuple(sorted((gx, gy)))
        sides = out.setdefault(pair, {pair[0]: set(), pair[1]: set(), "ties": set()})
        sides[gx].add(x)
        sides[gy].add(y)
        sides["ties"].add((x, y))
    return out


def _carriers(before: TieGraph, after: TieGraph) -> pd.DataFrame:
    b, a = _sides(before), _sides(after)
    rows = []
    for pair in sorted(set(b) | set(a)):
        for layer, other in (pair, pair[::-1]):
            was = b.get(pair, {}).get(layer, set())
            now = a.get(pair, {}).get(layer, set())
            if was and not now:
                status = "lost its only carriers"
            elif now and not was:
                status = "gained carriers"
            elif was and not (was & now):
                status = "carriers replaced"
            else:
                status = ""
            rows.append({"layer": layer, "other_layer": other,
                         "ties_before": len(b.get(pair, {}).get("ties", ())),
                         "ties_after": len(a.get(pair, {}).get("ties", ())),
                         "carriers_before": sorted(was), "carriers_after": sorted(now),
                         "left": sorted(was - now), "new": sorted(now - was), "status": status})
    return pd.DataFrame(rows, columns=["layer", "other_layer", "ties_before", "ties_after", "carriers_before",
                                       "carriers_after", "left", "new", "status"])


def _similarity(before: TieGraph, after: TieGraph, respondents: tuple[set, set] | None,
                permutations: int, seed: int) -> dict:
    first, second = respondents or (set(before.nodes), set(after.nodes))
    common = sorted(set(first) & set(second) & set(before.nodes) & set(after.nodes), key=str)
    out = {"same_respondents": set(first) == set(second), "respondents_before": len(first),
           "respondents_after": len(second), "common_respondents": len(common),
           "jaccard": None, "qap_r": None, "qap_p": None, "permutations": permutations, "seed": seed}
    if len(common) < 3:
        return out
    keep = set(common)
    arcs_b = {t for t in _arc_set(before) if t[0] in keep and t[1] in keep}
    arcs_a = {t for t in _arc_set(after) if t[0] in keep and t[1] in keep}
    out["jaccard"] = jaccard(arcs_b, arcs_a)
    result = qap(adjacency(arcs_b, common), adjacency(arcs_a, common), permutations, seed)
    out["qap_r"] = None if np.isnan(result.r) else result.r
    out["qap_p"] = None if np.isnan(result.p) else result.p
    return out


def adjacency(arcs: set[tuple], actors: list) -> np.ndarray:
    """The 0/1 matrix of `arcs` over `actors` (row: sender, column: receiver)."""
    index = {a: i for i, a in enumerate(actors)}
    matrix = np.zeros((len(actors), len(actors)))
    for x, y in arcs:
        matrix[index[x], index[y]] = 1.0
    return matrix


def compare(before: TieGraph, after: TieGraph, thresholds: RoleThresholds = RoleThresholds(), *,
            respondents: tuple[set, set] | None = None, permutations: int = QAP_PERMUTATIONS,
            seed: int = 0) -> ChangeReport:
    """Compare two rounds of one network (see the module's docstring). `respondents`: the
    actors who answered in each round (default: each round's population); Jaccard and QAP
    are computed over the actors who answered in both (``similarity["same_respondents"]``
    says whether the two sets are equal). Role thresholds apply to both rounds alike.

    >>> from kb.analytics.graph import from_edges
    >>> groups = {"a": "x", "b": "x", "c": "y", "d": "y"}
    >>> one = from_edges([("a", "b"), ("b", "c"), ("c", "d")], groups=groups)
    >>> two = from_edges([("a", "b"), ("a", "c"), ("c", "d")], groups=groups)
    >>> report = compare(one, two, permutations=10)
    >>> report.gained_ties, report.lost_ties
    ([('a', 'c')], [('b', 'c')])
    """
    arcs_b, arcs_a = _arc_set(before), _arc_set(after)
    gained, lost = arcs_a - arcs_b, arcs_b - arcs_a
    departed = sorted(set(before.nodes) - set(after.nodes), key=str)
    arrived = sorted(set(after.nodes) - set(before.nodes), key=str)
    roles_b, roles_a = _roles(before, thresholds, seed), _roles(after, thresholds, seed)
    layer_of = {**before.groups, **after.groups}
    role_rows = []
    for actor in sorted(set(roles_b) | set(roles_a), key=str):
        was, now = roles_b.get(actor, set()), roles_a.get(actor, set())
        for role in ROLE_NAMES:
            if (role in was) != (role in now):
                role_rows.append({"actor": actor, "layer": layer_of.get(actor), "role": role,
                                  "change": "gained" if role in now else "lost",
                                  "left": actor in departed, "arrived": actor in arrived})
    brokers_left = [a for a in departed if roles_b.get(a)]
    return ChangeReport(
        blocks=_blocks(before, after, gained, lost), layers=_layers(before, after),
        roles=pd.DataFrame(role_rows, columns=["actor", "layer", "role", "change", "left", "arrived"]),
        carriers=_carriers(before, after), departed=departed, arrived=arrived, brokers_left=brokers_left,
        gained_ties=sorted(gained, key=str), lost_ties=sorted(lost, key=str),
        similarity=_similarity(before, after, respondents, permutations, seed))
