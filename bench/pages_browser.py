"""`python -m bench.pages --browser`: each view timed in headless Chromium (bench/browser.py).

What a user waits for, measured as a user meets it. A user starts `kb ui` once; then people open
pages in their browsers against that running app. So:

- `ui_start_s`: from launching `kb ui` until it answers (the server plans the pages' queries,
  the app's modules are imported, Streamlit starts), and `first_view_s`: the first page the new
  process serves (the Overview, in a new browser context): what the person who started it sees
  first. Reported once per run, apart from the views.
- *cold* (each view): the view opened in a new browser context (the browser has nothing of the
  app cached: it loads Streamlit's front end, then a new Streamlit session runs the page) against
  the running app whose data caches have just been emptied (bench/ui_served.py's bench-only
  hook: st.cache_data.clear(), so every read of the page goes to Neo4j), from navigation until
  the page is drawn. The app keeps what a running app keeps between visitors: its imported
  modules, its connection to Neo4j, and the server's query plans. A page behind the sign-in is
  reached by signing in on the Overview, emptying the caches, then clicking the page in the
  sidebar (timed from the click).
- *warm*: the median of three reruns in the same session (Streamlit's "r" key).
- `--same-browser`: each view in a new tab of one browser context that has opened the app once
  before the first timed view (the Glossary, untimed), so the browser has Streamlit's front end
  in its HTTP cache, as for a person who has opened the app before: the cold view without the
  one-off download and compiling of the front end.

Why not a fresh `kb ui` per view (`--fresh-process`, what this benchmark did before): a new
process's first session pays once-per-process costs (Streamlit's own lazy imports and first
compile of the app, the first connection to Neo4j) that no later visitor pays, and that are
reported as `first_view_s` instead. `--fresh-process` still measures that way, for comparison.
With `plans_cold` the server's plan cache is emptied before each view (with `--fresh-process`:
before each `kb ui` starts, which then plans again).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from bench import browser as harness


def measure_in_browser(settings, kb, to_measure: dict[str, tuple[str, dict]], home: Path,
                       user_password: str, *, plans_cold: bool = False, fresh_process: bool = False,
                       same_browser: bool = False) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    from bench.pages import SIGNED_IN, USER
    from kb.store.cypher import statement

    why_not = harness.available()
    if why_not:
        raise SystemExit(f"bench.pages --browser: {why_not}")
    env = {"NEO4J_URI": settings.uri, "NEO4J_PASSWORD": settings.neo4j_password or "",
           "NEO4J_DATABASE": settings.neo4j_database}
    times: dict[str, dict] = {}
    with sync_playwright() as p:
        chromium = harness.launch(p)
        try:
            if fresh_process:
                for n, (name, (path, params)) in enumerate(to_measure.items()):
                    if plans_cold:
                        kb.write(statement("bench/clear-query-caches"))
                    started = time.perf_counter()
                    try:
                        with harness.served_ui(env, home / f"ui-{n}") as url:
                            ui_start = time.perf_counter() - started
                            times[name] = one_view(chromium, url, name, path, params, user_password,
                                                   path in SIGNED_IN, USER)
                            times[name]["ui_start_s"] = round(ui_start, 1)
                    except Exception as exc:  # one view failing (a timeout on a busy machine) does not end the run
                        times[name] = failed(name, exc)
                        continue
                    report(name, times[name])
                return times
            ui_home = home / "ui"
            started = time.perf_counter()
            with harness.served_ui(env, ui_home, bench_hooks=True, warm_up=True) as url:
                ui_start = time.perf_counter() - started
                context = chromium.new_context(viewport=harness.VIEWPORT)
                try:
                    first = harness.open_page(context.new_page(), url)
                finally:
                    context.close()
                warmed = harness.wait_for_warm_up(ui_home)
                warm_up_s = time.perf_counter() - started
                times["_start"] = {"ui_start_s": round(ui_start, 2), "first_view_s": round(first, 2),
                                   "first_view": "overview (the default page)", "warm_up": warmed,
                                   "warm_up_done_s": round(warm_up_s, 1)}
                print(f"{'kb ui answered after':<38} {ui_start:6.2f} s; its first view (overview) drawn in "
                      f"{first:.2f} s; {warmed} ({warm_up_s:.1f} s after the start)", file=sys.stderr)
                # --same-browser: every view in a new tab of one browser context (its HTTP cache holds Streamlit's
                # front end after the first view), as a person who has opened the app before meets a page.
                shared = chromium.new_context(viewport=harness.VIEWPORT) if same_browser else None
                if shared is not None:  # the browser has opened the app before: its front end is in the cache
                    primer = shared.new_page()
                    harness.open_page(primer, f"{url}/glossary")
                    primer.close()
                for name, (path, params) in to_measure.items():
                    if plans_cold:
                        kb.write(statement("bench/clear-query-caches"))
                    try:
                        times[name] = one_view(shared or chromium, url, name, path, params, user_password,
                                               path in SIGNED_IN, USER, clear=lambda: harness.clear_data_caches(ui_home),
                                               shared=shared is not None)
                    except Exception as exc:
                        times[name] = failed(name, exc)
                        continue
                    report(name, times[name])
        finally:
            chromium.close()
    return times


def failed(name: str, exc: Exception) -> dict:
    error = {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}
    print(f"{name:<38} FAILED {error['error'][:200]}", file=sys.stderr)
    return error


def report(name: str, t: dict) -> None:
    print(f"{name:<38} cold {t['cold_s']:6.2f} s  warm {t['warm_s']:6.2f} s  (the app's own run: "
          f"{t['drawn_in']})" + (f"  (kb ui ready in {t['ui_start_s']:.1f} s)" if "ui_start_s" in t else ""),
          file=sys.stderr)


def one_view(chromium, url: str, name: str, path: str, params: dict, user_password: str, signed_in: bool,
             user: str, clear=None, shared: bool = False) -> dict:
    """One view; `chromium` is the browser (a new context for the view) or, `shared`, a context
    (a new tab in it)."""
    context = chromium if shared else chromium.new_context(viewport=harness.VIEWPORT)
    page = context.new_page()
    try:
        if clear and not signed_in:
            clear()
        cold = open_view(page, url, path, params, signed_in, user, user_password, clear)
        errors = page.locator('[data-testid="stException"]')
        if errors.count():
            raise RuntimeError(f"{name}: {errors.first.inner_text()[:500]}")
        drawn_in = page.locator('[class*="st-key-kb_drawn_"]').last.inner_text().strip()
        warm = statistics.median(harness.rerun(page) for _ in range(3))
        notices = [t[:160] for t in page.locator('[data-testid="stMain"] [data-testid="stAlert"]')
                   .all_inner_texts()]
    finally:
        page.close() if shared else context.close()
    return {"cold_s": round(cold, 2), "warm_s": round(warm, 2), "drawn_in": drawn_in, "notices": notices}


def open_view(page, url: str, path: str, params: dict, signed_in: bool, user: str, password: str,
              clear=None) -> float:
    """Open the view as a new visitor would; the seconds until it is drawn."""
    target = f"{url}/{_url_path(path)}" + (f"?{urlencode({k: v for k, v in params.items() if v})}" if params else "")
    if not signed_in:
        return harness.open_page(page, target)
    harness.open_page(page, url)
    page.locator(".st-key-auth_name input").first.fill(user)
    page.locator(".st-key-auth_password input").first.fill(password)
    page.locator(".st-key-auth_submit button").first.click()
    page.get_by_text(f"Signed in as {user}").first.wait_for(timeout=180_000)
    harness.settle(page)
    if clear:
        clear()
    before = harness.drawn_runs(page)
    link = page.locator(f'[data-testid="stSidebarNav"] a[href$="/{_url_path(path)}"]').first
    started = time.perf_counter()
    link.click()
    page.wait_for_function(harness.RERUN_READY, arg=before, timeout=180_000)
    return time.perf_counter() - started


def _url_path(path: str) -> str:
    from bench.pages import URL_PATHS

    return URL_PATHS[path]
