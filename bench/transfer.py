"""Transfer assessment latency: p50 and p95 of `kb assess` (kb.services.transfer.assess, what
the CLI and the transfer finder run per candidate) and of the whole finder.

    .venv/bin/python -m bench.transfer [--actors 100000 --ties 1000000] [--runs 30]

On one throwaway local Neo4j: (a) the bundled case base `data/` (loaded, every network
analysed): every candidate of the locality picked as bench.queries picks it (`knowsley`),
unevidenced included - goal p95 < 200 ms; (b) with --actors/--ties, the synthetic KB of
kb.services.generate at that size, with three synthetic preconditions and two elements per
innovation added (bench/out/), analysed for `all`: the candidates of the picked locality
(at most 60) - goal p95 < 2 s. 3 warm-ups per candidate, then --runs timed runs spread
over the candidates. Results: docs/benchmarks.md section "Transfer assessment",
bench/out/transfer.json.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.common import connect, local_server, machine, now_utc, save_json, write_section
from kb.settings import DEFAULT_NETWORK_TYPES


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def add_transfer_tables(folder: Path) -> None:
    """Synthetic elements and preconditions for every generated innovation (all kinds that
    the generated localities can answer: country, place kind, population, partner)."""
    with open(folder / "innovations.csv", newline="") as handle:
        ids = [r["id"] for r in csv.DictReader(handle)]
    with open(folder / "localities.csv", newline="") as handle:
        countries = sorted({r["country"] for r in csv.DictReader(handle)})
    tail = {"source": "synthetic_generator", "synthetic": "true"}
    with open(folder / "elements.csv", "w", newline="") as handle:
        out = csv.DictWriter(handle, ["id", "innovation", "name", "kind", "travels", "source", "synthetic"])
        out.writeheader()
        for n, i in enumerate(ids):
            out.writerow({"id": f"{i}_el1", "innovation": i, "name": "Method (synthetic)", "kind": "method",
                          "travels": "as_is", **tail})
            out.writerow({"id": f"{i}_el2", "innovation": i, "name": "Funding model (synthetic)",
                          "kind": "funding_model", "travels": "adapt", **tail})
    with open(folder / "preconditions.csv", "w", newline="") as handle:
        cols = ["id", "innovation", "element", "kind", "description", "country", "population_min", "layer",
                "source", "synthetic"]
        out = csv.DictWriter(handle, cols)
        out.writeheader()
        for n, i in enumerate(ids):
            out.writerow({"id": f"{i}_pc1", "innovation": i, "kind": "country", "description": "A country (synthetic)",
                          "country": countries[n % len(countries)], **tail})
            out.writerow({"id": f"{i}_pc2", "innovation": i, "element": f"{i}_el1", "kind": "population",
                          "description": "A size band (synthetic)", "population_min": str(1000 * (n % 50)), **tail})
            out.writerow({"id": f"{i}_pc3", "innovation": i, "element": f"{i}_el2", "kind": "partner",
                          "description": "A partner (synthetic)", "layer": "sectoral", **tail})


def measure(kb, locality: str, runs: int, warmups: int = 3) -> dict:
    from kb.services.transfer import assess, find_transfers

    started = time.perf_counter()
    found = find_transfers(kb, locality, include_unevidenced=True, limit=60)
    finder = time.perf_counter() - started
    candidates = [r["innovation"] for r in found.rows]
    times, per = [], {}
    for c in candidates:
        for _ in range(warmups):
            assess(kb, c, locality)
    for n in range(max(runs, len(candidates))):
        c = candidates[n % len(candidates)]
        t = time.perf_counter()
        assess(kb, c, locality)
        times.append(time.perf_counter() - t)
        per.setdefault(c, []).append(times[-1])
    finder_times = []
    for _ in range(3):
        t = time.perf_counter()
        find_transfers(kb, locality, include_unevidenced=True, limit=60)
        finder_times.append(time.perf_counter() - t)
    # The baseline, measured in the same run: the round trip of a trivial read (transfer/known).
    from kb.store.cypher import statement

    base = []
    for _ in range(max(runs, 30)):
        t = time.perf_counter()
        kb.read(statement("transfer/known"), {"innovation": candidates[0], "locality": locality})
        base.append(time.perf_counter() - t)
    arr = np.array(times)
    return {"baseline_p50": float(np.percentile(base, 50)), "baseline_p95": float(np.percentile(base, 95)),"locality": locality, "candidates": len(candidates), "runs": len(times),
            "p50": float(np.percentile(arr, 50)), "p95": float(np.percentile(arr, 95)), "max": float(arr.max()),
            "slowest": max(per, key=lambda c: max(per[c])), "finder_first": finder,
            "finder_p50": float(np.median(finder_times)), "cut": found.cut}


def report(results: dict) -> str:
    rows = []
    for s in results["suites"]:
        rows.append(f"| {s['label']} | `{s['locality']}` | {s['candidates']} | {s['runs']} | "
                    f"{s['p50'] * 1000:,.0f} ms | {s['p95'] * 1000:,.0f} ms | {s['goal'] * 1000:,.0f} ms | "
                    f"{'yes' if s['p95'] < s['goal'] else '**no**'} | {s['baseline_p95'] * 1000:,.0f} ms | "
                    f"{s['p95'] / s['baseline_p95']:.1f}x | {s['finder_p50']:.2f} s |")
    m = results["machine"]
    return "\n".join([
        "`kb assess` (kb.services.transfer.assess: one read of the named query `transfer-assessment` - the "
        "facts, the candidate introduction chains and their broker roles - then the verdicts and Yen's paths "
        "in Python) for every candidate of the locality, as the "
        "transfer finder runs it. Written by `bench/transfer.py`. Goals: p95 < 200 ms on the case base, "
        "< 2 s on the 100k-actor KB. Baseline, measured in the same run on the same server: the round trip "
        "of a trivial read (`transfer/known`, two index lookups), which shows how loaded the machine was.", "",
        "| knowledge base | locality | candidates | runs | p50 | p95 | goal | met | baseline p95 | p95 / baseline "
        "| whole finder (p50) |",
        "|---|---|---|---|---|---|---|---|---|---|---|", *rows, "",
        f"Measured {results['at']} on {m.get('cpu', '?')} ({m.get('nproc', '?')} cores), load average at the start "
        f"{results.get('loadavg', '?')} (the machine was shared with other jobs)."])


def main(argv: list[str] | None = None) -> int:
    from bench.kbs import analyse_timed, generate_size, load_dir
    from bench.common import loadavg
    from kb.store.analysis_runs import networks_to_analyse
    from kb.store.schema import apply_schema

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=0)
    parser.add_argument("--ties", type=int, default=0)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--heap", default="2g")
    args = parser.parse_args(argv)
    results = {"at": now_utc(), "machine": machine(), "loadavg": loadavg(), "suites": []}
    with tempfile.TemporaryDirectory(prefix="bench-transfer-") as tmp, \
            local_server(Path(tmp) / "neo4j", heap=args.heap, pagecache="512m") as server:
        kb = connect(server)
        apply_schema(kb)
        data, _ = generate_size("casebase", Path(tmp), 0)
        load_dir(kb, data)
        for network in networks_to_analyse(kb, DEFAULT_NETWORK_TYPES):
            analyse_timed(kb, network)
        suite = measure(kb, "knowsley", args.runs)
        results["suites"].append({"label": "bundled case base (`data/`)", "goal": 0.2, **suite})
        log(f"case base: p50 {suite['p50'] * 1000:.0f} ms, p95 {suite['p95'] * 1000:.0f} ms, "
            f"{suite['candidates']} candidates")
        if args.actors:
            from bench.common import clear_database
            from kb.store.cypher import statement

            clear_database(kb)
            folder, how = generate_size((args.actors, args.ties), Path(tmp), 42)
            add_transfer_tables(folder)
            log(f"loading {how['source']}")
            load_dir(kb, folder)
            analyse_timed(kb, "all")
            locality = kb.read(statement("bench/pick-query-parameters"))[0]["locality"]
            suite = measure(kb, locality, args.runs)
            results["suites"].append({"label": f"{args.actors:,} actors, {args.ties:,} ties", "goal": 2.0, **suite})
            log(f"large: p50 {suite['p50'] * 1000:.0f} ms, p95 {suite['p95'] * 1000:.0f} ms, "
                f"{suite['candidates']} candidates")
        kb.close()
    if not args.actors:  # keep the large KB's figures of an earlier run (bench/out/transfer.json)
        import json

        from bench.common import OUT_DIR

        earlier = OUT_DIR / "transfer.json"
        if earlier.exists():
            old = json.loads(earlier.read_text())
            results["suites"] += [dict(s, label=f"{s['label']} (run {old['at']})") for s in old["suites"]
                                  if s["goal"] > 0.2]
    save_json("transfer", results)
    write_section("Transfer assessment", report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
