"""The process `kb ui` (and `kb demo`) serve the app from: it imports the app's modules first
(the services, pandas, altair, pyvis: seconds on a busy machine), then runs Streamlit in this
same process, so the first visitor's page does not wait for Python to import them.

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


def main(argv: list[str]) -> None:
    preload()
    from streamlit.web import cli

    sys.argv = ["streamlit", *argv]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
