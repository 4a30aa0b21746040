"""Run every benchmark (`make bench`), each in its own process, with its default sizes; or,
with --quick (`make bench-quick`), a scaled-down version of every goal's benchmark.

    .venv/bin/python -m bench.run                 # all of them (takes a long while)
    .venv/bin/python -m bench.run load analytics  # some of them
    .venv/bin/python -m bench.run --quick         # every goal, small: under 10 minutes

Each full benchmark writes its own section of docs/benchmarks.md and its raw numbers to
bench/out/. The quick run leaves docs/benchmarks.md alone: its benchmarks write their raw
numbers to bench/out/quick/ and it gathers the figures of every goal, under stable keys, in
bench/out/quick.json (see `assemble`): each ratio is the project's time over its
baseline's in the same run (below 1: faster), p95s and page times in milliseconds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ("load", "analytics", "queries")  # known benchmarks first, then any other bench/*.py
QUICK_OUT = HERE / "out" / "quick"
QUICK_JSON = HERE / "out" / "quick.json"
# The quick run's sizes: a 2,000-actor / 20,000-tie synthetic knowledge base (and the case
# base for the queries and the pages), small heaps, few runs.
QUICK_SIZE = ["--actors", "2000", "--ties", "20000"]
SMALL_SERVER = ["--heap", "1g", "--pagecache", "256m"]
QUICK = {
    "load": [*QUICK_SIZE, "--sample-ties", "500", "--index-study", "", *SMALL_SERVER, "--no-docs"],
    "analytics": [*QUICK_SIZE, "--pre", "none", "--budget", "10", "--per-stratum", "50", *SMALL_SERVER,
                  "--no-docs"],
    "queries": [*QUICK_SIZE, "--runs", "10", "--warmups", "2", "--budget", "10", *SMALL_SERVER, "--no-docs"],
    "pages": ["--out", str(QUICK_OUT)],
}
# Every key of quick.json, always present (None when its benchmark failed).
QUICK_KEYS = ("load_vs_load_csv", "bulk_vs_load_csv", "analyse_vs_networkx", "query_p95_ms", "page_cold_ms",
              "page_warm_ms")


def available() -> list[str]:
    found = {p.stem for p in HERE.glob("*.py") if p.stem not in ("__init__", "common", "run")}
    return [name for name in ORDER if name in found] + sorted(found - set(ORDER))


def _read(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _ms(seconds) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def assemble(load: dict | None, analytics: dict | None, queries: dict | None, pages: dict | None) -> dict:
    """quick.json's figures from the raw results of bench.load, bench.analytics,
    bench.queries and bench.pages (any of them None when it failed):

    - `load_vs_load_csv`, `bulk_vs_load_csv`: the loader's and `kb load --bulk`'s wall time
      over LOAD CSV's on the same files and server;
    - `analyse_vs_networkx`: the project's time for the measures over networkx's (the
      analytics baseline of the synthetic size);
    - `query_p95_ms`: {"casebase": {query: ms}, "generated": {query: ms}}, each named
      query's p95, the slowest of its parameter sets (network `innovation` and `all`);
    - `page_cold_ms`, `page_warm_ms`: {page: ms} on the case base.
    """
    ratios = (load or {}).get("ratios") or {}
    out: dict = {"load_vs_load_csv": ratios.get("loader_over_load_csv"),
                 "bulk_vs_load_csv": ratios.get("bulk_over_load_csv"), "analyse_vs_networkx": None,
                 "query_p95_ms": None, "page_cold_ms": None, "page_warm_ms": None}
    baselines = [s["baseline"] for s in (analytics or {}).get("sizes", []) if s.get("baseline")]
    if baselines and baselines[-1].get("total_networkx"):
        out["analyse_vs_networkx"] = baselines[-1]["total_project"] / baselines[-1]["total_networkx"]
    if queries and queries.get("sizes"):
        p95: dict = {"casebase": {}, "generated": {}}
        for size in queries["sizes"]:
            kind = "casebase" if "case base" in size.get("label", "") else "generated"
            for r in size["queries"]["results"]:
                ms = _ms(r.get("p95"))
                if ms is not None:
                    p95[kind][r["query"]] = max(ms, p95[kind].get(r["query"], 0.0))
        out["query_p95_ms"] = p95
    if pages and pages.get("views"):
        out["page_cold_ms"] = {view: _ms(t["cold_s"]) for view, t in pages["views"].items()}
        out["page_warm_ms"] = {view: _ms(t["warm_s"]) for view, t in pages["views"].items()}
    assert tuple(out) == QUICK_KEYS
    return out


def quick() -> int:
    """Every benchmark scaled down, then bench/out/quick.json."""
    QUICK_OUT.mkdir(parents=True, exist_ok=True)
    for old in QUICK_OUT.glob("*.json"):  # no figure from an earlier run
        old.unlink()
    env = {**os.environ, "KB_BENCH_OUT": str(QUICK_OUT)}
    seconds, failed = {}, []
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    figures: dict = {}
    for name, args in QUICK.items():
        print(f"== bench.{name} (quick) {' '.join(args)}", flush=True)
        t = time.perf_counter()
        if subprocess.run([sys.executable, "-m", f"bench.{name}", *args], cwd=HERE.parent, env=env).returncode:
            failed.append(name)
        seconds[name] = round(time.perf_counter() - t, 1)
        # Written after every benchmark: a run stopped part-way keeps the figures it has.
        figures = assemble(_read(QUICK_OUT / "load-2000-20000.json"), _read(QUICK_OUT / "analytics.json"),
                           _read(QUICK_OUT / "queries.json"), _read(QUICK_OUT / "ui-render-casebase.json"))
        figures["run"] = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "seconds": seconds,
                          "total_seconds": round(time.perf_counter() - started, 1), "failed": failed,
                          "loadavg": [load_before, os.getloadavg()[0]], "cpus": os.cpu_count(),
                          "sizes": "2,000 actors / 20,000 ties (load, analytics, queries); the case base "
                                   "(queries, pages)"}
        QUICK_JSON.write_text(json.dumps(figures, indent=2, sort_keys=True))
    print(json.dumps(figures, indent=2, sort_keys=True))
    print(f"wrote {QUICK_JSON}")
    return 1 if failed or any(figures[k] is None for k in QUICK_KEYS) else 0


def main(argv: list[str] | None = None) -> int:
    names = sys.argv[1:] if argv is None else argv
    if names == ["--quick"]:
        return quick()
    names = names or available()
    unknown = [n for n in names if n not in available()]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available())}", file=sys.stderr)
        return 2
    failed = []
    for name in names:
        print(f"== bench.{name}", flush=True)
        if subprocess.run([sys.executable, "-m", f"bench.{name}"], cwd=HERE.parent).returncode != 0:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
