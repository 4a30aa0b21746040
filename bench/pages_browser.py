"""`python -m bench.pages --browser`: each view timed in headless Chromium (bench/browser.py).

For each view: a freshly started `kb ui` (empty Streamlit caches; `kb ui` has the server plan the
pages' queries before it serves, as always) and a new browser context. *cold*: from navigation
until the page is drawn; a page behind the sign-in is reached by signing in on the Overview first
and clicking the page in the sidebar, timed from the click. *warm*: the median of three reruns
in the same session (Streamlit's "r" key). With `plans_cold` the server's plan cache is emptied
before each `kb ui` starts (what `kb ui` then waits for is recorded as `ui_start_s`).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from bench import browser as harness


def measure_in_browser(settings, kb, to_measure: dict[str, tuple[str, dict]], home: Path,
                       user_password: str, *, plans_cold: bool = False) -> dict[str, dict]:
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
            for n, (name, (path, params)) in enumerate(to_measure.items()):
                if plans_cold:
                    kb.write(statement("bench/clear-query-caches"))
                started = time.perf_counter()
                try:
                    times[name] = one_view(chromium, env, home / f"ui-{n}", name, path, params, user_password,
                                           path in SIGNED_IN, USER, started)
                except Exception as exc:  # one view failing (a timeout on a busy machine) does not end the run
                    times[name] = {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}
                    print(f"{name:<38} FAILED {times[name]['error'][:200]}", file=sys.stderr)
                    continue
                t = times[name]
                print(f"{name:<38} cold {t['cold_s']:6.2f} s  warm {t['warm_s']:6.2f} s  (kb ui ready in "
                      f"{t['ui_start_s']:.1f} s)", file=sys.stderr)
        finally:
            chromium.close()
    return times


def one_view(chromium, env: dict, home: Path, name: str, path: str, params: dict, user_password: str,
             signed_in: bool, user: str, started: float) -> dict:
    with harness.served_ui(env, home) as url:
        ui_start = time.perf_counter() - started
        context = chromium.new_context(viewport=harness.VIEWPORT)
        page = context.new_page()
        try:
            cold = open_view(page, url, path, params, signed_in, user, user_password)
            errors = page.locator('[data-testid="stException"]')
            if errors.count():
                raise RuntimeError(f"{name}: {errors.first.inner_text()[:500]}")
            warm = statistics.median(harness.rerun(page) for _ in range(3))
            notices = [t[:160] for t in page.locator('[data-testid="stMain"] [data-testid="stAlert"]')
                       .all_inner_texts()]
        finally:
            context.close()
    return {"cold_s": round(cold, 2), "warm_s": round(warm, 2), "ui_start_s": round(ui_start, 1),
            "notices": notices}


def open_view(page, url: str, path: str, params: dict, signed_in: bool, user: str, password: str) -> float:
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
    before = harness.drawn_runs(page)
    link = page.locator(f'[data-testid="stSidebarNav"] a[href$="/{_url_path(path)}"]').first
    started = time.perf_counter()
    link.click()
    page.wait_for_function(harness.RERUN_READY, arg=before, timeout=180_000)
    return time.perf_counter() - started


def _url_path(path: str) -> str:
    from bench.pages import URL_PATHS

    return URL_PATHS[path]
