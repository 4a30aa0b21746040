"""Analytics benchmark: `kb analyse` end to end, and each measure against networkx.

    .venv/bin/python -m bench.analytics --actors 100000 --ties 1000000 [--also-queries]

On one throwaway local Neo4j (kb.neo4j_server.LocalServer via bench.common.local_server, its own
temp home, a free port, heap 4g, page cache 1g, schema of cypher/schema/ applied) it runs,
for each size in turn (by default first the bundled case base `data/` and a 10k-actor /
100k-tie synthetic KB as a check, then the requested size), on an emptied database:

1. load   - the synthetic KB of kb.services.generate (or a folder) loaded as `kb load` does:
            loaders.read_paths + loaders.validate (known_ids against the database) +
            kb.store.writer.write_batch (one transaction). If the server runs out of transaction
            memory, that is recorded and the size is redone on a server with twice the heap.
2. analyse - kb.store.analysis_runs.analyse_network (what `kb analyse` runs per network) for `all`
            and one single network type: projection, computation and write-back seconds
            (RunReport.seconds), plus the per-step timings of kb.analytics.analyse.
3. baseline - the projected `all` TieGraph converted to networkx; the same measures timed
            in the project (kb.analytics, on a TieGraph whose arrays and igraph graph are
            built first and timed separately) and in networkx:
              degree       nx in/out/undirected degree, in full;
              betweenness  nx.betweenness_centrality(k = the project's pivots, seed), when the
                           project samples (a component above exact_max_nodes); exact otherwise;
              closeness    nx.closeness_centrality(u=v) (exact, one BFS per actor) timed on a
                           sample of actors and extrapolated to all actors;
              core number  nx.core_number, in full;
              constraint   nx.constraint on a sample of actors, extrapolated;
              brokerage    a plain Python Gould-Fernandez loop (networkx has none) on a sample
                           of brokers, extrapolated.
            Samples are stratified by a cost proxy (component size for closeness, degree^2 x
            (degree + mean neighbour degree) for constraint, in-degree x out-degree for
            brokerage); each stratum's time is scaled by its proxy total (ratio estimator).
            Values are cross-checked where the algorithms agree (degree, core number,
            constraint, brokerage counts; closeness and betweenness estimates vs networkx).

With --also-queries the query-latency benchmark (bench.queries) runs on the same loaded and
analysed servers (the case base and the requested size), which saves a second 1M-tie load.
Results: docs/benchmarks.md section "Analytics" (and "Query latency"), bench/out/analytics.json.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.common import (clear_database, connect, fmt_s, local_server, machine, max_rss_mb, now_utc,
                          process_hwm_mb, save_json, write_section)
from bench.kbs import (CASEBASE, DEFERRED_NOTE, LOADED, SINGLE_NETWORK, LoadTooBig, analyse_timed,
                       apply_schema_deferred, create_deferred, drop_deferred, generate_size, gib, load_dir,
                       load_parts, log, parse_size, size_label)
from bench.queries import report as queries_report
from bench.queries import run_suite
from kb.settings import DEFAULT_NETWORK_TYPES

# -- the networkx baseline ----------------------------------------------------------------------
def stratified_time(fn, candidates: np.ndarray, proxy: np.ndarray, per_stratum: int, budget: float,
                    rng: np.random.Generator, full_under: float = 0.0) -> dict:
    """Time fn(v) for a stratified sample of `candidates` and extrapolate to all of them.

    Strata by quantiles of the cost proxy (0-50-90-99-99.9-100 %). In each stratum up to
    `per_stratum` random members are timed, fewer once the stratum has used its share of
    `budget` seconds (always at least one; when the seconds per unit of proxy measured so
    far predict that a random member would take more than 3x that share, the stratum's
    cheapest member is timed instead, and if even that one would, none is timed and the
    stratum is estimated with the rate of the strata below: "modelled"). The stratum's
    total is estimated as
    (measured seconds / proxy of the measured members) x proxy of all members (ratio
    estimator). When the estimate is at most `full_under` seconds, every candidate is
    timed instead.
    """
    proxy = np.asarray(proxy, dtype=float) + 1e-9
    edges = np.quantile(proxy, [0, 0.5, 0.9, 0.99, 0.999, 1.0])
    strata = np.clip(np.searchsorted(edges[1:-1], proxy, side="right"), 0, 4)
    per_budget = budget / 5
    measured = estimate = 0.0
    sampled = 0
    values: dict = {}
    detail = []
    spent_all = proxy_all = 0.0
    for s in range(5):
        members = np.flatnonzero(strata == s)
        if len(members) == 0:
            continue
        pick = list(rng.permutation(members)[:per_stratum])
        spent = proxy_spent = 0.0
        count = 0
        cheapest = False
        rate = spent_all / proxy_all if proxy_all else None
        modelled = False
        while pick:
            i = pick.pop(0)
            predicted = rate * proxy[i] if rate else 0.0
            if predicted > 3 * max(per_budget - spent, 0.0):
                if count:
                    break
                i = members[np.argmin(proxy[members])]
                cheapest = True
                pick = []
                if rate and rate * proxy[i] > 3 * per_budget:
                    modelled = True  # even the cheapest member would blow the budget: not timed
                    break
            t = time.perf_counter()
            values[int(candidates[i])] = fn(int(candidates[i]))
            spent += time.perf_counter() - t
            proxy_spent += proxy[i]
            count += 1
            if spent > per_budget:
                break
        stratum_rate = spent / proxy_spent if count else rate
        est = stratum_rate * proxy[members].sum()
        detail.append({"stratum": s, "members": int(len(members)), "timed": count, "seconds": spent,
                       "estimate": est, "proxy_range": [float(proxy[members].min()), float(proxy[members].max())],
                       "rate": stratum_rate, "cheapest_only": cheapest, "modelled": modelled})
        measured += spent
        estimate += est
        sampled += count
        spent_all += spent
        proxy_all += proxy_spent
    if sampled < len(candidates) and estimate <= full_under:
        # Cheap enough to run on everyone: measure instead of extrapolating.
        t = time.perf_counter()
        values = {int(v): fn(int(v)) for v in candidates}
        measured = estimate = time.perf_counter() - t
        sampled = len(candidates)
        detail = [{"stratum": "all", "members": int(len(candidates)), "timed": sampled, "seconds": measured,
                   "estimate": measured}]
    return {"measured": measured, "estimate": estimate, "sampled": sampled, "strata": detail,
            "values": values}


def _modelled(res: dict) -> str:
    """How-note for strata that were estimated without timing any member."""
    skipped = [st for st in res["strata"] if st.get("modelled")]
    if not skipped:
        return ""
    n = sum(st["members"] for st in skipped)
    return (f"; the costliest {n:,} (top strata) not timed but estimated at the seconds per unit of cost proxy "
            "measured below them")


def gf_reference(pred: dict, succ: dict, group: list, v: int) -> tuple[int, int, int, int, int]:
    """Gould-Fernandez counts of broker v by the definition, in plain Python: for every
    a -> v -> b with a != b and no arc a -> b, classify (a, v, b) by groups."""
    wi = wo = bio = boi = bo = 0
    gv = group[v]
    outs = succ[v]
    for a in pred[v]:
        ga = group[a]
        closed = succ[a]
        for b in outs:
            if b == a or b in closed:
                continue
            gb = group[b]
            if ga == gv:
                if gb == gv:
                    wi += 1
                else:
                    bio += 1
            elif gb == gv:
                boi += 1
            elif ga == gb:
                wo += 1
            else:
                bo += 1
    return wi, wo, bio, boi, bo


def baseline(graph, pivots: int, exact_max_nodes: int, seed: int, budget: float, per_stratum: int,
             nx_betweenness_sources: int | None) -> dict:
    """Each measure in the project and in networkx on the same graph."""
    import networkx as nx
    import scipy.stats as st

    from kb.analytics import brokerage as gf
    from kb.analytics import centrality as cen
    from kb.analytics import cores
    from kb.analytics import structural_holes as holes
    from kb.analytics.graph import TieGraph, weak_components

    rng = np.random.default_rng(seed)
    out: dict = {"n": graph.n, "arcs": int(len(graph.arcs().src)), "ties": int(len(graph.ties().src))}
    rows: dict = {}

    # Construction: the project's arrays and igraph graph vs networkx graphs (integer nodes).
    t = time.perf_counter()
    g = TieGraph(nodes=graph.nodes, groups=graph.groups, edges=graph.edges, directed=graph.directed)
    arcs, ties = g.arcs(), g.ties()
    codes, _ = g.group_codes
    g.to_igraph(directed=False)
    proj_build = time.perf_counter() - t
    t = time.perf_counter()
    D = nx.DiGraph()
    D.add_nodes_from(range(g.n))
    D.add_edges_from(zip(arcs.src.tolist(), arcs.dst.tolist()))
    U = nx.Graph()
    U.add_nodes_from(range(g.n))
    U.add_edges_from(zip(ties.src.tolist(), ties.dst.tolist()))
    nx_build = time.perf_counter() - t
    rows["graph construction"] = {"project": proj_build, "networkx": nx_build, "how": "full",
                                  "note": "project: arc/tie arrays + igraph graph; networkx: DiGraph + Graph"}
    membership, sizes = weak_components(g)
    comp = sizes[membership]
    exact = bool(sizes.max() <= exact_max_nodes) if g.n else True
    out["components"] = int(len(sizes))
    out["main_component"] = int(sizes[0]) if len(sizes) else 0
    out["exact"] = exact

    # Degree.
    t = time.perf_counter()
    p_deg = cen.degree(g)
    cen.in_degree(g), cen.out_degree(g)
    proj = time.perf_counter() - t
    t = time.perf_counter()
    n_deg = dict(U.degree())
    dict(D.in_degree()), dict(D.out_degree())
    nxt = time.perf_counter() - t
    rows["degree (in, out, undirected)"] = {
        "project": proj, "networkx": nxt, "how": "full",
        "check": "equal" if np.array_equal(p_deg.to_numpy(), np.array([n_deg[i] for i in range(g.n)], float))
        else "DIFFERENT"}

    # Betweenness.
    t = time.perf_counter()
    p_btw = cen.betweenness_estimate(g, directed=False, exact_max_nodes=exact_max_nodes, pivots=pivots, seed=seed)
    proj = time.perf_counter() - t
    k = None if exact else min(pivots, g.n)
    k_run = k if (k is None or not nx_betweenness_sources) else min(k, nx_betweenness_sources)
    log(f"  networkx betweenness (k={k_run}) on {g.n:,} nodes, {U.number_of_edges():,} edges ...")
    t = time.perf_counter()
    n_btw = nx.betweenness_centrality(U, k=k_run, normalized=False, seed=seed)
    nxt = time.perf_counter() - t
    how = "exact (as the project: every component <= exact_max_nodes)" if k is None else f"k = {k} pivots"
    if k is not None and k_run != k:
        nxt = nxt * k / k_run
        how = f"k = {k_run} pivots timed, x {k / k_run:.1f} extrapolated to k = {k}"
    nb = np.array([n_btw[i] for i in range(g.n)])
    rho = st.spearmanr(p_btw.values.to_numpy(), nb).statistic if g.n > 2 else float("nan")
    check = (f"max rel. diff {np.max(np.abs(p_btw.values.to_numpy() - nb) / np.maximum(nb, 1)):.1e}"
             if k is None else f"Spearman rank correlation with networkx's estimate {rho:.3f} (different pivots)")
    rows["betweenness"] = {"project": proj, "networkx": nxt, "how": how, "check": check,
                           "method": p_btw.method}

    # Closeness (the project computes harmonic centrality in the same pass).
    t = time.perf_counter()
    p_clo = cen.closeness_estimate(g, directed=False, exact_max_nodes=exact_max_nodes, pivots=pivots, seed=seed)
    proj = time.perf_counter() - t
    candidates = np.arange(g.n)
    if exact:
        t = time.perf_counter()
        n_clo = nx.closeness_centrality(U, wf_improved=True)
        nxt = time.perf_counter() - t
        nc = np.array([n_clo[i] for i in range(g.n)])
        rows["closeness"] = {"project": proj, "networkx": nxt, "how": "full (exact)",
                             "check": f"max abs diff {np.max(np.abs(p_clo.values.to_numpy() - nc)):.1e}"}
    else:
        res = stratified_time(lambda v: nx.closeness_centrality(U, u=v, wf_improved=True), candidates,
                              comp.astype(float), per_stratum, budget, rng, full_under=budget)
        main = [v for v in res["values"] if comp[v] > exact_max_nodes]
        pv = p_clo.values.to_numpy()
        rel = np.array([abs(pv[v] - res["values"][v]) / res["values"][v] for v in main if res["values"][v] > 0])
        per_bfs = res["measured"] / max(res["sampled"], 1)
        rows["closeness"] = {
            "project": proj, "networkx": res["estimate"],
            "how": "full (exact)" if res["sampled"] == g.n else
                   f"exact, {res['sampled']} actors timed ({fmt_s(res['measured'])}), extrapolated to all {g.n:,}",
            "networkx_same_algorithm": per_bfs * pivots,
            "check": f"project estimate vs exact: mean rel. error {rel.mean():.2%} on {len(rel)} sampled "
                     f"main-component actors" if len(rel) else "-",
            "strata": res["strata"]}

    # Core number.
    t = time.perf_counter()
    p_core = cores.core_number(g)
    proj = time.perf_counter() - t
    t = time.perf_counter()
    n_core = nx.core_number(U)
    nxt = time.perf_counter() - t
    rows["core number"] = {"project": proj, "networkx": nxt, "how": "full",
                           "check": "equal" if np.array_equal(p_core.to_numpy(),
                                                              np.array([n_core[i] for i in range(g.n)]))
                           else "DIFFERENT"}

    # Constraint (mutual ties: a -> b and b -> a both count, as the project does).
    t = time.perf_counter()
    p_con = holes.constraint(g)
    proj = time.perf_counter() - t
    udeg = (np.bincount(ties.src, minlength=g.n) + np.bincount(ties.dst, minlength=g.n)).astype(float)
    nb_sum = np.bincount(ties.src, weights=udeg[ties.dst], minlength=g.n) + \
        np.bincount(ties.dst, weights=udeg[ties.src], minlength=g.n)
    mean_nb = np.divide(nb_sum, udeg, out=np.zeros(g.n), where=udeg > 0)
    has = np.flatnonzero(udeg > 0)
    res = stratified_time(lambda v: nx.constraint(D, nodes=[v])[v], has,
                          udeg[has] ** 2 * (udeg[has] + mean_nb[has]) + 1, per_stratum, budget, rng,
                          full_under=budget)
    pc = p_con.to_numpy()
    finite = {v: x for v, x in res["values"].items() if np.isfinite(x)}
    diff = max((abs(pc[v] - x) for v, x in finite.items()), default=0.0)
    nan_note = (f"; networkx gives NaN for the {len(res['values']) - len(finite)} sampled actors without "
                "out-arcs (its DiGraph quirk), the project a value" if len(finite) < len(res["values"]) else "")
    full = res["sampled"] == len(has)
    rows["constraint"] = {
        "project": proj, "networkx": res["estimate"],
        "how": "full" if full else f"{res['sampled']} actors timed ({fmt_s(res['measured'])}), extrapolated "
                                   f"to all {len(has):,} with ties" + _modelled(res),
        "check": f"max abs diff {diff:.1e} on {len(finite)} actors{nan_note}", "strata": res["strata"]}

    # Gould-Fernandez brokerage counts.
    t = time.perf_counter()
    p_gf = gf.brokerage_counts(g)
    proj = time.perf_counter() - t
    pred, succ = D._pred, D._succ  # networkx's own adjacency dicts (membership tests are O(1))
    group = codes.tolist()
    indeg = np.bincount(arcs.dst, minlength=g.n).astype(float)
    outdeg = np.bincount(arcs.src, minlength=g.n).astype(float)
    brokers = np.flatnonzero((indeg > 0) & (outdeg > 0))
    res = stratified_time(lambda v: gf_reference(pred, succ, group, v), brokers,
                          indeg[brokers] * outdeg[brokers] + 1, per_stratum, budget, rng, full_under=2 * budget)
    pg = p_gf[list(gf.ROLES)].to_numpy()
    bad = sum(tuple(int(x) for x in pg[v]) != c for v, c in res["values"].items())
    full = res["sampled"] == len(brokers)
    rows["Gould-Fernandez brokerage"] = {
        "project": proj, "networkx": res["estimate"],
        "how": ("full" if full else f"{res['sampled']} brokers timed ({fmt_s(res['measured'])}), extrapolated "
                                    f"to all {len(brokers):,} with in- and out-ties" + _modelled(res))
               + "; plain Python loop",
        "check": ("equal" if bad == 0 else f"{bad} DIFFERENT") + f" on {len(res['values'])} brokers",
        "strata": res["strata"]}
    # Freed before the next measure (rebound, not deleted: the lambdas above close over them).
    pred = succ = D = U = arcs = ties = None
    gc.collect()
    out["rows"] = rows
    measures = [r for name, r in rows.items() if name != "graph construction"]
    out["total_project"] = sum(r["project"] for r in measures)
    out["total_networkx"] = sum(r["networkx"] for r in measures)
    out["total_project_with_build"] = out["total_project"] + proj_build
    out["total_networkx_with_build"] = out["total_networkx"] + nx_build
    return out


# -- one size --------------------------------------------------------------------------------------
def run_size(kb, server, size, workdir: Path, args, queries: bool, deferred: list[str]) -> dict:
    from kb.store.analysis_runs import project

    res: dict = {"size": size if size in (CASEBASE, LOADED) else list(size), "label": size_label(size),
                 "heap": server.heap}
    if size == LOADED:
        counts = kb.counts()
        res["data"] = {"source": f"already in {args.loaded_home}", "preloaded": counts}
        res["load"] = {"rows": counts["nodes"], "total": 0.0, "preloaded": True}
    else:
        data, res["data"] = generate_size(size, workdir, args.seed)
        log(f"{res['label']}: loading {data}")
    if size == LOADED:
        pass
    elif getattr(args, "load_in_parts", False):
        log(f"  one transaction needs more memory than heap {server.heap} gives: loading in parts")
        res["load"] = load_parts(kb, data, workdir, args.part_ties)
    else:
        res["load"] = load_dir(kb, data)
    res["load"]["deferred_index_seconds"] = 0.0 if size == LOADED else create_deferred(kb, deferred)
    log(f"  loaded {res['load']['rows']:,} rows in {res['load']['total']:.1f}s, deferred index(es) "
        f"{res['load']['deferred_index_seconds']:.1f}s")
    res["analyse"] = {}
    networks = ["all", args.network]
    if queries and size == CASEBASE:  # the case base as a user has it: `kb analyse` (every type, then all)
        from kb.store.analysis_runs import networks_to_analyse

        networks = networks_to_analyse(kb, DEFAULT_NETWORK_TYPES)
    for network in networks:
        log(f"  kb analyse --network {network} ...")
        r = analyse_timed(kb, network)
        res["analyse"][network] = r
        log(f"  {network}: {r['actors']:,} actors, {r['ties']:,} ties: {r['seconds']} (wall {r['wall']:.1f}s)")
    res["neo4j_hwm_mb"] = process_hwm_mb(server.state().pid)
    if not args.no_baseline:
        log("  projecting `all` for the networkx baseline ...")
        graph = project(kb, "all")
        res["baseline"] = baseline(graph, args.pivots, args.exact_max_nodes, args.seed, args.budget,
                                   args.per_stratum, args.nx_betweenness_sources)
        b = res["baseline"]
        log(f"  baseline: project {b['total_project']:.1f}s vs networkx {b['total_networkx']:.1f}s")
        del graph
        gc.collect()
    if queries:

        res["queries"] = run_suite(kb, goal=0.2 if size == CASEBASE else 2.0, runs=args.runs,
                                   warmups=args.warmups, label=res["label"],
                                   budget=90.0 if size == CASEBASE else 60.0, profile_timeout=180.0)
        res["queries"]["heap"] = server.heap
        res["queries"]["analysed"] = {n: a["wall"] for n, a in res["analyse"].items()}
    res["python_max_rss_mb"] = max_rss_mb()
    return res


# -- the report ------------------------------------------------------------------------------------
def _table(rows: list[list[str]], header: list[str]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return "\n".join(out + ["| " + " | ".join(r) + " |" for r in rows])


def _s(x: float) -> str:
    if x >= 86400 * 2:
        return f"{x / 86400:,.1f} days"
    if x >= 7200:
        return f"{x / 3600:,.1f} h"
    if x >= 600:
        return f"{x / 60:,.1f} min"
    if x >= 10:
        return f"{x:,.0f} s"
    if x >= 0.1:
        return f"{x:.2f} s"
    return f"{x * 1000:.1f} ms"


def _ratio(a: float, b: float) -> str:
    return f"{b / a:,.0f}x" if a > 0 and b / a >= 10 else (f"{b / a:.1f}x" if a > 0 else "-")


def report(r: dict) -> str:
    m = r["machine"]
    lines = [
        "What `kb analyse` costs end to end (projection out of Neo4j, computation, versioned write-back) and "
        "what each measure costs in the project against networkx on the same graph, on the bundled case base "
        "and synthetic knowledge bases from `kb generate`. Written by `bench/analytics.py` (its docstring "
        "has the method). Goal: the project >= 10x faster than networkx overall.",
        "",
        f"Run {r['date']} with `{r['command']}` (from the project root, with `.venv/bin/python`).",
        "",
        f"- Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']} RAM, {m['os']}; Python {m['python']}, "
        f"numpy {m.get('numpy', '?')}, networkx {r['versions']['networkx']}, python-igraph {r['versions']['igraph']}, "
        f"scipy {r['versions']['scipy']}, {m['java']}. Load average at the start {r['loadavg_start']}, "
        f"at the end {r['loadavg_end']} (other work on the machine slows every number alike).",
        f"- Neo4j {r['neo4j']['version']} {r['neo4j']['edition']}, the local server of `kb.neo4j_server` (heap "
        f"{r['args']['heap']} unless said otherwise below, page cache {r['pagecache']}), schema of "
        "`cypher/schema/` applied, database emptied before each size.",
        f"- Analysis parameters: the defaults of `kb analyse` (exact path measures for components up to "
        f"{r['args']['exact_max_nodes']:,} actors, otherwise {r['args']['pivots']} pivots, seed 0; undirected "
        f"paths). Synthetic data: generator seed {r['args']['seed']}; the networkx comparison samples its "
        f"pivots and its timing samples with seed {r['args']['seed']} too (the project's functions as well).",
    ]
    if r.get("deferred_indexes"):
        lines.append(f"- {DEFERRED_NOTE} Deferred here: "
                     + "; ".join(f"`{x}`" for x in r["deferred_indexes"]) + ".")
    for note in r.get("notes", []):
        lines.append(f"- {note}")
    for s in r["sizes"]:
        lines += ["", f"### {s['label']}", ""]
        d = s["data"]
        if s["load"].get("preloaded"):
            p = d["preloaded"]
            lines.append(f"Data: the knowledge base {d['source']} ({p['nodes']:,} nodes, {p['relationships']:,} "
                         "relationships), loaded before this run (see the notes above); not loaded or emptied here.")
        elif "parts" in s["load"]:
            ld = s["load"]
            lines.append(f"Data: `{d['source']}` (" + ", ".join(f"{n:,} {t}" for t, n in d["counts"].items())
                         + f"). Loaded as `kb load` does, **in {len(ld['parts'])} loads** (the entity tables, "
                         f"then {ld['part_ties']:,} ties per load), in {_s(ld['total'])} ({_s(ld['read'])} read, "
                         f"{_s(ld['validate'])} validate, {_s(ld['write'])} write), then the deferred index(es) in "
                         f"{_s(ld.get('deferred_index_seconds', 0))}.")
        elif "counts" in d:
            lines.append(f"Data: `{d['source']}` (" + ", ".join(f"{n:,} {t}" for t, n in d["counts"].items())
                         + f"). Loaded as `kb load` does (read_paths + validate + write_batch in one "
                         f"transaction) in {_s(s['load']['total'])} ({_s(s['load']['read'])} read, "
                         f"{_s(s['load']['validate'])} validate, {_s(s['load']['write'])} write), then the "
                         f"deferred index(es) in {_s(s['load'].get('deferred_index_seconds', 0))}.")
        else:
            lines.append(f"Data: `{d['source']}`, {s['load']['rows']:,} rows, loaded in {_s(s['load']['total'])}.")
        if s.get("load_failures"):
            for f in s["load_failures"]:
                lines.append(f"**The one-transaction load failed with heap {f['heap']}** after "
                             f"{_s(f.get('seconds', 0))}: `{f['error']}`; {f['retry']}.")
            lines.append(f"Everything for this size below ran on the server with heap {s.get('heap')}.")
        else:
            lines.append(f"Server heap {s.get('heap', r['heap'])}.")
        lines += ["", "`kb analyse` end to end (`kb.store.analysis_runs.analyse_network`):", ""]
        rows = []
        for net, a in s["analyse"].items():
            sec = a["seconds"]
            rows.append([f"`{net}`", f"{a['actors']:,}", f"{a['ties']:,}", _s(sec["projection"]),
                         _s(sec["computation"]), _s(sec["write_back"]), _s(a["wall"]),
                         f"{a['components']:,} / {a['main_component']:,}", a["methods"]["betweenness"]])
        lines.append(_table(rows, ["network", "actors", "ties (arcs)", "projection", "computation",
                                   "write-back", "total", "components / largest", "path measures"]))
        steps = s["analyse"].get("all", {}).get("timings")
        if steps:
            lines += ["", "Computation of `all` by step (kb.analytics.analyse timings): "
                      + ", ".join(f"{k} {_s(v)}" for k, v in steps.items()) + "."]
        if "baseline" in s:
            b = s["baseline"]
            lines += ["", f"Each measure on the projected `all` graph ({b['n']:,} actors, {b['arcs']:,} arcs, "
                          f"{b['ties']:,} undirected ties), project vs networkx {r['versions']['networkx']}:", ""]
            rows = []
            for name, x in b["rows"].items():
                nx_cell = _s(x["networkx"]) + ("" if x["how"].startswith(("full", "exact", "k =")) else " (est.)")
                if "networkx_same_algorithm" in x:
                    nx_cell += f"; {_s(x['networkx_same_algorithm'])} for {r['args']['pivots']} BFS (the project's sampling)"
                rows.append([name, _s(x["project"]), nx_cell, _ratio(x["project"], x["networkx"]), x["how"],
                             x.get("check", "")])
            rows.append(["**all measures** (without construction)", f"**{_s(b['total_project'])}**",
                         f"**{_s(b['total_networkx'])}**", f"**{_ratio(b['total_project'], b['total_networkx'])}**",
                         "", ""])
            rows.append(["all measures + construction", _s(b["total_project_with_build"]),
                         _s(b["total_networkx_with_build"]),
                         _ratio(b["total_project_with_build"], b["total_networkx_with_build"]), "", ""])
            lines.append(_table(rows, ["measure", "project", "networkx", "project faster by", "networkx run",
                                       "check"]))
            ratio = b["total_networkx"] / b["total_project"]
            lines += ["", f"Goal project >= 10x faster overall: **{'met' if ratio >= 10 else 'NOT met'}** "
                          f"({ratio:,.0f}x)."]
            clo = b["rows"].get("closeness", {})
            if "networkx_same_algorithm" in clo:
                like = b["total_networkx"] - clo["networkx"] + clo["networkx_same_algorithm"]
                con = b["rows"]["constraint"]
                rest_p = b["total_project"] - con["project"]
                rest_n = like - con["networkx"]
                lines += ["", f"Like for like - networkx closeness on the project's {r['args']['pivots']} pivots "
                              f"instead of exact: networkx {_s(like)}, {_ratio(b['total_project'], like)} the "
                              f"project's time; leaving out constraint too (networkx's algorithm is "
                              f"cubic in the degree, the project's sparse products are not): networkx "
                              f"{_s(rest_n)} vs project {_s(rest_p)}, **{_ratio(rest_p, rest_n)}**. Most of the "
                              "overall factor is algorithmic (sampling, sparse products). On the same sampled "
                              "path searches, igraph's C code buys the betweenness row's factor; for closeness "
                              f"compare the project's time with networkx's {r['args']['pivots']} BFS "
                              f"({_s(clo['project'])} vs {_s(clo['networkx_same_algorithm'])}): the project's "
                              "numpy bookkeeping over the pivot-distance matrices costs about as much as the "
                              "searches."]
        lines += ["", f"Peak memory: Neo4j process {s['neo4j_hwm_mb']:,.0f} MiB (VmHWM, cumulative over the "
                      f"sizes run so far), benchmark process {s['python_max_rss_mb']:,.0f} MiB (ru_maxrss, "
                      "cumulative)."]
    lines += [
        "",
        "Notes",
        "",
        "- The project's times per measure are the kb.analytics functions called one by one on a TieGraph "
        "whose arc arrays and igraph graph were built first (the \"graph construction\" row); inside "
        "`kb analyse` they share that work, and closeness is computed together with harmonic centrality.",
        "- networkx runs on integer node ids (a DiGraph for degree, constraint and brokerage, a Graph for "
        "betweenness, closeness and core number: paths are undirected, as in `kb analyse`).",
        "- Betweenness: networkx `betweenness_centrality(k=pivots, seed)` samples the same number of source "
        "actors as the project (not the same ones). Exact betweenness in networkx on the large graph would "
        "take hours (n BFS + dependency accumulations in Python, i.e. n / pivots times the sampled time).",
        "- Closeness: networkx has no sampled closeness; `closeness_centrality(u=v)` (one full BFS per actor, "
        "exact) was timed on a sample of actors stratified by component size and extrapolated linearly to "
        "every actor. The extra figure \"for N BFS\" is networkx doing the project's amount of work (one "
        "BFS per pivot), which is the like-for-like algorithmic comparison.",
        "- Constraint: `nx.constraint` recomputes each neighbour's tie sums in every term (its cost grows "
        "with degree^3); timed on a stratified sample of actors (strata by degree^2 x (degree + mean "
        "neighbour degree)), each stratum scaled by its share of that proxy; in the top strata, where one "
        "actor can take minutes, only as many actors as the time budget allows (at least one, the "
        "stratum's cheapest when a random one would blow the budget). Estimates, not measurements: read "
        "them as orders of magnitude.",
        "- Gould-Fernandez brokerage: networkx has none; the reference is the definition as a plain Python "
        "loop over every in-neighbour x out-neighbour pair of each broker (set lookups for the closing "
        "arc), timed on a stratified sample of brokers (strata by in-degree x out-degree) and extrapolated "
        "the same way. Its counts equal the project's on every sampled broker.",
        f"- Raw numbers (including the strata of every extrapolation): `bench/out/{r['json_name']}.json`.",
    ]
    return "\n".join(lines)


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


# -- main -------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.analytics", description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", type=int, default=100_000)
    parser.add_argument("--ties", type=int, default=1_000_000)
    parser.add_argument("--pre", action="append", default=None,
                        help="sizes run first as a check: casebase or ACTORSxTIES (repeatable; "
                             "default casebase and 10000x100000; `none` for none)")
    parser.add_argument("--seed", type=int, default=2008, help="generator seed (as bench.load)")
    parser.add_argument("--network", default=SINGLE_NETWORK, help="the single network type analysed besides all")
    parser.add_argument("--heap", default="4g")
    parser.add_argument("--pagecache", default="1g")
    parser.add_argument("--max-heap", default="8g",
                        help="largest heap tried for the one-transaction load before loading in parts")
    parser.add_argument("--part-ties", type=int, default=250_000, help="ties per load when loading in parts")
    parser.add_argument("--budget", type=float, default=60.0,
                        help="seconds per sampled networkx measure (closeness, constraint, brokerage)")
    parser.add_argument("--per-stratum", type=int, default=400, help="actors timed per stratum at most")
    parser.add_argument("--nx-betweenness-sources", type=int, default=None,
                        help="run networkx betweenness on fewer sources and extrapolate (default: all pivots)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the networkx baseline")
    parser.add_argument("--schema-first", action="store_true",
                        help="create every index before loading, TIE(network) included (see _REL_INDEX)")
    parser.add_argument("--also-queries", action="store_true",
                        help="also run bench.queries on the case base and the main size (same servers)")
    parser.add_argument("--runs", type=int, default=30, help="query runs (with --also-queries)")
    parser.add_argument("--warmups", type=int, default=3, help="query warm-ups (with --also-queries)")
    parser.add_argument("--no-docs", action="store_true", help="do not rewrite docs/benchmarks.md")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    parser.add_argument("--note", action="append", default=[], help="a note for the report (repeatable)")
    parser.add_argument("--loaded-home", type=Path, default=None,
                        help="analyse the knowledge base already in this local server home (kept by --keep or "
                             "loaded by hand) instead of generating and loading sizes; --note how it was made")
    parser.add_argument("--section", default="Analytics", help="the docs/benchmarks.md section to write")
    args = parser.parse_args(argv)

    from kb.analytics.centrality import DEFAULT_EXACT_MAX_NODES, DEFAULT_PIVOTS

    args.pivots, args.exact_max_nodes = DEFAULT_PIVOTS, DEFAULT_EXACT_MAX_NODES
    pre = ["casebase", "10000x100000"] if args.pre is None else [p for p in args.pre if p != "none"]
    sizes = [parse_size(p) for p in pre] + [(args.actors, args.ties)]
    if args.loaded_home:
        sizes = [LOADED]
    if args.also_queries and CASEBASE not in sizes:
        sizes.insert(0, CASEBASE)
    import igraph
    import networkx
    import scipy

    command = "python -m bench.analytics " + " ".join(sys.argv[1:] if argv is None else argv)
    results: dict = {"command": command.strip(), "date": now_utc(), "machine": machine(), "heap": args.heap,
                     "pagecache": args.pagecache, "loadavg_start": _loadavg(),
                     "versions": {"networkx": networkx.__version__, "igraph": igraph.__version__,
                                  "scipy": scipy.__version__},
                     "args": {"seed": args.seed, "pivots": args.pivots, "exact_max_nodes": args.exact_max_nodes,
                              "network": args.network, "budget": args.budget, "per_stratum": args.per_stratum,
                              "heap": args.heap},
                     "sizes": [], "notes": list(args.note)}
    workdir = Path(tempfile.mkdtemp(prefix="kb-bench-analytics-"))
    heap = args.heap
    try:
        pending = list(sizes)
        failures: list[dict] = []
        while pending:
            home = args.loaded_home or workdir / f"neo4j-{heap}"
            with local_server(home, heap=heap, pagecache=args.pagecache) as server, connect(server) as kb:
                results["neo4j"] = kb.server_info()
                results["heap"] = heap
                deferred = apply_schema_deferred(kb, defer=not (args.schema_first or args.loaded_home))
                results["deferred_indexes"] = deferred
                if deferred:
                    results["query_notes"] = [DEFERRED_NOTE]
                log(f"Neo4j {results['neo4j']['version']} on port {server.port}, heap {heap}")
                while pending:
                    size = pending[0]
                    if size != LOADED:
                        drop_deferred(kb, deferred)
                        clear_database(kb)
                    attempt = time.perf_counter()
                    try:
                        res = run_size(kb, server, size, workdir, args,
                                       queries=args.also_queries and (size == CASEBASE or size == sizes[-1]),
                                       deferred=deferred)
                    except LoadTooBig as exc:
                        bigger = f"{int(heap.rstrip('g')) * 2}g"
                        failure = {"size": str(size), "heap": heap, "error": str(exc),
                                   "seconds": time.perf_counter() - attempt}
                        failures.append(failure)
                        if gib(bigger) <= gib(args.max_heap):
                            log(f"  load failed for memory with heap {heap}: {exc}; retrying with heap {bigger}")
                            failure["retry"] = f"redone on a new server with heap {bigger}"
                            heap = bigger
                            break
                        log(f"  load failed for memory with heap {heap}: {exc}; heap {bigger} would exceed "
                            f"--max-heap {args.max_heap}: loading in parts of {args.part_ties:,} ties")
                        failure["retry"] = (f"heap {bigger} is more than this machine can spare (--max-heap "
                                            f"{args.max_heap}), so it was loaded in parts on the same server, as "
                                            f"`kb load` advises: the entity tables, then the ties in loads of "
                                            f"{args.part_ties:,}")
                        args.load_in_parts = True
                        drop_deferred(kb, deferred)
                        clear_database(kb)
                        res = run_size(kb, server, size, workdir, args,
                                       queries=args.also_queries and (size == CASEBASE or size == sizes[-1]),
                                       deferred=deferred)
                        args.load_in_parts = False
                    res["load_failures"] = [f for f in failures if f["size"] == str(size)]
                    results["sizes"].append(res)
                    pending.pop(0)
        results["loadavg_end"] = _loadavg()
        results["json_name"] = "analytics-loaded" if args.loaded_home else "analytics"
        save_json(results["json_name"], results)
        if not args.no_docs:
            write_section(args.section, report(results))
            if args.also_queries:

                write_section("Query latency", queries_report(results, source="bench.analytics --also-queries"))
        log("done")
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
