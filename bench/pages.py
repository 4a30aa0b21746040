"""How long each page of the app takes to render: every page of the sidebar, and the views that
take parameters, with Streamlit's AppTest (the app's Python and its reads) or, with --browser,
in headless Chromium (bench/browser.py: what a user waits for). By default in a throwaway local
Neo4j (never the user's .kb/ database or a configured NEO4J_URI); with --uri, an existing server.

    .venv/bin/python -m bench.pages                 # the bundled case base (data/)
    .venv/bin/python -m bench.pages --generate      # `kb generate`'s defaults (2,000 actors, 20,000 ties)
    .venv/bin/python -m bench.pages --browser       # the case base, in the browser
    NEO4J_PASSWORD=... .venv/bin/python -m bench.pages --browser --uri bolt://host:7687   # an existing KB
        (or --password-file FILE; the pages that need a signed-in editor are measured as a user
        `bench_pages` the benchmark adds as admin, through the service, and removes afterwards)

The browser figures (bench/pages_browser.py, where the method is argued):
- `ui_start_s`, `first_view_s`: `kb ui` is started once; how long until it answers, and how long
  its first view (the Overview, in a new browser context) takes. Reported apart from the views.
- *cold* (each view): what a person opening that page for the first time waits for: a new
  browser context (nothing of the app in the browser's cache: Streamlit's front end loads), a
  new Streamlit session, and the running app's data caches just emptied (a bench-only hook,
  bench/ui_served.py), from navigation until the page is drawn (the app's "page drawn" mark of
  that run, the heading present, nothing running or stale); the pages behind the sign-in are
  reached by signing in on the Overview, emptying the caches, then clicking the page in the
  sidebar (timed from the click). `--fresh-process` instead starts a new `kb ui` for each view
  (the definition before 2026-12-07, which also counts each new process's first-session costs).
- *warm*: the median of three reruns in the same session (Streamlit's "r").
--plans-cold (throwaway server only) empties the server's plan cache before each view.

AppTest figures, for each view:
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
import contextlib
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

from kb.settings import DEFAULT_NETWORK_TYPES, PROJECT_ROOT, Settings, default, load_settings


# The sidebar's pages (ui/app.py): the script and its URL path.
URL_PATHS = {"views/overview.py": "overview", "views/innovations.py": "innovations", "views/transfer.py": "transfer",
             "views/network.py": "network", "views/brokers.py": "brokers", "views/layers.py": "layers",
             "views/change.py": "change", "views/console.py": "console", "views/glossary.py": "glossary",
             "views/record.py": "record", "views/curate.py": "curate", "views/attention.py": "attention",
             "views/import_data.py": "import", "views/survey_admin.py": "survey-admin"}
# The pages only a signed-in editor (Import: an admin) has.
SIGNED_IN = {"views/curate.py", "views/attention.py", "views/import_data.py", "views/survey_admin.py"}
USER = "bench_pages"


def views(kb) -> dict[str, tuple[str, dict]]:
    """Every page of the sidebar, plus the views that take parameters, for the data at hand."""
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
        "change": ("views/change.py", {}),
        "cypher console": ("views/console.py", {}),
        "glossary": ("views/glossary.py", {}),
        "record history: an innovation": ("views/record.py", {"kind": "innovations", "id": innovation}),
        "add or edit (signed in)": ("views/curate.py", {}),
        "needs attention (signed in)": ("views/attention.py", {}),
        "survey rounds (signed in)": ("views/survey_admin.py", {}),
        "import (signed in)": ("views/import_data.py", {}),
    }


@contextlib.contextmanager
def bench_user(settings, kb) -> Iterator[str]:
    """A throwaway admin (made through the service, as the tests do) for the signed-in pages;
    its password, and the user removed afterwards."""
    import secrets

    from kb.services import ServiceError, access

    password = secrets.token_urlsafe(18)
    try:
        access.add_user(settings, kb, USER, "admin", password)
    except ServiceError:  # left by a run that was stopped
        access.set_role(settings, kb, USER, "admin")
        access.set_password(settings, kb, USER, password)
    try:
        yield password
    finally:
        access.remove_user(settings, kb, USER)


def measure(uri: str, to_measure: dict[str, tuple[str, dict]], workdir: Path,
            password: str | None = None, kb=None, user_password: str | None = None,
            plans_cold: bool = True) -> dict[str, dict]:
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
        if path in SIGNED_IN:
            at.text_input(key="auth_name").input(USER)
            at.text_input(key="auth_password").input(user_password)
            at.button(key="auth_submit").click().run()
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

    times: dict[str, dict] = {name: {} for name in to_measure}
    if plans_cold:
        for name, (path, params) in to_measure.items():  # pass 1: every view as the first after a restart
            at = open_view(path, params)
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
        print(f"{name:<38} plans cold {times[name].get('cold_plans_cold_s', float('nan')):6.2f} s  "
              f"cold {cold:6.2f} s  warm {warm:6.2f} s", file=sys.stderr)
    return times


@contextlib.contextmanager
def knowledge_base(args, home: Path, result: dict):
    """(settings, kb, server or None): the server named by --uri, or a throwaway local one
    holding the bundled case base (or --generate's KB), loaded and analysed."""
    from kb.store.connection import KnowledgeBase

    if args.uri:
        password = (args.password_file.read_text().strip() if args.password_file
                    else os.environ.get("NEO4J_PASSWORD"))
        settings = load_settings(env_file=None, environ={}, neo4j_uri=args.uri, neo4j_password=password)
        kb = KnowledgeBase.connect(settings)
        result["data"] = f"an existing server ({args.uri})"
        try:
            yield settings, kb, None
        finally:
            kb.close()
        return
    from bench.common import stop_servers_on_sigterm
    from kb.neo4j_server import LocalServer, free_port
    from kb.store.known_ids import known_ids
    from kb.store.schema import apply_schema
    from kb.store.writer import write_batch
    from loaders import read_paths, validate

    server = LocalServer(home=home / "neo4j", lib_dir=Settings().neo4j_lib_dir, port=free_port(),
                         heap=default("KB_NEO4J_HEAP"), pagecache=default("KB_NEO4J_PAGECACHE"))
    stop_servers_on_sigterm()
    server.start(timeout=240)
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
        from kb.store.analysis_runs import analyse_network

        started = time.perf_counter()
        for network in ("innovation", "all"):
            analyse_network(kb, network)
        result["analysed"] = ["innovation", "all"]
        result["analyse_s"] = round(time.perf_counter() - started, 1)
        result["data"] = "generated" if args.generate else "bundled case base (data/)"
        yield settings, kb, server
        kb.close()
    finally:
        server.stop(grace=30)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--generate", action="store_true", help="measure on `kb generate`'s synthetic KB")
    parser.add_argument("--actors", type=int, default=2000)
    parser.add_argument("--ties", type=int, default=20_000)
    parser.add_argument("--browser", action="store_true", help="in headless Chromium (/usr/bin/chromium)")
    parser.add_argument("--uri", help="measure an existing server (bolt:// or neo4j://), as it is")
    parser.add_argument("--password-file", type=Path, help="its password (else NEO4J_PASSWORD)")
    parser.add_argument("--plans-cold", action="store_true",
                        help="--browser: empty the throwaway server's plan cache before each view")
    parser.add_argument("--fresh-process", action="store_true",
                        help="--browser: a new `kb ui` for each view (the old cold view) instead of one running app "
                             "whose data caches are emptied before each view")
    parser.add_argument("--same-browser", action="store_true",
                        help="--browser: each view in a new tab of one browser context (its HTTP cache warm after the "
                             "first view) instead of a new context")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "bench" / "out")
    parser.add_argument("--docs", action="store_true",
                        help="also write the run as its own subsection of docs/benchmarks.md's UI render times")
    args = parser.parse_args(argv)
    if args.uri and args.generate:
        parser.error("--generate makes its own throwaway server: not with --uri")

    home = Path(tempfile.mkdtemp(prefix="kb-ui-render-"))
    result: dict = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                    "machine": f"{os.cpu_count()} CPUs, {platform.platform()}, Python {platform.python_version()}",
                    "how": ("AppTest" if not args.browser else "browser (headless Chromium)"
                            + (", a new `kb ui` per view" if args.fresh_process else
                               ", a returning browser (Streamlit's front end in its cache)" if args.same_browser else
                               ""))}
    try:
        with knowledge_base(args, home, result) as (settings, kb, server):
            result["counts"] = kb.counts()
            to_measure = views(kb)
            result["load_average_start"] = os.getloadavg()
            with bench_user(settings, kb) as user_password:
                if args.browser:
                    from bench.pages_browser import measure_in_browser

                    result["views"] = measure_in_browser(settings, kb, to_measure, home, user_password,
                                                         plans_cold=args.plans_cold and server is not None,
                                                         fresh_process=args.fresh_process,
                                                         same_browser=args.same_browser)
                    result["cold"] = ("a new `kb ui` per view" if args.fresh_process else
                                      "one running `kb ui`, its data caches emptied before each view"
                                      + ("; each view in a new tab of one browser context" if args.same_browser else
                                         "; each view in a new browser context"))
                else:
                    result["views"] = measure(settings.uri, to_measure, home, settings.neo4j_password, kb,
                                              user_password, plans_cold=server is not None)
            result["plan_ahead"] = result["views"].pop("_plan_ahead", None)
            result["ui_start"] = result["views"].pop("_start", None)
            result["load_average_end"] = os.getloadavg()
    finally:
        shutil.rmtree(home, ignore_errors=True)
    args.out.mkdir(parents=True, exist_ok=True)
    name = "ui-render-" + ("browser-" if args.browser else "") + (
        "fresh-" if args.browser and args.fresh_process else "returning-" if args.browser and args.same_browser
        else "") + (
        "uri" if args.uri else "generated" if args.generate else "casebase") + ".json"
    (args.out / name).write_text(json.dumps(result, indent=2))
    print(f"{result['how']}, {result['data']}; load average {result['load_average_start']} -> "
          f"{result['load_average_end']}" + (f"; plan-ahead {result['plan_ahead']['plans']} plans in "
                                              f"{result['plan_ahead']['seconds']} s" if result["plan_ahead"] else "")
          + (f"; `kb ui` answered after {result['ui_start']['ui_start_s']} s, its first view (overview) drawn in "
             f"{result['ui_start']['first_view_s']} s; {result['ui_start'].get('warm_up', 'no warm-up')}"
             if result.get("ui_start") else ""))
    print(table(result))
    if args.docs:
        command = "python -m bench.pages " + " ".join(a for a in (argv if argv is not None else sys.argv[1:])
                                                      if a != "--docs")
        write_docs(result, command.strip())
    return result


def write_docs(result: dict, command: str) -> None:
    """The run as a `### ` subsection of docs/benchmarks.md's "UI render times" (replacing the
    subsection of the same title: one per kind of run and data)."""
    from bench.common import machine, read_section, write_section

    m = machine()
    title = f"### Every page, {result['how']}: {result['data']}"
    counts = result.get("counts") or {}
    body = "\n".join([
        title, "",
        f"Run {result['date']}: `{command}`. Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']}, {m['os']}, "
        f"Python {m['python']}; **load average {result['load_average_start'][0]:.2f} at the start, "
        f"{result['load_average_end'][0]:.2f} at the end**. Data: {counts.get('nodes', '?'):,} nodes, "
        f"{counts.get('relationships', '?'):,} relationships." if isinstance(counts.get("nodes"), int) else
        f"Run {result['date']}: `{command}`; load average {result['load_average_start'][0]:.2f} -> "
        f"{result['load_average_end'][0]:.2f}.",
        *([f"`kb ui` answered {result['ui_start']['ui_start_s']:.2f} s after it was started; its first view "
           f"(the Overview, new browser context) was drawn in {result['ui_start']['first_view_s']:.2f} s. "
           + (f"Its warm-up (ui/warm.py): \"{result['ui_start']['warm_up']}\", done "
              f"{result['ui_start']['warm_up_done_s']:.1f} s after the start. " if result['ui_start'].get('warm_up') else "")
           + "Cold below: after that, " + ("a new tab of one browser context that had opened the app once "
                                           "(untimed) before the first view" if "returning" in result["how"] else
                                           "a new browser context") + " against the running app, its data "
           "caches emptied before each view."]
          if result.get("ui_start") else []),
        "", table(result), ""])
    section = read_section("UI render times") or ""
    start = section.find(title + "\n")
    if start < 0:
        section = section.rstrip("\n") + "\n\n" + body
    else:
        end = section.find("\n### ", start + len(title))
        section = section[:start] + body + ("\n" + section[end + 1:] if end >= 0 else "")
    write_section("UI render times", section)


def table(result: dict) -> str:
    """The Markdown table of a run."""
    plans_cold = any("cold_plans_cold_s" in t for t in result["views"].values())
    lines = ["| view | " + ("cold, plans cold | " if plans_cold else "") + "cold | warm |",
             "|---|" + ("---|" if plans_cold else "") + "---|---|"]
    for view, t in result["views"].items():
        if "error" in t:
            lines.append(f"| {view} | " + ("- | " if plans_cold else "") + f"failed: {t['error'][:80]} | - |")
            continue
        first = f"{t['cold_plans_cold_s']:.2f} s | " if plans_cold else ""
        lines.append(f"| {view} | {first}{t['cold_s']:.2f} s | {t['warm_s']:.2f} s |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
