"""How long each page of the app takes to render, measured with Streamlit's AppTest in a
throwaway local Neo4j (never the user's .kb/ database or a configured NEO4J_URI).

    .venv/bin/python -m bench.pages                 # the bundled case base (data/)
    .venv/bin/python -m bench.pages --generate      # `kb generate`'s defaults (2,000 actors, 20,000 ties)

For each view, three figures:
- `cold, plans cold`: a new session with empty caches and the server's query plan cache
  emptied first: the view as the very first after a restart, before the app has planned
  anything (KB_UI_PLAN_AHEAD is off for this pass);
- `cold`: a new session with empty caches after the app's plan-ahead has run (what the
  UI does in the background when it connects and after each load or analysis run:
  kb.services.queries.plan_all, timed here as `plan_ahead_s`);
- `warm`: the median of three reruns (cached reads).
The load average is recorded at the start and the end (the machine may be shared).
Prints a Markdown table and writes JSON next to the other benchmark output (bench/out/).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from kb.settings import DEFAULT_NETWORK_TYPES, PROJECT_ROOT, Settings, default, load_settings


def views(kb) -> dict[str, tuple[str, dict]]:
    """The pages, plus the views that take parameters, for the data at hand."""
    from kb.store.cypher import load_query, statement

    picked = kb.read(statement("bench/pick-page-examples"))[0]
    locality, innovation, actor = picked["locality"], picked["innovation"], picked["actor"]
    if picked["knowsley"]:
        locality, innovation = "knowsley", "see_through_shutters"
    transfer = load_query("transferable-innovations")
    top = kb.read(transfer.text, transfer.bind({"locality": locality}), timeout=600)
    chosen = next((r["innovation"] for r in top if r["introduction_path"]), top[0]["innovation"] if top else None)
    return {
        "overview": ("views/overview.py", {}),
        "innovations (search page)": ("views/innovations.py", {}),
        "innovations: a search": ("views/innovations.py", {"q": "innovation"}),
        "innovation detail": ("views/innovations.py", {"innovation": innovation}),
        "transfer finder: a locality": ("views/transfer.py", {"locality": locality}),
        "transfer finder: one innovation": ("views/transfer.py", {"locality": locality, "innovation": chosen}),
        "network (all ties, capped at 300)": ("views/network.py", {}),
        "network: 2 steps around an actor": ("views/network.py", {"scope": "actor", "actor": actor, "k": "2",
                                                                  "size": "betweenness"}),
        "brokers": ("views/brokers.py", {}),
        "layers": ("views/layers.py", {}),
        "cypher console": ("views/console.py", {}),
    }


def measure(uri: str, to_measure: dict[str, tuple[str, dict]], workdir: Path,
            password: str | None = None, kb=None) -> dict[str, dict]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    for name in list(os.environ):
        if name.startswith(("NEO4J_", "KB_")):
            del os.environ[name]
    os.environ["NEO4J_URI"] = uri
    if password:
        os.environ["NEO4J_PASSWORD"] = password
    os.environ["KB_UI_PLAN_AHEAD"] = "false"  # the bench plans ahead itself, between the passes
    os.chdir(workdir)  # no .env
    app = str(PROJECT_ROOT / "ui" / "app.py")

    def open_view(path: str, params: dict):
        st.cache_data.clear()
        at = AppTest.from_file(app, default_timeout=900).run()
        at.switch_page(path)
        at.query_params.clear()
        at.query_params.update({k: v for k, v in params.items() if v})
        return at

    def run(at, name: str) -> float:
        started = time.perf_counter()
        at.run()
        if at.exception:
            raise RuntimeError(f"{name}: {at.exception[0].value}")
        return time.perf_counter() - started

    from kb.services.queries import plan_all
    from kb.store.cypher import statement

    times = {}
    for name, (path, params) in to_measure.items():  # pass 1: every view as the first after a restart
        at = open_view(path, params)
        if kb is not None:
            kb.write(statement("bench/clear-query-caches"))
        times[name] = {"cold_plans_cold_s": round(run(at, name), 2)}
    started = time.perf_counter()
    planned = plan_all(kb) if kb is not None else 0
    times["_plan_ahead"] = {"plans": planned, "seconds": round(time.perf_counter() - started, 1)}
    for name, (path, params) in to_measure.items():  # pass 2: after the plan-ahead
        at = open_view(path, params)
        cold = run(at, name)
        warm = statistics.median(run(at, name) for _ in range(3))
        times[name].update(cold_s=round(cold, 2), warm_s=round(warm, 2),
                           notices=[w.value[:160] for w in (*at.warning, *at.error)])
        print(f"{name:<38} plans cold {times[name]['cold_plans_cold_s']:6.2f} s  cold {cold:6.2f} s  "
              f"warm {warm:6.2f} s", file=sys.stderr)
    return times


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--generate", action="store_true", help="measure on `kb generate`'s synthetic KB")
    parser.add_argument("--actors", type=int, default=2000)
    parser.add_argument("--ties", type=int, default=20_000)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "bench" / "out")
    args = parser.parse_args(argv)

    from kb.store.connection import KnowledgeBase
    from kb.store.schema import apply_schema
    from kb.neo4j_server import LocalServer, free_port
    from kb.store.known_ids import known_ids
    from kb.store.writer import write_batch
    from loaders import read_paths, validate

    home = Path(tempfile.mkdtemp(prefix="kb-ui-render-"))
    server = LocalServer(home=home / "neo4j", lib_dir=Settings().neo4j_lib_dir, port=free_port(),
                         heap=default("KB_NEO4J_HEAP"), pagecache=default("KB_NEO4J_PAGECACHE"))
    server.start(timeout=240)
    result: dict = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                    "machine": f"{os.cpu_count()} CPUs, {platform.platform()}, Python {platform.python_version()}"}
    try:
        settings = load_settings(env_file=None, environ={}, neo4j_uri=f"neo4j://127.0.0.1:{server.port}",
                                 neo4j_password=server.password())
        kb = KnowledgeBase.connect(settings)
        apply_schema(kb)
        source = PROJECT_ROOT / "data"
        if args.generate:
            from kb.services.generate import generate

            source = home / "generated"
            generate(source, actors=args.actors, ties=args.ties)
        started = time.perf_counter()
        write_batch(kb, validate(read_paths([source]), DEFAULT_NETWORK_TYPES, known_ids(kb)), DEFAULT_NETWORK_TYPES,
                    progress=False)
        result["load_s"] = round(time.perf_counter() - started, 1)
        try:
            from kb.store.analysis_runs import analyse_network
        except ImportError:
            result["analysed"] = []
        else:
            started = time.perf_counter()
            for network in ("innovation", "all"):
                analyse_network(kb, network)
            result["analysed"] = ["innovation", "all"]
            result["analyse_s"] = round(time.perf_counter() - started, 1)
        result["data"] = "generated" if args.generate else "bundled case base (data/)"
        result["counts"] = kb.counts()
        result["load_average_start"] = os.getloadavg()
        result["views"] = measure(settings.uri, views(kb), home, settings.neo4j_password, kb)
        result["plan_ahead"] = result["views"].pop("_plan_ahead")
        result["load_average_end"] = os.getloadavg()
        kb.close()
    finally:
        server.stop(grace=30)
        shutil.rmtree(home, ignore_errors=True)
    args.out.mkdir(parents=True, exist_ok=True)
    name = "ui-render-generated.json" if args.generate else "ui-render-casebase.json"
    (args.out / name).write_text(json.dumps(result, indent=2))
    print(f"load average {result['load_average_start']} -> {result['load_average_end']}; plan-ahead "
          f"{result['plan_ahead']['plans']} plans in {result['plan_ahead']['seconds']} s")
    print("| view | cold, plans cold | cold | warm |\n|---|---|---|---|")
    for view, t in result["views"].items():
        print(f"| {view} | {t['cold_plans_cold_s']:.2f} s | {t['cold_s']:.2f} s | {t['warm_s']:.2f} s |")
    return result


if __name__ == "__main__":
    main()
