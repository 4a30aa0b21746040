"""The app in a real headless browser, shared by the browser tests (tests/test_ui_browser*.py)
and `python -m bench.pages --browser`: Debian's Chromium (/usr/bin/chromium, `make browser`)
driven by Playwright, which never downloads a browser of its own here (no `playwright
install`); `kb ui` served in a subprocess; and when a page counts as drawn.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

from kb.neo4j_server import free_port
from kb.settings import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CLEAR_FILE = "clear-data-caches"  # bench/ui_served.py empties the app's data caches when this appears
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1300, "height": 2200}
# The app's last element on every run is a keyed container in the sidebar ("Page drawn in
# ... s", key kb_drawn_<n>, n counting the session's runs): once it is there, the page's
# heading is drawn and nothing is stale, running or a placeholder, the page is complete.
READY = """() => document.querySelector('[class*="st-key-kb_drawn_"]')
    && !document.querySelector('[class*="st-key-kb_drawn_"] [data-stale="true"]')
    && document.querySelector('[data-testid="stMain"] h1')
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-testid="stSkeleton"]')
    && !document.querySelector('[data-stale="true"]')"""
# The same, for a run after run `n` of the same session (a rerun): its own drawn mark.
RERUN_READY = """(n) => [...document.querySelectorAll('[class*="st-key-kb_drawn_"]')].some(
        e => [...e.classList].some(c => c.startsWith('st-key-kb_drawn_') && Number(c.slice(16)) > n))
    && (""" + READY + """)()"""
# How many runs the session has drawn (the number in its last drawn mark; 0 before any).
RUNS = """() => Math.max(0, ...[...document.querySelectorAll('[class*="st-key-kb_drawn_"]')].flatMap(
    e => [...e.classList].filter(c => c.startsWith('st-key-kb_drawn_')).map(c => Number(c.slice(16)))))"""


def available() -> str | None:
    """None when the browser can run here, else why not."""
    if not CHROMIUM.exists():
        return ("Chromium is not installed at /usr/bin/chromium (run `make browser`, or "
                "`apt-get install chromium` as root)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed"
    return None


def launch(playwright):
    """Headless Chromium from /usr/bin/chromium."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)


@contextlib.contextmanager
def served_ui(env: dict[str, str], home: Path, *, timeout: float = 600.0, bench_hooks: bool = False,
              warm_up: bool = False) -> Iterator[str]:
    """`kb ui --port <free port>` in a subprocess with `env` (plus the current environment without
    NEO4J_* and KB_*), in `home` (its working folder, log ui.log); yields its URL once it answers
    its health check. `kb ui` first has the server plan the pages' queries, which takes minutes
    on a busy machine whose server has not planned them yet: hence the long timeout.
    With `bench_hooks`, the same app through bench/ui_served.py, whose data caches
    clear_data_caches(home) empties. Without `warm_up`, KB_UI_WARM_UP=false (the tests' apps: no
    background process competing with them); with it, wait_for_warm_up(home) tells when it is done."""
    home.mkdir(parents=True, exist_ok=True)
    full = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KB_"))}
    full.update(KB_STATE_DIR=str(home / "state"), HOME=str(home),  # this checkout's kb, whatever the cwd
                PYTHONPATH=os.pathsep.join([str(PROJECT_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
    full.update(env)
    if not warm_up:
        full["KB_UI_WARM_UP"] = "false"
    port = free_port()
    log_path = home / "ui.log"
    with open(log_path, "w") as log:
        command = (["-m", "bench.ui_served", "--port", str(port), "--clear-file", str(home / CLEAR_FILE)]
                   if bench_hooks else ["-m", "kb.cli", "ui", "--port", str(port)])
        proc = subprocess.Popen([sys.executable, *command], env=full, cwd=home,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"kb ui did not start:\n{log_path.read_text()}")
                time.sleep(0.2)
            yield url
        finally:
            stop(proc)


WARMED = ("Warmed up the pages", "Warm-up of the pages skipped")


def wait_for_warm_up(home: Path, timeout: float = 600.0) -> str:
    """Wait until the app served_ui(..., warm_up=True) runs in `home` has finished its pages'
    warm-up (ui/warm.py); its line ("Warmed up the pages: N views ran once in S s.")."""
    deadline = time.monotonic() + timeout
    log = home / "ui.log"
    while time.monotonic() < deadline:
        for line in log.read_text().splitlines() if log.exists() else []:
            if line.startswith(WARMED):
                return line
        time.sleep(0.1)
    raise RuntimeError(f"kb ui did not finish its warm-up within {timeout:.0f} s:\n{log.read_text()[-2000:]}")


def clear_data_caches(home: Path, timeout: float = 60.0) -> None:
    """Empty the data caches of the app served_ui(..., bench_hooks=True) runs in `home`; returns
    once it has."""
    flag = home / CLEAR_FILE
    flag.touch()
    deadline = time.monotonic() + timeout
    while flag.exists():
        if time.monotonic() > deadline:
            raise RuntimeError("the app did not clear its data caches (is it bench/ui_served.py?)")
        time.sleep(0.01)


def stop(proc: subprocess.Popen) -> None:
    """Stop `kb ui` (its process group: Streamlit and anything it started)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def open_page(page, url: str, timeout: float = 90_000) -> float:
    """Go to the URL and wait until the script has run and every element is drawn; the
    seconds that took."""
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_function(READY, timeout=timeout)
    return time.perf_counter() - started


def settle(page, timeout: float = 90_000) -> None:
    page.wait_for_timeout(300)
    page.wait_for_function(READY, timeout=timeout)


def drawn_runs(page) -> int:
    return page.evaluate(RUNS)


def rerun(page, timeout: float = 90_000) -> float:
    """Run the page again in the same session (Streamlit's "r" key: cached reads, the
    signed-in user kept) and wait for that run to be drawn; the seconds that took. A key
    press the app did not take (it was busy) is pressed again."""
    before = drawn_runs(page)
    started = time.perf_counter()
    deadline = started + timeout / 1000
    while True:
        page.evaluate("() => document.activeElement && document.activeElement.blur()")  # not typed into a box
        page.keyboard.press("r")
        try:
            page.wait_for_function(RERUN_READY, arg=before, timeout=min(20_000, timeout))
            return time.perf_counter() - started
        except Exception:  # playwright's TimeoutError
            if time.perf_counter() > deadline:
                raise
