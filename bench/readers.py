"""Concurrent readers during a load: p50/p95 of every named query with N readers at once.

    .venv/bin/python -m bench.readers [--actors 100000 --ties 1000000 --readers 20 --seconds 120]

On a throwaway local Neo4j (bench.common.local_server: heap 4g, page cache 1g) the synthetic
KB of kb generate is loaded as `kb load` does (bench.kbs.load_parts: the entity
tables, then the ties in parts), then measured twice: (1) without an analysis run, and
(2) after `kb analyse` for `innovation` and `all`. In each state:

- baseline: one reader and no load, every query variant of bench.queries (the parameters a
  user would pick) `--baseline-runs` times;
- concurrent: `--readers` threads, each looping over the variants (each starting at another
  one) for `--seconds`, while a staged load of new ties (`--load-ties` random ties between
  existing actors, committed in chunks of KB_LOAD_CHUNK_ROWS; a new one starts when one
  ends) runs in another thread.

Every query runs as `kb query` does (kb.services.queries.run_query: READ transaction,
KB_QUERY_TIMEOUT, KB_ROW_LIMIT, the computed `$stored`). Goal: p95 < 2 s for every query
with 20 readers during a load. Results: docs/benchmarks.md section "Concurrent readers",
bench/out/readers.json.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from bench.common import connect, loadavg, local_server, machine, now_utc, save_json, write_section
from bench.queries import pick_parameters, variants
from kb.store.cypher import statement

GOAL = 2.0


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def _key(name: str, params: dict) -> str:
    return name + (" " + ", ".join(f"{k}={v}" for k, v in params.items()) if params else "")


def run_once(settings, kb, name: str, params: dict) -> tuple[float, str]:
    """One query as `kb query` runs it: (seconds, outcome: ok / timeout / error text)."""
    from kb.services import ServiceError
    from kb.services.queries import run_query

    started = time.perf_counter()
    try:
        run = run_query(settings, kb, name, {k: str(v) for k, v in params.items()})
        outcome = ("ok (stale run)" if getattr(run.result, "stale", None)
                   else "ok (no run)" if getattr(run.result, "note", None) else "ok")
    except ServiceError as exc:
        text = str(exc)
        outcome = "timeout" if "timeout" in text.lower() or "terminated" in text.lower() else "error: " + text[:160]
    except Exception as exc:  # noqa: BLE001 - a benchmark records what went wrong and goes on
        outcome = f"error: {type(exc).__name__}: {str(exc)[:160]}"
    return time.perf_counter() - started, outcome


def summarise(samples: dict[str, list[tuple[float, str]]]) -> dict[str, dict]:
    out = {}
    for key, runs in samples.items():
        times = np.array([t for t, _ in runs]) if runs else np.array([np.nan])
        out[key] = {"runs": len(runs), "p50": float(np.percentile(times, 50)), "p95": float(np.percentile(times, 95)),
                    "timeouts": sum(o == "timeout" for _, o in runs),
                    "errors": sum(o.startswith("error") for _, o in runs),
                    "stale": sum(o == "ok (stale run)" for _, o in runs),
                    "no_run": sum(o == "ok (no run)" for _, o in runs),
                    "first_error": next((o for _, o in runs if o.startswith("error")), None)}
    return out


def baseline(settings, kb, cases, runs: int) -> dict:
    samples = {_key(n, p): [] for n, p in cases}
    for name, params in cases:
        run_once(settings, kb, name, params)  # warm-up (plans)
        for _ in range(runs):
            samples[_key(name, params)].append(run_once(settings, kb, name, params))
    return summarise(samples)


def extra_ties(actor_ids: list[str], n: int, seed: int, folder: Path) -> Path:
    """A ties.csv of n new random ties between existing actors (network `social`)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    seen = set()
    lines = ["from,to,network,weight,synthetic"]
    while len(seen) < n:
        a, b = rng.choice(actor_ids), rng.choice(actor_ids)
        if a != b and (a, b) not in seen:
            seen.add((a, b))
            lines.append(f"{a},{b},social,1,true")
    (folder / "ties.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def concurrent(settings, kb, cases, readers: int, seconds: float, load_folders: list[Path]) -> dict:
    """`readers` threads looping over the cases for `seconds` while loads run one after another."""
    from kb.services.loading import load_files

    samples: dict[str, list] = {_key(n, p): [] for n, p in cases}
    lock = threading.Lock()
    stop = threading.Event()
    loads: list[dict] = []

    def reader(index: int) -> None:
        i = index
        while not stop.is_set():
            name, params = cases[i % len(cases)]
            i += 1
            result = run_once(settings, kb, name, params)
            with lock:
                samples[_key(name, params)].append(result)

    def loader() -> None:
        j = 0
        while not stop.is_set() and j < len(load_folders):
            started = time.perf_counter()
            try:
                r = load_files(settings, kb, [load_folders[j]], progress=False)
                loads.append({"folder": load_folders[j].name, "seconds": time.perf_counter() - started,
                              "staged": r.staged, "ok": True})
            except Exception as exc:  # noqa: BLE001
                loads.append({"folder": load_folders[j].name, "seconds": time.perf_counter() - started,
                              "ok": False, "error": str(exc)[:200]})
            j += 1

    load_thread = threading.Thread(target=loader, daemon=True)
    threads = [threading.Thread(target=reader, args=(i,), daemon=True) for i in range(readers)]
    load_before = loadavg()
    load_thread.start()
    time.sleep(1.0)  # the load's first chunks are under way
    started = time.perf_counter()
    for t in threads:
        t.start()
    load_seen, load_averages = [], []
    while time.perf_counter() - started < seconds:
        time.sleep(2.0)
        load_seen.append(load_thread.is_alive())
        load_averages.append(loadavg())
        if not load_thread.is_alive() and len(loads) >= len(load_folders):
            log("    (all prepared loads done before the end of the phase)")
    stop.set()
    for t in threads:
        t.join(timeout=120)
    load_thread.join(timeout=600)
    return {"queries": summarise(samples), "loads": loads, "seconds": time.perf_counter() - started,
            "load_running_share": sum(load_seen) / max(1, len(load_seen)), "loadavg": loadavg(),
            "loadavg_before": load_before,
            "loadavg_mean": float(np.mean(load_averages)) if load_averages else float("nan"),
            "loadavg_max": max(load_averages, default=float("nan"))}


def phase(settings, kb, label, cases, args, folders) -> dict:
    log(f"{label}: baseline (1 reader, no load)")
    base_load = loadavg()
    base = baseline(settings, kb, cases, args.baseline_runs)
    log(f"{label}: {args.readers} readers for {args.seconds:.0f} s during loads")
    conc = concurrent(settings, kb, cases, args.readers, args.seconds, folders)
    for key, r in conc["queries"].items():
        log(f"    {key}: p50 {r['p50']:.2f}s p95 {r['p95']:.2f}s ({r['runs']} runs, {r['timeouts']} timeouts, "
            f"{r['stale']} stale) baseline p95 {base[key]['p95']:.2f}s")
    return {"label": label, "baseline": base, "concurrent": conc, "baseline_loadavg": base_load}


def _fmt(x: float) -> str:
    if x != x:
        return "-"
    return f"{x * 1000:,.0f} ms" if x < 10 else f"{x:,.1f} s"


def report(results: dict) -> str:
    m = results["machine"]
    lines = ["Latency of every named query with several readers at once while a load runs (issue 18 "
             "item 14), on the synthetic knowledge base, without an analysis run and after `kb analyse`. Written "
             "by `bench/readers.py`. Goal: p95 < 2 s for every query with 20 readers during a load.", "",
             f"Run {results['date']} with `{results['command']}` (from the project root, with `.venv/bin/python`).",
             "",
             f"- Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']} RAM, {m['os']}; Python {m['python']}, "
             f"neo4j driver {m.get('neo4j driver', '?')}. Load average at the end of the phases: "
             + ", ".join(f"{p['concurrent']['loadavg']:.1f}" for p in results["phases"])
             + " (the machine was shared with other work).",
             f"- Neo4j {results['neo4j'].get('version', '?')}, local server (heap {results['heap']}, page cache "
             f"{results['pagecache']}). Data: `{results['data']}`"
             + (f", loaded as `kb load` does in parts ({results['load_seconds']:.0f} s)" if results["load_seconds"] else "")
             + f". {results['counts']['nodes']:,} nodes, "
             f"{results['counts']['relationships']:,} relationships before the measured loads.",
             f"- Each query runs as `kb query` does (kb.services.queries.run_query: READ transaction, timeout "
             f"{results['timeout']:g} s, row limit {results['row_limit']}, the computed `$stored`). Baseline: one "
             f"reader, no load, {results['baseline_runs']} runs per query after a warm-up. Concurrent: "
             f"{results['readers']} reader threads (one connection pool) looping over the queries back to back (no "
             f"think time) for {results['seconds']:.0f} s, while staged loads of {results['load_ties']:,} new ties "
             "each run one after another (`load_files`, committed in chunks).",
             "- Stale answers: answered from the network's last analysis run although a load ran or is running "
             "since (KB_STALE_RUN_ACTORS; the result says so). No-run answers: no rows and a note saying the network "
             "has not been analysed and counting it live would take long (kb/store/named_queries.py).",
             ]
    for note in results.get("notes", []):
        lines.append(f"- {note}")
    for p in results["phases"]:
        c = p["concurrent"]
        loads = ", ".join(f"{x['seconds']:.0f} s" + ("" if x["ok"] else " (failed)") for x in c["loads"]) or "none"
        lines += ["", f"### {p['label']}", "",
                  f"Loads during the phase: {loads}; a load was running {c['load_running_share']:.0%} of the "
                  f"phase. Load average (1 min): {c.get('loadavg_before', float('nan')):.1f} before the "
                  f"readers, {c.get('loadavg_mean', float('nan')):.1f} on average during the phase (at most "
                  f"{c.get('loadavg_max', float('nan')):.1f}); baseline taken at {p.get('baseline_loadavg', float('nan')):.1f}.",
                  ""]
        header = ["query", "baseline p50", "baseline p95", "runs", "p50", "p95", "p95 / baseline", "timeouts",
                  "stale answers", "no-run answers", "goal met"]
        rows = []
        met = 0
        for key, r in c["queries"].items():
            b = p["baseline"].get(key, {})
            ok = r["runs"] > 0 and r["p95"] < GOAL and not r["timeouts"] and not r["errors"]
            met += ok
            name, _, params = key.partition(" ")
            rows.append([f"`{name}` {params}".strip(), _fmt(b.get("p50", float("nan"))),
                         _fmt(b.get("p95", float("nan"))), str(r["runs"]), _fmt(r["p50"]), _fmt(r["p95"]),
                         f"{r['p95'] / b['p95']:.1f}" if b.get("p95") else "-", str(r["timeouts"]),
                         str(r["stale"]), str(r.get("no_run", "-")), "yes" if ok else ("**no**" + (f" ({r['errors']} errors)" if r["errors"]
                                                                          else ""))])
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "|".join("---" for _ in header) + "|")
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        lines += ["", f"{met} of {len(rows)} met the goal."]
    for note in results.get("findings", []):
        lines += ["", note]
    lines += ["", "Raw numbers: `bench/out/readers.json`."]
    return "\n".join(lines)


def on_running_server(args, results: dict, workdir: Path) -> int:
    """The two phases on an already loaded and analysed server (--uri): after `kb analyse`
    first, then with its runs made not current (as before any `kb analyse`)."""
    import os

    from bench.queries import connect_uri
    from kb.settings import load_settings

    kb = connect_uri(args.uri)
    settings = load_settings(env_file=None, environ={}, neo4j_uri=args.uri,
                             neo4j_password=os.environ.get("NEO4J_PASSWORD"), kb_state_dir=workdir / "state",
                             kb_load_transaction_rows=args.load_ties // 2)
    results["neo4j"] = kb.server_info()
    results["timeout"], results["row_limit"] = settings.kb_query_timeout, settings.kb_row_limit
    results["data"] = f"already loaded at {args.uri} (--uri)"
    results["load_seconds"] = 0.0
    results["counts"] = kb.counts()
    actor_ids = [r["id"] for r in kb.read(statement("bench/actor-ids"))]
    cases = variants(pick_parameters(kb))
    n_loads = 8
    folders = [extra_ties(actor_ids, args.load_ties, args.seed + 100 + i, workdir / f"extra-{i}")
               for i in range(2 * n_loads)]
    results["phases"].append(phase(settings, kb, "After `kb analyse` (innovation, all)", cases, args,
                                   folders[:n_loads]))
    retired = kb.write(statement("bench/retire-current-runs"))[0]["retired"]
    try:
        results["phases"].append(phase(settings, kb, "Without an analysis run", cases, args, folders[n_loads:]))
    finally:  # the server is left with the runs it had (stale now: the loads added ties)
        kb.write(statement("bench/restore-current-runs"), {"ids": retired})
    kb.close()
    save_json("readers", results)
    if not args.no_docs:
        write_section("Concurrent readers", report(results))
    log("done")
    return 0


def main(argv: list[str] | None = None) -> int:
    from bench.kbs import apply_schema_deferred, create_deferred, generate_size, load_parts

    parser = argparse.ArgumentParser(prog="python -m bench.readers", description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", type=int, default=100_000)
    parser.add_argument("--ties", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2008)
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120.0, help="length of each concurrent phase")
    parser.add_argument("--baseline-runs", type=int, default=3)
    parser.add_argument("--load-ties", type=int, default=50_000, help="new ties per load during a phase")
    parser.add_argument("--part-ties", type=int, default=250_000)
    parser.add_argument("--heap", default="4g", help="the throwaway server's heap (with --uri: the running server's, "
                                                      "for the report)")
    parser.add_argument("--pagecache", default="1g", help="likewise, its page cache")
    parser.add_argument("--note", action="append", default=[])
    parser.add_argument("--no-docs", action="store_true")
    parser.add_argument("--from-json", type=Path, help="only write the docs section from a saved results JSON")
    parser.add_argument("--uri", help="measure on this running Neo4j (password in NEO4J_PASSWORD), the synthetic KB "
                                      "already loaded and analysed (innovation, all): first after `kb analyse`, then "
                                      "without an analysis run (its runs made not current), instead of loading a "
                                      "throwaway server")
    args = parser.parse_args(argv)
    if args.from_json:
        import json

        saved = json.loads(args.from_json.read_text())
        saved["notes"] = saved.get("notes", []) + args.note
        write_section("Concurrent readers", report(saved))
        return 0

    from kb.settings import load_settings
    from kb.store.analysis_runs import analyse_network

    command = "python -m bench.readers " + " ".join(sys.argv[1:] if argv is None else argv)
    results: dict = {"command": command.strip(), "date": now_utc(), "machine": machine(), "heap": args.heap,
                     "pagecache": args.pagecache, "readers": args.readers, "seconds": args.seconds,
                     "baseline_runs": args.baseline_runs, "load_ties": args.load_ties, "notes": args.note,
                     "phases": []}
    workdir = Path(tempfile.mkdtemp(prefix="kb-bench-readers-"))
    if args.uri:
        try:
            return on_running_server(args, results, workdir)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    try:
        with local_server(workdir / "neo4j", heap=args.heap, pagecache=args.pagecache) as server:
            kb = connect(server)
            settings = load_settings(env_file=None, environ={}, neo4j_uri=f"neo4j://127.0.0.1:{server.port}",
                                     neo4j_password=server.password(), kb_state_dir=workdir / "state",
                                     kb_load_transaction_rows=args.load_ties // 2)
            results["neo4j"] = kb.server_info()
            results["timeout"], results["row_limit"] = settings.kb_query_timeout, settings.kb_row_limit
            deferred = apply_schema_deferred(kb)
            data, made = generate_size((args.actors, args.ties), workdir, args.seed)
            results["data"] = made["source"]
            log(f"loading {made['source']}")
            loaded = load_parts(kb, data, workdir, args.part_ties)
            create_deferred(kb, deferred)
            results["load_seconds"] = loaded["total"]
            results["counts"] = kb.counts()
            actor_ids = [r["id"] for r in kb.read(statement("bench/actor-ids"))]
            cases = variants(pick_parameters(kb))
            n_loads = 8
            folders = [extra_ties(actor_ids, args.load_ties, args.seed + i, workdir / f"extra-{i}")
                       for i in range(2 * n_loads)]
            results["phases"].append(phase(settings, kb, "Without an analysis run", cases, args, folders[:n_loads]))
            for network in ("innovation", "all"):
                log(f"kb analyse {network}")
                analyse_network(kb, network)
            results["phases"].append(phase(settings, kb, "After `kb analyse` (innovation, all)", cases, args,
                                           folders[n_loads:]))
            kb.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    save_json("readers", results)
    if not args.no_docs:
        write_section("Concurrent readers", report(results))
    log("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
