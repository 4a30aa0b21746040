"""Search by meaning benchmark (issue 13 part 3): embedding 2,000 innovations and `kb find`.

    .venv/bin/python -m bench.find [--innovations 2000 --runs 60]

On one throwaway local Neo4j (bench.common.local_server, heap 2g, schema applied): the
synthetic KB of kb.services.generate with --innovations innovations is loaded as `kb load`
does (load_files, which refreshes the embeddings itself), then

- embedding: the model alone on every innovation's text (kb.meaning.embed), and a full
  re-embed as `kb embed --all` does it (read the texts, embed, write the vectors back);
  goal < 30 s for 2,000 innovations;
- `kb find` latency: kb.services.find.search over every kind (vector and full-text index
  per kind, the mix in Python), needs taken in turn from tests/test_find.py; p50/p95 of
  --runs runs after 5 warm-ups; goal p95 < 100 ms. Baseline in the same run: one reader
  running the UI's full-text innovation search (cypher/ui/innovation-search) for the same
  needs' words, timed the same way.

Results: docs/benchmarks.md section "Search by meaning", bench/out/find.json.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.common import connect, loadavg, local_server, machine, now_utc, save_json, write_section
from kb.settings import load_settings

NEEDS = [
    "teenagers keep getting into trouble with the police",
    "empty boarded-up houses on our street attract trouble",
    "looking after grandparents and pensioners who live alone",
    "no training for staff on how to run new ideas and change projects",
    "we want to cut greenhouse gases and global warming from our town",
    "children are bored at school and do not enjoy their lessons",
]


def percentile(xs, q):
    return float(np.percentile(np.array(xs) * 1000, q))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--innovations", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=60)
    args = ap.parse_args(argv)
    from kb.meaning import KINDS, document, embed, model
    from kb.services.find import full_text_words, refresh, search
    from kb.services.generate import generate
    from kb.services.loading import load_files
    from kb.store.cypher import statement
    from kb.store.schema import apply_schema

    results: dict = {"machine": machine(), "date": now_utc(), "innovations": args.innovations,
                     "load_average_start": loadavg()}
    with tempfile.TemporaryDirectory() as tmp:
        tables = Path(tmp) / "tables"
        generate(tables, innovations=args.innovations)
        with local_server(Path(tmp) / "neo4j", heap="2g", pagecache="512m") as server:
            settings = load_settings(env_file=None, environ={}, neo4j_uri=f"neo4j://127.0.0.1:{server.port}",
                                     neo4j_password=server.password())
            with connect(server) as kb:
                apply_schema(kb)
                started = time.perf_counter()
                loaded = load_files(settings, kb, sorted(tables.glob("*.csv")), progress=False)
                results["load_seconds_with_embedding"] = time.perf_counter() - started
                results["embedded_by_load"] = loaded.embedded

                kind = KINDS["innovation"]
                rows = kb.read(statement("meaning/texts"), {"label": kind.label, "fields": list(kind.fields)})
                texts = [document(r["values"]) for r in rows]
                model()  # loaded once per process; timed apart
                started = time.perf_counter()
                model.cache_clear()
                model()
                results["model_load_seconds"] = time.perf_counter() - started
                started = time.perf_counter()
                embed(texts)
                results["embed_model_seconds"] = time.perf_counter() - started
                started = time.perf_counter()
                again = refresh(settings, kb, "innovation", everything=True)
                results["embed_all_innovations_seconds"] = time.perf_counter() - started
                results["embedded_innovations"] = again.embedded["innovation"]
                started = time.perf_counter()
                refresh(settings, kb)
                results["refresh_unchanged_seconds"] = time.perf_counter() - started

                def timed_runs(run):
                    for i in range(5):
                        run(NEEDS[i % len(NEEDS)])
                    times = []
                    for i in range(args.runs):
                        t = time.perf_counter()
                        run(NEEDS[i % len(NEEDS)])
                        times.append(time.perf_counter() - t)
                    return times

                results["load_average_before_find"] = loadavg()
                find_times = timed_runs(lambda need: search(settings, kb, need, limit=10))
                baseline_q = statement("ui/innovation-search")
                base_params = {"sectors": None, "problems": None, "stages": None, "evidence": None,
                               "localities": None, "layers": None, "limit": 10}
                base_times = timed_runs(lambda need: kb.read(baseline_q, {**base_params, "q": full_text_words(need)}))
    for name, times in (("find", find_times), ("baseline", base_times)):
        results[f"{name}_p50_ms"] = percentile(times, 50)
        results[f"{name}_p95_ms"] = percentile(times, 95)
    results["runs"] = args.runs
    results["load_average_end"] = loadavg()
    save_json("find", results)
    m = results["machine"]
    body = f"""Command: `.venv/bin/python -m bench.find --innovations {args.innovations} --runs {args.runs}`
({results['date']}; {m.get('cpu', '')}, {m.get('nproc', '')} cores, {m.get('memory', '')}; Neo4j heap 2g).
Load average (1 min) at the start {results['load_average_start']:.1f}, before the `kb find` runs
{results['load_average_before_find']:.1f}, at the end {results['load_average_end']:.1f} (2 cores: above 2 the
machine was shared and the times are longer than on a quiet one).
Synthetic KB of `kb generate` with {args.innovations} innovations (2,000 actors, 20,000 ties).

| measure | value | goal |
|---|---|---|
| embed {len(texts)} innovations, model only | {results['embed_model_seconds']:.2f} s | |
| re-embed every innovation as `kb embed --all` (read, embed, write) | {results['embed_all_innovations_seconds']:.2f} s | < 30 s |
| load the model (once per process) | {results['model_load_seconds']:.2f} s | |
| `kb load` of the KB, embeddings included ({results['embedded_by_load']} nodes embedded) | {results['load_seconds_with_embedding']:.1f} s | |
| refresh after an unchanged load (read and hash every text) | {results['refresh_unchanged_seconds'] * 1000:.0f} ms | |
| `kb find` (all kinds, limit 10) p50 / p95 | {results['find_p50_ms']:.1f} / {results['find_p95_ms']:.1f} ms | p95 < 100 ms |
| baseline: full-text innovation search, 1 reader, p50 / p95 | {results['baseline_p50_ms']:.1f} / {results['baseline_p95_ms']:.1f} ms | |
| ratio find / baseline (p95) | {results['find_p95_ms'] / results['baseline_p95_ms']:.1f} x | |

{args.runs} timed runs after 5 warm-ups, needs taken in turn from bench/find.py. Raw numbers: `bench/out/find.json`.
"""
    write_section("Search by meaning", body)
    print(body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
