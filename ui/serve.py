"""The process `kb ui` (and `kb demo`) serve the app from: it imports the app's modules first
(the services, pandas, altair, pyvis: seconds on a busy machine), then runs Streamlit in this
same process, so the first visitor's page does not wait for Python to import them.

What it imported is then moved out of the garbage collector's sight (gc.freeze): Streamlit
runs a full collection after every run of a page (runner.postScriptGC), which otherwise walks
every object of pandas, altair, pyvis and the driver each time (0.2-0.7 s per run on a busy
2-core machine; microseconds after the freeze). Objects made later are collected as before.

    python -m ui.serve run ui/app.py --server.port 8501 ...   (what `kb ui` runs; any `streamlit` arguments)
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

SKIP = {"app", "serve"}  # the app's script runs in each session; this module is the launcher


def preload() -> list[str]:
    """Import every module of the ui package (not the pages, which are scripts); their names."""
    import logging

    import streamlit.runtime.caching.cache_data_api  # noqa: F401 (its logger exists from here on)

    import ui

    names = [f"ui.{m.name}" for m in pkgutil.iter_modules(ui.__path__) if not m.ispkg and m.name not in SKIP]
    quiet = logging.getLogger("streamlit.runtime.caching.cache_data_api")  # "No runtime found": none is needed to import
    level, quiet.level = quiet.level, logging.ERROR
    try:
        for name in names:
            importlib.import_module(name)
    finally:
        quiet.setLevel(level)
    return names


def freeze() -> None:
    """Collect once, then keep everything alive now (the imported modules) out of later
    collections."""
    import gc

    import streamlit.web.bootstrap  # noqa: F401 (Streamlit's server and runtime, imported at start anyway)
    import streamlit.runtime.scriptrunner  # noqa: F401

    gc.collect()
    gc.freeze()


def main(argv: list[str]) -> None:
    preload()
    freeze()
    from streamlit.web import cli

    sys.argv = ["streamlit", *argv]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
