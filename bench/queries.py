"""Query latency benchmark: p50 and p95 of every required named query.

    .venv/bin/python -m bench.queries [--actors 100000 --ties 1000000]

On one throwaway local Neo4j (bench.common.local_server: heap 4g, page cache 1g, schema
applied), for (a) the bundled case base `data/` (loaded, then `kb analyse`: every network
type with ties, then `all`) - goal p95 < 200 ms - and (b) the synthetic KB of kb.generate
at the given size (loaded as `kb load` does, `kb analyse` for `innovation` and `all`, or
every type with --all-networks) - goal p95 < 2 s, each required query runs through
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

from bench.common import clear_database, connect, local_server, machine, now_utc, save_json, write_section
from kb.settings import DEFAULT_NETWORK_TYPES, Settings

REQUIRED = ("transferable-innovations", "similar-innovations", "diffusion", "brokers", "brokerage-roles",
            "layer-links", "weak-layer-links", "outside-core", "core-clique", "fragility")
NETWORKS = ("innovation", "all")


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def pick_parameters(kb) -> dict:
    """A locality that faces problems and the innovation with the most adoptions."""
    locality = kb.read("MATCH (l:Locality {id: 'knowsley'})-[:FACES]->() RETURN DISTINCT l.id AS id")
    if not locality:
        locality = kb.read("MATCH (l:Locality) WHERE EXISTS { (l)-[:FACES]->(:Problem) } "
                           "RETURN l.id AS id ORDER BY COUNT { (l)<-[:LOCATED_IN]-(:Actor) } DESC, l.id LIMIT 1")
    innovation = kb.read("MATCH (i:Innovation)-[a:ADOPTED_IN]->() "
                         "RETURN i.id AS id, count(a) AS n ORDER BY n DESC, id LIMIT 1")
    return {"locality": locality[0]["id"] if locality else None,
            "innovation": innovation[0]["id"] if innovation else None,
            "adoptions": innovation[0]["n"] if innovation else 0}


def variants(picked: dict) -> list[tuple[str, dict]]:
    out = [("transferable-innovations", {"locality": picked["locality"]}),
           ("similar-innovations", {"innovation": picked["innovation"]}),
           ("diffusion", {"innovation": picked["innovation"]})]
    for name in REQUIRED[3:]:
        for network in NETWORKS:
            out.append((name, {"network": network}))
    return out


# What was changed in cypher/ after profiling (results identical: checked row for row on the
# case base and on synthetic KBs, and by tests/test_analysis_db.py + tests/test_query_cli.py).
CHANGES = {
    "transferable-innovations": (
        "The introduction path was `SHORTEST 1 (local:Actor)-[:TIE|MEMBER_OF]-{1,6}(behind:Actor)` with both "
        "ends free and filtered by EXISTS: Neo4j partitions SHORTEST by (start, end) pair, so it searched a "
        "shortest path for every local actor x actor behind the innovation, then kept the shortest (3,000 "
        "actors: 128 s; 10,000 actors: over 10 minutes). Now both ends are bound nodes - "
        "`(here)<-[:LOCATED_IN]-(:Actor)-[:TIE|MEMBER_OF]-{1,6}(:Actor)-[:ORIGINATED|ADOPTED]->(i)` and the same "
        "through a member organisation - so each is one bidirectional search per innovation "
        "(StatefulShortestPath(Into)); the end hops are not counted. Same rows and hops; when several "
        "shortest introduction paths exist, another one of them may be shown (SHORTEST 1 never fixed which)."),
    "brokerage-roles": (
        "Each broker's distinct in- and out-neighbours are collected first (their group read once each), "
        "then every in x out pair is checked once, against the arcs out of a read once per in-neighbour "
        "(a list) instead of an Expand(Into) lookup per pair. Before, `MATCH (a)-[r1:TIE]->(v)-[r2:TIE]->(b)` "
        "enumerated relationship pairs, so with `all` a two-path carried by parallel ties of several types "
        "was enumerated (and its closing arc looked up, and the locality grouping's subquery run) up to 49 "
        "times before DISTINCT. Case base: 7.5M -> 63k db hits with `all`, 397k -> 81k with `innovation`."),
    "layer-links": (
        "Each actor's layer is read once and its distinct tie partners collected per actor; a cell's "
        "senders, receivers and carriers are counted from the distinct nodes instead of from "
        "`collect([a.id, b.id])` lists unwound three times (no id reads); without a locality the "
        "`b IN population` test is skipped (every tie partner has a tie)."),
    "weak-layer-links": (
        "As layer-links, keeping node pairs (ids read only for cells of at most 50 ties, whose carriers are "
        "listed, in the same order as before)."),
    "core-clique": (
        "The list of core members is no longer a grouping key of the per-member aggregations (it was copied "
        "into every group: memory quadratic in the core's size, 15 MB for a core of 495 actors, and "
        "`MemoryPoolOutOfMemoryError` for the `innovation` core of the 1M-tie KB with heap 4g); its size is "
        "computed once."),
    "fragility": (
        "One network type: its between-layer ties come straight from the TIE(network) relationship index "
        "(a seek instead of expanding all ties); `all`: each actor's layer is read once and its distinct "
        "partners collected per actor."),
}

# Where the remaining time goes, and what would fix it (for queries that still miss a goal).
PROPOSALS = {
    "transferable-innovations": (
        "Each of the two searches per innovation expands the whole first ring around the locality (its "
        "~1,000 actors and their ties) again: about 30,000 db hits per search, 50 searches. Compute the "
        "locality's actors and their one-hop neighbourhood once per query and meet the actors behind each "
        "innovation in the middle (the introduction paths found are 1-2 hops), falling back to the search "
        "only when no meeting is found within two hops; or cache introduction paths per (locality, "
        "innovation) at `kb analyse` time."),
    "brokerage-roles": (
        "Counting Gould-Fernandez brokerage live enumerates every two-path a -> v -> b and looks up the "
        "closing arc a -> b: sum over brokers of in-degree x out-degree pairs (about 20 million with `all` on "
        "1M ties), so it cannot answer in seconds at this size in any formulation. `kb analyse` already "
        "stores these counts per actor (gf_* on Score, with the z-scores the query reads): read them from "
        "the current run when its grouping is the one asked for (`layer`), ordered by total with LIMIT, and "
        "count live only for other groupings or when no run is current. That changes where the numbers come "
        "from (they are as fresh as the last `kb analyse`), so it is proposed, not done."),
    "layer-links": (
        "Whole-network block densities touch every tie (1M relationships, plus a layer read per tie "
        "partner). `kb analyse` already computes the same table (kb.analytics.groups.block_density, checked "
        "equal by tests/test_analysis_db.py): store it on the AnalysisRun and read it when no locality is "
        "given; keep the live query for a locality."),
    "weak-layer-links": "Same as layer-links: read the stored block table when no locality is given.",
    "fragility": (
        "With `all` every tie is still read (1M relationships). Store per-run layer-pair tie counts at "
        "`kb analyse` time, and count live only the ties of the k leaving actors (their own relationships) "
        "to subtract them."),
    "outside-core": (
        "Reads every Score of the run (one per actor: 100k) with an organisation lookup sorted by name per "
        "actor. Store the grouping key (layer, organisation) on the Score at `kb analyse` time, or the "
        "per-group summary itself on the run."),
    "similar-innovations": (
        "Compares the innovation with every other one (shared problems, sector) and runs a full-text "
        "query; at 2,000 innovations most time is the per-pair pattern checks. Restrict candidates to "
        "innovations sharing a problem or sector or found by the full-text index before scoring."),
    "core-clique": (
        "Expands every tie of every main-core member twice (out and in) and collects the distinct partners; "
        "with a large main core this is most of the time. Store internal/external tie counts of the core on "
        "the run at `kb analyse` time."),
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
                summary = tx.run("PROFILE " + text, params).consume()
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
            budget: float) -> dict:
    from neo4j.exceptions import Neo4jError

    from kb.queries import load_query

    q = load_query(name)
    params = q.bind({k: str(v) for k, v in given.items()})
    out: dict = {"query": name, "params": given, "times": [], "warmups": []}

    def once() -> float:
        t = time.perf_counter()
        result = kb.read_limited(q.text, params, timeout=timeout, row_limit=row_limit)
        elapsed = time.perf_counter() - t
        out["rows"], out["truncated"] = len(result.rows), result.truncated
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
                    row_limit=settings.kb_row_limit, budget=budget)
        r["met"] = "p95" in r and r["p95"] < goal
        shown = f"p50 {r['p50'] * 1000:.0f} ms, p95 {r['p95'] * 1000:.0f} ms ({r['runs']} runs)" if "p95" in r \
            else r.get("error", "")
        log(f"  {name} {given}: {shown}")
        if not r["met"]:
            from kb.queries import load_query

            q = load_query(name)
            r["profile"] = profile(kb, q.text, q.bind({k: str(v) for k, v in given.items()}), profile_timeout)
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
    lines = ["Latency (p50, p95) of the ten required named queries as a user runs them, on the bundled case "
             "base and on a synthetic knowledge base of 100,000 actors and 1,000,000 ties, both analysed. Written "
             "by `bench/queries.py` (or `bench/analytics.py --also-queries`, sharing its loaded servers). Goals: "
             "p95 < 200 ms on the case base, p95 < 2 s on the large KB.", "",
             f"Run {results['date']} with `{results['command']}` (from the project root, with `.venv/bin/python`).",
             "",
             f"- Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']} RAM, {m['os']}; Python {m['python']}, "
             f"neo4j driver {m.get('neo4j driver', '?')}, {m['java']}.",
             f"- Neo4j {results['neo4j']['version']} {results['neo4j']['edition']}, the local server of "
             f"`kb.server` (page cache {results['pagecache']}; heap per KB below), schema applied. "
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
    from bench.analytics import (CASEBASE, DEFERRED_NOTE, LoadTooBig, analyse_timed, apply_schema_deferred,
                                 create_deferred, drop_deferred, generate_size, load_dir, load_parts, size_label)

    parser = argparse.ArgumentParser(prog="python -m bench.queries", description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", type=int, default=100_000)
    parser.add_argument("--ties", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2008)
    parser.add_argument("--skip-large", action="store_true", help="only the case base")
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
    pending = [CASEBASE] + ([] if args.skip_large else [(args.actors, args.ties)])
    heap = args.heap
    try:
        from kb.analysis import networks_to_analyse

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
                    suite = run_suite(kb, goal=0.2 if size == CASEBASE else 2.0, runs=args.runs,
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
