"""bench.pages measures every page of the app's sidebar, and `kb ui`'s launcher (ui/serve.py)
imports the app's modules before it runs Streamlit (fast checks: the measurements themselves
take minutes and are not tests)."""

from __future__ import annotations

import re
import subprocess
import sys

from bench.pages import SIGNED_IN, URL_PATHS
from kb.settings import PROJECT_ROOT


def test_bench_pages_covers_every_page_of_the_sidebar():
    app = (PROJECT_ROOT / "ui" / "app.py").read_text()
    sidebar = dict(re.findall(r'st\.Page\("(views/[a-z_]+\.py)"[^)]*?url_path="([a-z-]+)"', app, re.S))
    assert sidebar and URL_PATHS == sidebar
    # the pages behind the sign-in are measured signed in
    assert {"views/curate.py", "views/attention.py", "views/import_data.py", "views/survey_admin.py"} == SIGNED_IN
    # kb ui's warm-up (ui/warm.py) runs every page a viewer has, the same list
    from ui.warm import PAGE

    assert set(PAGE.values()) == set(sidebar) - SIGNED_IN
    assert all(URL_PATHS[page] == name for name, page in PAGE.items())


def test_the_ui_launcher_imports_the_app_modules_then_runs_streamlit():
    from ui.serve import preload

    names = preload()
    assert {"ui.common", "ui.network_picture", "ui.locality_map", "ui.auth"} <= set(names)
    assert not any(n in ("ui.app", "ui.serve") for n in names)
    # What the pages' scripts import (the Transfer finder's services), and what their functions import
    # lazily (igraph, for the introduction paths): imported before the first visitor, not on the first view.
    assert {"kb.services.find", "kb.services.transfer", "kb.services.change", "igraph"} <= set(names)
    # One tiny picture drawn first: pyvis's template and the vis-network script it includes are compiled.
    from ui import network_picture
    from ui.serve import exercise

    network_picture._TEMPLATES.clear()
    exercise()
    (env,) = network_picture._TEMPLATES.values()
    assert any("vis-network.min.js" in str(key) for key in env.cache.keys())
    done = subprocess.run([sys.executable, "-m", "ui.serve", "version"], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, timeout=300)
    assert done.returncode == 0 and "Streamlit, version" in done.stdout, done.stderr
    assert "No runtime found" not in done.stderr


def test_the_bench_hook_empties_the_apps_data_caches(tmp_path):
    """bench.pages --browser's cold view: bench/ui_served.py empties st.cache_data when the flag
    file appears (bench.browser.clear_data_caches waits until it has)."""
    import streamlit as st

    from bench.browser import CLEAR_FILE, clear_data_caches
    from bench.ui_served import watch

    calls = []

    @st.cache_data
    def read(x):
        calls.append(x)
        return x

    read(1), read(1)
    assert calls == [1]
    watch(tmp_path / CLEAR_FILE)
    clear_data_caches(tmp_path, timeout=30)
    read(1)
    assert calls == [1, 1]


def test_kb_ui_watches_no_files_and_freezes_what_it_imported():
    import gc

    from kb.cli.common import streamlit_args
    from ui.serve import freeze

    args = streamlit_args(8501, "127.0.0.1")
    assert args[args.index("--server.fileWatcherType") + 1] == "none"
    freeze()
    assert gc.get_freeze_count() > 0
    gc.unfreeze()
