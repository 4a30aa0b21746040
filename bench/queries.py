"""Query latency benchmark: p50 and p95 of every required named query.

    .venv/bin/python -m bench.queries [--actors 100000 --ties 1000000]

On one throwaway local Neo4j (bench.common.local_server: heap 4g, page cache 1g, schema
applied), for (a) the bundled case base `data/` (loaded, then `kb analyse`: every network
type with ties, then `all`) - goal p95 < 100 ms (issue 16) - and (b) the synthetic KB of kb.services.generate
at the given size (loaded as `kb load` does, `kb analyse` for `innovation` and `all`, or
every type with --all-networks) - goal p95 < 1 s, each required query runs as `kb query` does
(kb.store.named_queries.run_named: the computed `$stored`, a stale run of a large KB) through
KnowledgeBase.read_limited (READ transaction, EXPLAIN check, the configured
KB_QUERY_TIMEOUT and KB_ROW_LIMIT, as `kb query` and the UI run them) with the parameters
a user would pick: a locality that faces problems (`knowsley` in the case base, else the
one with the most actors), the innovation with the most adoptions, and network
`innovation` and `all` for the queries that take a network. 3 warm-ups, then 30 timed
runs (fewer when one run takes more than --budget / 30 seconds; the table says how many).
A query that misses its goal is PROFILEd once (db hits per operator).

`python -m bench.analytics --also-queries` runs the same suite on its own loaded servers
(one 1M-tie load for both benchmarks). Results: docs/benchmarks.md section
"Query latency", bench/out/queries.json.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.common import clear_database, connect, loadavg, local_server, machine, now_utc, save_json, write_section
from bench.kbs import (CASEBASE, DEFERRED_NOTE, LoadTooBig, analyse_timed, apply_schema_deferred, create_deferred,
                       drop_deferred, generate_size, load_dir, load_parts, size_label)
from kb.store.cypher import statement
from kb.settings import DEFAULT_NETWORK_TYPES, Settings

REQUIRED = ("transferable-innovations", "similar-innovations", "diffusion", "brokers", "brokerage-roles",
            "layer-links", "weak-layer-links", "outside-core", "core-clique", "fragility", "network-change",
            "transfer-assessment")
# The queries that take a network (measured with each of NETWORKS); the others with the picked
# locality or innovation (transfer-assessment: both), network-change with its defaults (the last
# two survey rounds, all ties).
BY_NETWORK = ("brokers", "brokerage-roles", "layer-links", "weak-layer-links", "outside-core", "core-clique",
              "fragility")
NETWORKS = ("innovation", "all")
# p95 goals in seconds (issue 16): [large KB, case base]
GOALS = (1.0, 0.1)


def connect_uri(uri: str):
    """A KnowledgeBase on an already running Neo4j (its password in NEO4J_PASSWORD)."""
    import os

    from kb.store.connection import KnowledgeBase
    from kb.settings import load_settings

    return KnowledgeBase.connect(load_settings(env_file=None, environ={}, neo4j_uri=uri,
                                               neo4j_password=os.environ.get("NEO4J_PASSWORD")))


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def pick_parameters(kb) -> dict:
    """A locality that faces problems and the innovation with the most adoptions."""
    row = kb.read(statement("bench/pick-query-parameters"))[0]
    innovation = row["innovation"] or [None, 0]
    return {"locality": row["locality"], "innovation": innovation[0], "adoptions": innovation[1]}


def variants(picked: dict) -> list[tuple[str, dict]]:
    out = [(name, given) for name, given in (("transferable-innovations", {"locality": picked["locality"]}),
                                             ("similar-innovations", {"innovation": picked["innovation"]}),
                                             ("diffusion", {"innovation": picked["innovation"]}))
           if name in REQUIRED]
    for name in (n for n in REQUIRED if n in BY_NETWORK):
        for network in NETWORKS:
            out.append((name, {"network": network}))
    if "network-change" in REQUIRED:
        out.append(("network-change", {"network": "all"}))
    if "transfer-assessment" in REQUIRED:
        out.append(("transfer-assessment", {"innovation": picked["innovation"], "locality": picked["locality"]}))
    return out


# What was changed in cypher/ after profiling (results identical: checked row for row on the
# case base and on synthetic KBs, and by tests/test_analysis_db.py + tests/test_query_cli.py).
CHANGES = {
    "transferable-innovations": (
        "The introduction path was `SHORTEST 1 (local:Actor)-[:TIE|MEMBER_OF]-{1,6}(behind:Actor)` with both "
        "ends free and filtered by EXISTS: Neo4j partitions SHORTEST by (start, end) pair, so it searched a "
        "shortest path for every local actor x actor behind the innovation (3,000 actors: 128 s; 10,000 "
        "actors: over 10 minutes). First change: both ends bound - "
        "`(here)<-[:LOCATED_IN]-(:Actor)-[:TIE|MEMBER_OF]-{1,6}(:Actor)-[:ORIGINATED|ADOPTED]->(i)` and the "
        "same through a member organisation - one bidirectional search each per innovation. Second change "
        "(issue 4; each such search still expanded the locality's whole first ring, ~1,000 actors, 50 times): "
        "the introduction is met from the innovation's side first - the actors behind it (a handful) and then "
        "their neighbours are checked for being local (LOCATED_IN here, or member of an organisation located "
        "here), which finds 1- and 2-hop introductions; the two searches run only when nothing is found "
        "within 2 hops or an actor behind is itself local (whose introduction needs a closed chain). Same "
        "rows and hop counts (checked against the previous text on the case base for four localities and on the "
        "1M-tie KB for two, 25 and 100 rows); when several shortest introductions exist another of them may "
        "be shown, as before. Round 2: the locality's actors are read once into a list that the search tests "
        "actors against (no LOCATED_IN/MEMBER_OF reads per neighbour), the candidates come from the wanted "
        "problems' side, origin and sector are read for the rows shown only (1.36M -> 71k db hits on the "
        "1M-tie KB; same rows, tests/test_previous_live_queries.py)."),
    "similar-innovations": (
        "Only innovations sharing a problem, sector or stage are scored, plus the best `limit` of those found "
        "by the full-text query only (238k db hits at commit 63f65f7, 53k before round 2, 29k after on the "
        "1M-tie KB; same rows)."),
    "network-change": (
        "Each round's ties are read once from the TIE(round) index and grouped by layer pair in one pass; a "
        "cell's new and departed carriers are in id order (57k -> 44k db hits on the case base)."),
    "brokerage-roles": (
        "Each broker's distinct in- and out-neighbours are collected first (their group read once each): "
        "before, `MATCH (a)-[r1:TIE]->(v)-[r2:TIE]->(b)` enumerated relationship pairs, so with `all` a "
        "two-path carried by parallel ties of several types was enumerated up to 49 times before DISTINCT. "
        "Issue 4: (1) the pairs are counted by groups instead of enumerated - |A_ga| x |B_gb| pairs per pair "
        "of groups, less the unbrokered ones (an actor in both lists; the closed pairs a -> b, found from "
        "each out-neighbour b's own in-ties) - 1.17M pair rows -> 0.27M tie rows for the top 50 with `all`; "
        "(2) candidates from the analysis: the total number of open two-paths through v does not depend on "
        "the grouping and `kb analyse` stores it (Score.gf_total), so while the network's current run still "
        "matches the data only the actors whose stored total reaches the limit-th largest are counted (ties "
        "at that total kept), then ordered and limited as before. The run matches the data when all its "
        "scores are there (`kb forget` deletes one) and the finished :Load nodes number `run.loads` (recorded "
        "by kb/store/analysis_runs.py before the projection) with none in progress; otherwise, for runs written before "
        "this change, or with the new parameter `live=true`, every actor is counted. The counts in the rows "
        "are always computed in Cypher. Same rows as the previous text (commit af90d98) on the case base (every network, "
        "limits 50 and all, groupings layer/org_type/locality) and on the 1M-tie KB (`innovation` and `all`, "
        "top 50; the live count of `all` takes 35 s); tests/test_analysis_db.py compares the live counts "
        "(`live=true`) with Python's and the candidate path with the live one, and checks the fallback after "
        "a load, a removed score and without a run."),
    "layer-links": (
        "Each actor's layer is read once and its distinct tie partners collected per actor; a cell's senders, "
        "receivers and carriers are counted from the distinct nodes (no id reads); one network type without a "
        "locality reads its ties from the TIE(network) index. Issue 4: for the whole network (no locality) "
        "the block table is read from the network's current AnalysisRun, where `kb analyse` now stores it "
        "(kb/store/analysis_runs.py `block_properties`: layers and sizes, and per cell with ties the distinct arcs, "
        "senders, receivers, carriers and - up to 50 ties - the carriers' ids, as parallel list properties), "
        "under the same freshness test as brokerage-roles; with a locality, a stale or older run, or "
        "`live=true` it is counted live as before. Same rows (case base: every network; 1M-tie KB: "
        "`innovation`, `all`); tests/test_analysis_db.py compares the live table with kb.analytics "
        "(`live=true`) and the stored with the live."),
    "weak-layer-links": (
        "As layer-links (live: node pairs, ids read only for cells of at most 50 ties; whole network: the "
        "stored block table). The carriers listed for a fragile cell are now in id order (they were in the "
        "order the ties were read)."),
    "core-clique": (
        "The list of core members is no longer a grouping key of the per-member aggregations (it was copied "
        "into every group: memory quadratic in the core's size, `MemoryPoolOutOfMemoryError` for the "
        "12,879-actor `innovation` core of the 1M-tie KB with heap 4g). Issue 4: with one network type the "
        "core's internal and external arcs come from the TIE(network) index (the members' ties of the other "
        "six types are no longer read); with `all` each member's tie list is read once for both directions; "
        "each member's organisation, score and other core memberships in one pass over its relationships. "
        "Round 2, session 4: `kb analyse` lists the core's members on the run in the answer's order (cc_rows, "
        "cypher/analysis/core-members.cypher), and each member's other runs are looked up for the rows fetched "
        "only (the row limit: 1,000 of 12,879; 612k db hits for the whole answer before). A run without the "
        "list sorts the core's Scores first, then looks up likewise. Same rows."),
    "outside-core": (
        "Round 2, session 4: `kb analyse` stores the answer for the whole network at the default core fraction, "
        "with and without synthetic actors, on the run (oc_rows, cypher/analysis/outside-core-groups.cypher: "
        "the query's own aggregation, once), and the query reads it instead of aggregating the run's 99k Scores "
        "(0.93M db hits); a locality or another core fraction, a run without it, or one after `kb forget` "
        "aggregates as before. Same rows (tests/test_run_query_columns.py, tests/test_analysis_db.py)."),
    "transfer-assessment": (
        "Round 2, session 4: the 12 fewest-hop chains are met from the innovation's side first (chains of 2-4 "
        "relationships, and some of 5, tested against the locality's actors read once); the 12-path SHORTEST "
        "search from the locality (88k db hits on the 1M-tie KB) runs only when those give fewer than 12. Same "
        "facts, same chain lengths and every chain shorter than the 12th the same (of equally short ones at the "
        "12th one's length either may take others; tests/test_previous_live_queries.py; 31 pairs on the 1M KB)."),
    "fragility": (
        "One network type: its between-layer ties come straight from the TIE(network) relationship index; "
        "`all`: each actor's layer read once, distinct partners per actor. Issue 4: ties_before comes from "
        "the stored block table of the run (as layer-links, same freshness test), and only the k leaving "
        "actors' own ties are read to compute ties_after; `live=true` or a stale run counts every "
        "between-layer tie as before. Same rows on the case base (four networks, k = 1, 5, 20) and on the "
        "1M-tie KB."),
}

# Where the remaining time goes, and what would fix it (for queries that still miss a goal).
PROPOSALS = {
    "transferable-innovations": (
        "Remaining cost: the locality's actor list, the innovations addressing its problems, and, for a row "
        "whose introduction is 3 or more hops away, the two bidirectional SHORTEST searches (about 65,000 db "
        "hits each on the 1M-tie KB). If it grows: precompute introductions per (locality, innovation) at "
        "`kb analyse` time."),
    "brokerage-roles": (
        "With a current run the cost is the scan of the run's scores for the threshold plus the live count of "
        "the top brokers (their in-neighbours' ties); without one (no `kb analyse` since the last load, or "
        "`live=true`) every actor is counted live: about 7 s for `innovation` and 35 s for `all` on 1M ties. "
        "Run `kb analyse` after loading."),
    "layer-links": (
        "Without a current run (or with a locality, or `live=true`) the table is counted from every tie of "
        "the population: about 2 s for `all` on 1M ties."),
    "weak-layer-links": (
        "As layer-links: without a current run, a locality or `live=true`, every tie of the population is "
        "read."),
    "fragility": (
        "Without a current run matching the data or with `live=true` every between-layer tie is read (1M "
        "relationships with `all`)."),
    "outside-core": (
        "With a locality or a core fraction other than the default it still reads every Score of the run "
        "(100k) through the score_run index; per-locality tables on the run would serve those too. The "
        "answer's 1,000 rows with up to 20 names each take the client about as long to decode as the server "
        "to read."),
    "similar-innovations": (
        "Scores every innovation sharing a problem, sector or lifecycle stage (hundreds at 2,000 innovations, "
        "most through the stage)."),
    "core-clique": (
        "Each fetched member's other runs are looked up through its Actor node and HAS_SCORE relationships "
        "(about 100 ms for 1,000 rows); an index on Score(actor_id, in_main_core) would shorten that."),
    "transfer-assessment": (
        "When a pair has fewer than 12 chains of up to 5 relationships (a small or distant locality) the "
        "12-path SHORTEST search still runs, after the cheaper meeting from the innovation's side; the "
        "locality's profile reads its actors (about 5,000 rows for the largest locality)."),
    "brokers": (
        "Reads every Score of the run (100k) to filter actors with a role and sort by betweenness. Index "
        "`Score(run_id, betweenness)` or store the role holders' ids on the run."),
    "diffusion": "Small: one innovation's adoptions and derivations.",
}


def _operators(plan: dict, depth: int = 0):
    yield depth, plan
    for child in plan.get("children") or ():
        yield from _operators(child, depth + 1)


def profile(kb, text: str, params: dict, timeout: float) -> dict:
    """PROFILE the query once (READ transaction): db hits in total and per operator."""
    from neo4j.exceptions import Neo4jError

    started = time.perf_counter()
    try:
        with kb.driver.session(database=kb.database, default_access_mode="READ") as session:
            with session.begin_transaction(timeout=timeout) as tx:
                result = tx.run("PROFILE " + text, params)
                for _ in result:  # consume() alone: "This result has not been materialised yet" for some plans
                    pass
                summary = result.consume()
    except Neo4jError as exc:
        return {"error": f"{exc.code}: {(exc.message or '')[:200]}", "seconds": time.perf_counter() - started}
    seconds = time.perf_counter() - started
    ops = []
    for depth, op in _operators(summary.profile):
        args = op.get("args") or {}
        ops.append({"depth": depth, "operator": str(op.get("operatorType", "")).split("@")[0],
                    "details": str(args.get("Details", ""))[:160], "rows": op.get("rows", 0),
                    "db_hits": op.get("dbHits", 0), "time_ms": (op.get("time") or 0) / 1e6})
    return {"seconds": seconds, "db_hits": sum(o["db_hits"] for o in ops), "operators": ops,
            "top": sorted(ops, key=lambda o: -o["db_hits"])[:6]}


def measure(kb, name: str, given: dict, *, runs: int, warmups: int, timeout: float, row_limit: int,
            budget: float, stale_actors: int = 0) -> dict:
    from neo4j.exceptions import Neo4jError

    from kb.store.cypher import load_query
    from kb.store.named_queries import run_named

    q = load_query(name)
    params = q.bind({k: str(v) for k, v in given.items()})
    out: dict = {"query": name, "params": given, "times": [], "warmups": [], "loadavg": loadavg()}

    def once() -> float:
        # As `kb query` runs it: the computed `$stored` (and a stale run of a large KB) included.
        t = time.perf_counter()
        result = run_named(kb, q, params, timeout=timeout, row_limit=row_limit, stale_actors=stale_actors)
        elapsed = time.perf_counter() - t
        out["rows"], out["truncated"] = len(result.rows), result.truncated
        out["stale"] = result.stale
        return elapsed

    try:
        for _ in range(warmups):
            out["warmups"].append(once())
        slowest = max(out["warmups"][1:] or out["warmups"], default=0.0)  # the first run also plans
        n = runs if slowest * runs <= budget else max(5, int(budget / max(slowest, 1e-9)))
        for _ in range(n):
            out["times"].append(once())
    except Neo4jError as exc:
        out["error"] = f"{exc.code}: {(exc.message or '')[:200]}"
        out["timed_out"] = "TimedOut" in (exc.code or "") or "Timeout" in (exc.code or "")
    if out["times"]:
        t = np.array(out["times"])
        out["p50"], out["p95"] = float(np.percentile(t, 50)), float(np.percentile(t, 95))
        out["min"], out["max"] = float(t.min()), float(t.max())
    out["runs"] = len(out["times"])
    return out


def run_suite(kb, goal: float, runs: int = 30, warmups: int = 3, label: str = "", budget: float = 90.0,
              profile_timeout: float = 600.0) -> dict:
    """Every required query on the loaded, analysed KB; misses of `goal` (p95 seconds) profiled."""
    settings = Settings()
    picked = pick_parameters(kb)
    log(f"queries on {label}: {picked}")
    results = []
    for name, given in variants(picked):
        r = measure(kb, name, given, runs=runs, warmups=warmups, timeout=settings.kb_query_timeout,
                    row_limit=settings.kb_row_limit, budget=budget, stale_actors=settings.kb_stale_run_actors)
        r["met"] = "p95" in r and r["p95"] < goal
        shown = f"p50 {r['p50'] * 1000:.0f} ms, p95 {r['p95'] * 1000:.0f} ms ({r['runs']} runs, load {r['loadavg']:.1f})" if "p95" in r \
            else r.get("error", "")
        log(f"  {name} {given}: {shown}")
        if not r["met"]:
            from kb.store.cypher import load_query

            from kb.store.named_queries import computed_parameters

            q = load_query(name)
            bound = computed_parameters(kb, q, q.bind({k: str(v) for k, v in given.items()}),
                                        settings.kb_stale_run_actors)
            bound.pop("_stale", None)
            r["profile"] = profile(kb, q.text, bound, profile_timeout)
            p = r["profile"]
            log(f"    PROFILE: {p.get('db_hits', '?')} db hits in {p['seconds']:.1f}s {p.get('error', '')}")
        results.append(r)
    return {"label": label, "goal": goal, "picked": picked, "timeout": settings.kb_query_timeout,
            "row_limit": settings.kb_row_limit, "results": results, "runs": runs, "warmups": warmups,
            "counts": kb.counts()}


# -- the report ----------------------------------------------------------------------------------
def _table(rows: list[list[str]], header: list[str]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return "\n".join(out + ["| " + " | ".join(r) + " |" for r in rows])


def _ms(x: float) -> str:
    return f"{x * 1000:,.0f} ms" if x < 10 else f"{x:,.1f} s"


def _params(p: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in p.items())


def suite_report(s: dict) -> list[str]:
    lines = [f"### {s['label']}", "",
             f"{s['counts']['nodes']:,} nodes, {s['counts']['relationships']:,} relationships (scores of the "
             f"analysis runs included). Parameters: locality `{s['picked']['locality']}`, innovation "
             f"`{s['picked']['innovation']}` ({s['picked']['adoptions']} adoptions). Goal: p95 < "
             f"{_ms(s['goal'])}. {s['warmups']} warm-ups, then up to {s['runs']} runs; timeout "
             f"{s['timeout']:g} s, row limit {s['row_limit']}. Server heap {s.get('heap', '?')}; analysed "
             f"networks: {', '.join(s.get('analysed', {})) or '?'}.", ""]
    rows = []
    for r in s["results"]:
        if "p95" in r:
            rows.append([f"`{r['query']}`", _params(r["params"]), str(r["runs"]), _ms(r["p50"]), _ms(r["p95"]),
                         str(r.get("rows", "")) + (" (truncated)" if r.get("truncated") else ""),
                         "yes" if r["met"] else "**no**"])
        else:
            rows.append([f"`{r['query']}`", _params(r["params"]), str(r["runs"]), "-", "-", "-",
                         f"**no**: timed out (> {s['timeout']:g} s)" if r.get("timed_out")
                         else f"**no**: {r.get('error', '')[:120]}"])
    lines.append(_table(rows, ["query", "parameters", "runs", "p50", "p95", "rows", "goal met"]))
    missed = [r for r in s["results"] if not r["met"]]
    lines += ["", f"{len(s['results']) - len(missed)} of {len(s['results'])} met the goal."]
    for r in missed:
        p = r.get("profile", {})
        lines += ["", f"PROFILE of `{r['query']}` ({_params(r['params'])}): "
                  + (f"did not finish ({p['error'].split(':')[0]}) within {_ms(p['seconds'])}." if "error" in p else
                     f"{p['db_hits']:,} db hits, {p['seconds']:.1f} s with profiling. Costliest operators:")]
        if "top" in p:
            lines += ["", _table([[o["operator"], f"{o['db_hits']:,}", f"{o['rows']:,}",
                                   "`" + o["details"].replace("|", "\\|").replace("`", "") + "`"]
                                  for o in p["top"]], ["operator", "db hits", "rows", "details"])]
    names = list(dict.fromkeys(r["query"] for r in missed))
    if names:
        lines += ["", "What is slow and what would fix it:", ""]
        lines += [f"- `{n}`: {PROPOSALS.get(n, '-')}" for n in names]
    return lines


def report(results: dict, source: str = "bench.queries") -> str:
    m = results["machine"]
    lines = ["Latency (p50, p95) of every named query as a user runs them, on the bundled case "
             "base and on a synthetic knowledge base of 100,000 actors and 1,000,000 ties, both analysed. Written "
             "by `bench/queries.py` (or `bench/analytics.py --also-queries`, sharing its loaded servers). Goals: "
             "p95 < 100 ms on the case base, p95 < 1 s on the large KB (issue 16).", "",
             f"Run {results['date']} with `{results['command']}` (from the project root, with `.venv/bin/python`).",
             "",
             f"- Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']} RAM, {m['os']}; Python {m['python']}, "
             f"neo4j driver {m.get('neo4j driver', '?')}, {m['java']}.",
             f"- Neo4j {results['neo4j']['version']} {results['neo4j']['edition']}, the local server of "
             f"`kb.neo4j_server` (page cache {results['pagecache']}; heap per KB below), schema applied. "
             "Latency is measured in the client around `KnowledgeBase.read_limited` (the EXPLAIN check, the "
             "run, fetching up to the row limit), as `kb query` and the UI run a named query.",
             ]
    for note in results.get("query_notes", []):
        lines.append(f"- {note}")
    for size in results["sizes"]:
        if "queries" in size:
            lines += [""] + suite_report(size["queries"])
    changed = [n for n in CHANGES if n in results.get("changed_queries", CHANGES)]
    if changed:
        lines += ["", "### Query changes", "",
                  "Made after profiling the first runs, results identical (checked row for row against the "
                  "previous text on the case base and synthetic KBs; tests/test_analysis_db.py and "
                  "tests/test_query_cli.py pass):", ""]
        lines += [f"- `{n}`: {CHANGES[n]}" for n in changed]
    for note in results.get("query_findings", []):
        lines += ["", note]
    lines += ["", f"Raw numbers (every run, full profiles): `bench/out/{results['json_name']}.json`."]
    return "\n".join(lines)


# -- main ------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:

    parser = argparse.ArgumentParser(prog="python -m bench.queries", description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", type=int, default=100_000)
    parser.add_argument("--ties", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2008)
    parser.add_argument("--skip-large", action="store_true", help="only the case base")
    parser.add_argument("--skip-casebase", action="store_true", help="only the large knowledge base")
    parser.add_argument("--all-networks", action="store_true",
                        help="analyse every network type of the large KB, not only innovation and all")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmups", type=int, default=3)
    parser.add_argument("--budget", type=float, default=60.0, help="seconds of timed runs per query at most")
    parser.add_argument("--heap", default="4g")
    parser.add_argument("--pagecache", default="1g")
    parser.add_argument("--only", action="append", help="only these queries (repeatable)")
    parser.add_argument("--part-ties", type=int, default=None,
                        help="load the large KB in parts of this many ties (several `kb load`s) instead of trying "
                             "one transaction first")
    parser.add_argument("--casebase-uri",
                        help="run the case-base suite on this running Neo4j (loaded with data/ and analysed) "
                             "instead of loading a throwaway server")
    parser.add_argument("--large-uri",
                        help="run the large-KB suite on this running Neo4j (the synthetic KB loaded and analysed) "
                             "instead of loading a throwaway server")
    parser.add_argument("--note", action="append", default=[], help="a note for the report (repeatable)")
    parser.add_argument("--no-docs", action="store_true")
    parser.add_argument("--update", type=Path,
                        help="a results JSON (bench/out/analytics.json or queries.json) whose query suites of the "
                             "same KBs are replaced by this run's; the section is written from the merged results")
    args = parser.parse_args(argv)
    if args.only:
        global REQUIRED
        REQUIRED = tuple(q for q in REQUIRED if q in args.only)

    command = "python -m bench.queries " + " ".join(sys.argv[1:] if argv is None else argv)
    results: dict = {"command": command.strip(), "date": now_utc(), "machine": machine(), "heap": args.heap,
                     "pagecache": args.pagecache, "sizes": [], "json_name": "queries"}
    workdir = Path(tempfile.mkdtemp(prefix="kb-bench-queries-"))
    pending = ([] if args.skip_casebase else [CASEBASE]) + ([] if args.skip_large else [(args.actors, args.ties)])
    heap = args.heap
    if args.note:
        results["query_notes"] = list(args.note)
    existing = {CASEBASE: args.casebase_uri, (args.actors, args.ties): args.large_uri}
    try:
        from kb.store.analysis_runs import networks_to_analyse

        for size in list(pending):
            if not existing.get(size):
                continue
            with connect_uri(existing[size]) as kb:
                results["neo4j"] = kb.server_info()
                analysed = {r["network"]: r["at"] for r in kb.read(statement("bench/current-analysis-runs"))}
                log(f"{size_label(size)}: the running server at {existing[size]} (analysed: {', '.join(analysed)})")
                suite = run_suite(kb, goal=GOALS[size == CASEBASE], runs=args.runs,
                                  warmups=args.warmups, label=size_label(size), budget=args.budget,
                                  profile_timeout=180.0)
                suite["analysed"], suite["heap"] = analysed, heap
                results["sizes"].append({"label": size_label(size), "existing_server": existing[size],
                                         "queries": suite})
            pending.remove(size)
        while pending:
            with local_server(workdir / f"neo4j-{heap}", heap=heap, pagecache=args.pagecache) as server, \
                    connect(server) as kb:
                results["neo4j"] = kb.server_info()
                deferred = apply_schema_deferred(kb)
                if deferred:
                    results["query_notes"] = [DEFERRED_NOTE]
                while pending:
                    size = pending[0]
                    drop_deferred(kb, deferred)
                    clear_database(kb)
                    data, info = generate_size(size, workdir, args.seed)
                    log(f"{size_label(size)}: loading {data} (heap {heap})")
                    try:
                        if args.part_ties and size != CASEBASE:
                            load = load_parts(kb, data, workdir, args.part_ties)
                        else:
                            load = load_dir(kb, data)
                    except LoadTooBig as exc:
                        bigger = f"{int(heap.rstrip('g')) * 2}g"
                        log(f"  the load needs more transaction memory than heap {heap} gives ({exc}); "
                            f"retrying with heap {bigger}")
                        results.setdefault("query_notes", []).append(
                            f"Loading {size_label(size)} in one transaction failed with heap {heap} (`{exc}`); "
                            f"it was loaded on a new server with heap {bigger}.")
                        heap = bigger
                        break
                    load["deferred_index_seconds"] = create_deferred(kb, deferred)
                    networks = networks_to_analyse(kb, DEFAULT_NETWORK_TYPES)
                    if size != CASEBASE and not args.all_networks:
                        networks = ["innovation", "all"]
                    analysed = {}
                    for network in networks:
                        analysed[network] = analyse_timed(kb, network)["wall"]
                        log(f"  analysed {network} in {analysed[network]:.1f}s")
                    suite = run_suite(kb, goal=GOALS[size == CASEBASE], runs=args.runs,
                                      warmups=args.warmups, label=size_label(size), budget=args.budget,
                                      profile_timeout=180.0)
                    suite["analysed"], suite["heap"] = analysed, heap
                    results["sizes"].append({"label": size_label(size), "data": info, "load": load,
                                             "queries": suite})
                    pending.pop(0)
        results["heap"] = heap
        save_json("queries", results)
        if args.update:
            import json

            merged = json.loads(args.update.read_text())
            fresh = {s["label"]: s["queries"] for s in results["sizes"]}
            for s in merged["sizes"]:
                if s["label"] in fresh:
                    s["queries"] = fresh[s["label"]]
            merged.setdefault("query_notes", []).append(
                f"Re-measured {results['date']} with `{results['command']}` (merged into the run above): "
                + ", ".join(fresh) + ".")
            args.update.write_text(json.dumps(merged, indent=2, sort_keys=True, default=str))
            results = merged
        if not args.no_docs:
            write_section("Query latency", report(results))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
